/** REPORT LUNS parameter data (SPC-5, REPORT LUNS parameter data) and LUN addressing (SAM-5, logical unit numbers). */
import { readBounded } from '../bytes';
import { formatHex } from '../hex';
import { ok, type Result } from '../result';
import { row, truncation, type FieldRow, type Truncation } from './rows';

const METHODS = [
  'peripheral device',
  'flat space',
  'logical unit',
  'extended logical unit',
] as const;

export interface LunEntry {
  readonly offset: number;
  readonly raw: Uint8Array;
  readonly method: (typeof METHODS)[number];
  /** The single-level LUN number where the addressing method gives one. */
  readonly lun: number | undefined;
}

export interface LunList extends Truncation {
  readonly listLength: number;
  readonly luns: readonly LunEntry[];
}

export function parseReportLuns(bytes: Uint8Array): Result<LunList> {
  return readBounded(bytes, 'REPORT LUNS data', (r) => {
    const listLength = r.be32(0, 'LUN LIST LENGTH');
    const stop = Math.min(r.length, 8 + listLength);
    const luns: LunEntry[] = [];
    for (let off = 8; off + 8 <= stop; off += 8) {
      const method = METHODS[r.bits(off, 6, 2)] as LunEntry['method'];
      const first = r.u8(off) & 0x3f;
      const second = r.u8(off + 1);
      // Peripheral (00b) with bus 0: byte 1 is the LUN; flat (01b): 14 bits; logical unit (10b): byte 1 bits 4:0.
      const lun =
        method === 'peripheral device'
          ? first === 0
            ? second
            : undefined
          : method === 'flat space'
            ? (first << 8) | second
            : method === 'logical unit'
              ? second & 0x1f
              : undefined;
      luns.push({ offset: off, raw: r.slice(off, 8), method, lun });
    }
    return ok({ listLength, luns, ...truncation(8 + listLength, r.length) });
  });
}

export function describeReportLuns(l: LunList): FieldRow[] {
  return [
    row(
      'LUN list length',
      `${l.listLength} (${l.listLength / 8} LUNs${l.truncated ? `, ${l.luns.length} returned` : ''})`,
      0,
      3,
    ),
    ...l.luns.map((x) =>
      row(
        `LUN ${x.lun ?? '?'}`,
        `${formatHex(x.raw)} (${x.method} addressing)`,
        x.offset,
        x.offset + 7,
      ),
    ),
  ];
}
