/**
 * A hex viewer's arithmetic: copy formats, which rows are in view, where a
 * key moves the cursor, offsets typed by a person, sizes read by one, and
 * ranges of changed bytes. Pure functions so the renderer only renders them
 * (the inspector lives in inspect.ts, search in hex-search.ts).
 */
import { formatHex } from './scsi/hex';
import { numberTextValue } from './scsi/number-text';
import { err, ok, problem, type Result } from './scsi/result';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** RFC 4648 base64, without Node's Buffer or the browser's btoa so it runs in both. */
export function base64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += B64[(n >> 18) & 63];
    out += B64[(n >> 12) & 63];
    out += b === undefined ? '=' : B64[(n >> 6) & 63];
    out += c === undefined ? '=' : B64[n & 63];
  }
  return out;
}

/** A C array initialiser, 12 bytes a line. */
export function cArray(bytes: Uint8Array, name = 'data'): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 12)
    lines.push(
      '  ' +
        Array.from(bytes.subarray(i, i + 12), (b) => `0x${b.toString(16).padStart(2, '0')}`).join(
          ', ',
        ) +
        ',',
    );
  return `const unsigned char ${name}[${bytes.length}] = {\n${lines.join('\n')}\n};`;
}

export type CopyFormat = 'hex' | 'c' | 'base64';

export function copyAs(bytes: Uint8Array, format: CopyFormat): string {
  return format === 'hex' ? formatHex(bytes) : format === 'c' ? cArray(bytes) : base64(bytes);
}

/** Bytes on one row of a hex view. */
export const BYTES_PER_ROW = 16;

/**
 * Browsers cap an element's height (Chromium at about 33.5 million px), so a
 * 64 MiB buffer's 4 Mi rows cannot each get their own 18 px of scroll space.
 * Past this height the scrollbar is scaled: one pixel of scroll moves more
 * than one pixel of rows.
 */
export const MAX_SCROLL_HEIGHT = 8_000_000;

/** What a virtualised view draws for a scroll position. */
export interface RowWindow {
  /** First and last row to draw (a few rows of overscan either side). */
  readonly first: number;
  readonly last: number;
  /** Height of the scrolled content, at most MAX_SCROLL_HEIGHT. */
  readonly contentHeight: number;
  /** Row r is drawn at r × rowHeight − shift from the content's top. */
  readonly shift: number;
}

function scrollScale(
  totalBytes: number,
  viewportHeight: number,
  rowHeight: number,
): { full: number; content: number; ratio: number } {
  const full = Math.ceil(totalBytes / BYTES_PER_ROW) * rowHeight;
  const content = Math.min(full, MAX_SCROLL_HEIGHT);
  const room = Math.max(0, content - viewportHeight);
  return { full, content, ratio: room > 0 ? Math.max(0, full - viewportHeight) / room : 1 };
}

/** Rows to draw for a scroll position, and where (see RowWindow). */
export function rowWindow(
  totalBytes: number,
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
): RowWindow {
  const rows = Math.ceil(totalBytes / BYTES_PER_ROW);
  const { content, ratio } = scrollScale(totalBytes, viewportHeight, rowHeight);
  const top = scrollTop * ratio;
  return {
    first: Math.max(0, Math.floor(top / rowHeight) - 4),
    last: Math.min(rows - 1, Math.ceil((top + viewportHeight) / rowHeight) + 4),
    contentHeight: content,
    shift: top - scrollTop,
  };
}

/** The scroll position that shows `row` at the top of the view (clamped to the content). */
export function scrollTopFor(
  totalBytes: number,
  row: number,
  viewportHeight: number,
  rowHeight: number,
): number {
  const { content, ratio } = scrollScale(totalBytes, viewportHeight, rowHeight);
  const top = Math.max(0, row * rowHeight) / ratio;
  return Math.min(Math.max(0, content - viewportHeight), top);
}

/** The row at the top of the view for a scroll position. */
export function topRow(
  totalBytes: number,
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
): number {
  const { ratio } = scrollScale(totalBytes, viewportHeight, rowHeight);
  return Math.floor((scrollTop * ratio) / rowHeight);
}

/** An inclusive byte range. */
export type ByteRange = readonly [first: number, last: number];

/**
 * Where two buffers differ, as inclusive ranges over the longer one; bytes
 * past the end of the shorter buffer count as different.
 */
