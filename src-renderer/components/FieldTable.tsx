/**
 * A standard parser's answer as a table: one row per field (label, value).
 * Hovering a row reports its bytes (the hex view lights them); `picked` is
 * the row a click in the hex view landed on, marked and scrolled into view.
 */
import type { ByteRange } from '../../shared/hexview';
import type { FieldRow } from '../../shared/scsi/parsers/describe';
import type { Result } from '../../shared/scsi/result';
import { DecodedRow, DecodedTable } from './DecodedTable';

export function FieldTable({
  rows,
  title,
  picked,
  onHover,
  testId,
}: {
  rows: Result<FieldRow[]>;
  title: string;
  picked?: number | undefined;
  onHover: (range: ByteRange | undefined) => void;
  testId: string;
}) {
  return (
    <DecodedTable title={title} testId={testId} picked={picked}>
      {rows.ok ? (
        rows.value.map((r, i) => (
          <DecodedRow key={i} bytes={r.bytes} picked={i === picked} onHover={onHover}>
            <td>{r.label}</td>
            <td>{r.value}</td>
          </DecodedRow>
        ))
      ) : (
        <tr>
          <td className="error">{rows.error.message}</td>
        </tr>
      )}
    </DecodedTable>
  );
}
