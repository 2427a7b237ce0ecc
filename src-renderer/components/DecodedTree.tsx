/**
 * A vendor response decoded field by field: one table row per field, fields
 * of a struct or an array record indented under it. Hovering a row reports
 * its bytes (the hex view lights them); `picked` marks the row a click in
 * the hex view landed on.
 */
import type { DecodedRowWire } from '../../shared/ipc/contract';
import type { ByteRange } from '../../shared/hexview';
import { flattenRows, rangeOf } from '../decoded-rows';

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
    <table className="decoded" aria-label="decoded" data-testid={testId}>
      <caption>{title}</caption>
      <tbody>
        {flattenRows(rows).map(({ row, depth }) => {
          const range = rangeOf(row);
          return (
            <tr
              key={row.key}
              data-key={row.key}
              className={[row.key === picked ? 'picked' : '', row.absent ? 'absent' : '']
                .filter(Boolean)
                .join(' ')}
              title={range ? `bytes ${range[0]}–${range[1]}` : undefined}
              onMouseEnter={() => onHover(range)}
              onMouseLeave={() => onHover(undefined)}
            >
              <td style={{ paddingLeft: `${0.3 + depth}em` }}>{row.name}</td>
              <td>{row.value}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
