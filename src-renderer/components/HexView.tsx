/**
 * A hex dump that stays responsive for large buffers: offset, 16 bytes and
 * fixed-width ASCII per row, only the rows in view drawn (the scrollbar is
 * scaled past the browser's height limit, so 64 MiB scrolls end to end).
 *
 * Select by click, shift-click or drag (in either column; the drag keeps
 * going outside the box), or from the keyboard: arrows, shift+arrows,
 * Home/End (row), Ctrl+Home/Ctrl+End (data), PageUp/PageDown, Ctrl+A (all);
 * Ctrl+C copies as "Copy hex" does. The inspector reads the bytes at the selection's start; search finds hex bytes or text
 * and marks every match; go-to takes 4096, 0x1000 or 1000h.
 *
 * From the parent: `highlight` lights the bytes of a hovered decoded field,
 * `field` names (and outlines) the field a click landed on, `changed` marks a
 * diff's bytes, `arrived` says how many bytes really arrived when the
 * device's residue claims more (the rest are marked "not arrived"), and
 * `onPick` hears which byte a click or a key moved to.
 */
import { useId, useRef, useState } from 'react';
import { describeSearch, findAll, inMatch, parsePattern, stepMatch } from '../../shared/hex-search';
import type { SearchMode, SearchResult } from '../../shared/hex-search';
import {
  BYTES_PER_ROW,
  byteSize,
  copyAs,
  cursorTarget,
  inRanges,
  parseOffset,
  rowWindow,
  scrollTopFor,
  topRow,
  type ByteRange,
  type CopyFormat,
} from '../../shared/hexview';
import { inspect, inspectionRows } from '../../shared/inspect';
import { copyText, download } from '../download';
import { OWN_TEXT_BOXES } from '../keys';

const ROW_HEIGHT = 18;
const VIEW_HEIGHT = 288;
const PAGE_ROWS = VIEW_HEIGHT / ROW_HEIGHT;

function hex2(b: number): string {
  return b.toString(16).padStart(2, '0');
}

function hexOffset(n: number): string {
  return `0x${n.toString(16).padStart(4, '0')}`;
}

/** The offset a cell under the pointer stands for, in either column of this view. */
function offsetOf(el: Element | null, box: HTMLElement | null): number | undefined {
  const cell = el?.closest<HTMLElement>('[data-offset],[data-ascii-offset]');
  if (!cell || !box?.contains(cell)) return undefined;
  const v = Number(cell.dataset['offset'] ?? cell.dataset['asciiOffset']);
  return Number.isInteger(v) ? v : undefined;
}

