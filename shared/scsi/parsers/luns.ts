/**
 * REPORT LUNS parameter data (SPC-5, REPORT LUNS parameter data) and LUN
 * addressing methods (SAM-5, single level LUN structures). A LUN LIST LENGTH
 * larger than the buffer is reported as truncation; only whole 8-byte entries
 * present are listed.
 */
import { readBounded } from '../bytes';
import { ok, type Result } from '../result';
import { truncation, type Truncation } from './common';

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
  readonly method: LunAddressMethod;
  /** The first level's LUN number where the addressing method gives one simply. */
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
      const first = r.bits(off, 0, 6);
      const second = r.u8(off + 1);
      let lun: number | undefined;
      // Peripheral device (00b): byte 0 bits 5:0 are the BUS IDENTIFIER; with bus 0, byte 1 is the LUN.
      if (method === 'peripheral device') lun = first === 0 ? second : undefined;
      // Flat space (01b): a 14-bit LUN in byte 0 bits 5:0 and byte 1.
      else if (method === 'flat space') lun = (first << 8) | second;
      // Logical unit (10b): byte 0 bits 5:0 TARGET, byte 1 bits 7:5 BUS NUMBER, bits 4:0 LUN.
      else if (method === 'logical unit') lun = second & 0x1f;
      luns.push({ offset: off, raw: r.slice(off, 8), method, lun });
    }
    return ok({ listLength, luns, ...truncation(8 + listLength, r.length) });
  });
}
