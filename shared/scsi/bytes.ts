/**
 * Bounded byte access. Everything a device or a peer sends is hostile until
 * checked (docs/style.md lesson 7): parsers read only through a `ByteReader`, whose
 * accessors fail past the end of the real buffer, whatever a length field claims.
 *
 * Big-endian accessors are for SCSI data (SPC-5, bit and byte ordering: "multi-byte fields are
 * big-endian"); little-endian ones are for USB structures (USB 2.0 8.1).
 */
import { err, type Problem, type Result } from './result';

/** Up to this many bytes, ByteReader.slice copies byte by byte rather than through a view. */
const SMALL_COPY = 32;

/** Thrown only inside `readBounded`; never escapes it. */
class OutOfBounds extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

export class ByteReader {
  /**
   * @param bytes the real buffer
   * @param label what the bytes are, used in messages ("INQUIRY data", "sense data")
   * @param base offset of `bytes[0]` in the enclosing structure, so messages name absolute offsets
   */
  constructor(
    readonly bytes: Uint8Array,
    readonly label: string,
    readonly base = 0,
  ) {}

  get length(): number {
    return this.bytes.length;
  }

  has(offset: number, count = 1): boolean {
    return offset >= 0 && count >= 0 && offset + count <= this.bytes.length;
  }

  private need(offset: number, count: number, what: string): void {
    if (!this.has(offset, count)) {
      const at = this.base + offset;
      const end = at + count - 1;
      const span = count === 1 ? `byte ${at}` : `bytes ${at}–${end}`;
      throw new OutOfBounds({
        code: 'out-of-bounds',
        message: `${this.label} is ${this.base + this.bytes.length} bytes long, so ${what} at ${span} is missing`,
        // Where the data stops: the message names the missing field's own bytes.
        offset: Math.min(at, this.base + this.bytes.length),
      });
    }
  }

  u8(offset: number, what = 'a field'): number {
    this.need(offset, 1, what);
    return this.bytes[offset] as number;
  }

  /** `width` bits of byte `offset` whose least significant bit is `bit`. */
  bits(offset: number, bit: number, width: number, what = 'a field'): number {
    return (this.u8(offset, what) >> bit) & ((1 << width) - 1);
  }

  flag(offset: number, bit: number, what = 'a flag'): boolean {
    return this.bits(offset, bit, 1, what) === 1;
  }

  be16(offset: number, what = 'a 16-bit field'): number {
    this.need(offset, 2, what);
    return ((this.bytes[offset] as number) << 8) | (this.bytes[offset + 1] as number);
  }

  be24(offset: number, what = 'a 24-bit field'): number {
    this.need(offset, 3, what);
    return (this.be16(offset) << 8) | (this.bytes[offset + 2] as number);
  }

  be32(offset: number, what = 'a 32-bit field'): number {
    this.need(offset, 4, what);
    return this.be16(offset) * 0x10000 + this.be16(offset + 2);
  }

  be64(offset: number, what = 'a 64-bit field'): bigint {
    this.need(offset, 8, what);
    return (BigInt(this.be32(offset)) << 32n) | BigInt(this.be32(offset + 4));
  }

  /** Big-endian unsigned integer of any byte count up to 8, as a bigint. */
  beN(offset: number, count: number, what = 'a field'): bigint {
    this.need(offset, count, what);
    let v = 0n;
    for (let i = 0; i < count; i++) v = (v << 8n) | BigInt(this.bytes[offset + i] as number);
    return v;
  }

  le16(offset: number, what = 'a 16-bit field'): number {
    this.need(offset, 2, what);
    return (this.bytes[offset] as number) | ((this.bytes[offset + 1] as number) << 8);
  }

  le32(offset: number, what = 'a 32-bit field'): number {
    this.need(offset, 4, what);
    return this.le16(offset) + this.le16(offset + 2) * 0x10000;
  }

  /** A copy of `count` bytes at `offset` (also when the bytes are a Buffer, whose `slice` is a view). */
  slice(offset: number, count: number, what = 'a field'): Uint8Array {
    this.need(offset, count, what);
    const out = new Uint8Array(count);
    // A few bytes (a CBW's CDB, an identifier) are copied one by one: making a view to copy
    // from cost more than the copy (issue 13, every CBW the drive decodes). More go by set().
    if (count <= SMALL_COPY) for (let i = 0; i < count; i++) out[i] = this.bytes[offset + i] ?? 0;
    else out.set(this.bytes.subarray(offset, offset + count));
    return out;
  }

  /** A sub-reader over `count` bytes at `offset`, with absolute offsets kept in messages. */
  sub(offset: number, count: number, label: string): ByteReader {
    this.need(offset, count, label);
    return new ByteReader(this.bytes.subarray(offset, offset + count), label, this.base + offset);
  }

  /** Printable ASCII of `count` bytes, trailing spaces and NULs trimmed (SPC-5, ASCII data fields). */
  ascii(offset: number, count: number, what = 'a text field'): string {
    return asciiText(this.slice(offset, count, what));
  }
}

/** Decodes bytes as ASCII, trimming trailing spaces/NULs and showing other non-printables as '.'. */
export function asciiText(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : b === 0 ? '\0' : '.';
  return s.replace(/[\0 ]+$/, '').replace(/\0/g, '.');
}

/**
 * Runs a parser over `bytes` with bounds-checked access. A read past the end
 * becomes an `out-of-bounds` error value naming the missing bytes.
 */
export function readBounded<T>(
  bytes: Uint8Array,
  label: string,
  parse: (r: ByteReader) => Result<T>,
): Result<T> {
  try {
    return parse(new ByteReader(bytes, label));
  } catch (e) {
    if (e instanceof OutOfBounds) return err(e.problem);
    throw e;
  }
}

/** Writers: the only place multi-byte fields are written. Each checks its bounds. */
function checkWrite(buf: Uint8Array, offset: number, count: number): void {
  if (offset < 0 || offset + count > buf.length) {
    throw new RangeError(
      `write of ${count} bytes at offset ${offset} past the end of a ${buf.length}-byte buffer`,
    );
  }
}

export function putBe16(buf: Uint8Array, offset: number, v: number): void {
  checkWrite(buf, offset, 2);
  buf[offset] = (v >>> 8) & 0xff;
  buf[offset + 1] = v & 0xff;
}

export function putBe32(buf: Uint8Array, offset: number, v: number): void {
  checkWrite(buf, offset, 4);
  putBe16(buf, offset, Math.floor(v / 0x10000) & 0xffff);
  putBe16(buf, offset + 2, v & 0xffff);
}

export function putBe64(buf: Uint8Array, offset: number, v: bigint): void {
  checkWrite(buf, offset, 8);
  putBe32(buf, offset, Number((v >> 32n) & 0xffffffffn));
  putBe32(buf, offset + 4, Number(v & 0xffffffffn));
}

export function putLe16(buf: Uint8Array, offset: number, v: number): void {
  checkWrite(buf, offset, 2);
  buf[offset] = v & 0xff;
  buf[offset + 1] = (v >>> 8) & 0xff;
}

export function putLe32(buf: Uint8Array, offset: number, v: number): void {
  checkWrite(buf, offset, 4);
  putLe16(buf, offset, v & 0xffff);
  putLe16(buf, offset + 2, Math.floor(v / 0x10000) & 0xffff);
}
