/** The Probe panel: probe the picked device, answer a real device's question, list the findings. */
import { formatHex } from '../../shared/scsi/hex';
import { selectProbeElsewhere } from '../store/selectors';
import type { Use } from '../store/store';

export function Probe({ use }: { use: Use }) {
  const device = use((s) => s.device);
  const probe = use((s) => s.probe);
  const runProbe = use((s) => s.runProbe);
  const cancelProbe = use((s) => s.cancelProbe);
  const setAll = use((s) => s.setProbeAllFamilies);
  const result = probe.result;
  // Findings of the device picked before: shown as what they are, never as this device's.
  const elsewhere = use(selectProbeElsewhere);
  const waiting = result !== undefined && !result.ran && elsewhere === undefined;
  return (
    <section className={`panel probe${elsewhere ? ' stale' : ''}`} aria-label="probe">
      <h2>Probe</h2>
      <label>
        <input
          type="checkbox"
          checked={probe.allFamilies}
          onChange={(e) => setAll(e.target.checked)}
        />{' '}
        all vendor families
      </label>{' '}
      <button
        type="button"
        disabled={!device || probe.running}
        onClick={() => void runProbe(false)}
      >
        Probe
      </button>
      <div className="note" role="status">
        {probe.running
          ? 'Probing…'
          : result?.ran
            ? `Probe of ${result.device} done: ${result.findings.length} finding${result.findings.length === 1 ? '' : 's'}.`
            : ''}
      </div>
      {elsewhere && (
        <div className="stale-note" role="status" data-testid="probe-stale">
          These are {elsewhere}&apos;s steps and findings: another device is picked. Probe again for
          this one.
        </div>
      )}
      {probe.error && (
        <div className="error" role="alert">
          {probe.error}
        </div>
      )}
      {result && (
        <ol className="probe-steps" aria-label="probe steps">
          {result.steps.map((s) => (
            <li key={s.id}>
              <code>{formatHex(s.cdb)}</code> {s.purpose}
              {s.nonStandard && <strong> (vendor-specific)</strong>} — {s.result}
              {s.result !== 'planned' && `: ${s.note}`}
            </li>
          ))}
        </ol>
      )}
      {waiting && (
        <div className="confirm" role="alertdialog" aria-label="confirm probe">
          <p>{result.confirmation}</p>
          <button type="button" onClick={() => void runProbe(true)}>
            Run the probe
          </button>{' '}
          <button type="button" onClick={cancelProbe}>
            Cancel
          </button>
        </div>
      )}
      {result?.ran && (
        <ul className="probe-findings" aria-label="probe findings">
          {result.findings.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
