import { describe, expect, it } from 'vitest';
import {
  TEXT_LIMIT,
  asciiOf,
  floatText,
  inspect,
  inspectionRows,
  signedHex,
  utf8Of,
} from '../../shared/inspect';

/** READ CAPACITY(10) data (SBC-4 5.20.2): RETURNED LOGICAL BLOCK ADDRESS 0x0003ffff, BLOCK LENGTH 512. */
const CAPACITY = Uint8Array.from([0x00, 0x03, 0xff, 0xff, 0x00, 0x00, 0x02, 0x00]);

describe('data inspector', () => {
  it('reads every integer width unsigned and signed, big- and little-endian, at the selection start', () => {
    const r = inspect(CAPACITY, 0, 1);
    expect(r.integers.map((n) => n.bits)).toEqual([8, 16, 32, 64]);
    const [u8, u16, u32, u64] = r.integers;
    expect(u8).toEqual({ bits: 8, unsignedBe: 0n, unsignedLe: 0n, signedBe: 0n, signedLe: 0n });
    expect(u16).toMatchObject({ unsignedBe: 0x0003n, unsignedLe: 0x0300n });
    expect(u32).toMatchObject({
      unsignedBe: 0x0003ffffn,
      unsignedLe: 0xffff0300n,
      signedLe: -64768n,
    });
    expect(u64).toMatchObject({
      unsignedBe: 0x0003ffff00000200n,
      unsignedLe: 0x00020000ffff0300n,
      signedBe: 0x0003ffff00000200n,
    });
  });

  it('reads signed values negative where the top bit is set', () => {
    const r = inspect(Uint8Array.from([0xff, 0xfe, 0x80, 0, 0, 0, 0, 0, 0x01]), 0, 1);
    expect(r.integers[0]).toMatchObject({ unsignedBe: 255n, signedBe: -1n });
    expect(r.integers[1]).toMatchObject({ signedBe: -2n, signedLe: -257n });
    // ff fe 80 00 00 00 00 00 is 2^64 − 0x1800000000000.
    expect(r.integers[3]?.signedBe).toBe(-0x1800000000000n);
    expect(r.integers[3]?.unsignedBe).toBe(0xfffe800000000000n);
  });

  it('reads a later offset and leaves out widths the data ends before', () => {
    const r = inspect(CAPACITY, 4, 4);
    expect(r.offset).toBe(4);
    expect(r.length).toBe(4);
    expect(r.integers.map((n) => n.bits)).toEqual([8, 16, 32]);
    expect(r.integers[2]?.unsignedBe).toBe(512n);
    expect(r.floats.map((f) => f.bits)).toEqual([32]);
    expect(inspect(CAPACITY, 7, 5)).toMatchObject({ offset: 7, length: 1 });
  });

  it('reads nothing at an offset outside the data', () => {
    for (const at of [-1, 8, 1.5]) {
      const r = inspect(CAPACITY, at, 2);
      expect(r).toMatchObject({ length: 0, integers: [], floats: [], ascii: '', utf8: '' });
    }
    expect(inspect(new Uint8Array(), 0, 0).integers).toEqual([]);
  });

  it('reads IEEE 754 floats in both byte orders', () => {
    // 1.0f is 3f800000; 1.0 is 3ff0000000000000.
    const f = inspect(Uint8Array.from([0x3f, 0x80, 0, 0]), 0, 4).floats;
    expect(f).toEqual([{ bits: 32, be: 1, le: 4.600602988224807e-41 }]);
    const d = inspect(Uint8Array.from([0x3f, 0xf0, 0, 0, 0, 0, 0, 0]), 0, 8).floats;
    expect(d[1]).toEqual({ bits: 64, be: 1, le: 3.03865e-319 });
  });

  it('reads the selection as ASCII and UTF-8, bounded to TEXT_LIMIT bytes', () => {
    const text = new TextEncoder().encode('Größe\n');
    const r = inspect(text, 0, text.length);
    expect(r.ascii).toBe('Gr....e.');
    expect(r.utf8).toBe('Größe.');
    expect(r.textCut).toBe(false);
    const long = inspect(new Uint8Array(10_000).fill(0x41), 0, 10_000);
    expect(long.ascii).toHaveLength(TEXT_LIMIT);
    expect(long.textCut).toBe(true);
  });

  it('shows printable ASCII as itself and everything else as a dot', () => {
    expect(asciiOf(Uint8Array.from([0x1f, 0x20, 0x41, 0x7e, 0x7f, 0xff]))).toBe('. A~..');
  });

  it('decodes UTF-8 with invalid sequences as U+FFFD and control characters as dots', () => {
    expect(utf8Of(Uint8Array.from([0xe2, 0x82, 0xac, 0x09, 0xc3, 0x41, 0xc2, 0x85]))).toBe(
      '€.\uFFFDA.',
    );
  });

  it('shows a bidirectional override or a line separator as a dot, so the reading keeps its order and line', () => {
    // U+202E RIGHT-TO-LEFT OVERRIDE, U+2066 LEFT-TO-RIGHT ISOLATE, U+2028 LINE SEPARATOR.
    const text = new TextEncoder().encode('a\u202eb\u2066c\u2028d');
    expect(utf8Of(text)).toBe('a.b.c.d');
  });

  it('writes hex with the width padded and the sign in front', () => {
    expect(signedHex(0x1fn, 16)).toBe('0x001f');
    expect(signedHex(-1n, 8)).toBe('-0x01');
    expect(signedHex(4096n, 1)).toBe('0x1000');
  });

  it('writes floats exactly, naming NaN, the infinities and negative zero', () => {
    expect(floatText(0.1)).toBe('0.1');
    expect(floatText(NaN)).toBe('NaN');
    expect(floatText(Infinity)).toBe('+Infinity');
    expect(floatText(-Infinity)).toBe('-Infinity');
    expect(floatText(-0)).toBe('-0');
  });

  it('lists offset, length, each reading in decimal and hex, then text', () => {
    const rows = inspectionRows(inspect(CAPACITY, 4, 4));
    const by = (label: string) => rows.find((r) => r.label === label);
    expect(rows.map((r) => r.label)).toEqual([
      'offset',
      'length',
      'u8',
      'i8',
      'u16 BE',
      'i16 BE',
      'u16 LE',
      'i16 LE',
      'u32 BE',
      'i32 BE',
      'u32 LE',
      'i32 LE',
      'f32 BE',
      'f32 LE',
      'ASCII',
      'UTF-8',
    ]);
    expect(by('offset')).toEqual({ label: 'offset', decimal: '4', hex: '0x4' });
    expect(by('u32 BE')).toEqual({ label: 'u32 BE', decimal: '512', hex: '0x00000200' });
    expect(by('u32 LE')).toEqual({ label: 'u32 LE', decimal: '131072', hex: '0x00020000' });
    expect(by('f32 BE')).toEqual({
      label: 'f32 BE',
      decimal: '7.174648137343064e-43',
      hex: '0x00000200',
    });
    expect(by('ASCII')?.decimal).toBe('"...."');
    const cut = inspectionRows(inspect(new Uint8Array(300), 0, 300));
    expect(cut.find((r) => r.label === 'UTF-8')?.decimal).toMatch(/…$/);
  });
});
