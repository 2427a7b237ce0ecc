/**
 * REPORT LUNS parameter data (SPC-5, REPORT LUNS parameter data) and LUN
 * addressing methods (SAM-5, single level LUN structures). A LUN LIST LENGTH
 * larger than the buffer is reported as truncation; only whole 8-byte entries
 * present are listed.
 */
import { readBounded } from '../bytes';
import { ok, type Result } from '../result';
import { truncation, type Truncation } from './common';
import { lunLevels, simpleLun, type LunLevel } from './lun-address';

/** ADDRESS METHOD, bits 7:6 of a LUN's byte 0 (SAM-5, address method table). */
export const LUN_ADDRESS_METHODS = [
  'peripheral device',
  'flat space',
  'logical unit',
  'extended logical unit',
] as const;

export type LunAddressMethod = (typeof LUN_ADDRESS_METHODS)[number];

export interface LunEntry {
  readonly offset: number;
  /** The whole 8-byte LUN. */
  readonly raw: Uint8Array;
  /** The first level's ADDRESS METHOD. */
  readonly method: LunAddressMethod;
  /** Every level, as SAM-5 reads them (lun-address.ts). */
  readonly levels: readonly LunLevel[];
  /** Bytes of the 8 the levels take; SAM-5 fills the rest with null levels (zeros). */
  readonly used: number;
  /** The logical unit's number where one level gives it simply (not a well known logical unit). */
  readonly lun: number | undefined;
}

export interface LunList extends Truncation {
  /** LUN LIST LENGTH: bytes of LUN entries after the 8-byte header. */
  readonly listLength: number;
  readonly luns: readonly LunEntry[];
}

export function parseReportLuns(bytes: Uint8Array): Result<LunList> {
  return readBounded(bytes, 'REPORT LUNS data', (r) => {
    const listLength = r.be32(0, 'LUN LIST LENGTH');
    // Bytes 4–7 are reserved; a buffer ending inside them is just truncated (the list starts at 8).
    const stop = Math.min(r.length, 8 + listLength);
    const luns: LunEntry[] = [];
    for (let off = 8; off + 8 <= stop; off += 8) {
      const method =
        LUN_ADDRESS_METHODS[r.bits(off, 6, 2, 'ADDRESS METHOD')] ?? 'peripheral device';
      const { levels, used } = lunLevels(r, off);
      luns.push({
        offset: off,
        raw: r.slice(off, 8),
        method,
        levels,
        used,
        lun: simpleLun(levels),
      });
    }
    return ok({ listLength, luns, ...truncation(8 + listLength, r.length) });
  });
}
