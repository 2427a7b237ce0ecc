/**
 * Response layouts → rows a person reads, and values → bytes for emulated
 * answers. The bytes come from a device and are hostile (docs/style.md lesson 7):
 * `decodeLayout` reads only through `ByteReader`'s bounds checks, never
 * throws, and marks a field the data does not reach as absent rather than
 * failing — a short answer (an allocation length smaller than the layout)
 * is normal for SCSI (SPC-5, allocation length: the device returns at most
 * that many bytes and stops).
 */
import { asciiText, ByteReader } from '../scsi/bytes';
import { formatHex, parseHex } from '../scsi/hex';
import { err, ok, problem, type Result } from '../scsi/result';
import type { FieldValue } from '../scsi/catalog/types';
import type { Layout, LayoutField, LayoutValue, LayoutValues } from './model';

/** One decoded field. */
export interface DecodedRow {
  /** Dotted path: the layout key, with struct keys and array indexes (`records.1.id`). */
  readonly key: string;
  readonly name: string;
  /** Display text: `300 (0x012c)`, `blinking (2)`, `yes`, trimmed text, hex bytes. */
  readonly value: string;
  /**
   * The value for code (sequences read it): a number (a bigint for 64-bit
   * fields), a boolean for a flag, the trimmed text of a string, the hex of
   * `bytes`. Absent for structs, arrays and absent rows.
   */
  readonly raw?: number | bigint | boolean | string;
  /** Offset of the row's first byte in the decoded data, for linking to the hex view. */
  readonly offset: number;
  /** Bytes the row covers (a struct: from its first to its last field's byte; an array record: its stride). */
  readonly length: number;
  /** The data ends before this row's bytes: nothing was decoded. */
  readonly absent?: true;
  readonly children?: readonly DecodedRow[];
}

/** Rows one decode may produce: nested arrays over megabytes of data must not grow without bound. */
export const MAX_DECODED_ROWS = 65_536;

const ABSENT_TEXT = '(past the end of the data)';

/** Bytes a field covers, relative to its own offset (a struct or array: its extent). */
function fieldExtent(f: LayoutField, countOf?: (key: string) => number): number {
  switch (f.type) {
    case 'uint':
    case 'int':
      return f.size;
    case 'bits':
    case 'flag':
      return 1;
    case 'ascii':
    case 'ata-string':
    case 'bytes':
      return f.length;
    case 'struct':
      return layoutExtent(f.layout);
    case 'array': {
      const count = typeof f.count === 'number' ? f.count : (countOf?.(f.count.field) ?? 0);
      // Each record takes its stride, bytes after its last declared field included (an ATA SMART
      // attribute's reserved byte 11): the array ends where its last record does.
      return Math.max(0, count) * f.stride;
    }
  }
}

/** Bytes from a layout's offset 0 to the end of its last fixed field (arrays with a counted length count as empty). */
export function layoutExtent(layout: Layout): number {
  let end = 0;
  for (const f of layout) end = Math.max(end, f.offset + fieldExtent(f));
  return end;
}

function hexDigits(n: number | bigint, digits: number): string {
  return '0x' + n.toString(16).padStart(digits, '0');
}

function numberText(
  v: number | bigint,
  hexWidth: number,
  values: readonly FieldValue[] | undefined,
): string {
  const named = values?.find((x) => BigInt(x.value) === BigInt(v));
  if (named) return `${named.name} (${v.toString()})`;
  const base = `${v.toString()} (${hexDigits(v, hexWidth)})`;
  return values && values.length > 0 ? `${base}, not a named value` : base;
}

/** Printable text of a string field, trimmed at both ends (SPC-5 and ACS-4 pad strings with spaces). */
function stringText(bytes: Uint8Array): string {
  return asciiText(bytes).trim();
}

/** ATA strings hold two characters per 16-bit word, the first in the high byte (ACS-4, IDENTIFY DEVICE). */
function swapPairs(bytes: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes);
  for (let i = 0; i + 1 < out.length; i += 2) {
    out[i] = bytes[i + 1] as number;
    out[i + 1] = bytes[i] as number;
  }
  return out;
}

/** An unsigned integer of `size` bytes; bigint when it has 8. Callers check `r.has` first. */
function readUint(
  r: ByteReader,
  offset: number,
  size: number,
  endian: 'be' | 'le',
): number | bigint {
  const bytes = r.slice(offset, size);
  let v = 0n;
  for (let i = 0; i < size; i++) {
    const b = bytes[endian === 'be' ? i : size - 1 - i] as number;
    v = (v << 8n) | BigInt(b);
  }
  return size >= 8 ? v : Number(v);
}

