/**
 * Decoded vendor responses as the views show them: nested rows flattened
 * with their depth, the byte range each covers, and the row a byte belongs
 * to (so a click in the hex view can point at its field).
 */
import type { DecodedRowWire } from '../shared/ipc/contract';
import type { ByteRange } from '../shared/hexview';

export interface FlatRow {
  readonly row: DecodedRowWire;
  /** 0 for a top-level field, 1 for a field of a struct or array record, … */
  readonly depth: number;
}

/** Rows in reading order, each followed by its children. */
export function flattenRows(rows: readonly DecodedRowWire[], depth = 0): FlatRow[] {
  return rows.flatMap((row) => [{ row, depth }, ...flattenRows(row.children ?? [], depth + 1)]);
}

/** The bytes a row was read from, inclusive; undefined for a row the data does not reach or of no bytes. */
export function rangeOf(row: DecodedRowWire): ByteRange | undefined {
  return row.absent || row.length === 0 ? undefined : [row.offset, row.offset + row.length - 1];
}

/** The innermost row whose bytes hold `offset`, or undefined when no row covers it. */
export function rowAt(rows: readonly DecodedRowWire[], offset: number): DecodedRowWire | undefined {
  for (const row of rows) {
    const r = rangeOf(row);
    if (r && offset >= r[0] && offset <= r[1]) return rowAt(row.children ?? [], offset) ?? row;
  }
  return undefined;
}
