/**
 * Differential test: usbcdb's reading of MODE SENSE(6) and (10) data
 * (shared/scsi/parsers/mode.ts) against sdparm's `--inhex=FILE --all`, which
 * decodes mode pages without a device. Parameter lists built from a fixed
 * seed: both headers, with or without a block descriptor, and any of the
 * pages whose bits usbcdb names (Read-Write Error Recovery 01h, Caching 08h,
 * Control 0Ah, Power Condition 1Ah, Informational Exceptions Control 1Ch) in any order, their
 * bytes random. Every page must be found in the same order, and every bit or
 * field usbcdb names must hold the value sdparm gives the same acronym
 * (usbcdb's readRetryCount is sdparm's RRC; sdparm's -1 is a field of all
 * ones). sdparm decodes fields usbcdb does not; those are not compared.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatHex } from '../../shared/scsi/hex';
import { parseModeSense10, parseModeSense6, type ModePage } from '../../shared/scsi/parsers';
import { testTempDir } from '../temp-dir';
import { runPeer } from './peers';
import { seeded } from './seeded';

/** sdparm's page titles (sdparm --enumerate) for the pages compared, by page code. */
const TITLES: Readonly<Record<string, number>> = {
  'Read write error recovery': 0x01,
  'Caching (SBC)': 0x08,
  Control: 0x0a,
  'Informational exceptions control': 0x1c,
  'Power condition': 0x1a,
};

/** Page code → PAGE LENGTH of the pages generated (SBC-4, SPC-5). */
const LENGTHS: Readonly<Record<number, number>> = {
  0x01: 0x0a,
  0x08: 0x12,
  0x0a: 0x0a,
  0x1a: 0x26,
  0x1c: 0x0a,
};

/** usbcdb's names where sdparm's acronym differs. */
const ACRONYM: Readonly<Record<string, string>> = { readRetryCount: 'RRC' };

const next = seeded(0x5d9a);

function parameterList(ten: boolean): Uint8Array {
  const codes = Object.keys(LENGTHS)
    .map(Number)
    .filter(() => next(3) !== 0);
  // Any order: a device returns its pages in ascending order, but nothing here depends on it.
  for (let i = codes.length - 1; i > 0; i--) {
    const j = next(i + 1);
    [codes[i], codes[j]] = [codes[j] ?? 0, codes[i] ?? 0];
  }
  const pages = codes.flatMap((c) => [
    c,
    LENGTHS[c] ?? 0,
    ...Array.from({ length: LENGTHS[c] ?? 0 }, () => next(256)),
  ]);
  const descriptor = next(2) === 0 ? [] : Array.from({ length: 8 }, () => next(256));
  const header = ten
    ? [0, 0, 0, next(256), 0, 0, 0, descriptor.length]
    : [0, 0, next(256), descriptor.length];
  const data = [...header, ...descriptor, ...pages];
  if (ten) {
    data[0] = (data.length - 2) >> 8;
    data[1] = (data.length - 2) & 0xff;
  } else data[0] = data.length - 1;
  return Uint8Array.from(data);
}

/** sdparm's pages: each title's code and its acronym = value lines. */
function theirs(
  data: Uint8Array,
  ten: boolean,
  file: string,
): { code: number; fields: Map<string, number> }[] {
  writeFileSync(file, `${formatHex(data)}\n`);
  const out = runPeer('sdparm', 'sdparm', [`--inhex=${file}`, '--all', ...(ten ? [] : ['--six'])]);
  const pages: { code: number; fields: Map<string, number> }[] = [];
  for (const line of out.split('\n')) {
    const title = /^(.*) mode page:$/.exec(line)?.[1];
    if (title !== undefined) pages.push({ code: TITLES[title] ?? -1, fields: new Map() });
    const field = /^\s+([A-Z_]+)\s+(-?\d+)/.exec(line);
    if (field) pages.at(-1)?.fields.set(field[1] ?? '', Number(field[2]));
  }
  return pages;
}

/** The same from usbcdb: page codes, and the bits it names as numbers. */
function ours(pages: readonly ModePage[]): { code: number; fields: Map<string, number> }[] {
  return pages.map((p) => ({
    code: p.pageCode,
    fields: new Map(
      Object.entries(p.bits).map(([k, v]) => [
        ACRONYM[k] ?? k,
        typeof v === 'boolean' ? Number(v) : v,
      ]),
    ),
  }));
}

/**
 * sdparm prints a field of two or more bits whose bits are all ones as -1 (RRC FFh, DPTL FFFFh);
 * usbcdb gives the number. Anything else must be equal.
 */
function sameValue(theirs: number | undefined, ours: number): boolean {
  const allOnes = ours >= 3 && Number.isInteger(Math.log2(ours + 1));
  return theirs === ours || (theirs === -1 && allOnes);
}

describe('MODE SENSE data against sdparm --inhex', () => {
  const lists = [
    ...Array.from({ length: 60 }, () => ({ ten: true, data: parameterList(true) })),
    ...Array.from({ length: 30 }, () => ({ ten: false, data: parameterList(false) })),
  ];

  it(`reads the pages of ${lists.length} parameter lists as sdparm does`, () => {
    const dir = testTempDir('sdparm');
    const differences = lists.flatMap(({ ten, data }, i) => {
      const parsed = (ten ? parseModeSense10 : parseModeSense6)(data);
      if (!parsed.ok) return [`${formatHex(data)}: ${parsed.error.message}`];
      const mine = ours(parsed.value.pages);
      const sd = theirs(data, ten, join(dir, `mode-${i}.hex`));
      const same =
        mine.length === sd.length &&
        mine.every(
          (p, k) =>
            p.code === sd[k]?.code &&
            [...p.fields].every(([name, v]) => sameValue(sd[k]?.fields.get(name), v)),
        );
      return same
        ? []
        : [
            `${formatHex(data)}: usbcdb ${JSON.stringify(mine.map((p) => [p.code, [...p.fields]]))}, sdparm ${JSON.stringify(sd.map((p) => [p.code, [...p.fields]]))}`,
          ];
    });
    expect(differences).toEqual([]);
  });

  it('compared every page kind and every bit usbcdb names, under both headers', () => {
    const named = new Set<string>();
    for (const { ten, data } of lists) {
      const parsed = (ten ? parseModeSense10 : parseModeSense6)(data);
      if (parsed.ok)
        for (const p of parsed.value.pages)
          for (const k of Object.keys(p.bits)) named.add(`${ten ? 10 : 6}:${p.pageCode}:${k}`);
    }
    for (const ten of [6, 10])
      for (const code of Object.values(TITLES))
        expect(
          [...named].some((n) => n.startsWith(`${ten}:${code}:`)),
          `${ten} ${code}`,
        ).toBe(true);
  });
});
