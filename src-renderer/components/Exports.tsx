/**
 * Exporting an emulated drive to a real kernel from the device picker: a
 * fresh drive of the chosen profile served on loopback over usbredir (QEMU's
 * usb-redir) or USB/IP (usbip attach), with the command that attaches it.
 */
import { useEffect, useState } from 'react';
import type { ExportInfo, Use } from '../store/store';
import { copyText } from '../download';

export function Exports({ use }: { use: Use }) {
  const devices = use((s) => s.devices);
  const exports = use((s) => s.exports);
  const error = use((s) => s.exportsError);
  const load = use((s) => s.loadExports);
  const start = use((s) => s.startExport);
  const stop = use((s) => s.stopExport);
  const profiles = devices.filter((d) => d.kind === 'emu').map((d) => d.id.slice('emu:'.length));
  const [profile, setProfile] = useState('');
  const [transport, setTransport] = useState<ExportInfo['transport']>('usbredir');
  const [note, setNote] = useState<string | undefined>();
  useEffect(() => {
    void load();
  }, [load]);
  const chosen = profile || profiles[0] || '';
  return (
    <section className="exports" aria-label="exports">
      <h3>Export to a VM or Linux host</h3>
      <div className="note">
        A fresh drive of the profile, on this machine's loopback, for a real kernel to use.
      </div>
      <select
        aria-label="export profile"
        value={chosen}
        onChange={(e) => setProfile(e.target.value)}
      >
        {profiles.map((p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </select>{' '}
      <select
        aria-label="export transport"
        value={transport}
        onChange={(e) => setTransport(e.target.value === 'usbip' ? 'usbip' : 'usbredir')}
      >
        <option value="usbredir">usbredir (QEMU)</option>
        <option value="usbip">USB/IP</option>
      </select>{' '}
      <button type="button" disabled={!chosen} onClick={() => void start(chosen, transport)}>
        Start export
      </button>
      {error && (
        <div className="error" role="alert">
          {error}
        </div>
      )}
      <div className="note" role="status">
        {note}
      </div>
      <ul>
        {exports.map((x) => (
          <li key={x.id} data-testid={`export-${x.id}`}>
            <code>{x.profile}</code> over {x.transport} on {x.host}:{x.port}{' '}
            <button
              type="button"
              aria-label={`Stop the export of ${x.profile} on port ${x.port}`}
              onClick={() => void stop(x.id)}
            >
              Stop
            </button>
            <pre className="attach">{x.attach}</pre>
            <button
              type="button"
              aria-label={`Copy the attach command of ${x.profile} on port ${x.port}`}
              onClick={() => void copyText(x.attach).then((m) => setNote(m ?? 'Copied.'))}
            >
              Copy the attach command
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
