/**
 * The Diagnose panel: paste what was seen on another system — CDB, status,
 * service response, sense bytes, DriverKit values, transfer length — and read
 * the doctor's ranked diagnosis, the one `usbcdb doctor` prints for the same
 * values. The store (store/diagnose.ts) parses and diagnoses; this renders.
 */
import { TRANSPORT_RESULTS, type DoctorTextField } from '../../shared/doctor/input';
import { DIAGNOSE_LABELS } from '../store/diagnose';
import type { Use } from '../store/store';

/** Shown at once: what a DriverKit log or an sg_raw run gives. */
const MAIN: readonly DoctorTextField[] = [
  'cdb',
  'dataIn',
  'dataOut',
  'status',
  'serviceResponse',
  'sense',
  'senseValid',
  'driverKit',
];
/** Behind "More of what you saw". */
const MORE: readonly DoctorTextField[] = [
  'transport',
  'cswStatus',
  'residue',
  'realized',
  'kernReturn',
  'lun',
  'spcLevel',
  'blockSize',
  'usbVendorId',
];
const PLACEHOLDER: Partial<Record<DoctorTextField, string>> = {
  cdb: '12 00 00 24 00 00',
  dataIn: '512',
  status: '0x00',
  serviceResponse: '2',
  sense: '70 00 05 00 00 00 00 0a 00 00 00 00 20 00 …',
  driverKit: 'fBufferDirection=1, fDataTransferDirection=2',
  transport: TRANSPORT_RESULTS.join(' | '),
};
const WIDE = new Set<DoctorTextField>(['cdb', 'sense', 'driverKit']);

export function Diagnose({ use }: { use: Use }) {
  const { form, report, problem } = use((s) => s.diagnosis);
  const setField = use((s) => s.setDiagnoseField);
  const run = use((s) => s.runDiagnose);
  const clear = use((s) => s.clearDiagnose);

  const field = (f: DoctorTextField) => {
    const id = `diagnose-${f}`;
    const bad = problem?.field === f;
    return (
      <div className="diagnose-field" key={f}>
        <label htmlFor={id}>{DIAGNOSE_LABELS[f]}</label>
        {WIDE.has(f) ? (
          <textarea
            id={id}
            rows={f === 'cdb' ? 1 : 2}
            spellCheck={false}
            value={form[f]}
            placeholder={PLACEHOLDER[f]}
            aria-invalid={bad}
            onChange={(e) => setField(f, e.target.value)}
          />
        ) : (
          <input
            id={id}
            value={form[f]}
            placeholder={PLACEHOLDER[f]}
            aria-invalid={bad}
            onChange={(e) => setField(f, e.target.value)}
          />
        )}
      </div>
    );
  };

  return (
    <section className="panel diagnose" aria-label="diagnose">
      <h2>Diagnose what happened elsewhere</h2>
      <p className="note">
        Paste what another system reported; the doctor explains it, most important first (the same
        as <code>usbcdb doctor</code>). Leave blank what you did not see.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          run();
        }}
      >
        {MAIN.map(field)}
        <details>
          <summary>More of what you saw</summary>
          {MORE.map(field)}
        </details>
        <button type="submit">Diagnose</button>{' '}
        <button type="button" onClick={clear}>
          Clear
        </button>
      </form>
      <div className="note" role="status">
        {report
          ? `${report.diagnoses.length} finding${report.diagnoses.length === 1 ? '' : 's'}${report.diagnoses[0] ? `; first: ${report.diagnoses[0].title.replace(/\.$/, '')}` : ''}.`
          : ''}
      </div>
      {problem && (
        <div className="error" role="alert">
          {problem.message}
        </div>
      )}
      {report && (
        <div className="diagnose-report">
          <h3>What happened</h3>
          <ul aria-label="what happened">
            {report.outcome.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>
          <h3>Diagnosis, most important first</h3>
          {report.diagnoses.length === 0 ? (
            <p>Nothing looks wrong.</p>
          ) : (
            <ol data-testid="diagnose-findings" aria-label="diagnosis">
              {report.diagnoses.map((d) => (
                <li key={d.id} className={`finding severity-${d.severity}`} data-id={d.id}>
                  <strong>
                    [{d.severity}] {d.title}
                  </strong>
                  {d.detail.map((line, i) => (
                    <p key={i}>{line}</p>
                  ))}
                  {d.fix.length > 0 && (
                    <ul className="fix" aria-label="fix">
                      {d.fix.map((line, i) => (
                        <li key={i}>→ {line}</li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </section>
  );
}
