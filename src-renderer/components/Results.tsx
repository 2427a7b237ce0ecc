/**
 * The outcome of the last command: status, sense in words, the doctor's
 * diagnosis, decoded data and hex. A vendor command's answer decodes by its
 * set's response layout, field by field; hovering a decoded row lights its
 * bytes, and clicking a byte marks the vendor field it belongs to.
 */
import { useState } from 'react';
import { diagnose } from '../../shared/doctor/doctor';
import { decodeSense, explainSense } from '../../shared/scsi/sense';
import { decodeResponse } from '../decoders';
import type { Use } from '../store/store';
import { wireBytes } from '../wire-bytes';
import { rowAt } from '../decoded-rows';
import { statusWord } from '../outcome-words';
import { DecodedTree } from './DecodedTree';
import { HexView } from './HexView';

export function Results({ use }: { use: Use }) {
  const outcome = use((s) => s.outcome);
  const sent = use((s) => s.sentCdb);
  const error = use((s) => s.sendError);
  const running = use((s) => s.running);
  const vendorSets = use((s) => s.vendorSets);
  const [hover, setHover] = useState<readonly [number, number] | undefined>();
  const [picked, setPicked] = useState<string | undefined>();
  if (running) return <section className="panel results">Sending…</section>;
  if (error)
    return (
      <section className="panel results">
        <div className="error" role="alert">
          {error}
        </div>
      </section>
    );
  if (!outcome || !sent)
    return (
      <section className="panel results">Send a command to see what the device answers.</section>
    );
  const data = wireBytes(outcome.dataIn);
  const sense = outcome.sense ? wireBytes(outcome.sense) : undefined;
  const decodedSense = sense ? decodeSense(sense) : undefined;
  const explanation = decodedSense?.ok
    ? explainSense(decodedSense.value, { cdb: sent })
    : undefined;
  const decoded = outcome.status === 0 ? decodeResponse(sent, data, vendorSets) : undefined;
  const tree = decoded?.tree;
  const failed = outcome.status !== 0;
  const report = failed
    ? diagnose({
        cdb: sent,
        ...(outcome.status !== null ? { status: outcome.status } : {}),
        ...(sense ? { sense } : {}),
        residue: outcome.residue,
      })
    : undefined;
  return (
    <section className="panel results" aria-label="results">
      <h2 data-testid="status">{statusWord(outcome)}</h2>
      {outcome.transportError && (
        <div className="error" role="alert" data-testid="transport-error">
          {outcome.transportError.message}
        </div>
      )}
      <div>
        {data.length} bytes in · residue {outcome.residue} · {outcome.durationMs.toFixed(2)} ms
      </div>
      {explanation && (
        <div className="sense" data-testid="sense">
          <strong>{explanation.headline}</strong>
          {explanation.details.map((d, i) => (
            <div key={i}>{d}</div>
          ))}
        </div>
      )}
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
      {decoded && tree && (
        <DecodedTree
          rows={tree}
          title={decoded.title}
          picked={picked}
          onHover={setHover}
          testId="decoded"
        />
      )}
      {decoded && !tree && (
        <table className="decoded" aria-label="decoded" data-testid="decoded">
          <caption>{decoded.title}</caption>
          <tbody>
            {decoded.rows.ok ? (
              decoded.rows.value.map((r, i) => (
                <tr
                  key={i}
                  onMouseEnter={() => setHover(r.bytes)}
                  onMouseLeave={() => setHover(undefined)}
                >
                  <td>{r.label}</td>
                  <td>{r.value}</td>
                </tr>
              ))
            ) : (
              <tr>
                <td className="error">{decoded.rows.error.message}</td>
              </tr>
            )}
          </tbody>
        </table>
      )}
      {data.length > 0 && (
        <HexView
          bytes={data}
          highlight={hover}
          label="data-in"
          onPick={tree ? (offset) => setPicked(rowAt(tree, offset)?.key) : undefined}
        />
      )}
      {sense && sense.length > 0 && <HexView bytes={sense} label="sense" />}
    </section>
  );
}
