/** A hex dump: offset, 16 bytes, ASCII; the highlighted range comes from a hovered decoded field. */
import { useMemo } from 'react';

export function HexView({
  bytes,
  highlight,
  label,
}: {
  bytes: Uint8Array;
  highlight?: readonly [number, number] | undefined;
  label: string;
}) {
  const rows = useMemo(() => {
    const out: { offset: number; cells: number[] }[] = [];
    for (let off = 0; off < bytes.length; off += 16)
      out.push({ offset: off, cells: Array.from(bytes.subarray(off, off + 16)) });
    return out;
  }, [bytes]);
  const lit = (i: number): boolean =>
    highlight !== undefined && i >= highlight[0] && i <= highlight[1];
  return (
    <div className="hex" aria-label={label} data-testid={`hex-${label}`}>
      {rows.map((r) => (
        <div key={r.offset} className="hex-row">
          <span className="hex-offset">{r.offset.toString(16).padStart(4, '0')}</span>
          <span className="hex-bytes">
            {r.cells.map((b, i) => (
              <span key={i} className={lit(r.offset + i) ? 'hex-byte lit' : 'hex-byte'}>
                {b.toString(16).padStart(2, '0')}
              </span>
            ))}
          </span>
          <span className="hex-ascii">
            {r.cells.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('')}
          </span>
        </div>
      ))}
    </div>
  );
}
