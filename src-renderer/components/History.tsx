/** Every command sent in this session: time, device, CDB, status; click to run it again. */
import { formatHex } from '../../shared/scsi/hex';
import type { State } from '../store/store';

type Use = <T>(pick: (s: State) => T) => T;

export function History({ use }: { use: Use }) {
  const history = use((s) => s.history);
  const rerun = use((s) => s.rerun);
  const exportTrace = use((s) => s.exportTrace);
  if (history.length === 0) return null;
  const download = (): void => {
    const text = exportTrace();
    if (text === undefined) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([text], { type: 'application/x-ndjson' }));
    a.download = 'usbcdb-session.jsonl';
    a.click();
  };
  return (
    <section className="panel history" aria-label="history">
      <h2>History</h2>
      <button type="button" onClick={download}>
        Export this device's session as a trace
      </button>
      <table>
        <tbody>
          {history.map((h, i) => (
            <tr key={i} data-testid={`history-${i}`}>
              <td>{h.time.slice(11, 19)}</td>
              <td>
                <code>{h.device}</code>
              </td>
              <td>
                <code>{formatHex(h.cdb)}</code>
              </td>
              <td>
                {h.outcome.transportError
                  ? h.outcome.transportError.kind
                  : h.outcome.status === 0
                    ? 'GOOD'
                    : 'CHECK CONDITION'}
              </td>
              <td>
                <button type="button" onClick={() => void rerun(i)}>
                  Re-run
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
