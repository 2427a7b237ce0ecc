import { describe, expect, it } from 'vitest';
import {
  MATCH_LIMIT,
  describeSearch,
  findAll,
  inMatch,
  parsePattern,
  stepMatch,
} from '../../shared/hex-search';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('hex search', () => {
  it('reads hex patterns with or without spaces, commas and 0x', () => {
    for (const t of ['de ad be ef', 'deadbeef', ' DE,AD 0xbe 0XEF ', 'deh:adh beh efh'])
      expect(parsePattern(t, 'hex')).toEqual({ ok: true, value: bytes(0xde, 0xad, 0xbe, 0xef) });
  });

  it('reads a lone digit as one byte, as the CDB box does', () => {
    expect(parsePattern('0', 'hex')).toEqual({ ok: true, value: bytes(0x00) });
    expect(parsePattern('a 12', 'hex')).toEqual({ ok: true, value: bytes(0x0a, 0x12) });
  });

  it('refuses hex that is empty, odd or not hex, saying how to write it', () => {
    const code = (t: string) => {
      const r = parsePattern(t, 'hex');
      return r.ok ? undefined : r.error.code;
    };
    expect(code('  ')).toBe('empty-pattern');
    expect(code('abc 12')).toBe('bad-hex');
    expect(code('zz')).toBe('bad-hex');
    const odd = parsePattern('12 abc', 'hex');
    expect(odd.ok ? '' : odd.error.message).toMatch(
      /^Search: "abc" has an odd number of hex digits \(byte 1\)/,
    );
  });

  it('encodes text patterns as UTF-8', () => {
    expect(parsePattern('Aé', 'text')).toEqual({ ok: true, value: bytes(0x41, 0xc3, 0xa9) });
    expect(parsePattern('', 'text').ok).toBe(false);
  });

  it('finds every match, overlapping ones included, up to the end', () => {
    const data = bytes(0xaa, 0xaa, 0xaa, 0x01, 0xaa, 0xaa);
    expect(findAll(data, bytes(0xaa, 0xaa))).toEqual({
      offsets: [0, 1, 4],
      patternLength: 2,
      searched: 6,
    });
    expect(findAll(data, bytes(0x01)).offsets).toEqual([3]);
    expect(findAll(data, bytes(0x02)).offsets).toEqual([]);
    expect(findAll(bytes(1), bytes(1, 2)).offsets).toEqual([]);
    expect(findAll(data, new Uint8Array()).offsets).toEqual([]);
  });

  it('stops after the match limit and says "first N"', () => {
    const r = findAll(new Uint8Array(100_000), bytes(0), { limit: 5 });
    expect(r.offsets).toEqual([0, 1, 2, 3, 4]);
    expect(r.stopped).toBe('limit');
    expect(describeSearch(r)).toBe('first 5 matches');
    expect(MATCH_LIMIT).toBeGreaterThan(1000);
  });

  it('stops when its time is up, saying how far it searched', () => {
    // A clock that jumps 1 s at every look: the first check (after 64 KiB) is past the budget.
    let t = 0;
    const data = new Uint8Array(1024 * 1024).fill(7);
    const r = findAll(data, bytes(7, 8), { budgetMs: 100, now: () => (t += 1000) });
    expect(r.stopped).toBe('time');
    expect(r.searched).toBe(0x10000);
    expect(describeSearch(r)).toBe('no match in the part searched');
    data[5] = 8;
    t = 0;
    const some = findAll(data, bytes(7, 8), { budgetMs: 100, now: () => (t += 1000) });
    expect(describeSearch(some)).toBe(`1 match in the first ${0x10000} bytes`);
  });

  it('searches 64 MiB with a match at the very end within the budget', () => {
    const data = new Uint8Array(64 * 1024 * 1024);
    data.set([0xde, 0xad, 0xbe, 0xef], data.length - 4);
    const r = findAll(data, bytes(0xde, 0xad, 0xbe, 0xef), { budgetMs: 5000 });
    expect(r.offsets).toEqual([data.length - 4]);
    expect(r.stopped).toBeUndefined();
  });

  it('describes a complete search by its count', () => {
    expect(describeSearch({ offsets: [], patternLength: 1, searched: 4 })).toBe('no match');
    expect(describeSearch({ offsets: [3], patternLength: 1, searched: 4 })).toBe('1 match');
    expect(describeSearch({ offsets: [1, 3], patternLength: 1, searched: 4 })).toBe('2 matches');
  });

  it('steps to the next and previous match from the cursor, wrapping at the ends', () => {
    const m = [4, 10, 20];
    expect(stepMatch(m, undefined, 1)).toBe(0);
    expect(stepMatch(m, undefined, -1)).toBe(2);
    expect(stepMatch(m, 4, 1)).toBe(1);
    expect(stepMatch(m, 5, 1)).toBe(1);
    expect(stepMatch(m, 20, 1)).toBe(0);
    expect(stepMatch(m, 10, -1)).toBe(0);
    expect(stepMatch(m, 11, -1)).toBe(1);
    expect(stepMatch(m, 4, -1)).toBe(2);
    expect(stepMatch(m, 0, -1)).toBe(2);
    expect(stepMatch([], 3, 1)).toBeUndefined();
  });

  it('tells whether a byte lies inside a match', () => {
    const m = [0, 1, 8];
    expect([0, 1, 2, 3, 7, 8, 9, 10].map((i) => inMatch(m, 2, i))).toEqual([
      true,
      true,
      true,
      false,
      false,
      true,
      true,
      false,
    ]);
    expect(inMatch([], 2, 0)).toBe(false);
  });
});
