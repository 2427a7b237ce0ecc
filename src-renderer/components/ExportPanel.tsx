/** The command in the editor as an sg_raw line and a DriverKit snippet, ready to copy. */
import { driverKitSnippet, sgRawCommand } from '../../shared/export/formats';
import type { State } from '../store/store';

type Use = <T>(pick: (s: State) => T) => T;

export function ExportPanel({ use }: { use: Use }) {
  const cdb = use((s) => s.cdb);
  const direction = use((s) => s.direction);
  const transferLength = use((s) => s.transferLength);
  const lun = use((s) => s.lun);
  if (cdb.length === 0) return null;
  const c = { cdb, direction, transferLength, lun };
  return (
    <details className="panel export" aria-label="export">
      <summary>Export as sg_raw or DriverKit</summary>
      <pre data-testid="export-sg-raw">{sgRawCommand(c)}</pre>
      <pre data-testid="export-driverkit">{driverKitSnippet(c)}</pre>
    </details>
  );
}
