import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineAt, nodeAt, readJsonPositions } from '../../../shared/vendor-sets/json-positions';

const problem = (t: string): string => {
  const r = readJsonPositions(t);
  return r.ok ? 'ok' : `${r.error.offset}: ${r.error.message}`;
};

describe('readJsonPositions', () => {
  it('records where each value and each member’s key starts', () => {
    const t = '{\n  "a": [1, {"b": true}],\n  "c": "x"\n}';
    const r = readJsonPositions(t);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(nodeAt(r.value, ['a', 1, 'b'])).toEqual({
      offset: t.indexOf('true'),
      keyOffset: t.indexOf('"b"'),
    });
    expect(lineAt(t, nodeAt(r.value, ['c'])?.keyOffset ?? -1)).toBe(3);
    expect(nodeAt(r.value, ['a', 5])).toBeUndefined();
  });

  it('refuses what JSON.parse would not read, or would read differently, saying where', () => {
    expect(problem('{"a": 1,}')).toBe('8: a trailing comma is not allowed in JSON');
    expect(problem('[1, 2,]')).toBe('6: a trailing comma is not allowed in JSON');
    expect(problem('{"a": 1 // one\n}')).toBe('8: comments are not allowed in JSON');
    expect(problem('{"a": 1, "a": 2}')).toBe('9: "a" appears twice in the same object');
    expect(problem('{"a": 01}')).toBe('7: a "," or "}" is expected');
    expect(problem('{"a": "x\ty"}')).toMatch(
      /^8: a control character must be written as an escape/,
    );
    expect(problem('{"a": "x')).toBe('6: a string is not closed');
    expect(problem("{'a': 1}")).toBe('1: a property name in double quotes is expected');
    expect(problem('{"a": NaN}')).toMatch(/^6: a value is expected here/);
    expect(problem('{} {}')).toBe('3: nothing may follow the top-level value');
    expect(problem('')).toBe('0: the text ends where a value is expected');
    expect(problem('"\\x"')).toBe('1: an escape that JSON does not have');
  });

  it('accepts every JSON text JSON.stringify writes', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.boolean(), (v, pretty) => {
        expect(readJsonPositions(JSON.stringify(v, null, pretty ? 2 : 0)).ok).toBe(true);
      }),
    );
  });

  it('never accepts a text JSON.parse refuses', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'{}[]":,0123456789-.eE truefalsn\\/\n') }),
        (t) => {
          let parses = true;
          try {
            JSON.parse(t);
          } catch {
            parses = false;
          }
          if (readJsonPositions(t).ok) expect(parses).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
