import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeLayout,
  encodeLayout,
  findRow,
  MAX_DECODED_ROWS,
  type DecodedRow,
} from '../../../shared/vendor-sets/layout';
import type { Layout, LayoutField, LayoutValues } from '../../../shared/vendor-sets/model';

const row = (rows: readonly DecodedRow[], key: string): DecodedRow => {
  const r = findRow(rows, key);
  if (!r) throw new Error(`no row ${key}`);
  return r;
};

describe('decodeLayout', () => {
  it('reads unsigned integers big- and little-endian, in decimal and hex', () => {
    const layout: Layout = [
      { key: 'be', name: 'BE', type: 'uint', size: 2, endian: 'be', offset: 0 },
      { key: 'le', name: 'LE', type: 'uint', size: 4, endian: 'le', offset: 2 },
    ];
    const rows = decodeLayout(layout, Uint8Array.of(0x01, 0x2c, 0x78, 0x56, 0x34, 0x12));
    expect(row(rows, 'be')).toMatchObject({
      value: '300 (0x012c)',
      raw: 300,
      offset: 0,
      length: 2,
    });
    expect(row(rows, 'le')).toMatchObject({ value: '305419896 (0x12345678)', raw: 0x12345678 });
  });

  it('reads signed integers in two’s complement and 64-bit values as bigints', () => {
    const layout: Layout = [
      { key: 's8', name: 'S8', type: 'int', size: 1, endian: 'be', offset: 0 },
      { key: 's16', name: 'S16', type: 'int', size: 2, endian: 'le', offset: 1 },
      { key: 'u64', name: 'U64', type: 'uint', size: 8, endian: 'be', offset: 3 },
      { key: 's64', name: 'S64', type: 'int', size: 8, endian: 'le', offset: 11 },
    ];
    const bytes = Uint8Array.of(
      0xfb, // -5
      0x00,
      0x80, // -32768 little-endian
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xfe, // 2^64 - 2
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff, // -1
    );
    const rows = decodeLayout(layout, bytes);
    expect(row(rows, 's8')).toMatchObject({ raw: -5, value: '-5 (0xfb)' });
    expect(row(rows, 's16')).toMatchObject({ raw: -32768, value: '-32768 (0x8000)' });
    expect(row(rows, 'u64').raw).toBe(2n ** 64n - 2n);
    expect(row(rows, 's64').raw).toBe(-1n);
  });

  it('names enumerated values, and says when a value has no name', () => {
    const layout: Layout = [
      {
        key: 'state',
        name: 'STATE',
        type: 'uint',
        size: 1,
        endian: 'be',
        offset: 0,
        values: [{ value: 2, name: 'blinking' }],
      },
      {
        key: 'mode',
        name: 'MODE',
        type: 'bits',
        offset: 1,
        bit: 4,
        width: 3,
        values: [{ value: 5, name: 'five' }],
      },
    ];
    expect(row(decodeLayout(layout, Uint8Array.of(2, 0x50)), 'state').value).toBe('blinking (2)');
    expect(row(decodeLayout(layout, Uint8Array.of(2, 0x50)), 'mode')).toMatchObject({
      value: 'five (5)',
      raw: 5,
    });
    expect(row(decodeLayout(layout, Uint8Array.of(7, 0x20)), 'state').value).toBe(
      '7 (0x07), not a named value',
    );
    expect(row(decodeLayout(layout, Uint8Array.of(7, 0x20)), 'mode').raw).toBe(2);
  });

  it('shows flags as yes/no', () => {
    const layout: Layout = [
      { key: 'a', name: 'A', type: 'flag', offset: 0, bit: 7 },
      { key: 'b', name: 'B', type: 'flag', offset: 0, bit: 0 },
    ];
    const rows = decodeLayout(layout, Uint8Array.of(0x80));
    expect(row(rows, 'a')).toMatchObject({ value: 'yes', raw: true });
    expect(row(rows, 'b')).toMatchObject({ value: 'no', raw: false });
  });

  it('trims ASCII, byte-swaps ATA strings (ACS-4) and shows bytes as hex', () => {
    const layout: Layout = [
      { key: 'text', name: 'TEXT', type: 'ascii', offset: 0, length: 8 },
      { key: 'model', name: 'MODEL', type: 'ata-string', offset: 8, length: 6 },
      { key: 'raw', name: 'RAW', type: 'bytes', offset: 14, length: 2 },
    ];
    const bytes = new Uint8Array([
      ...new TextEncoder().encode(' ACME   '),
      // "ST1000" as IDENTIFY DEVICE stores it: each word's first character in its high byte.
      ...new TextEncoder().encode('TS0100'),
      0xde,
      0xad,
    ]);
    const rows = decodeLayout(layout, bytes);
    expect(row(rows, 'text').value).toBe('ACME');
    expect(row(rows, 'model').value).toBe('ST1000');
    expect(row(rows, 'raw')).toMatchObject({ value: 'de ad', offset: 14, length: 2 });
  });

  it('decodes structs with absolute offsets and dotted keys', () => {
    const layout: Layout = [
      {
        key: 'hdr',
        name: 'HEADER',
        type: 'struct',
        offset: 2,
        layout: [{ key: 'len', name: 'LEN', type: 'uint', size: 2, endian: 'be', offset: 1 }],
      },
    ];
    const rows = decodeLayout(layout, Uint8Array.of(0, 0, 0, 0x01, 0x00));
    expect(row(rows, 'hdr')).toMatchObject({ offset: 2, length: 3 });
    expect(row(rows, 'hdr.len')).toMatchObject({ raw: 256, offset: 3, length: 2 });
  });

  it('decodes an array whose count is an earlier field, stopping where the data ends', () => {
    const layout: Layout = [
      { key: 'count', name: 'COUNT', type: 'uint', size: 1, endian: 'be', offset: 0 },
      {
        key: 'recs',
        name: 'RECORD',
        type: 'array',
        offset: 1,
        stride: 3,
        count: { field: 'count' },
        layout: [
          { key: 'id', name: 'ID', type: 'uint', size: 2, endian: 'be', offset: 0 },
          { key: 'ok', name: 'OK', type: 'flag', offset: 2, bit: 0 },
        ],
      },
    ];
    // COUNT says 4, but only two whole records and one byte of a third arrived.
    const rows = decodeLayout(layout, Uint8Array.of(4, 0, 1, 1, 0, 2, 0, 0));
    const recs = row(rows, 'recs');
    expect(recs.value).toBe('3 of 4 records (the data ends)');
    expect(recs.children).toHaveLength(3);
    expect(row(rows, 'recs.1.id')).toMatchObject({ raw: 2, offset: 4 });
    expect(row(rows, 'recs.0.ok').raw).toBe(true);
    expect(row(rows, 'recs.2.id').absent).toBe(true);
  });

  it('marks rows past the data absent instead of failing, and shows cut text as far as it goes', () => {
    const layout: Layout = [
      { key: 'a', name: 'A', type: 'uint', size: 4, endian: 'be', offset: 0 },
      { key: 'b', name: 'B', type: 'ascii', offset: 4, length: 8 },
      { key: 'c', name: 'C', type: 'flag', offset: 20, bit: 0 },
    ];
    const rows = decodeLayout(layout, Uint8Array.of(1, 2, 3, 4, 0x41, 0x42));
    expect(row(rows, 'a').absent).toBeUndefined();
    expect(row(rows, 'b')).toMatchObject({ value: 'AB', length: 2 });
    expect(row(rows, 'c')).toEqual({
      key: 'c',
      name: 'C',
      value: '(past the end of the data)',
      offset: 20,
      length: 1,
      absent: true,
    });
    expect(decodeLayout(layout, new Uint8Array(2)).every((r) => r.absent)).toBe(true);
  });

  it('stops at MAX_DECODED_ROWS however many records the data holds', () => {
    const layout: Layout = [
      {
        key: 'outer',
        name: 'OUTER',
        type: 'array',
        offset: 0,
        stride: 1,
        count: 1_000_000,
        layout: [
          {
            key: 'inner',
            name: 'INNER',
            type: 'array',
            offset: 0,
            stride: 1,
            count: 1_000_000,
            layout: [{ key: 'b', name: 'B', type: 'uint', size: 1, endian: 'be', offset: 0 }],
          },
        ],
      },
    ];
    const count = (rows: readonly DecodedRow[]): number =>
      rows.reduce((n, r) => n + 1 + count(r.children ?? []), 0);
    expect(count(decodeLayout(layout, new Uint8Array(4096)))).toBeLessThanOrEqual(
      MAX_DECODED_ROWS + 1,
    );
  });
});

