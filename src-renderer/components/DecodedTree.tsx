/**
 * A vendor response decoded field by field: one table row per field, fields
 * of a struct or an array record indented under it. Hovering a row reports
 * its bytes (the hex view lights them); `picked` marks the row a click in
 * the hex view landed on and scrolls it into view.
 */
import type { DecodedRowWire } from '../../shared/ipc/contract';
import type { ByteRange } from '../../shared/hexview';
import { flattenRows, rangeOf } from '../decoded-rows';
import { DecodedRow, DecodedTable } from './DecodedTable';

export function DecodedTree({
  rows,
  title,
  picked,
  onHover,
  testId,
}: {
  rows: readonly DecodedRowWire[];
  title: string;
  picked?: string | undefined;
  onHover: (range: ByteRange | undefined) => void;
  testId: string;
}) {
  return (
    <DecodedTable title={title} testId={testId} picked={picked}>
      {flattenRows(rows).map(({ row, depth }) => (
        <DecodedRow
          key={row.key}
          dataKey={row.key}
          bytes={rangeOf(row)}
          picked={row.key === picked}
          className={row.absent ? 'absent' : undefined}
          onHover={onHover}
        >
          <td style={{ paddingLeft: `${0.3 + depth}em` }}>{row.name}</td>
          <td>{row.value}</td>
        </DecodedRow>
      ))}
    </DecodedTable>
  );
}
