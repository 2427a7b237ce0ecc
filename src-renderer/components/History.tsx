/**
 * Every command sent in this session: time, device, CDB, status; re-run one,
 * tick two to see where their responses differ, export the session as a trace.
 */
import { diffRanges, type ByteRange } from '../../shared/hexview';
import { formatHex } from '../../shared/scsi/hex';
import { download } from '../download';
import { statusWord } from '../outcome-words';
import { wireBytes } from '../wire-bytes';
import type { HistoryEntry, Use } from '../store/store';
import { HexView } from './HexView';

function rangesText(ranges: readonly ByteRange[]): string {
  const shown = ranges
    .slice(0, 8)
    .map(([a, b]) => (a === b ? `${a}` : `${a}–${b}`))
    .join(', ');
  return ranges.length > 8 ? `${shown} and ${ranges.length - 8} more` : shown;
}

function Diff({ a, b, ia, ib }: { a: HistoryEntry; b: HistoryEntry; ia: number; ib: number }) {
  const parts: { label: string; x: Uint8Array; y: Uint8Array }[] = [
    { label: 'data-in', x: wireBytes(a.outcome.dataIn), y: wireBytes(b.outcome.dataIn) },
    { label: 'sense', x: wireBytes(a.outcome.sense), y: wireBytes(b.outcome.sense) },
  ];
  return (
    <div className="diff" data-testid="diff">
      <h3>
        #{ia + 1} vs #{ib + 1}: {statusWord(a.outcome)} / {statusWord(b.outcome)}
      </h3>
      {parts
        .filter((p) => p.x.length > 0 || p.y.length > 0)
        .map((p) => {
          const d = diffRanges(p.x, p.y);
          return (
            <div key={p.label}>
              <div data-testid={`diff-${p.label}`}>
                {p.label}: {p.x.length} vs {p.y.length} bytes —{' '}
                {d.length === 0 ? 'identical' : `differ at bytes ${rangesText(d)}`}
              </div>
              {d.length > 0 && (
                <>
                  <HexView bytes={p.x} changed={d} label={`#${ia + 1} ${p.label}`} />
                  <HexView bytes={p.y} changed={d} label={`#${ib + 1} ${p.label}`} />
                </>
              )}
            </div>
          );
        })}
    </div>
  );
}

export function History({ use }: { use: Use }) {
  const history = use((s) => s.history);
  const rerun = use((s) => s.rerun);
  const exportTrace = use((s) => s.exportTrace);
  const captureBytes = use((s) => s.captureBytes);
  const compare = use((s) => s.compare);
  const toggleCompare = use((s) => s.toggleCompare);
  const error = use((s) => s.historyError);
  if (history.length === 0) return null;
  const [ia, ib] = compare;
  const a = ia !== undefined ? history[ia] : undefined;
  const b = ib !== undefined ? history[ib] : undefined;
  return (
    <section className="panel history" aria-label="history">
      <h2>History</h2>
      <button
        type="button"
        onClick={() => {
          const text = exportTrace();
          if (text !== undefined) download('usbcdb-session.jsonl', text, 'application/x-ndjson');
        }}
      >
        Export this device's session as a trace
      </button>{' '}
      <button
        type="button"
        onClick={() =>
          void captureBytes().then((bytes) => {
            if (bytes) download('usbcdb-session.pcap', bytes, 'application/vnd.tcpdump.pcap');
          })
        }
      >
        Save the USB capture (pcap)
      </button>
      {error && (
        <div className="error" role="alert">
          {error}
        </div>
      )}
      <ol className="history-list" aria-label="commands sent">
        {history.map((h, i) => (
          <li key={i} data-testid={`history-${i}`}>
            <input
              type="checkbox"
              aria-label={`compare #${i + 1}`}
              checked={compare.includes(i)}
              onChange={() => toggleCompare(i)}
            />
            <span>#{i + 1}</span>
            <span>{h.time.slice(11, 19)}</span>
            <span>
              <code>{formatHex(h.cdb)}</code>
              {h.lun !== 0 && ` LUN ${h.lun}`} <strong>{statusWord(h.outcome)}</strong>
            </span>
            <button type="button" aria-label={`Re-run #${i + 1}`} onClick={() => void rerun(i)}>
              Re-run
            </button>
            <span className="device">
              <code>{h.device}</code>
            </span>
            {h.kept && <span className="kept note">Kept across the reload: {h.kept}</span>}
          </li>
        ))}
      </ol>
      {a && b && ia !== undefined && ib !== undefined ? (
        <Diff a={a} b={b} ia={ia} ib={ib} />
      ) : (
        <div className="note">Tick two entries to compare their responses.</div>
      )}
    </section>
  );
}
