import { describe, expect, it } from 'vitest';
import {
  base64,
  cArray,
  copyAs,
  diffRanges,
  inRanges,
  interpret,
  visibleRows,
} from '../../shared/hexview';

describe('hex viewer helpers', () => {
  it('reads a selection as integers both ways and as text', () => {
    const s = interpret(Uint8Array.from([0x00, 0x00, 0x02, 0x00, 0x41, 0x42, 0x43, 0x44]));
    expect(s).toMatchObject({
      length: 8,
      u8: 0,
      be16: 0,
      le16: 0,
      be32: 512,
      le32: 0x20000,
      ascii: '....ABCD',
    });
    expect(s.be64).toBe(0x0000020041424344n);
    expect(s.le64).toBe(0x4443424100020000n);
    expect(interpret(Uint8Array.from([1, 2, 3]))).toEqual({
      length: 3,
      u8: 1,
      be16: 0x0102,
      le16: 0x0201,
      ascii: '...',
    });
    expect(interpret(new Uint8Array())).toEqual({ length: 0, ascii: '' });
  });

  it('copies as hex, a C array and base64 (RFC 4648 test vectors)', () => {
    const enc = (t: string): string => base64(new TextEncoder().encode(t));
    expect([
      enc(''),
      enc('f'),
      enc('fo'),
      enc('foo'),
      enc('foob'),
      enc('fooba'),
      enc('foobar'),
    ]).toEqual(['', 'Zg==', 'Zm8=', 'Zm9v', 'Zm9vYg==', 'Zm9vYmE=', 'Zm9vYmFy']);
    expect(copyAs(Uint8Array.from([0x12, 0, 0x24]), 'hex')).toBe('12 00 24');
    expect(cArray(Uint8Array.from([0x12, 0x24]), 'cdb')).toBe(
      'const unsigned char cdb[2] = {\n  0x12, 0x24,\n};',
    );
    expect(copyAs(Uint8Array.from([0xff]), 'base64')).toBe('/w==');
  });

  it('draws only the rows in view of a 16 MiB buffer', () => {
    const r = visibleRows(16 * 1024 * 1024, 100_000 * 18, 600, 18);
    expect(r.first).toBe(99_996);
    expect(r.last - r.first).toBeLessThan(50);
    expect(visibleRows(20, 0, 600, 18)).toEqual({ first: 0, last: 1 });
  });

  it('finds the ranges where two responses differ, the tail of the longer one included', () => {
    const a = Uint8Array.from([1, 2, 3, 4, 5, 6]);
    const b = Uint8Array.from([1, 9, 9, 4, 5, 7, 8, 8]);
    const d = diffRanges(a, b);
    expect(d).toEqual([
      [1, 2],
      [5, 7],
    ]);
    expect(diffRanges(b, a)).toEqual(d);
    expect(diffRanges(a, a)).toEqual([]);
    expect(diffRanges(new Uint8Array(), Uint8Array.from([0]))).toEqual([[0, 0]]);
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => inRanges(d, i))).toEqual([
      false,
      true,
      true,
      false,
      false,
      true,
      true,
      true,
      false,
    ]);
  });
});
