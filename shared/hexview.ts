/**
 * What a hex viewer shows about a selection, and the copy formats: pure
 * functions so the renderer only renders them.
 */
import { formatHex } from './scsi/hex';

export interface Interpretation {
  readonly length: number;
  /** Unsigned integers of the first 1/2/4/8 selected bytes, big- and little-endian; absent when the selection is shorter. */
  readonly u8?: number;
  readonly be16?: number;
  readonly le16?: number;
  readonly be32?: number;
  readonly le32?: number;
  readonly be64?: bigint;
  readonly le64?: bigint;
  /** Printable ASCII, other bytes as '.'. */
  readonly ascii: string;
}

function uint(bytes: Uint8Array, count: number, bigEndian: boolean): bigint {
  let v = 0n;
  for (let i = 0; i < count; i++) v = (v << 8n) | BigInt(bytes[bigEndian ? i : count - 1 - i] ?? 0);
  return v;
}

export function interpret(selection: Uint8Array): Interpretation {
  const n = selection.length;
  const at = (count: number, be: boolean): bigint | undefined =>
    n >= count ? uint(selection, count, be) : undefined;
  const num = (v: bigint | undefined): number | undefined =>
    v === undefined ? undefined : Number(v);
  const r: { -readonly [K in keyof Interpretation]: Interpretation[K] } = {
    length: n,
    ascii: Array.from(selection, (b) =>
      b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.',
    ).join(''),
  };
  if (n >= 1) r.u8 = selection[0];
  const be16 = num(at(2, true));
  if (be16 !== undefined) {
    r.be16 = be16;
    r.le16 = num(at(2, false));
  }
  const be32 = num(at(4, true));
  if (be32 !== undefined) {
    r.be32 = be32;
    r.le32 = num(at(4, false));
  }
  const be64 = at(8, true);
  if (be64 !== undefined) {
    r.be64 = be64;
    r.le64 = at(8, false);
  }
  return r;
}

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

/** Rows a virtualised view should draw for a scroll position (with a small overscan). */
export function visibleRows(
  totalBytes: number,
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
): { first: number; last: number } {
  const rows = Math.ceil(totalBytes / BYTES_PER_ROW);
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - 4);
  const last = Math.min(rows - 1, Math.ceil((scrollTop + viewportHeight) / rowHeight) + 4);
  return { first, last };
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
