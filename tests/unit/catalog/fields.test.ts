import { describe, expect, it } from 'vitest';
import {
  describePosition,
  fieldMaskAt,
  fieldSpan,
  joinFields,
  readField,
  widthText,
  writeField,
} from '../../../shared/scsi/catalog/fields';

const read6Lba = { name: 'LBA', byte: 1, bit: 0, width: 21 };
const lunBits = { name: 'LUN', byte: 1, bit: 5, width: 3 };
const alloc16 = { name: 'ALLOCATION LENGTH', byte: 3, bit: 0, width: 16 };

describe('field positions', () => {
  it('a 21-bit READ(6) LBA spans byte 1 bits 4:0 through byte 3', () => {
    expect(fieldSpan(read6Lba)).toEqual({ first: 1, last: 3 });
    expect(fieldMaskAt(read6Lba, 1)).toBe(0x1f);
    expect(fieldMaskAt(read6Lba, 2)).toBe(0xff);
    expect(fieldMaskAt(read6Lba, 0)).toBe(0);
    expect(describePosition(read6Lba)).toBe('byte 1 bits 4:0 – byte 3');
  });

  it('names single-byte, bit-range and multi-byte positions', () => {
    expect(describePosition(lunBits)).toBe('byte 1 bits 7:5');
    expect(describePosition(alloc16)).toBe('bytes 3–4');
    expect(describePosition({ byte: 1, bit: 0, width: 1 })).toBe('byte 1 bit 0');
    expect(describePosition({ byte: 4, bit: 0, width: 8 })).toBe('byte 4');
  });

  it('reads big-endian values across bytes', () => {
    const cdb = Uint8Array.from([0x12, 0x00, 0x00, 0x24, 0x00, 0x00]);
    expect(readField(cdb, alloc16)).toBe(0x2400n);
    const r6 = Uint8Array.from([0x08, 0xe1, 0x23, 0x45, 0x01, 0x00]);
    expect(readField(r6, read6Lba)).toBe(0x012345n);
    expect(readField(r6, lunBits)).toBe(7n);
  });

  it('writes a value without touching neighbouring bits', () => {
    const cdb = Uint8Array.from([0x08, 0xe0, 0x00, 0x00, 0x00, 0x00]);
    writeField(cdb, read6Lba, 0x1bcdefn);
    // byte 1 keeps its LUN bits (e0) and takes the LBA's top five bits (1b)
    expect(Array.from(cdb)).toEqual([0x08, 0xfb, 0xcd, 0xef, 0x00, 0x00]);
  });

  it('rejects values wider than the field', () => {
    const cdb = new Uint8Array(6);
    expect(() => writeField(cdb, lunBits, 8n)).toThrow(/LUN must be 0–7/);
  });
});

describe('joinFields', () => {
  const field = (key: string, byte: number, bit: number, width: number) => ({
    key,
    name: key.toUpperCase(),
    byte,
    bit,
    width,
    meaning: '',
  });
  // ATA PASS-THROUGH(16): COUNT (15:8) in byte 5, COUNT (7:0) in byte 6 (SAT-4).
  const countHigh = field('countHigh', 5, 0, 8);
  const count = field('count', 6, 0, 8);

  it('joins a high byte and the byte after it into one 16-bit field keyed as the low one', () => {
    const joined = joinFields(countHigh, count);
    expect(joined).toMatchObject({ key: 'count', byte: 5, bit: 0, width: 16 });
    const cdb = Uint8Array.from([0x85, 0, 0, 0, 0, 0x01, 0x08, 0]);
    expect(joined && readField(cdb, joined)).toBe(0x108n);
    if (joined) writeField(cdb, joined, 0x0203n);
    expect(Array.from(cdb.subarray(5, 7))).toEqual([0x02, 0x03]);
  });

  it('joins a high part that starts inside its byte (5 bits above a byte: 13 bits)', () => {
    const joined = joinFields(field('hi', 1, 0, 5), field('lo', 2, 0, 8));
    expect(joined).toMatchObject({ byte: 1, bit: 0, width: 13 });
    expect(joined && readField(Uint8Array.from([0, 0xff, 0x34]), joined)).toBe(0x1f34n);
  });

  it('refuses fields that do not abut: a gap, the wrong order, a high part not ending in bit 0', () => {
    expect(joinFields(field('hi', 4, 0, 8), count)).toBeUndefined();
    expect(joinFields(count, countHigh)).toBeUndefined();
    expect(joinFields(field('hi', 5, 4, 4), count)).toBeUndefined();
    expect(joinFields(countHigh, field('lo', 6, 0, 4))).toBeUndefined();
  });
});

describe('widthText', () => {
  it('says "bit" for one bit and "bits" for more', () => {
    expect(widthText(1)).toBe('1 bit wide');
    expect(widthText(3)).toBe('3 bits wide');
    expect(widthText(64)).toBe('64 bits wide');
  });
});
