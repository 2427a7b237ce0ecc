/**
 * Sense keys (SPC-5, sense key descriptions, Table 52) with what each means in plain words and
 * what to do about it — the action class is in the spirit of FreeBSD CAM's
 * asc_table actions (retry, wait, fix the command, fatal).
 */

export type SenseAction =
  /** Nothing went wrong, or nothing needs doing. */
  | 'none'
  /** Retry the command as it was. */
  | 'retry'
  /** Wait (or make the unit ready) and retry. */
  | 'wait-and-retry'
  /** The command itself is wrong: change the CDB or parameter data. */
  | 'fix-command'
  /** The medium is missing, protected or damaged. */
  | 'check-medium'
  /** The CDB is right but is not what reached the device: look at the path it took. */
  | 'check-transport'
  /** The device has failed; retrying will not help. */
  | 'fatal';

export interface SenseKeyInfo {
  readonly key: number;
  readonly name: string;
  readonly meaning: string;
  readonly action: SenseAction;
}

export const SENSE_KEYS: readonly SenseKeyInfo[] = [
  {
    key: 0x0,
    name: 'NO SENSE',
    meaning: 'nothing to report (or only a flag such as FILEMARK, EOM or ILI is set)',
    action: 'none',
  },
  {
    key: 0x1,
    name: 'RECOVERED ERROR',
    meaning: 'the command succeeded after the device recovered from an error',
    action: 'none',
  },
  {
    key: 0x2,
    name: 'NOT READY',
    meaning: 'the logical unit cannot be accessed right now',
    action: 'wait-and-retry',
  },
  {
    key: 0x3,
    name: 'MEDIUM ERROR',
    meaning: 'a flaw in the medium or the recorded data stopped the command',
    action: 'check-medium',
  },
  {
    key: 0x4,
    name: 'HARDWARE ERROR',
    meaning: 'the device detected a hardware failure',
    action: 'fatal',
  },
  {
    key: 0x5,
    name: 'ILLEGAL REQUEST',
    meaning: 'the CDB or its parameter data is not acceptable to the device; nothing was done',
    action: 'fix-command',
  },
  {
    key: 0x6,
    name: 'UNIT ATTENTION',
    meaning:
      'something changed (reset, medium change, mode parameters); the command was not executed',
    action: 'retry',
  },
  {
    key: 0x7,
    name: 'DATA PROTECT',
    meaning:
      'the block is protected against this operation (write-protected medium, locked region)',
    action: 'check-medium',
  },
  {
    key: 0x8,
    name: 'BLANK CHECK',
    meaning: 'a blank medium or end of data was met',
    action: 'check-medium',
  },
  {
    key: 0x9,
    name: 'VENDOR SPECIFIC',
    meaning: 'a vendor-specific condition; only the vendor documents it',
    action: 'fatal',
  },
  {
    key: 0xa,
    name: 'COPY ABORTED',
    meaning: 'an EXTENDED COPY was aborted',
    action: 'fix-command',
  },
  {
    key: 0xb,
    name: 'ABORTED COMMAND',
    meaning: 'the device aborted the command; it may succeed if retried',
    action: 'retry',
  },
  // SPC-5's sense key table lists Ch as obsolete (it was EQUAL, for the removed SEARCH DATA commands).
  {
    key: 0xc,
    name: 'OBSOLETE',
    meaning: 'a key T10 made obsolete (it was EQUAL); no current command reports it',
    action: 'fatal',
  },
  {
    key: 0xd,
    name: 'VOLUME OVERFLOW',
    meaning: 'a buffered device reached the end of the partition with data left',
    action: 'fatal',
  },
  {
    key: 0xe,
    name: 'MISCOMPARE',
    meaning: 'source data did not match the medium (VERIFY with BYTCHK, COMPARE AND WRITE)',
    action: 'fix-command',
  },
  {
    key: 0xf,
    name: 'COMPLETED',
    meaning: 'the command completed with information to report (e.g. a command-specific condition)',
    action: 'none',
  },
];

export function senseKeyInfo(key: number): SenseKeyInfo {
  return SENSE_KEYS[key & 0x0f] as SenseKeyInfo;
}