export function diffRanges(a: Uint8Array, b: Uint8Array): ByteRange[] {
  const out: ByteRange[] = [];
  const n = Math.max(a.length, b.length);
  let start = -1;
  for (let i = 0; i <= n; i++) {
    const differs = i < n && (i >= a.length || i >= b.length || a[i] !== b[i]);
    if (differs && start < 0) start = i;
    else if (!differs && start >= 0) {
      out.push([start, i - 1]);
      start = -1;
    }
  }
  return out;
}

/** Whether byte `i` lies in one of `ranges` (sorted, as diffRanges returns them). */
export function inRanges(ranges: readonly ByteRange[], i: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = ranges[mid];
    if (!r) return false;
    if (i < r[0]) hi = mid - 1;
    else if (i > r[1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Where a key moves the cursor; the view's row count per page comes from its height. */
export interface CursorKey {
  readonly key: string;
  /** Ctrl (or ⌘ on a Mac) held: Home and End go to the data's ends. */
  readonly ctrl: boolean;
}

/**
 * The offset a navigation key moves the cursor to in a buffer of `length`
 * bytes: arrows by a byte or a row, PageUp/PageDown by `pageRows` rows,
 * Home/End to the row's first and last byte, Ctrl+Home/Ctrl+End to the
 * data's first and last byte; clamped to the data. Undefined for any other
 * key or an empty buffer.
 */
export function cursorTarget(
  { key, ctrl }: CursorKey,
  cursor: number,
  length: number,
  pageRows: number,
): number | undefined {
  if (length === 0) return undefined;
  const rowStart = cursor - (cursor % BYTES_PER_ROW);
  const page = Math.max(1, pageRows) * BYTES_PER_ROW;
  const to: Readonly<Record<string, number>> = {
    ArrowLeft: cursor - 1,
    ArrowRight: cursor + 1,
    ArrowUp: cursor - BYTES_PER_ROW,
    ArrowDown: cursor + BYTES_PER_ROW,
    PageUp: cursor - page,
    PageDown: cursor + page,
    Home: ctrl ? 0 : rowStart,
    End: ctrl ? length - 1 : rowStart + BYTES_PER_ROW - 1,
  };
  const t = to[key];
  // Up and down stop at the ends of the data rather than wrapping or refusing.
  return t === undefined ? undefined : Math.min(length - 1, Math.max(0, t));
}

/**
 * An offset typed by a person: "0x1000" and "1000h" are hex, "4096" is
 * decimal, inside a buffer of `length` bytes.
 */
export function parseOffset(text: string, length: number): Result<number> {
  const t = text.trim();
  const big = numberTextValue(t);
  if (big === undefined)
    return err(problem('bad-offset', `"${t}" is not an offset: write 4096, 0x1000 or 1000h.`));
  // Compared as a bigint: an offset past 2^53 is past the end too, not rounded into the data.
  if (big >= BigInt(length))
    return err(
      problem(
        'offset-past-end',
        `Offset ${big} (0x${big.toString(16)}) is past the end: the data is ${byteSize(length)}${length < 1024 ? '' : ` (${length} bytes)`}.`,
      ),
    );
  return ok(Number(big));
}

const UNITS = ['KiB', 'MiB', 'GiB', 'TiB'] as const;

/** A size as a person reads it: "512 bytes", "1.5 KiB", "2 MiB" (binary units, one decimal at most). */
export function byteSize(bytes: number): string {
  if (bytes < 1024) return bytes === 1 ? '1 byte' : `${bytes} bytes`;
  let v = bytes / 1024;
  let u = 0;
  // Move up while the value would round to 1024 or more: 1048575 bytes reads "1 MiB", not "1024 KiB".
  while (v >= 1023.95 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  // One decimal, dropped when it is 0: "2 MiB", not "2.0 MiB".
  const text = (Math.round(v * 10) / 10).toString();
  const unit = UNITS[u] ?? 'TiB';
  return `${text} ${unit}`;
}

/**
 * Which of `ranges` holds byte `offset`, the narrowest when several do (a
 * field inside a header inside a page: the innermost, as Wireshark picks).
 * Undefined when none does.
 */
export function innermostRange(
  ranges: readonly (ByteRange | undefined)[],
  offset: number,
): number | undefined {
  let best: number | undefined;
  let width = Infinity;
  ranges.forEach((r, i) => {
    if (r && offset >= r[0] && offset <= r[1] && r[1] - r[0] < width) {
      best = i;
      width = r[1] - r[0];
    }
  });
  return best;
}
