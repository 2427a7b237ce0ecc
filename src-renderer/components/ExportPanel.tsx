/**
 * The command in the editor as an sg_raw line, a DriverKit snippet and a JSON
 * preset, ready to copy or save; with the lint findings of that command, and
 * the fixed command to export instead when lint can compute one.
 */
import { useState } from 'react';
import { driverKitSnippet, jsonPreset, sgRawCommand } from '../../shared/export/formats';
import { formatHex } from '../../shared/scsi/hex';
import { copyText, download } from '../download';
import type { Use } from '../store/store';
import { selectBlockSize, selectLint } from '../store/selectors';

export function ExportPanel({ use }: { use: Use }) {
  const cdb = use((s) => s.cdb);
  const direction = use((s) => s.direction);
  const transferLength = use((s) => s.transferLength);
  const lun = use((s) => s.lun);
  const dataOut = use((s) => s.dataOut);
  const vendorSets = use((s) => s.vendorSets);
  const block = use(selectBlockSize);
  const report = use(selectLint);
  const [message, setMessage] = useState<string | undefined>();
  const [useFixed, setUseFixed] = useState(false);
  if (cdb.length === 0) return null;
  const fixed = report.corrected;
  const blockSize = block.assumed ? {} : { blockSize: block.bytes };
  const asTyped = { cdb, direction, transferLength, lun, dataOut, ...blockSize };
  const c =
    useFixed && fixed
      ? {
          ...asTyped,
          cdb: fixed.cdb,
          direction: fixed.direction ?? direction,
          transferLength: fixed.transferLength ?? transferLength,
        }
      : asTyped;
  const findings = report.findings.filter((f) => f.severity !== 'info');
  const formats = [
    { id: 'sg-raw', title: 'sg_raw', text: sgRawCommand(c), file: 'command.sh' },
    {
      id: 'driverkit',
      title: 'DriverKit (C++)',
      text: driverKitSnippet(c, vendorSets),
      file: 'command.cpp',
    },
    {
      id: 'json',
      title: 'JSON preset',
      text: jsonPreset(c, vendorSets),
      file: 'usbcdb-preset.json',
    },
  ];
  return (
    <details className="panel export" aria-label="export">
      <summary>Export as sg_raw, DriverKit or a JSON preset</summary>
      {findings.length > 0 && (
        <div className="lint" data-testid="export-lint">
          <strong>Lint of the command in the editor:</strong>
          <ul>
            {findings.map((f, i) => (
              <li key={i} className={`finding ${f.severity}`}>
                <strong>{f.severity}</strong> {f.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {fixed && (
        <label data-testid="export-fixed">
          <input
            type="checkbox"
            checked={useFixed}
            onChange={(e) => setUseFixed(e.target.checked)}
          />{' '}
          Export the fixed command: {formatHex(fixed.cdb)}
          {fixed.transferLength !== undefined
            ? ` with ${fixed.transferLength} bytes ${fixed.direction ?? direction}`
            : ''}{' '}
          ({fixed.steps.join('; ')})
        </label>
      )}
      <div className="note" role="status">
        {message}
      </div>
      {formats.map((f) => (
        <div key={f.id}>
          <h3>
            {f.title}{' '}
            <button
              type="button"
              aria-label={`Copy ${f.title}`}
              onClick={() =>
                void copyText(f.text).then((m) => setMessage(m ?? `Copied ${f.title}.`))
              }
            >
              Copy
            </button>
            <button
              type="button"
              aria-label={`Save ${f.title}`}
              onClick={() => download(f.file, f.text, 'text/plain')}
            >
              Save
            </button>
          </h3>
          <pre data-testid={`export-${f.id}`}>{f.text}</pre>
        </div>
      ))}
    </details>
  );
}
