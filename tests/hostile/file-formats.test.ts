/**
 * The two file formats usbcdb reads back, fuzzed: the presets file (on disk,
 * and imported through the IPC contract) and the JSON-lines trace (uploaded
 * through the contract, or named on the command line). Whatever the bytes,
 * the reader returns a result naming what is wrong — never a throw — and a
 * presets file it cannot read is never overwritten.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePresetsJson, presetsJson } from '../../shared/presets-file';
import { headerLine, parseTrace } from '../../shared/trace';
import { PresetStore } from '../../src-main/presets/store';
import { testTempDir } from '../temp-dir';
import { recordHostile } from './report';

const PRESET = {
  id: 'p1',
  name: 'INQUIRY 36',
  folder: '',
  cdb: '12 00 00 00 24 00',
  direction: 'in' as const,
  transferLength: 36,
  lun: 0,
  notes: '',
};
const VALID_PRESETS = presetsJson([PRESET]);
const VALID_TRACE = [
  headerLine({ id: 'emu:x', kind: 'emu', vendor: 'v', product: 'p', maxLun: 0 }),
  '{"time":"2026-01-01T00:00:00.000Z","request":{"cdb":"00 00 00 00 00 00","lun":0,"direction":"none","transferLength":0,"timeoutMs":1000},"outcome":{"status":0,"dataIn":"","residue":0,"durationMs":1}}',
  '{"time":"2026-01-01T00:00:01.000Z","request":{"cdb":"12 00 00 00 24 00","lun":0,"direction":"in","transferLength":36,"timeoutMs":1000},"outcome":{"status":null,"transportError":{"kind":"timeout","message":"timed out"},"dataIn":"","residue":0,"durationMs":1000}}',
].join('\n');

/** A valid document with a few characters replaced, inserted or cut: near misses go deepest. */
function mutated(valid: string): fc.Arbitrary<string> {
  return fc
    .array(
      fc.tuple(fc.nat({ max: valid.length }), fc.nat({ max: 3 }), fc.string({ maxLength: 4 })),
      { minLength: 1, maxLength: 4 },
    )
    .map((edits) =>
      edits.reduce((s, [at, cut, put]) => s.slice(0, at) + put + s.slice(at + cut), valid),
    );
}

type JsonPath = readonly (string | number)[];

/** Every value's path in `v`, the containers' included. */
function pathsOf(v: unknown, at: JsonPath = []): JsonPath[] {
  if (v === null || typeof v !== 'object') return [at];
  const inner = Object.entries(v).flatMap(([k, x]) =>
    pathsOf(x, [...at, Array.isArray(v) ? Number(k) : k]),
  );
  return [at, ...inner];
}

/**
 * A valid document (one JSON value, or JSON lines) with one value, anywhere, replaced by any JSON
 * value: null where an object was, a string where a number was. Text mutations rarely make those.
 */
function valueSwapped(valid: string): fc.Arbitrary<string> {
  const whole = ((): unknown[] | undefined => {
    try {
      return [JSON.parse(valid) as unknown];
    } catch {
      return undefined;
    }
  })();
  const lines = whole ?? valid.split('\n').map((l) => JSON.parse(l) as unknown);
  const paths = lines.flatMap((l, i) => pathsOf(l).map((p) => [i, ...p] as JsonPath));
  return fc.tuple(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 2 })).map(([path, value]) => {
    const copy = lines.map((l) => structuredClone(l));
    const [line, ...rest] = path as [number, ...JsonPath];
    if (rest.length === 0) copy[line] = value;
    else {
      let parent = copy[line] as Record<string | number, unknown>;
      for (const k of rest.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
      parent[rest[rest.length - 1] as string | number] = value;
    }
    return copy.map((l) => JSON.stringify(l)).join('\n');
  });
}

const anyText = (valid: string): fc.Arbitrary<string> =>
  fc.oneof(
    mutated(valid),
    valueSwapped(valid),
    fc.string({ maxLength: 300 }),
    fc.json(),
    // Any JSON value as one line, and as many lines (a header-like first line, then values).
    fc
      .array(fc.jsonValue(), { maxLength: 4 })
      .map((vs) => vs.map((v) => JSON.stringify(v)).join('\n')),
  );

describe('the presets file, fuzzed', () => {
  it('parses any text to presets or an error naming the file, never a throw', () => {
    let tried = 0;
    fc.assert(
      fc.property(anyText(VALID_PRESETS), (text) => {
        tried++;
        const r = parsePresetsJson(text, 'x.json');
        if (!r.ok) expect(r.error.message).toMatch(/^x\.json/);
      }),
      { numRuns: 1500 },
    );
    recordHostile({
      surface: 'presets file',
      input: 'fuzzed and mutated presets JSON (parse)',
      tried,
      crashes: 0,
      hangs: 0,
      dataLost: 0,
    });
  });

  it('never overwrites a presets file it cannot read: the save fails and the bytes stay', () => {
    const dir = testTempDir('presets-fuzz');
    const file = join(dir, 'presets.json');
    let tried = 0;
    let lost = 0;
    fc.assert(
      fc.property(mutated(VALID_PRESETS), (text) => {
        if (parsePresetsJson(text, 'x').ok) return;
        tried++;
        writeFileSync(file, text);
        const saved = new PresetStore(file).save({ ...PRESET, id: 'p2' });
        expect(saved.ok).toBe(false);
        if (readFileSync(file, 'utf8') !== text) lost++;
      }),
      { numRuns: 300 },
    );
    expect(lost).toBe(0);
    recordHostile({
      surface: 'presets file',
      input: 'a damaged presets.json on disk, then a save',
      tried,
      crashes: 0,
      hangs: 0,
      dataLost: lost,
    });
  });
});

describe('the trace format, fuzzed', () => {
  it('parses any text to a trace or an error naming the line, never a throw', () => {
    let tried = 0;
    fc.assert(
      fc.property(anyText(VALID_TRACE), (text) => {
        tried++;
        const r = parseTrace(text, 't.jsonl');
        if (!r.ok) expect(r.error.message).toMatch(/^t\.jsonl( is empty| line \d+)/);
      }),
      { numRuns: 1500 },
    );
    recordHostile({
      surface: 'trace files',
      input: 'fuzzed and mutated JSON-lines traces (parse)',
      tried,
      crashes: 0,
      hangs: 0,
      dataLost: 0,
    });
  });
});
