/**
 * A hex dump that stays responsive for large buffers: offset, 16 bytes and
 * ASCII per row, only the rows in view are drawn. Click or drag to select
 * (shift-click extends, arrow keys move, shift+arrows extend); the selection
 * is shown as integers and text and can be copied or saved. `highlight` comes
 * from a hovered decoded field, `changed` from a diff; `onPick` hears which
 * byte a click or a cursor key moved to (a decoded view marks its field).
 */
import { useRef, useState } from 'react';
import {
  BYTES_PER_ROW,
  copyAs,
  inRanges,
  interpret,
  visibleRows,
  type ByteRange,
  type CopyFormat,
} from '../../shared/hexview';
import { copyText, download } from '../download';

const ROW_HEIGHT = 18;
/** Where the cursor keys move the selection's end, in bytes. */
const MOVES: Readonly<Record<string, number>> = {
  ArrowLeft: -1,
  ArrowRight: 1,
  ArrowUp: -BYTES_PER_ROW,
  ArrowDown: BYTES_PER_ROW,
  PageUp: -16 * BYTES_PER_ROW,
  PageDown: 16 * BYTES_PER_ROW,
};
const VIEW_HEIGHT = 288;

function hex2(b: number): string {
  return b.toString(16).padStart(2, '0');
}

function Interpretation({ bytes, range }: { bytes: Uint8Array; range: ByteRange }) {
  const v = interpret(bytes.subarray(range[0], range[1] + 1));
  const rows: [string, string | undefined][] = [
    ['u8', v.u8?.toString()],
    ['u16 BE / LE', v.be16 !== undefined ? `${v.be16} / ${v.le16}` : undefined],
    ['u32 BE / LE', v.be32 !== undefined ? `${v.be32} / ${v.le32}` : undefined],
    ['u64 BE / LE', v.be64 !== undefined ? `${v.be64} / ${v.le64}` : undefined],
    ['text', JSON.stringify(v.ascii.length > 64 ? `${v.ascii.slice(0, 64)}…` : v.ascii)],
  ];
  return (
    <table className="interpretation" data-testid="interpretation">
      <caption>
        bytes {range[0]}–{range[1]} (0x{range[0].toString(16)}–0x{range[1].toString(16)}),{' '}
        {v.length} selected
      </caption>
      <tbody>
        {rows
          .filter((r): r is [string, string] => r[1] !== undefined)
          .map(([k, val]) => (
            <tr key={k}>
              <th>{k}</th>
              <td>{val}</td>
            </tr>
          ))}
      </tbody>
    </table>
  );
}

