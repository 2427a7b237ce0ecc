/** Text rendering of parser rows: label, value, and the bytes it came from. */
import type { FieldRow } from '../../../shared/scsi/parsers';

export function renderRows(rows: readonly FieldRow[]): string {
  const width = Math.max(0, ...rows.map((x) => x.label.length));
  return rows
    .map((x) => {
      const at =
        x.bytes[0] === x.bytes[1] ? `byte ${x.bytes[0]}` : `bytes ${x.bytes[0]}–${x.bytes[1]}`;
      return `${x.label.padEnd(width)}  ${x.value}  [${at}]`;
    })
    .join('\n');
}
