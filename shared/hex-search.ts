/**
 * Searching a hex view's bytes for a hex pattern or text: every match's
 * offset, stopped after a count or a time budget so a 64 MiB buffer never
 * freezes the view, then stepping to the next or previous match and asking
 * whether a byte lies in one. Matches may overlap ("aa aa" twice in
 * "aa aa aa"), as in hex editors.
 */
import { parseHex } from './scsi/hex';
import { err, ok, problem, type Result } from './scsi/result';

export type SearchMode = 'hex' | 'text';

/** Matches kept before a search stops and says "first N". */
export const MATCH_LIMIT = 10_000;
/** Milliseconds a search may take before it stops where it got to. */
export const SEARCH_BUDGET_MS = 200;

/**
 * The bytes to look for. Hex is read as the CDB box reads it (parseHex: "12 00",
 * "1200", "0x12,0x00", "12h", a lone digit as one byte); text is UTF-8 encoded as typed.
 */
export function parsePattern(text: string, mode: SearchMode): Result<Uint8Array> {
  if (mode === 'text') {
    if (text.length === 0) return err(problem('empty-pattern', 'Type the text to look for.'));
    return ok(new TextEncoder().encode(text));
  }
  if (text.trim().length === 0) return err(problem('empty-pattern', 'Type the bytes to look for.'));
  // The CDB box's own reading of hex, so "0" or "12h" finds what it would send.
  return parseHex(text, 'Search');
}

export interface SearchResult {
  /** Offsets of the matches found, ascending. */
  readonly offsets: readonly number[];
  readonly patternLength: number;
  /** Why it stopped before the end: the match limit, or the time budget. Absent when it searched everything. */
  readonly stopped?: 'limit' | 'time';
  /** Bytes of the buffer searched (a match may start anywhere before this). */
  readonly searched: number;
}

export interface SearchBounds {
  readonly limit?: number;
  readonly budgetMs?: number;
  /** Milliseconds since some fixed point; injectable so tests need not wait. */
  readonly now?: () => number;
}

/**
 * Every offset where `pattern` starts in `data`, up to `limit` of them and
 * for at most `budgetMs` (checked every 64 KiB scanned). The first byte is
 * found by the engine's native indexOf; only candidates are compared in full.
 */
export function findAll(
  data: Uint8Array,
  pattern: Uint8Array,
  bounds: SearchBounds = {},
): SearchResult {
  const limit = bounds.limit ?? MATCH_LIMIT;
  const budget = bounds.budgetMs ?? SEARCH_BUDGET_MS;
  const now = bounds.now ?? (() => Date.now());
  const offsets: number[] = [];
  const n = pattern.length;
  const first = pattern[0];
  if (first === undefined || n > data.length)
    return { offsets, patternLength: n, searched: data.length };
  const lastStart = data.length - n;
  const deadline = now() + budget;
  let nextCheck = 0x10000;
  let i = 0;
  while (i <= lastStart) {
    const at = data.indexOf(first, i);
    if (at < 0 || at > lastStart) break;
    let same = true;
    for (let k = 1; k < n; k++)
      if (data[at + k] !== pattern[k]) {
        same = false;
        break;
      }
    if (same) {
      offsets.push(at);
      if (offsets.length >= limit)
        return { offsets, patternLength: n, stopped: 'limit', searched: at + n };
    }
    i = at + 1;
    if (i >= nextCheck) {
      nextCheck = i + 0x10000;
      if (now() > deadline) return { offsets, patternLength: n, stopped: 'time', searched: i };
    }
  }
  return { offsets, patternLength: n, searched: data.length };
}

/** A sentence for the search box: "3 matches", "first 10000 matches", "no match". */
export function describeSearch(r: SearchResult): string {
  const count = r.offsets.length;
  if (count === 0) return r.stopped === 'time' ? 'no match in the part searched' : 'no match';
  const noun = count === 1 ? 'match' : 'matches';
  if (r.stopped === 'limit') return `first ${count} ${noun}`;
  if (r.stopped === 'time') return `${count} ${noun} in the first ${r.searched} bytes`;
  return `${count} ${noun}`;
}

/** Index of the last offset ≤ `at`, or -1. */
function lastAtOrBefore(offsets: readonly number[], at: number): number {
  let lo = 0;
  let hi = offsets.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((offsets[mid] ?? Infinity) <= at) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * Which match to go to from the cursor: the first one starting after `from`
 * going forward, the last one starting before it going back, wrapping round
 * at either end. Undefined when there are no matches.
 */
export function stepMatch(
  offsets: readonly number[],
  from: number | undefined,
  direction: 1 | -1,
): number | undefined {
  if (offsets.length === 0) return undefined;
  if (from === undefined) return direction === 1 ? 0 : offsets.length - 1;
  const k = lastAtOrBefore(offsets, from);
  if (direction === 1) return k + 1 < offsets.length ? k + 1 : 0;
  const back = offsets[k] === from ? k - 1 : k;
  return back >= 0 ? back : offsets.length - 1;
}

/** Whether byte `i` lies inside one of the matches (each `length` bytes long). */
export function inMatch(offsets: readonly number[], length: number, i: number): boolean {
  // Matches are equally long, so if the last one starting at or before i does not reach it, none does.
  const k = lastAtOrBefore(offsets, i);
  const start = offsets[k];
  return start !== undefined && i < start + length;
}