export function HexView({
  bytes,
  highlight,
  changed,
  label,
  onPick,
}: {
  bytes: Uint8Array;
  highlight?: ByteRange | undefined;
  changed?: readonly ByteRange[] | undefined;
  label: string;
  onPick?: ((offset: number) => void) | undefined;
}) {
  const [scrollTop, setScrollTop] = useState(0);
  const [anchor, setAnchor] = useState<number | undefined>();
  const [cursor, setCursor] = useState<number | undefined>();
  const [dragging, setDragging] = useState(false);
  const [message, setMessage] = useState<string | undefined>();
  const box = useRef<HTMLDivElement>(null);
  const rowCount = Math.ceil(bytes.length / BYTES_PER_ROW);
  const { first, last } = visibleRows(bytes.length, scrollTop, VIEW_HEIGHT, ROW_HEIGHT);
  const selection: ByteRange | undefined =
    anchor !== undefined && cursor !== undefined
      ? [Math.min(anchor, cursor), Math.max(anchor, cursor)]
      : undefined;
  const selected = selection ? bytes.subarray(selection[0], selection[1] + 1) : bytes;
  const inSel = (i: number): boolean => selection !== undefined && inRanges([selection], i);
  const cls = (i: number): string =>
    [
      'hex-byte',
      highlight && inRanges([highlight], i) ? 'lit' : '',
      inSel(i) ? 'sel' : '',
      changed && inRanges(changed, i) ? 'changed' : '',
    ]
      .filter(Boolean)
      .join(' ');
  const pick = (i: number, extend: boolean): void => {
    if (!extend || anchor === undefined) setAnchor(i);
    setCursor(i);
    onPick?.(i);
    // Keep the cursor's row in view.
    const el = box.current;
    const row = Math.floor(i / BYTES_PER_ROW);
    if (
      el &&
      (row * ROW_HEIGHT < el.scrollTop || (row + 1) * ROW_HEIGHT > el.scrollTop + VIEW_HEIGHT)
    )
      el.scrollTop = Math.max(0, row * ROW_HEIGHT - VIEW_HEIGHT / 2);
  };
  const onKey = (e: React.KeyboardEvent): void => {
    const step = MOVES[e.key];
    if (step === undefined || bytes.length === 0) return;
    e.preventDefault();
    const from = cursor ?? 0;
    pick(Math.min(bytes.length - 1, Math.max(0, from + step)), e.shiftKey);
  };
  const copy = async (format: CopyFormat): Promise<void> => {
    const problem = await copyText(copyAs(selected, format));
    setMessage(problem ?? `Copied ${selected.length} bytes as ${format}.`);
  };
  const rows: number[] = [];
  for (let r = first; r <= last && r < rowCount; r++) rows.push(r);
  return (
    <div className="hexview" data-testid={`hex-${label}`}>
      <div className="hex-tools">
        <span>
          {label}: {bytes.length} bytes
        </span>{' '}
        <button type="button" onClick={() => void copy('hex')}>
          Copy hex
        </button>
        <button type="button" onClick={() => void copy('c')}>
          Copy C
        </button>
        <button type="button" onClick={() => void copy('base64')}>
          Copy base64
        </button>
        <button
          type="button"
          onClick={() => download(`${label}.bin`, selected, 'application/octet-stream')}
        >
          Save
        </button>
        {selection && (
          <button
            type="button"
            onClick={() => {
              setAnchor(undefined);
              setCursor(undefined);
            }}
          >
            Clear selection
          </button>
        )}
      </div>
      {message && <div className="note">{message}</div>}
      <div
        ref={box}
        className="hex"
        role="grid"
        aria-label={label}
        tabIndex={0}
        data-hex-focus
        style={{ height: Math.min(VIEW_HEIGHT, rowCount * ROW_HEIGHT + 2) }}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        onKeyDown={onKey}
        onMouseUp={() => setDragging(false)}
        onMouseLeave={() => setDragging(false)}
      >
        <div style={{ height: rowCount * ROW_HEIGHT, position: 'relative' }}>
          {rows.map((r) => {
            const offset = r * BYTES_PER_ROW;
            const cells = Array.from(bytes.subarray(offset, offset + BYTES_PER_ROW));
            return (
              <div
                key={r}
                className="hex-row"
                style={{ position: 'absolute', top: r * ROW_HEIGHT, height: ROW_HEIGHT }}
              >
                <span className="hex-offset">{offset.toString(16).padStart(6, '0')}</span>
                <span className="hex-bytes">
                  {cells.map((b, i) => (
                    <span
                      key={i}
                      className={cls(offset + i)}
                      data-offset={offset + i}
                      onMouseDown={(e) => {
                        e.preventDefault();
                        box.current?.focus();
                        setDragging(true);
                        pick(offset + i, e.shiftKey);
                      }}
                      onMouseEnter={() => {
                        if (dragging) setCursor(offset + i);
                      }}
                    >
                      {hex2(b)}
                    </span>
                  ))}
                </span>
                <span className="hex-ascii">
                  {cells.map((b, i) => (
                    <span key={i} className={inSel(offset + i) ? 'sel' : undefined}>
                      {b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.'}
                    </span>
                  ))}
                </span>
              </div>
            );
          })}
        </div>
      </div>
      {selection && <Interpretation bytes={bytes} range={selection} />}
    </div>
  );
}