function Inspector({
  bytes,
  range,
  field,
}: {
  bytes: Uint8Array;
  range: ByteRange;
  field: string | undefined;
}) {
  const reading = inspect(bytes, range[0], range[1] - range[0] + 1);
  return (
    <div className="inspector">
      {field !== undefined && (
        <div className="inspector-field">
          field <strong data-testid="inspector-field">{field}</strong>
        </div>
      )}
      <table className="interpretation" data-testid="interpretation">
        <caption>
          bytes {range[0]}–{range[1]} (0x{range[0].toString(16)}–0x{range[1].toString(16)}),{' '}
          {reading.length} selected
        </caption>
        <thead>
          <tr>
            <th scope="col">read as</th>
            <th scope="col">decimal / text</th>
            <th scope="col">hex</th>
          </tr>
        </thead>
        <tbody>
          {inspectionRows(reading).map((r) => (
            <tr key={r.label} data-reading={r.label}>
              <th scope="row">{r.label}</th>
              <td>{r.decimal}</td>
              <td>{r.hex}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface Search {
  readonly text: string;
  readonly mode: SearchMode;
  readonly bytes: Uint8Array;
  readonly result: SearchResult;
}

export function HexView({
  bytes,
  highlight,
  field,
  changed,
  arrived,
  label,
  onPick,
}: {
  bytes: Uint8Array;
  highlight?: ByteRange | undefined;
  field?: { readonly name: string; readonly range?: ByteRange | undefined } | undefined;
  changed?: readonly ByteRange[] | undefined;
  /** Bytes from the start that really arrived; the rest are marked as not arrived. */
  arrived?: number | undefined;
  label: string;
  onPick?: ((offset: number) => void) | undefined;
}) {
  const id = useId();
  const [scrollTop, setScrollTop] = useState(0);
  const [anchor, setAnchor] = useState<number | undefined>();
  const [cursor, setCursor] = useState<number | undefined>();
  const [message, setMessage] = useState<string | undefined>();
  const [query, setQuery] = useState('');
  const [mode, setMode] = useState<SearchMode>('hex');
  const [search, setSearch] = useState<Search | undefined>();
  const [current, setCurrent] = useState<number | undefined>();
  const [searchProblem, setSearchProblem] = useState<string | undefined>();
  const [goto, setGoto] = useState('');
  const [gotoProblem, setGotoProblem] = useState<string | undefined>();
  const box = useRef<HTMLDivElement>(null);
  const dragging = useRef(false);

  const length = bytes.length;
  const rowCount = Math.ceil(length / BYTES_PER_ROW);
  const viewHeight = Math.min(VIEW_HEIGHT, rowCount * ROW_HEIGHT + 2);
  const { first, last, contentHeight, shift } = rowWindow(
    length,
    scrollTop,
    viewHeight,
    ROW_HEIGHT,
  );
  const selection: ByteRange | undefined =
    anchor !== undefined && cursor !== undefined && cursor < length && anchor < length
      ? [Math.min(anchor, cursor), Math.max(anchor, cursor)]
      : undefined;
  const selected = selection ? bytes.subarray(selection[0], selection[1] + 1) : bytes;
  // A search of other bytes (the parent's data changed) marks nothing.
  const matches = search && search.bytes === bytes ? search.result : undefined;
  const currentMatch = matches && current !== undefined ? matches.offsets[current] : undefined;
  const missing = arrived !== undefined && arrived < length ? Math.max(0, arrived) : undefined;

  const scrollTo = (row: number): void => {
    const el = box.current;
    if (!el) return;
    const top = topRow(length, el.scrollTop, viewHeight, ROW_HEIGHT);
    if (row >= top && row < top + Math.floor(viewHeight / ROW_HEIGHT)) return;
    el.scrollTop = scrollTopFor(length, row - Math.floor(PAGE_ROWS / 2), viewHeight, ROW_HEIGHT);
    // Not every environment fires a scroll event for a programmatic scroll.
    setScrollTop(el.scrollTop);
  };
  const pick = (i: number, extend: boolean): void => {
    // Extending with nothing selected starts where the cursor stood (byte 0 before any), as a text field does.
    if (!extend) setAnchor(i);
    else if (anchor === undefined) setAnchor(cursor ?? 0);
    setCursor(i);
    onPick?.(i);
    scrollTo(Math.floor(i / BYTES_PER_ROW));
  };
  const selectRange = (from: number, to: number): void => {
    setAnchor(to);
    setCursor(from);
    onPick?.(from);
    scrollTo(Math.floor(from / BYTES_PER_ROW));
  };

  /**
   * Ctrl (⌘) and a letter, as a hex editor takes them: the browser's own would select the page's
   * text, or copy a text selection the view never makes (see onPointerDown).
   */
  const MOD_KEYS: Readonly<Record<string, () => void>> = {
    a: () => {
      setAnchor(0);
      setCursor(length - 1);
    },
    c: () => void copy('hex'),
  };

  const onKey = (e: React.KeyboardEvent): void => {
    const modKey = e.ctrlKey || e.metaKey ? MOD_KEYS[e.key.toLowerCase()] : undefined;
    if (modKey && !e.altKey) {
      e.preventDefault();
      modKey();
      return;
    }
    const to = cursorTarget(
      { key: e.key, ctrl: e.ctrlKey || e.metaKey },
      cursor ?? 0,
      length,
      PAGE_ROWS,
    );
    if (to === undefined) return;
    e.preventDefault();
    pick(to, e.shiftKey);
  };

  const onPointerDown = (e: React.PointerEvent): void => {
    if (e.button !== 0) return;
    const i = offsetOf(e.target as Element, box.current);
    if (i === undefined) return;
    // Prevents the browser's own text selection and its compatibility mousedown (handled below for other sources).
    e.preventDefault();
    box.current?.focus();
    box.current?.setPointerCapture(e.pointerId);
    dragging.current = true;
    pick(i, e.shiftKey);
  };
  const onPointerMove = (e: React.PointerEvent): void => {
    if (!dragging.current || cursor === undefined) return;
    // Under pointer capture the target is the box itself: ask what lies under the pointer.
    const under = document.elementFromPoint(e.clientX, e.clientY) ?? (e.target as Element);
    let i = offsetOf(under, box.current) ?? offsetOf(e.target as Element, box.current);
    const rect = box.current?.getBoundingClientRect();
    if (i === undefined && rect && rect.height > 0) {
      // Above or below the box: keep extending a row at a time, scrolling as it goes.
      if (e.clientY < rect.top) i = Math.max(0, cursor - BYTES_PER_ROW);
      else if (e.clientY > rect.bottom) i = Math.min(length - 1, cursor + BYTES_PER_ROW);
    }
    if (i === undefined || i === cursor) return;
    setCursor(i);
    scrollTo(Math.floor(i / BYTES_PER_ROW));
  };
  const endDrag = (e: React.PointerEvent): void => {
    if (!dragging.current) return;
    dragging.current = false;
    if (box.current?.hasPointerCapture(e.pointerId)) box.current.releasePointerCapture(e.pointerId);
  };

  const runSearch = (direction: 1 | -1): void => {
    const pattern = parsePattern(query, mode);
    if (!pattern.ok) {
      setSearchProblem(pattern.error.message);
      return;
    }
    setSearchProblem(undefined);
    let s = search;
    const fresh = !s || s.text !== query || s.mode !== mode || s.bytes !== bytes;
    if (!s || fresh) {
      s = { text: query, mode, bytes, result: findAll(bytes, pattern.value) };
      setSearch(s);
    }
    // Steps go from the selection's start; a fresh search going forward takes a match right there first.
    const from = selection?.[0];
    const k = stepMatch(
      s.result.offsets,
      fresh && direction === 1 && from !== undefined ? from - 1 : from,
      direction,
    );
    setCurrent(k);
    const at = k === undefined ? undefined : s.result.offsets[k];
    if (at !== undefined) selectRange(at, at + s.result.patternLength - 1);
  };

  const goTo = (): void => {
    const r = parseOffset(goto, length);
    if (!r.ok) {
      setGotoProblem(r.error.message);
      return;
    }
    setGotoProblem(undefined);
    pick(r.value, false);
    box.current?.focus();
  };

  const copy = async (format: CopyFormat): Promise<void> => {
    const problem = await copyText(copyAs(selected, format));
    setMessage(problem ?? `Copied ${byteSize(selected.length)} as ${format}.`);
  };

  const classOf = (i: number, base: string): string => {
    const c = [base];
    if (highlight && inRanges([highlight], i)) c.push('lit');
    if (field?.range && inRanges([field.range], i)) c.push('field');
    if (selection && inRanges([selection], i)) c.push('sel');
    if (changed && inRanges(changed, i)) c.push('changed');
    if (matches && inMatch(matches.offsets, matches.patternLength, i)) {
      c.push('match');
      if (
        currentMatch !== undefined &&
        i >= currentMatch &&
        i < currentMatch + matches.patternLength
      )
        c.push('current');
    }
    if (missing !== undefined && i >= missing) c.push('missing');
    if (i === cursor) c.push('cursor');
    return c.join(' ');
  };

  const rows: number[] = [];
  for (let r = first; r <= last && r < rowCount; r++) rows.push(r);
  const cellId = (i: number): string => `${id}-b${i}`;
  const cursorRow = cursor === undefined ? -1 : Math.floor(cursor / BYTES_PER_ROW);
  const cursorDrawn = cursorRow >= first && cursorRow <= last;
  const noteId = `${id}-missing`;
  // Six digits up to 16 MiB, more beyond, the same on every row so the columns line up.
  const offsetDigits = Math.max(6, Math.max(0, length - 1).toString(16).length);
  return (
    <div
      className="hexview"
      role="group"
      aria-label={label}
      data-testid={`hex-${label}`}
      {...{ [OWN_TEXT_BOXES]: true }}
    >
      <div className="hex-tools">
        <span className="hex-size" title={`${length} bytes`}>
          {label}: {byteSize(length)}
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
              // The button goes with the selection: focus stays in the view, not on the page's body.
              box.current?.focus();
            }}
          >
            Clear selection
          </button>
        )}
      </div>
      <div className="note" role="status">
        {message}
      </div>
      <div className="hex-find">
        <form
          role="search"
          aria-label={`search ${label}`}
          onSubmit={(e) => {
            e.preventDefault();
            runSearch(1);
          }}
        >
          <select
            aria-label={`search ${label} as`}
            value={mode}
            onChange={(e) => setMode(e.target.value === 'text' ? 'text' : 'hex')}
          >
            <option value="hex">hex</option>
            <option value="text">text</option>
          </select>
          <input
            aria-label={`find in ${label}`}
            placeholder={mode === 'hex' ? 'de ad be ef' : 'text'}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && e.shiftKey) {
                e.preventDefault();
                runSearch(-1);
              }
            }}
          />
          <button
            type="button"
            aria-label={`previous match in ${label}`}
            onClick={() => runSearch(-1)}
          >
            Previous
          </button>
          <button type="submit" aria-label={`next match in ${label}`}>
            Next
          </button>
          <span className="hex-found" role="status" data-testid={`found-${label}`}>
            {searchProblem ??
              (matches
                ? `${describeSearch(matches)}${current !== undefined ? ` · ${current + 1} of ${matches.offsets.length}` : ''}`
                : '')}
          </span>
        </form>
        <form
          aria-label={`go to an offset of ${label}`}
          onSubmit={(e) => {
            e.preventDefault();
            goTo();
          }}
        >
          <input
            aria-label={`offset to go to in ${label}`}
            placeholder="0x1000"
            value={goto}
            onChange={(e) => setGoto(e.target.value)}
          />
          <button type="submit" aria-label={`go to offset in ${label}`}>
            Go
          </button>
          {gotoProblem && (
            <span className="error" role="alert">
              {gotoProblem}
            </span>
          )}
        </form>
      </div>
      {missing !== undefined && (
        <div className="hex-missing-note" id={noteId} data-testid={`missing-${label}`}>
          Only {byteSize(missing)} of {byteSize(length)} arrived: bytes {hexOffset(missing)}–
          {hexOffset(length - 1)} are marked as not arrived.
        </div>
      )}
      <div
        ref={box}
        className="hex"
        role="grid"
        aria-label={label}
        aria-rowcount={rowCount}
        aria-colcount={BYTES_PER_ROW + 1}
        aria-multiselectable="true"
        aria-describedby={missing !== undefined ? noteId : undefined}
        aria-activedescendant={
          cursorDrawn && cursor !== undefined && cursor < length ? cellId(cursor) : undefined
        }
        tabIndex={0}
        data-hex-focus
        style={{ height: viewHeight }}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        onKeyDown={onKey}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={endDrag}
        onPointerCancel={endDrag}
        onMouseDown={(e) => {
          // Reached only when no pointerdown came first (pointerdown cancels the compatibility mousedown).
          const i = offsetOf(e.target as Element, box.current);
          if (i === undefined || e.button !== 0) return;
          e.preventDefault();
          box.current?.focus();
          pick(i, e.shiftKey);
        }}
      >
        <div role="presentation" style={{ height: contentHeight, position: 'relative' }}>
          {rows.map((r) => {
            const offset = r * BYTES_PER_ROW;
            const cells = Array.from(bytes.subarray(offset, offset + BYTES_PER_ROW));
            return (
              <div
                key={r}
                role="row"
                aria-rowindex={r + 1}
                className="hex-row"
                style={{ position: 'absolute', top: r * ROW_HEIGHT - shift, height: ROW_HEIGHT }}
              >
                <span role="rowheader" className="hex-offset" aria-label={hexOffset(offset)}>
                  {offset.toString(16).padStart(offsetDigits, '0')}
                </span>
                <span className="hex-bytes" role="presentation">
                  {cells.map((b, i) => {
                    const at = offset + i;
                    const lost = missing !== undefined && at >= missing;
                    return (
                      <span
                        key={i}
                        id={cellId(at)}
                        role="gridcell"
                        // The shown digits are a word of the name (WCAG 2.5.3, label in name).
                        aria-label={`offset ${hexOffset(at)}, byte ${hex2(b)} hex${lost ? ', not arrived' : ''}`}
                        aria-selected={selection !== undefined && inRanges([selection], at)}
                        className={classOf(at, 'hex-byte')}
                        data-offset={at}
                      >
                        {hex2(b)}
                      </span>
                    );
                  })}
                </span>
                <span className="hex-ascii" aria-hidden="true">
                  {cells.map((b, i) => (
                    <span
                      key={i}
                      className={classOf(offset + i, 'hex-char')}
                      data-ascii-offset={offset + i}
                    >
                      {b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.'}
                    </span>
                  ))}
                </span>
              </div>
            );
          })}
        </div>
      </div>
      {selection && <Inspector bytes={bytes} range={selection} field={field?.name} />}
    </div>
  );
}
