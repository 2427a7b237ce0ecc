/**
 * The outcome of the last command: status, sense in words, the doctor's
 * diagnosis, decoded data and hex. A vendor command's answer decodes by its
 * set's response layout, field by field; hovering a decoded row lights its
 * bytes, and clicking a byte marks the field it belongs to (the innermost,
 * standard or vendor) and names it beside the hex view's inspector.
 */
import { useState } from 'react';
import { explainSenseFor } from '../../shared/scsi/sense/for-command';
import { decodeResponse } from '../decoders';
import type { State, Use } from '../store/store';
import type { Outcome } from '../store/results';
import { selectDataInCount, selectDiagnosis, selectStale } from '../store/selectors';
import { wireBytes } from '../wire-bytes';
import { rangeOf, rowAt } from '../decoded-rows';
import { innermostRange } from '../../shared/hexview';
import { dataBeforeFailureText, statusWord } from '../outcome-words';
import { dataStageText } from '../../shared/exchange';
import { CHECK_CONDITION } from '../../shared/doctor/driverkit';
import { DecodedTree } from './DecodedTree';
import { FieldTable } from './FieldTable';
import { HexView } from './HexView';
import { SenseText } from './SenseText';

export function Results({ use }: { use: Use }) {
  const outcome = use((s) => s.outcome);
  const sentCommand = use((s) => s.sent);
  const report = use(selectDiagnosis);
  const stale = use(selectStale);
  const count = use(selectDataInCount);
  const error = use((s) => s.sendError);
  const running = use((s) => s.running);
  const vendorSets = use((s) => s.vendorSets);
  // One section in every state, its first child the live region that says what happened, so a
  // screen reader hears "Sending…" and then the status (the region has to exist before it changes).
  const shown =
    !running && !error && outcome && sentCommand ? { outcome, sent: sentCommand } : undefined;
  return (
    <section className={`panel results${shown && stale ? ' stale' : ''}`} aria-label="results">
      {shown && stale && (
        <div className="stale-note" role="status" data-testid="stale">
          {stale}
        </div>
      )}
      <div className="results-summary" role="status">
        {running ? (
          'Sending…'
        ) : error ? null : shown ? (
          <>
            <h2 data-testid="status">{statusWord(shown.outcome)}</h2>
            <div>
              {dataStageText(
                shown.sent.direction,
                shown.sent.dataOut?.length ?? 0,
                wireBytes(shown.outcome.dataIn).length,
              )}{' '}
              · residue {shown.outcome.residue} · {shown.outcome.durationMs.toFixed(2)} ms
            </div>
          </>
        ) : (
          'Send a command to see what the device answers.'
        )}
      </div>
      {!running && error && (
        <div className="error" role="alert">
          {error}
        </div>
      )}
      {shown && (
        <Answer
          outcome={shown.outcome}
          sent={shown.sent.cdb}
          report={report}
          count={count}
          vendorSets={vendorSets}
        />
      )}
    </section>
  );
}

/** The answer below the summary: transport error, residue, sense, diagnosis, decoded data, hex. */
function Answer({
  outcome,
  sent,
  report,
  count,
  vendorSets,
}: {
  outcome: Outcome;
  sent: Uint8Array;
  report: ReturnType<typeof selectDiagnosis>;
  count: ReturnType<typeof selectDataInCount>;
  vendorSets: State['vendorSets'];
}) {
  const [hover, setHover] = useState<readonly [number, number] | undefined>();
  // The byte a click landed on, for the outcome it was clicked in (a new answer forgets it).
  const [pick, setPick] = useState<{ readonly of: unknown; readonly offset: number }>();
  const data = wireBytes(outcome.dataIn);
  const sense = outcome.sense ? wireBytes(outcome.sense) : undefined;
  const read = sense ? explainSenseFor(sense, { cdb: sent, vendorSets }) : undefined;
  const explanation = read?.ok ? read.value.explanation : undefined;
  const decoded = outcome.status === 0 ? decodeResponse(sent, data, vendorSets) : undefined;
  const tree = decoded?.tree;
  const pickedAt = pick?.of === outcome ? pick.offset : undefined;
  const pickedRow = tree && pickedAt !== undefined ? rowAt(tree, pickedAt) : undefined;
  const fieldRows = decoded && !tree && decoded.rows.ok ? decoded.rows.value : undefined;
  const pickedIndex =
    fieldRows && pickedAt !== undefined
      ? innermostRange(
          fieldRows.map((r) => r.bytes),
          pickedAt,
        )
      : undefined;
  const pickedField = pickedIndex !== undefined ? fieldRows?.[pickedIndex] : undefined;
  const field = pickedRow
    ? { name: pickedRow.name, range: rangeOf(pickedRow) }
    : pickedField
      ? { name: pickedField.label, range: pickedField.bytes }
      : undefined;
  return (
    <>
      {outcome.transportError && (
        <div className="error" role="alert" data-testid="transport-error">
          {outcome.transportError.message}
        </div>
      )}
      {count?.residueProblem && (
        <div className="warning" role="alert" data-testid="residue-flag">
          {count.residueProblem}
        </div>
      )}
      {explanation && <SenseText explanation={explanation} testId="sense" />}
      {report && (
        <ol className="diagnosis" data-testid="diagnosis">
          {report.diagnoses.map((d, i) => (
            <li key={i} className={d.severity}>
              <strong>{d.title}</strong>
              {d.fix.map((f, j) => (
                <div key={j}>→ {f}</div>
              ))}
            </li>
          ))}
        </ol>
      )}
      {decoded?.notes.map((n, i) => (
        <div key={i} className="warning" role="note" data-testid="decoded-note">
          {n}
        </div>
      ))}
      {decoded && tree && (
        <DecodedTree
          rows={tree}
          title={decoded.title}
          picked={pickedRow?.key}
          onHover={setHover}
          testId="decoded"
        />
      )}
      {decoded && !tree && (
        <FieldTable
          rows={decoded.rows}
          title={decoded.title}
          picked={pickedIndex}
          onHover={setHover}
          testId="decoded"
        />
      )}
      {data.length > 0 && outcome.status === CHECK_CONDITION && (
        <div className="note" data-testid="data-in-not-answer">
          {dataBeforeFailureText(data.length, read?.ok ? read.value.sense : undefined, sent)}
        </div>
      )}
      {data.length > 0 && (
        <HexView
          bytes={count?.shown ?? data}
          highlight={hover}
          field={field}
          arrived={count?.arrived}
          label="data-in"
          onPick={decoded ? (offset) => setPick({ of: outcome, offset }) : undefined}
        />
      )}
      {sense && sense.length > 0 && <HexView bytes={sense} label="sense" />}
    </>
  );
}
