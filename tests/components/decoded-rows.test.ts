/** Decoded vendor rows as the views use them: flattened in reading order, and found by a byte. */
import { describe, expect, it } from 'vitest';
import type { DecodedRowWire } from '../../shared/ipc/contract';
import { flattenRows, rangeOf, rowAt } from '../../src-renderer/decoded-rows';

/** A status byte, then a struct of a 16-bit count and a flag byte, then a field past the data. */
const ROWS: DecodedRowWire[] = [
  { key: 'status', name: 'STATUS', value: '1', offset: 0, length: 1 },
  {
    key: 'header',
    name: 'HEADER',
    value: '',
    offset: 2,
    length: 4,
    children: [
      { key: 'header.count', name: 'COUNT', value: '3', offset: 2, length: 2 },
      { key: 'header.ready', name: 'READY', value: 'yes', offset: 5, length: 1 },
    ],
  },
  { key: 'tail', name: 'TAIL', value: '(past the end)', offset: 8, length: 4, absent: true },
];

describe('decoded rows', () => {
  it('flattens nested rows in reading order with their depth', () => {
    expect(flattenRows(ROWS).map((r) => [r.row.key, r.depth])).toEqual([
      ['status', 0],
      ['header', 0],
      ['header.count', 1],
      ['header.ready', 1],
      ['tail', 0],
    ]);
  });

  it('gives a row its inclusive byte range, and none to a row past the data', () => {
    expect(rangeOf(ROWS[1] as DecodedRowWire)).toEqual([2, 5]);
    expect(rangeOf(ROWS[2] as DecodedRowWire)).toBeUndefined();
  });

  it('finds the innermost row holding a byte', () => {
    expect(rowAt(ROWS, 0)?.key).toBe('status');
    expect(rowAt(ROWS, 3)?.key).toBe('header.count');
    expect(rowAt(ROWS, 5)?.key).toBe('header.ready');
    // Byte 4 is inside the struct but no field of it: the struct is the answer.
    expect(rowAt(ROWS, 4)?.key).toBe('header');
    expect(rowAt(ROWS, 1)).toBeUndefined();
    expect(rowAt(ROWS, 9)).toBeUndefined();
  });
});