describe('encodeLayout', () => {
  const layout: Layout = [
    { key: 'n', name: 'N', type: 'uint', size: 2, endian: 'le', offset: 0 },
    {
      key: 'state',
      name: 'STATE',
      type: 'bits',
      offset: 2,
      bit: 4,
      width: 2,
      values: [{ value: 2, name: 'blinking' }],
    },
    { key: 'on', name: 'ON', type: 'flag', offset: 2, bit: 0 },
    { key: 'model', name: 'MODEL', type: 'ata-string', offset: 3, length: 4 },
    { key: 'count', name: 'COUNT', type: 'uint', size: 1, endian: 'be', offset: 7 },
    {
      key: 'recs',
      name: 'RECORD',
      type: 'array',
      offset: 8,
      stride: 2,
      count: { field: 'count' },
      layout: [{ key: 'v', name: 'V', type: 'int', size: 2, endian: 'be', offset: 0 }],
    },
  ];

  it('writes each value at its field, enum names and flags included, counts filled in', () => {
    const r = encodeLayout(
      layout,
      { n: 0x1234, state: 'blinking', on: true, model: 'AB', recs: [{ v: -2 }, { v: 3 }] },
      12,
    );
    expect(r.ok && Array.from(r.value)).toEqual([
      0x34, 0x12, 0x21, 0x42, 0x41, 0x20, 0x20, 2, 0xff, 0xfe, 0x00, 0x03,
    ]);
  });

  it('names the value that is out of range, unknown or past the answer', () => {
    const message = (values: LayoutValues, length = 12): string => {
      const r = encodeLayout(layout, values, length);
      return r.ok ? 'ok' : r.error.message;
    };
    expect(message({ n: 70000 })).toBe('n: must be 0–65535');
    expect(message({ state: 'dim' })).toMatch(/^state: must be a number or one of "blinking"/);
    expect(message({ recs: [{ v: 1 }, { w: 1 }] })).toMatch(
      /^recs\.1\.w: the layout has no such field/,
    );
    expect(message({ nope: 1 })).toMatch(/^nope: /);
    expect(message({ recs: [{ v: 1 }, { v: 1 }] }, 10)).toMatch(
      /^recs\.1\.v: bytes 10–11 do not fit/,
    );
    expect(message({ model: 'ABCDE' })).toBe('model: must be at most 4 characters');
  });
});

