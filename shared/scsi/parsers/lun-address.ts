/**
 * One 8-byte LUN, level by level (SAM-5, logical unit number structures).
 * Bits 7:6 of a level's first byte are its ADDRESS METHOD; peripheral device,
 * flat space and logical unit addressing take two bytes, and extended
 * logical unit addressing (11b) says its own length (2, 4, 6 or 8 bytes) in
 * bits 5:4. A level with peripheral device addressing and a nonzero BUS
 * IDENTIFIER names a target, and the next level the logical unit behind it;
 * every other level is the last. sg3_utils' `sg_luns --decode` reads the
 * levels the same way (tests/differential/sg3-luns.test.ts holds usbcdb to
 * it). LU_CONG (SPC-5, standard INQUIRY byte 1), which changes what a level
 * means for conglomerates, comes from INQUIRY and is not applied here.
 */
import type { ByteReader } from '../bytes';
import { t10Hex } from '../hex';

/** One level of a LUN, as its address method gives it. */
export type LunLevel =
  | {
      readonly method: 'peripheral device';
      /** BUS IDENTIFIER: 0 for the logical unit itself, else a bus whose target `targetOrLun` is. */
      readonly bus: number;
      readonly targetOrLun: number;
    }
  | { readonly method: 'flat space'; readonly lun: number }
  | {
      readonly method: 'logical unit';
      readonly target: number;
      readonly bus: number;
      readonly lun: number;
    }
  | { readonly method: 'well known'; readonly wlun: number }
  | { readonly method: 'extended flat space'; readonly lun: number }
  | { readonly method: 'long extended flat space'; readonly lun: number }
  | { readonly method: 'not specified' }
  | {
      readonly method: 'extended (reserved)';
      /** LENGTH, bits 5:4: the level is 2, 4, 6 or 8 bytes. */
      readonly lengthCode: number;
      /** EXTENDED ADDRESS METHOD, bits 3:0. */
      readonly extendedMethod: number;
      /** The level's bytes after its first, as a number (up to 7 bytes: 2^56, so a bigint). */
      readonly value: bigint;
    };

/** Well known logical units (SPC-5, well known logical units table; ACCESS CONTROLS is obsolete). */
const WELL_KNOWN: Readonly<Record<number, string>> = {
  0x01: 'REPORT LUNS',
  0x02: 'ACCESS CONTROLS',
  0x03: 'TARGET LOG PAGES',
  0x04: 'SECURITY PROTOCOL',
  0x05: 'MANAGEMENT PROTOCOL',
  0x06: 'TARGET COMMANDS',
};

/** Bytes a level of extended logical unit addressing takes, by its LENGTH code (SAM-5). */
const EXTENDED_BYTES = [2, 4, 6, 8] as const;

/** An extended level's meaning by LENGTH code and EXTENDED ADDRESS METHOD, where SAM-5 gives one. */
function extendedLevel(
  lengthCode: number,
  extendedMethod: number,
  value: bigint,
  second: number,
): LunLevel {
  if (lengthCode === 0 && extendedMethod === 0x1) return { method: 'well known', wlun: second };
  if (extendedMethod === 0x2 && (lengthCode === 1 || lengthCode === 2))
    return {
      method: lengthCode === 1 ? 'extended flat space' : 'long extended flat space',
      lun: Number(value),
    };
  if (lengthCode === 3 && extendedMethod === 0xf) return { method: 'not specified' };
  return { method: 'extended (reserved)', lengthCode, extendedMethod, value };
}

/** A LUN's levels, and how many of its 8 bytes they take (the rest should be zero: SAM-5's null levels). */
export interface LunLevels {
  readonly levels: readonly LunLevel[];
  readonly used: number;
}