function toSigned(v: number | bigint, size: number): number | bigint {
  const bits = BigInt(size * 8);
  const big = BigInt(v);
  const signed = big >= 1n << (bits - 1n) ? big - (1n << bits) : big;
  return size >= 8 ? signed : Number(signed);
}

class Decoder {
  rows = 0;
  constructor(private readonly r: ByteReader) {}

  private absent(key: string, f: LayoutField, offset: number, length: number): DecodedRow {
    return { key, name: f.name, value: ABSENT_TEXT, offset, length, absent: true };
  }

  layout(layout: Layout, base: number, prefix: string): DecodedRow[] {
    const out: DecodedRow[] = [];
    // Numbers decoded so far in this layout, for arrays whose count is an earlier field.
    const numbers = new Map<string, number>();
    for (const f of layout) {
      if (this.rows >= MAX_DECODED_ROWS) break;
      this.rows++;
      const row = this.field(f, base + f.offset, prefix + f.key, numbers);
      if (typeof row.raw === 'number') numbers.set(f.key, row.raw);
      else if (typeof row.raw === 'bigint')
        numbers.set(f.key, row.raw > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(row.raw));
      out.push(row);
    }
    return out;
  }

  private field(
    f: LayoutField,
    offset: number,
    key: string,
    numbers: ReadonlyMap<string, number>,
  ): DecodedRow {
    const r = this.r;
    switch (f.type) {
      case 'uint':
      case 'int': {
        if (!r.has(offset, f.size)) return this.absent(key, f, offset, f.size);
        const u = readUint(r, offset, f.size, f.endian);
        const v = f.type === 'int' ? toSigned(u, f.size) : u;
        const text =
          f.type === 'int'
            ? `${v.toString()} (${hexDigits(u, f.size * 2)})`
            : numberText(v, f.size * 2, f.values);
        return { key, name: f.name, value: text, raw: v, offset, length: f.size };
      }
      case 'bits': {
        if (!r.has(offset, 1)) return this.absent(key, f, offset, 1);
        const width = Math.max(0, Math.min(8, f.width));
        const v = (r.u8(offset) >> f.bit) & ((1 << width) - 1);
        const text = numberText(v, Math.ceil(width / 4), f.values);
        return { key, name: f.name, value: text, raw: v, offset, length: 1 };
      }
      case 'flag': {
        if (!r.has(offset, 1)) return this.absent(key, f, offset, 1);
        const v = ((r.u8(offset) >> f.bit) & 1) === 1;
        return { key, name: f.name, value: v ? 'yes' : 'no', raw: v, offset, length: 1 };
      }
      case 'ascii':
      case 'ata-string':
      case 'bytes': {
        // Text and bytes the data cuts short show what arrived (an allocation length shorter
        // than the field is normal: SPC-5, allocation length); nothing arrived is absent.
        const available = Math.min(f.length, r.length - offset);
        if (!r.has(offset, 1) || available < 1) return this.absent(key, f, offset, f.length);
        const bytes = r.slice(offset, available);
        const text =
          f.type === 'bytes'
            ? formatHex(bytes)
            : stringText(f.type === 'ata-string' ? swapPairs(bytes) : bytes);
        return { key, name: f.name, value: text, raw: text, offset, length: available };
      }
      case 'struct': {
        const extent = layoutExtent(f.layout);
        if (!r.has(offset, 1)) return this.absent(key, f, offset, extent);
        const children = this.layout(f.layout, offset, key + '.');
        return { key, name: f.name, value: '', offset, length: extent, children };
      }
      case 'array': {
        const count = typeof f.count === 'number' ? f.count : numbers.get(f.count.field);
        // A count field the data does not reach leaves the array unknown: absent, like its count.
        if (count === undefined || !r.has(offset, 1)) return this.absent(key, f, offset, 0);
        const stride = Math.max(1, f.stride);
        const children: DecodedRow[] = [];
        let end = offset;
        // Records that start past the data are not decoded; a cut record shows its absent fields.
        for (let i = 0; i < count && r.has(offset + i * stride, 1); i++) {
          if (this.rows >= MAX_DECODED_ROWS) break;
          this.rows++;
          const at = offset + i * stride;
          const recordKey = `${key}.${i}`;
          children.push({
            key: recordKey,
            name: `${f.name} [${i}]`,
            value: '',
            offset: at,
            // A record is its stride, as fieldExtent counts it, not its last declared field.
            length: stride,
            children: this.layout(f.layout, at, recordKey + '.'),
          });
          end = at + stride;
        }
        const shown =
          children.length < count
            ? `${children.length} of ${count} records (the data ends)`
            : `${count} record${count === 1 ? '' : 's'}`;
        return { key, name: f.name, value: shown, offset, length: end - offset, children };
      }
    }
  }
}