// Arbitrary layouts, including ones the format would refuse (bits past a byte, zero strides).
const leaf: fc.Arbitrary<LayoutField> = fc.oneof(
  fc.record({
    key: fc.constant('u'),
    name: fc.constant('U'),
    type: fc.constant('uint' as const),
    size: fc.constantFrom(1 as const, 2 as const, 4 as const, 8 as const),
    endian: fc.constantFrom('be' as const, 'le' as const),
    offset: fc.integer({ min: 0, max: 40 }),
  }),
  fc.record({
    key: fc.constant('i'),
    name: fc.constant('I'),
    type: fc.constant('int' as const),
    size: fc.constantFrom(1 as const, 2 as const, 4 as const, 8 as const),
    endian: fc.constantFrom('be' as const, 'le' as const),
    offset: fc.integer({ min: 0, max: 40 }),
  }),
  fc.record({
    key: fc.constant('b'),
    name: fc.constant('B'),
    type: fc.constant('bits' as const),
    offset: fc.integer({ min: 0, max: 40 }),
    bit: fc.integer({ min: 0, max: 9 }),
    width: fc.integer({ min: 0, max: 12 }),
  }),
  fc.record({
    key: fc.constant('s'),
    name: fc.constant('S'),
    type: fc.constantFrom('ascii' as const, 'ata-string' as const, 'bytes' as const),
    offset: fc.integer({ min: 0, max: 40 }),
    length: fc.integer({ min: 1, max: 20 }),
  }),
);
const anyLayout: fc.Arbitrary<Layout> = fc.letrec<{ layout: Layout; field: LayoutField }>(
  (tie) => ({
    layout: fc.array(tie('field'), { maxLength: 4 }),
    field: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.record({
        key: fc.constant('st'),
        name: fc.constant('ST'),
        type: fc.constant('struct' as const),
        offset: fc.integer({ min: 0, max: 40 }),
        layout: tie('layout'),
      }),
      fc.record({
        key: fc.constant('ar'),
        name: fc.constant('AR'),
        type: fc.constant('array' as const),
        offset: fc.integer({ min: 0, max: 40 }),
        stride: fc.integer({ min: 0, max: 8 }),
        count: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constant({ field: 'u' })),
        layout: tie('layout'),
      }),
    ),
  }),
).layout;

