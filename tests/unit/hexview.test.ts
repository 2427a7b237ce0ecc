import { describe, expect, it } from 'vitest';
import {
  MAX_SCROLL_HEIGHT,
  base64,
  byteSize,
  cArray,
  copyAs,
  cursorTarget,
  diffRanges,
  inRanges,
  innermostRange,
  parseOffset,
  rowWindow,
  scrollTopFor,
  topRow,
} from '../../shared/hexview';

describe('hex viewer helpers', () => {
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

  it('draws only the rows in view of a 4 MiB buffer, one scroll pixel per pixel of rows', () => {
    const w = rowWindow(4 * 1024 * 1024, 100_000 * 18, 600, 18);
    expect(w.first).toBe(99_996);
    expect(w.last - w.first).toBeLessThan(50);
    expect(w.shift).toBe(0);
    expect(w.contentHeight).toBe(256 * 1024 * 18);
    expect(rowWindow(20, 0, 600, 18)).toEqual({ first: 0, last: 1, contentHeight: 36, shift: 0 });
  });

  it('scales the scrollbar of a 64 MiB buffer so its last row can be reached', () => {
    const size = 64 * 1024 * 1024;
    const rows = size / 16;
    expect(rows * 18).toBeGreaterThan(MAX_SCROLL_HEIGHT);
    const bottom = MAX_SCROLL_HEIGHT - 288;
    const w = rowWindow(size, bottom, 288, 18);
    expect(w.contentHeight).toBe(MAX_SCROLL_HEIGHT);
    expect(w.last).toBe(rows - 1);
    // The last row sits at the view's bottom edge.
    expect((rows - 1) * 18 - w.shift).toBeCloseTo(bottom + 288 - 18, 3);
    // Scrolling to a row and back names the same row at the top.
    const at = scrollTopFor(size, 2_000_000, 288, 18);
    expect(topRow(size, at, 288, 18)).toBe(2_000_000);
    expect(scrollTopFor(size, rows + 10, 288, 18)).toBe(bottom);
    expect(scrollTopFor(40, 1, 288, 18)).toBe(0);
  });

  it('moves the cursor by byte, row, page, row ends and data ends, clamped to the data', () => {
    const k = (key: string, ctrl = false) => ({ key, ctrl });
    expect(cursorTarget(k('ArrowRight'), 5, 100, 16)).toBe(6);
    expect(cursorTarget(k('ArrowLeft'), 0, 100, 16)).toBe(0);
    expect(cursorTarget(k('ArrowDown'), 5, 100, 16)).toBe(21);
    expect(cursorTarget(k('ArrowDown'), 90, 100, 16)).toBe(99);
    expect(cursorTarget(k('ArrowUp'), 5, 100, 16)).toBe(0);
    expect(cursorTarget(k('PageDown'), 0, 1000, 16)).toBe(256);
    expect(cursorTarget(k('PageUp'), 300, 1000, 16)).toBe(44);
    expect(cursorTarget(k('Home'), 0x25, 100, 16)).toBe(0x20);
    expect(cursorTarget(k('End'), 0x25, 100, 16)).toBe(0x2f);
    expect(cursorTarget(k('End'), 0x61, 100, 16)).toBe(99);
    expect(cursorTarget(k('Home', true), 77, 100, 16)).toBe(0);
    expect(cursorTarget(k('End', true), 7, 100, 16)).toBe(99);
    expect(cursorTarget(k('a'), 7, 100, 16)).toBeUndefined();
    expect(cursorTarget(k('ArrowRight'), 0, 0, 16)).toBeUndefined();
  });

  it('reads offsets typed as 0x1000, 1000h or 4096, and refuses the rest naming why', () => {
    expect(parseOffset('0x1000', 8192)).toEqual({ ok: true, value: 4096 });
    expect(parseOffset(' 1000h ', 8192)).toEqual({ ok: true, value: 4096 });
    expect(parseOffset('1000H', 8192)).toEqual({ ok: true, value: 4096 });
    expect(parseOffset('4096', 8192)).toEqual({ ok: true, value: 4096 });
    expect(parseOffset('0', 1)).toEqual({ ok: true, value: 0 });
    const bad = parseOffset('12g', 8192);
    expect(!bad.ok && bad.error.code).toBe('bad-offset');
    expect(!parseOffset('', 10).ok).toBe(true);
    expect(!parseOffset('-4', 10).ok).toBe(true);
    // Past the end however far, and said exactly: 2^64 is not rounded to a nearby float.
    const huge = parseOffset('18446744073709551617', 2048);
    expect(!huge.ok && huge.error.message).toMatch(
      /^Offset 18446744073709551617 \(0x10000000000000001\) is past the end/,
    );
    const past = parseOffset('0x800', 2048);
    expect(!past.ok && past.error.message).toMatch(/past the end.*2 KiB \(2048 bytes\)/);
    // Under a KiB the size is already in bytes: said once.
    const short = parseOffset('96', 96);
    expect(!short.ok && short.error.message).toBe(
      'Offset 96 (0x60) is past the end: the data is 96 bytes.',
    );
  });

  it('says sizes as a person reads them', () => {
    expect(byteSize(0)).toBe('0 bytes');
    expect(byteSize(1)).toBe('1 byte');
    expect(byteSize(512)).toBe('512 bytes');
    expect(byteSize(1023)).toBe('1023 bytes');
    expect(byteSize(1024)).toBe('1 KiB');
    expect(byteSize(1536)).toBe('1.5 KiB');
    expect(byteSize(2097152)).toBe('2 MiB');
    expect(byteSize(1048575)).toBe('1 MiB');
    expect(byteSize(64 * 1024 * 1024)).toBe('64 MiB');
    expect(byteSize(3 * 1024 ** 3 + 512 * 1024 ** 2)).toBe('3.5 GiB');
    expect(byteSize(5 * 1024 ** 5)).toBe('5120 TiB');
  });

  it('finds the innermost range holding a byte', () => {
    const ranges = [[0, 35], undefined, [8, 15], [10, 11], [40, 40]] as const;
    expect(innermostRange(ranges, 10)).toBe(3);
    expect(innermostRange(ranges, 9)).toBe(2);
    expect(innermostRange(ranges, 0)).toBe(0);
    expect(innermostRange(ranges, 40)).toBe(4);
    expect(innermostRange(ranges, 38)).toBeUndefined();
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
