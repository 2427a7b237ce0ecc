/**
 * Differential test: usbcdb's reading of LUNs (shared/scsi/parsers/lun-address.ts)
 * against sg3_utils' `sg_luns --test=LUN --decode`, which decodes one 8-byte
 * LUN without a device. Hand-picked LUNs for every address method and well
 * known logical unit, then a few hundred built level by level from a fixed
 * seed: targets on buses leading to further levels, and every kind of last
 * level with its fields drawn at random. Each level must agree in method and
 * every number, and a well known logical unit in its name.
 *
 * Not compared: sg_luns' note "unexpected data at next level" (usbcdb words
 * data after any last level its own way, describe.ts), and LU_CONG, which
 * sg_luns takes from --lu_cong and usbcdb does not apply. Extended levels that
 * would run past the LUN's 8 bytes are not generated: sg_luns 1.46 reads past
 * its 8-byte array there, and usbcdb reads only what is there.
 */
import { describe, expect, it } from 'vitest';
import { formatHex, parseHex } from '../../shared/scsi/hex';
import { lunText, parseReportLuns, type LunLevel } from '../../shared/scsi/parsers';
import { runSg3 } from './peers';
import { seeded } from './seeded';

/** One level as a comparable line. */
function ours(l: LunLevel, name: string | undefined): string {
  switch (l.method) {
    case 'peripheral device':
      return l.bus === 0
        ? `peripheral lun=${l.targetOrLun}`
        : `peripheral bus=${l.bus} target=${l.targetOrLun}`;
    case 'flat space':
      return `flat lun=${l.lun}`;
    case 'logical unit':
      return `logical-unit bus=${l.bus} target=${l.target} lun=${l.lun}`;
    case 'well known':
      return name !== undefined ? `wlun ${name}` : `wlun ${l.wlun}`;
    case 'extended flat space':
      return `extended-flat lun=${l.lun}`;
    case 'long extended flat space':
      return `long-extended-flat lun=${l.lun}`;
    case 'not specified':
      return 'not-specified';
    case 'extended (reserved)':
      return `extended length=${l.lengthCode} method=${l.extendedMethod} value=${l.value}`;
  }
}

/** sg_luns' lines, each matched to the same comparable line; unknown lines are kept as they are. */
const THEIRS: readonly [RegExp, (m: RegExpMatchArray) => string][] = [
  [/Peripheral device addressing: lun=(\d+)/, (m) => `peripheral lun=${m[1]}`],
  [
    /Peripheral device addressing: bus_id=(\d+), target=(\d+)/,
    (m) => `peripheral bus=${m[1]} target=${m[2]}`,
  ],
  [/^Flat space addressing: lun=(\d+)/, (m) => `flat lun=${m[1]}`],
  [
    /Logical unit addressing: bus_id=(\d+), target=(\d+), lun=(\d+)/,
    (m) => `logical-unit bus=${m[1]} target=${m[2]} lun=${m[3]}`,
  ],
  [/^well known logical unit (\d+)/, (m) => `wlun ${m[1]}`],
  [/^(.+) well known logical unit$/, (m) => `wlun ${m[1]}`],
  [/^Extended flat space addressing: lun=(\d+)/, (m) => `extended-flat lun=${m[1]}`],
  [/^Long extended flat space addressing: lun=(\d+)/, (m) => `long-extended-flat lun=${m[1]}`],
  [/^Logical unit _not_ specified/, () => 'not-specified'],
  [
    /^Extended logical unit addressing: length=(\d+), e\. ?a\. method=(\d+), value=(\d+)/,
    (m) => `extended length=${m[1]} method=${m[2]} value=${m[3]}`,
  ],
];

function theirs(lun: Uint8Array): string[] {
  const out = runSg3('sg_luns', [`--test=${formatHex(lun).replaceAll(' ', '')}`, '--decode']);
  const decoded = out.split('Decoded LUN:\n')[1];
  if (decoded === undefined) throw new Error(`sg_luns did not decode ${formatHex(lun)}:\n${out}`);
  return decoded
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/level addressing:$/.test(l) && !/unexpected data/.test(l))
    .map((l) => {
      const hit = THEIRS.map(([re, f]) => [l.match(re), f] as const).find(([m]) => m !== null);
      return hit ? hit[1](hit[0] as RegExpMatchArray) : l;
    });
}

