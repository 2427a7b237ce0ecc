/**
 * Blocks a store could not read or write: an image file's I/O error (a failing disk under it, a
 * network file system gone). A drive answers a bad block with CHECK CONDITION, sense key MEDIUM
 * ERROR and the first block it could not transfer in the INFORMATION field (SBC-4, READ and
 * WRITE commands; SPC-5, sense data), and goes on serving the others; so does the emulated one,
 * whenever the failure shows: while the command runs, or (a READ's blocks are copied only as the
 * host takes them, data-in.ts) during its data phase.
 *
 * The store throws it from deep inside a copy, so it travels as an exception; the logical unit
 * turns it into a value (a CheckResult) at its boundary, and anything else thrown stays a bug.
 */
import { check, type CheckResult } from './responses';

export type MediumOperation = 'read' | 'write';

/** ASC/ASCQ per operation (SPC-5 annex D): UNRECOVERED READ ERROR, WRITE ERROR. */
const SENSE_CODES: Readonly<Record<MediumOperation, readonly [asc: number, ascq: number]>> = {
  read: [0x11, 0x00],
  write: [0x0c, 0x00],
};

const MEDIUM_ERROR = 0x03;

export class MediumError extends Error {
  /**
   * @param operation what failed
   * @param lba the first block that could not be transferred
   * @param reason the system's words for it, for the drive's event log
   */
  constructor(
    readonly operation: MediumOperation,
    readonly lba: number,
    readonly reason: string,
  ) {
    super(`${operation} of block ${lba} failed: ${reason}`);
    this.name = 'MediumError';
  }
}

/** The CHECK CONDITION a drive answers `e` with. */
export function mediumErrorResult(e: MediumError): CheckResult {
  const [asc, ascq] = SENSE_CODES[e.operation];
  return check(MEDIUM_ERROR, asc, ascq, { information: BigInt(e.lba) });
}