/**
 * Decodes `bytes` field by field. Never throws: whatever the layout and the
 * bytes, a number the data does not hold whole is a row marked `absent`, a
 * string or byte field the data cuts short shows the bytes that arrived, records of
 * an array past the end of the data are left out, and at most
 * `MAX_DECODED_ROWS` rows are produced.
 */
export function decodeLayout(layout: Layout, bytes: Uint8Array): DecodedRow[] {
  return new Decoder(new ByteReader(bytes, 'response')).layout(layout, 0, '');
}

/** The row with this dotted key, searching nested rows. */
export function findRow(rows: readonly DecodedRow[], key: string): DecodedRow | undefined {
  for (const row of rows) {
    if (row.key === key) return row;
    if (row.children && key.startsWith(row.key + '.')) {
      const inner = findRow(row.children, key);
      if (inner) return inner;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Encoding: the emulator's answers from values (model.ts, Emulation.data).

type Fail = { readonly ok: false; readonly error: ReturnType<typeof problem> };

function fail(path: string, message: string): Fail {
  return err(problem('layout-value', `${path}: ${message}`));
}

/** Writes an unsigned `size`-byte integer; the only multi-byte writer of this module. */
function putUint(
  buf: Uint8Array,
  offset: number,
  size: number,
  endian: 'be' | 'le',
  v: bigint,
): void {
  for (let i = 0; i < size; i++) {
    const b = Number((v >> BigInt(8 * i)) & 0xffn);
    buf[endian === 'be' ? offset + size - 1 - i : offset + i] = b;
  }
}

function integerOf(
  v: LayoutValue,
  values: readonly FieldValue[] | undefined,
): bigint | string | undefined {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : 'must be an integer';
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'string') {
    const named = values?.find((x) => x.name === v);
    if (named) return BigInt(named.value);
    if (/^-?\d+$/.test(v)) return BigInt(v);
    if (/^0x[0-9a-f]+$/i.test(v)) return BigInt(v);
    return values && values.length > 0
      ? `must be a number or one of ${values.map((x) => `"${x.name}"`).join(', ')}`
      : 'must be a number';
  }
  return undefined;
}

function isRecord(v: LayoutValue): v is { readonly [key: string]: LayoutValue } {
  // JSON may hold null, which LayoutValue does not admit: it is not a record.
  return typeof v === 'object' && (v as unknown) !== null && !Array.isArray(v);
}

class Encoder {
  constructor(readonly buf: Uint8Array) {}

  layout(layout: Layout, values: LayoutValues, base: number, path: string): Fail | undefined {
    const known = new Map(layout.map((f) => [f.key, f]));
    for (const key of Object.keys(values)) {
      if (!known.has(key))
        return fail(
          path + key,
          `the layout has no such field; its fields are ${[...known.keys()].join(', ')}`,
        );
    }
    // An array counted by an earlier field fills that field when no value is given for it.
    const filled: Record<string, LayoutValue> = { ...values };
    for (const f of layout) {
      const given = values[f.key];
      if (f.type === 'array' && typeof f.count !== 'number' && Array.isArray(given)) {
        if (filled[f.count.field] === undefined) filled[f.count.field] = given.length;
      }
    }
    for (const f of layout) {
      const v = filled[f.key];
      if (v === undefined) continue;
      const problemAt = this.field(f, v, base + f.offset, path + f.key, filled);
      if (problemAt) return problemAt;
    }
    return undefined;
  }

  private fits(path: string, offset: number, count: number): Fail | undefined {
    if (offset < 0 || offset + count > this.buf.length)
      return fail(
        path,
        `bytes ${offset}–${offset + count - 1} do not fit in the ${this.buf.length}-byte answer`,
      );
    return undefined;
  }

  private field(
    f: LayoutField,
    v: LayoutValue,
    offset: number,
    path: string,
    siblings: LayoutValues,
  ): Fail | undefined {
    const buf = this.buf;
    switch (f.type) {
      case 'uint':
      case 'int': {
        const n = integerOf(v, f.type === 'uint' ? f.values : undefined);
        if (n === undefined) return fail(path, 'must be a number');
        if (typeof n === 'string') return fail(path, n);
        const bits = BigInt(f.size * 8);
        const [min, max] =
          f.type === 'uint'
            ? [0n, (1n << bits) - 1n]
            : [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n];
        if (n < min || n > max) return fail(path, `must be ${min}–${max}`);
        const at = this.fits(path, offset, f.size);
        if (at) return at;
        putUint(buf, offset, f.size, f.endian, n < 0n ? n + (1n << bits) : n);
        return undefined;
      }
      case 'bits':
      case 'flag': {
        const width = f.type === 'flag' ? 1 : f.width;
        const n = integerOf(v, f.type === 'bits' ? f.values : undefined);
        if (n === undefined) return fail(path, 'must be a number');
        if (typeof n === 'string') return fail(path, n);
        const max = (1n << BigInt(width)) - 1n;
        if (n < 0n || n > max)
          return fail(path, f.type === 'flag' ? 'must be true, false, 0 or 1' : `must be 0–${max}`);
        const mask = ((1 << width) - 1) << f.bit;
        const at = this.fits(path, offset, 1);
        if (at) return at;
        buf[offset] = ((buf[offset] as number) & ~mask) | ((Number(n) << f.bit) & mask);
        return undefined;
      }
      case 'ascii':
      case 'ata-string': {
        if (typeof v !== 'string') return fail(path, 'must be text');
        if (!/^[\x20-\x7e]*$/.test(v))
          return fail(path, 'must be printable ASCII (SPC-5, ASCII data fields)');
        if (v.length > f.length) return fail(path, `must be at most ${f.length} characters`);
        const at = this.fits(path, offset, f.length);
        if (at) return at;
        // Padded with spaces, as SPC-5 and ACS-4 pad their strings.
        const text = Uint8Array.from(v.padEnd(f.length, ' '), (c) => c.charCodeAt(0));
        buf.set(f.type === 'ata-string' ? swapPairs(text) : text, offset);
        return undefined;
      }
      case 'bytes': {
        if (typeof v !== 'string') return fail(path, 'must be hex text ("01 02 03")');
        const bytes = parseHex(v, path);
        if (!bytes.ok) return err(bytes.error);
        if (bytes.value.length > f.length) return fail(path, `must be at most ${f.length} bytes`);
        const at = this.fits(path, offset, bytes.value.length);
        if (at) return at;
        buf.set(bytes.value, offset);
        return undefined;
      }
      case 'struct':
        if (!isRecord(v)) return fail(path, 'must be an object of values by field key');
        return this.layout(f.layout, v, offset, path + '.');
      case 'array': {
        if (!Array.isArray(v)) return fail(path, 'must be an array of records');
        const records = v as readonly LayoutValue[];
        const limit =
          typeof f.count === 'number'
            ? f.count
            : Number(integerOf(siblings[f.count.field] ?? 0, undefined));
        if (records.length > limit)
          return fail(
            path,
            typeof f.count === 'number'
              ? `holds ${f.count} records, not ${records.length}`
              : `${f.count.field} says ${limit} records, but ${records.length} are given`,
          );
        for (let i = 0; i < records.length; i++) {
          const rec = records[i] as LayoutValue;
          if (!isRecord(rec))
            return fail(`${path}.${i}`, 'must be an object of values by field key');
          const inner = this.layout(f.layout, rec, offset + i * f.stride, `${path}.${i}.`);
          if (inner) return inner;
        }
        return undefined;
      }
    }
  }
}

/**
 * The inverse of `decodeLayout`: `length` bytes, zero where no value is
 * given, each value written at its field. An array counted by an earlier
 * field sets that field to the number of records when it is not given. An
 * unknown key, a value out of its field's range or a field past `length` is
 * an error naming the value's path (`records.1.id`).
 */
export function encodeLayout(
  layout: Layout,
  values: LayoutValues,
  length: number,
): Result<Uint8Array> {
  if (!Number.isSafeInteger(length) || length < 0)
    return err(problem('layout-value', `length must be a non-negative integer, not ${length}`));
  const buf = new Uint8Array(length);
  const failed = new Encoder(buf).layout(layout, values, 0, '');
  return failed ?? ok(buf);
}