/** Names of well known logical units as usbcdb words them (its text, "… (REPORT LUNS)"). */
function wlunName(text: string): string | undefined {
  return /\(([A-Z ]+)\)$/.exec(text)?.[1];
}

const HAND_PICKED = [
  '0000000000000000',
  '0001000000000000',
  '00ff000000000000',
  '4005000000000000',
  '7fff000000000000',
  '8123000000000000',
  'bfff000000000000',
  'c101000000000000',
  'c102000000000000',
  'c103000000000000',
  'c104000000000000',
  'c105000000000000',
  'c106000000000000',
  'c107000000000000',
  'c1ff000000000000',
  'c000000000000000',
  'd212345600000000',
  'e212345678ab0000',
  'ffffffffffffffff',
  'f000000000000001',
  'f123456789abcdef',
  'ef00000000000000',
  'fe01020304050607',
  '0101000000000000',
  '0101010200030000',
  '3f0a3f0b3f0c0005',
  '0107d21234560000',
  '0107c10100000000',
  '0102030405060708',
];

/** Bytes an extended level takes, by its LENGTH code (SAM-5). */
const EXTENDED_SIZES = [2, 4, 6, 8];

/** A LUN of up to four levels: buses with targets, then one last level of any method. */
function generated(next: (below: number) => number): Uint8Array {
  const lun = new Uint8Array(8);
  let at = 0;
  while (at < 6 && next(3) === 0) {
    lun[at] = 1 + next(0x3f); // peripheral device addressing, BUS IDENTIFIER 1–3Fh
    lun[at + 1] = next(256);
    at += 2;
  }
  const room = 8 - at;
  const method = next(4);
  if (method < 3) {
    lun[at] = (method << 6) | (method === 0 && at < 6 ? 0 : next(0x40));
    lun[at + 1] = next(256);
  } else {
    // Extended logical unit addressing: a LENGTH that fits what is left, any method, any value.
    const fitting = EXTENDED_SIZES.filter((size) => size <= room);
    const size = fitting[next(fitting.length)] ?? 2;
    lun[at] = 0xc0 | (EXTENDED_SIZES.indexOf(size) << 4) | next(16);
    for (let i = 1; i < size; i++) lun[at + i] = next(256);
  }
  return lun;
}

describe('LUN levels against sg_luns --decode', () => {
  const next = seeded(0x5ca1ab1e);
  const luns = [
    ...HAND_PICKED.map((h) => {
      const bytes = parseHex(h);
      if (!bytes.ok) throw new Error(bytes.error.message);
      return bytes.value;
    }),
    ...Array.from({ length: 300 }, () => generated(next)),
  ];
  const header = new Uint8Array(8);
  new DataView(header.buffer).setUint32(0, luns.length * 8);
  const list = parseReportLuns(Uint8Array.from([...header, ...luns.flatMap((l) => [...l])]));
  if (!list.ok) throw new Error(list.error.message);

  it(`reads ${luns.length} LUNs level by level as sg_luns does`, () => {
    expect(list.value.luns).toHaveLength(luns.length);
    const differences = list.value.luns.flatMap((entry) => {
      const mine = entry.levels.map((l) =>
        ours(l, l.method === 'well known' ? wlunName(lunText([l])) : undefined),
      );
      const sg = theirs(entry.raw);
      return JSON.stringify(mine) === JSON.stringify(sg)
        ? []
        : [
            `${formatHex(entry.raw)}: usbcdb ${JSON.stringify(mine)}, sg_luns ${JSON.stringify(sg)}`,
          ];
    });
    expect(differences).toEqual([]);
  });

  it('generated every kind of level, so the comparison covered them all', () => {
    const kinds = new Set(list.value.luns.flatMap((e) => e.levels.map((l) => l.method)));
    expect([...kinds].sort()).toEqual(
      [
        'peripheral device',
        'flat space',
        'logical unit',
        'well known',
        'extended flat space',
        'long extended flat space',
        'not specified',
        'extended (reserved)',
      ].sort(),
    );
    expect(list.value.luns.some((e) => e.levels.length === 4)).toBe(true);
  });
});
