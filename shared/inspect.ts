/**
 * A data inspector: what the bytes at a hex view's cursor mean read as each
 * integer width, signedness and byte order, as IEEE 754 floats, and what the
 * selection says as text. Pure, bounded functions; the view only renders the
 * rows `inspectionRows` returns.
 *
 * Numbers are read from the selection's first byte onwards in the whole
 * buffer (a 1-byte selection still shows its u32), as hex editors do; a
 * width the buffer's end cuts short is left out rather than padded.
 */
import { printableText } from './scsi/printable';

/** How many selected bytes the text readings decode; a 64 MiB selection stays cheap. */
export const TEXT_LIMIT = 256;

/** One integer width read both ways. */
export interface IntegerReading {
  readonly bits: 8 | 16 | 32 | 64;
  /** Big-endian (SCSI's order, SPC-5 3.5) and little-endian (USB's and ATA's) values. */
  readonly unsignedBe: bigint;
  readonly unsignedLe: bigint;
  readonly signedBe: bigint;
  readonly signedLe: bigint;
}

export interface FloatReading {
  readonly bits: 32 | 64;
  readonly be: number;
  readonly le: number;
}

export interface Inspection {
  /** Offset of the selection's first byte in the buffer. */
  readonly offset: number;
  /** Selected bytes. */
  readonly length: number;
  /** Widths that fit between the offset and the buffer's end, narrowest first. */
  readonly integers: readonly IntegerReading[];
  readonly floats: readonly FloatReading[];
  /** The selection's first TEXT_LIMIT bytes: printable ASCII, other bytes as '.'. */
  readonly ascii: string;
  /** The same bytes as UTF-8: invalid sequences as U+FFFD, control and bidirectional-override characters as '.'. */
  readonly utf8: string;
  /** Whether the text readings stop before the selection's end. */
  readonly textCut: boolean;
}

function integer(view: DataView, offset: number, bits: 8 | 16 | 32 | 64): IntegerReading {
  switch (bits) {
    case 8: {
      const u = BigInt(view.getUint8(offset));
      const s = BigInt(view.getInt8(offset));
      return { bits, unsignedBe: u, unsignedLe: u, signedBe: s, signedLe: s };
    }
    case 16:
      return {
        bits,
        unsignedBe: BigInt(view.getUint16(offset, false)),
        unsignedLe: BigInt(view.getUint16(offset, true)),
        signedBe: BigInt(view.getInt16(offset, false)),
        signedLe: BigInt(view.getInt16(offset, true)),
      };
    case 32:
      return {
        bits,
        unsignedBe: BigInt(view.getUint32(offset, false)),
        unsignedLe: BigInt(view.getUint32(offset, true)),
        signedBe: BigInt(view.getInt32(offset, false)),
        signedLe: BigInt(view.getInt32(offset, true)),
      };
    case 64:
      return {
        bits,
        unsignedBe: view.getBigUint64(offset, false),
        unsignedLe: view.getBigUint64(offset, true),
        signedBe: view.getBigInt64(offset, false),
        signedLe: view.getBigInt64(offset, true),
      };
  }
}

/** Printable ASCII (0x20–0x7e) as itself, every other byte as '.'. */
export function asciiOf(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
  return out;
}

/** UTF-8 text with control and bidirectional-override characters shown as '.', so a reading stays on one line. */
export function utf8Of(bytes: Uint8Array): string {
  return printableText(new TextDecoder('utf-8').decode(bytes));
}

/**
 * Reads the bytes at `offset` (the selection's start) of `bytes`; `length`
 * selected bytes feed the text readings. An offset outside the buffer reads
 * nothing; a length past the end is cut to it.
 */
export function inspect(bytes: Uint8Array, offset: number, length: number): Inspection {
  const inside = Number.isInteger(offset) && offset >= 0 && offset < bytes.length;
  const start = inside ? offset : bytes.length;
  const count = Math.max(0, Math.min(length, bytes.length - start));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fits = (n: number): boolean => inside && start + n <= view.byteLength;
  const integers = ([8, 16, 32, 64] as const)
    .filter((b) => fits(b / 8))
    .map((b) => integer(view, start, b));
  const floats: FloatReading[] = [];
  if (fits(4))
    floats.push({ bits: 32, be: view.getFloat32(start, false), le: view.getFloat32(start, true) });
  if (fits(8))
    floats.push({ bits: 64, be: view.getFloat64(start, false), le: view.getFloat64(start, true) });
  const text = bytes.subarray(start, start + Math.min(count, TEXT_LIMIT));
  return {
    offset: start,
    length: count,
    integers,
    floats,
    ascii: asciiOf(text),
    utf8: utf8Of(text),
    textCut: count > TEXT_LIMIT,
  };
}

/** `-0x1f` for a negative value, `0x1f` otherwise, padded to the width's digits. */
export function signedHex(v: bigint, bits: number): string {
  const digits = bits / 4;
  return v < 0n
    ? `-0x${(-v).toString(16).padStart(digits, '0')}`
    : `0x${v.toString(16).padStart(digits, '0')}`;
}

/** A float as text: the shortest form that reads back the same value, NaN and ±Infinity named. */
export function floatText(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Infinity' : '-Infinity';
  if (Object.is(v, -0)) return '-0';
  return String(v);
}

/** One line of the inspector: what was read, then its value in decimal and hex. */
export interface InspectorRow {
  readonly label: string;
  readonly decimal: string;
  /** Hex of an integer; for a float, its bits as stored; empty for text. */
  readonly hex: string;
}

/**
 * The inspector's table: offset and length, each integer width unsigned and
 * signed in both byte orders, floats, then text — every number in decimal
 * and hex.
 */
export function inspectionRows(i: Inspection): InspectorRow[] {
  const rows: InspectorRow[] = [
    { label: 'offset', decimal: String(i.offset), hex: signedHex(BigInt(i.offset), 1) },
    { label: 'length', decimal: String(i.length), hex: signedHex(BigInt(i.length), 1) },
  ];
  for (const n of i.integers) {
    const orders: readonly [string, bigint, bigint][] =
      n.bits === 8
        ? [['', n.unsignedBe, n.signedBe]]
        : [
            [' BE', n.unsignedBe, n.signedBe],
            [' LE', n.unsignedLe, n.signedLe],
          ];
    for (const [order, u, s] of orders) {
      rows.push({ label: `u${n.bits}${order}`, decimal: String(u), hex: signedHex(u, n.bits) });
      rows.push({ label: `i${n.bits}${order}`, decimal: String(s), hex: signedHex(s, n.bits) });
    }
  }
  for (const f of i.floats) {
    // A float's hex is the integer of its width read in the same order: its bits as they are, NaN payloads included.
    const bits = i.integers.find((n) => n.bits === f.bits);
    const hex = (v: bigint | undefined): string => (v === undefined ? '' : signedHex(v, f.bits));
    rows.push({ label: `f${f.bits} BE`, decimal: floatText(f.be), hex: hex(bits?.unsignedBe) });
    rows.push({ label: `f${f.bits} LE`, decimal: floatText(f.le), hex: hex(bits?.unsignedLe) });
  }
  const cut = i.textCut ? '…' : '';
  rows.push({ label: 'ASCII', decimal: JSON.stringify(i.ascii) + cut, hex: '' });
  rows.push({ label: 'UTF-8', decimal: JSON.stringify(i.utf8) + cut, hex: '' });
  return rows;
}