/** The levels of the LUN at `offset` of `r` (8 bytes, present). */
export function lunLevels(r: ByteReader, offset: number): LunLevels {
  const levels: LunLevel[] = [];
  let at = offset;
  while (at < offset + 8) {
    const method = r.bits(at, 6, 2, 'ADDRESS METHOD');
    const first = r.bits(at, 0, 6);
    const second = r.u8(at + 1);
    if (method === 0) {
      levels.push({ method: 'peripheral device', bus: first, targetOrLun: second });
      at += 2;
      if (first === 0) break;
    } else if (method === 1) {
      levels.push({ method: 'flat space', lun: (first << 8) | second });
      at += 2;
      break;
    } else if (method === 2) {
      levels.push({ method: 'logical unit', target: first, bus: second >> 5, lun: second & 0x1f });
      at += 2;
      break;
    } else {
      const lengthCode = r.bits(at, 4, 2, 'LENGTH');
      // A level may not run past the LUN's 8 bytes: what is there is read, as sg_luns does.
      const size = Math.min(EXTENDED_BYTES[lengthCode] ?? 2, offset + 8 - at);
      const value = r.beN(at + 1, size - 1, 'an extended LUN');
      levels.push(extendedLevel(lengthCode, r.bits(at, 0, 4), value, second));
      at += size;
      break;
    }
  }
  return { levels, used: at - offset };
}

type LevelOf<M extends LunLevel['method']> = Extract<LunLevel, { readonly method: M }>;

/** Per address method: the level in words, and the logical unit's number when the level gives one. */
const METHODS: {
  readonly [M in LunLevel['method']]: {
    readonly text: (l: LevelOf<M>) => string;
    readonly lun: (l: LevelOf<M>) => number | undefined;
  };
} = {
  'peripheral device': {
    text: (l) =>
      l.bus === 0
        ? `peripheral device addressing: LUN ${l.targetOrLun}`
        : `peripheral device addressing: bus ${l.bus}, target ${l.targetOrLun}`,
    lun: (l) => (l.bus === 0 ? l.targetOrLun : undefined),
  },
  'flat space': { text: (l) => `flat space addressing: LUN ${l.lun}`, lun: (l) => l.lun },
  'logical unit': {
    text: (l) => `logical unit addressing: bus ${l.bus}, target ${l.target}, LUN ${l.lun}`,
    lun: (l) => l.lun,
  },
  'well known': {
    text: (l) => {
      const name = WELL_KNOWN[l.wlun];
      return `well known logical unit ${t10Hex(l.wlun)}${name !== undefined ? ` (${name})` : ''}`;
    },
    lun: () => undefined,
  },
  'extended flat space': {
    text: (l) => `extended flat space addressing: LUN ${l.lun}`,
    lun: (l) => l.lun,
  },
  'long extended flat space': {
    text: (l) => `long extended flat space addressing: LUN ${l.lun}`,
    lun: (l) => l.lun,
  },
  'not specified': { text: () => 'logical unit not specified', lun: () => undefined },
  'extended (reserved)': {
    text: (l) =>
      `extended logical unit addressing, reserved: LENGTH ${l.lengthCode}, EXTENDED ADDRESS METHOD ${t10Hex(l.extendedMethod)}, value ${l.value}`,
    lun: () => undefined,
  },
};

/** The table's entry for a level, typed for any level (each entry takes the levels of its method). */
function methodOf(l: LunLevel): {
  readonly text: (l: LunLevel) => string;
  readonly lun: (l: LunLevel) => number | undefined;
} {
  return METHODS[l.method] as never;
}

/** The logical unit's number where its levels give one simply: a single level that numbers it. */
export function simpleLun(levels: readonly LunLevel[]): number | undefined {
  const [only, ...more] = levels;
  return only === undefined || more.length > 0 ? undefined : methodOf(only).lun(only);
}

/** Every level in words ("logical unit addressing: bus 0, target 1, LUN 2"), later levels introduced as such. */
export function lunText(levels: readonly LunLevel[]): string {
  return levels.map((l) => methodOf(l).text(l)).join('; next level: ');
}
