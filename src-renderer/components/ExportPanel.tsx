/** The command in the editor as an sg_raw line, a DriverKit snippet and a JSON preset, ready to copy or save. */
import { useState } from 'react';
import { driverKitSnippet, jsonPreset, sgRawCommand } from '../../shared/export/formats';
import { copyText, download } from '../download';
import type { Use } from '../store/store';

export function ExportPanel({ use }: { use: Use }) {
  const cdb = use((s) => s.cdb);
  const direction = use((s) => s.direction);
  const transferLength = use((s) => s.transferLength);
  const lun = use((s) => s.lun);
  const dataOut = use((s) => s.dataOut);
  const [message, setMessage] = useState<string | undefined>();
  if (cdb.length === 0) return null;
  const c = { cdb, direction, transferLength, lun, dataOut };
  const formats = [
    { id: 'sg-raw', title: 'sg_raw', text: sgRawCommand(c), file: 'command.sh' },
    { id: 'driverkit', title: 'DriverKit (C++)', text: driverKitSnippet(c), file: 'command.cpp' },
    { id: 'json', title: 'JSON preset', text: jsonPreset(c), file: 'usbcdb-preset.json' },
  ];
  return (
    <details className="panel export" aria-label="export">
      <summary>Export as sg_raw, DriverKit or a JSON preset</summary>
      {message && <div className="note">{message}</div>}
      {formats.map((f) => (
        <div key={f.id}>
          <h3>
            {f.title}{' '}
            <button
              type="button"
              onClick={() =>
                void copyText(f.text).then((m) => setMessage(m ?? `Copied ${f.title}.`))
              }
            >
              Copy
            </button>
            <button type="button" onClick={() => download(f.file, f.text, 'text/plain')}>
              Save
            </button>
          </h3>
          <pre data-testid={`export-${f.id}`}>{f.text}</pre>
        </div>
      ))}
    </details>
  );
}