describe('layout properties', () => {
  it('decodeLayout never throws, whatever the layout and bytes, and rows stay inside the data', () => {
    fc.assert(
      fc.property(anyLayout, fc.uint8Array({ maxLength: 64 }), (layout, bytes) => {
        const walk = (rows: readonly DecodedRow[]): void => {
          for (const r of rows) {
            if (!r.absent && r.children === undefined)
              expect(r.offset + r.length).toBeLessThanOrEqual(bytes.length);
            walk(r.children ?? []);
          }
        };
        walk(decodeLayout(layout, bytes));
      }),
      { numRuns: 300 },
    );
  });

  // A well-formed layout of distinct, non-overlapping whole-byte fields and the values they hold.
  const cell = fc.oneof(
    fc.record({
      kind: fc.constant('uint' as const),
      size: fc.constantFrom(1 as const, 2 as const, 4 as const, 8 as const),
      endian: fc.constantFrom('be' as const, 'le' as const),
      seed: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    }),
    fc.record({
      kind: fc.constant('int' as const),
      size: fc.constantFrom(1 as const, 2 as const, 4 as const, 8 as const),
      endian: fc.constantFrom('be' as const, 'le' as const),
      seed: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    }),
    fc.record({
      kind: fc.constantFrom('ascii' as const, 'ata-string' as const),
      text: fc.stringMatching(/^[A-Za-z0-9]([ -~]{0,6}[A-Za-z0-9])?$/),
    }),
    fc.record({ kind: fc.constant('flags' as const), a: fc.boolean(), b: fc.boolean() }),
  );

  it('encode then decode gives back every value', () => {
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: 6 }), (cells) => {
        const layout: LayoutField[] = [];
        const values: Record<string, number | bigint | string | boolean> = {};
        let offset = 0;
        cells.forEach((c, i) => {
          if (c.kind === 'uint' || c.kind === 'int') {
            const bits = BigInt(c.size * 8);
            const u = c.seed & ((1n << bits) - 1n);
            const v = c.kind === 'int' && u >= 1n << (bits - 1n) ? u - (1n << bits) : u;
            layout.push({
              key: `f${i}`,
              name: `F${i}`,
              type: c.kind,
              size: c.size,
              endian: c.endian,
              offset,
            });
            values[`f${i}`] = c.size === 8 ? v : Number(v);
            offset += c.size;
          } else if (c.kind === 'flags') {
            layout.push({ key: `f${i}`, name: `F${i}`, type: 'flag', offset, bit: 7 });
            layout.push({ key: `g${i}`, name: `G${i}`, type: 'flag', offset, bit: 2 });
            values[`f${i}`] = c.a;
            values[`g${i}`] = c.b;
            offset += 1;
          } else {
            layout.push({ key: `f${i}`, name: `F${i}`, type: c.kind, offset, length: 8 });
            values[`f${i}`] = c.text;
            offset += 8;
          }
        });
        const encoded = encodeLayout(layout, values, offset);
        expect(encoded.ok).toBe(true);
        if (!encoded.ok) return;
        const rows = decodeLayout(layout, encoded.value);
        for (const [key, v] of Object.entries(values)) expect(row(rows, key).raw).toEqual(v);
      }),
      { numRuns: 300 },
    );
  });
});
