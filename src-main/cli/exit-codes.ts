/**
 * Exit codes, following sg3_utils' categories (sg3_utils(8), "EXIT STATUS")
 * so scripts written for sg_raw and friends can branch the same way. The
 * CLI's README section lists which command returns which.
 */
import { decodeSense } from '../../shared/scsi/sense';
import type { TransportError } from '../../shared/exchange';
import { ContradictingOptions } from './args';

export const EXIT = {
  /** Success; for lint: no finding of severity error. */
  ok: 0,
  /** Syntax error: bad option, bad hex, unknown command or field. */
  syntax: 1,
  /** NOT READY sense key. */
  notReady: 2,
  /** MEDIUM ERROR, HARDWARE ERROR or BLANK CHECK sense key. */
  mediumHard: 3,
  /** ILLEGAL REQUEST sense key (other than invalid opcode); for lint: a device would likely reject this CDB. */
  illegalRequest: 5,
  /** UNIT ATTENTION sense key. */
  unitAttention: 6,
  /** DATA PROTECT sense key. */
  dataProtect: 7,
  /** ILLEGAL REQUEST with ASC 20h INVALID COMMAND OPERATION CODE. */
  invalidOpcode: 9,
  /** COPY ABORTED sense key (EXTENDED COPY, WRITE USING TOKEN…). */
  copyAborted: 10,
  /** ABORTED COMMAND sense key. */
  abortedCommand: 11,
  /** NOT READY, 04h/0Bh: the logical unit is in a standby power condition. */
  standby: 12,
  /** NOT READY, 04h/0Ch: the logical unit is unavailable. */
  unavailable: 13,
  /** MISCOMPARE sense key. */
  miscompare: 14,
  /** A file could not be read or written. */
  fileError: 15,
  /** NOT READY because an operation is in progress (format, sanitize…): it may take long. */
  progressNotReady: 16,
  /** ILLEGAL REQUEST with ASC/ASCQ 26h/00h INVALID FIELD IN PARAMETER LIST. */
  invalidParam: 19,
  /** ILLEGAL REQUEST with ASC/ASCQ 21h/00h LOGICAL BLOCK ADDRESS OUT OF RANGE. */
  lbaOutOfRange: 22,
  /** NO SENSE sense key with CHECK CONDITION. */
  noSense: 20,
  /** RECOVERED ERROR sense key. */
  recovered: 21,
  /** RESERVATION CONFLICT status. */
  reservationConflict: 24,
  /** CONDITION MET status (PRE-FETCH). */
  conditionMet: 25,
  /** BUSY status. */
  busy: 26,
  /** TASK SET FULL status. */
  taskSetFull: 27,
  /** ACA ACTIVE status. */
  acaActive: 28,
  /** TASK ABORTED status. */
  taskAborted: 29,
  /** Options that contradict each other: one given twice, or two that exclude each other. */
  contradict: 31,
  /** The command timed out. */
  timeout: 33,
  /** ABORTED COMMAND with ASC 10h: a protection information (DIF) error. */
  protection: 40,
  /** The bytes given as sense (or a response) are malformed. */
  malformed: 97,
  /** Sense data of a kind not categorised above. */
  otherSense: 98,
  /** Anything else. */
  other: 99,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * sg3_utils category for a sense key (and ASC, to tell invalid opcode apart): sg_lib.c
 * sg_err_category_sense, and sg3_utils(8) EXIT STATUS, where 3 is "a medium or hardware error
 * (or a blank check)" and 10 "copy aborted". The other keys (VOLUME OVERFLOW, COMPLETED,
 * reserved) are "other sense".
 */
const BY_SENSE_KEY: Readonly<Record<number, ExitCode>> = {
  0x0: EXIT.noSense,
  0x1: EXIT.recovered,
  0x2: EXIT.notReady,
  0x3: EXIT.mediumHard,
  0x4: EXIT.mediumHard,
  0x5: EXIT.illegalRequest,
  0x6: EXIT.unitAttention,
  0x7: EXIT.dataProtect,
  0x8: EXIT.mediumHard,
  0xa: EXIT.copyAborted,
  0xb: EXIT.abortedCommand,
  0xe: EXIT.miscompare,
};

/**
 * The categories sg3_utils reads from the ASC (and ASCQ) besides the sense
 * key (sg_lib.c sg_err_category_sense: SG_LIB_CAT_INVALID_OP, SG_LIB_LBA_OUT_OF_RANGE,
 * SG_LIB_CAT_INVALID_PARAM, SG_LIB_CAT_STANDBY, SG_LIB_CAT_UNAVAILABLE,
 * SG_LIB_PROGRESS_NOT_READY, SG_LIB_CAT_PROTECTION); an ASCQ left undefined matches any.
 */
const BY_ASC: readonly {
  readonly key: number;
  readonly asc: number;
  readonly ascq?: number;
  readonly code: ExitCode;
}[] = [
  { key: 0x5, asc: 0x20, ascq: 0x00, code: EXIT.invalidOpcode },
  { key: 0x5, asc: 0x21, ascq: 0x00, code: EXIT.lbaOutOfRange },
  { key: 0x5, asc: 0x26, ascq: 0x00, code: EXIT.invalidParam },
  { key: 0x2, asc: 0x04, ascq: 0x0b, code: EXIT.standby },
  { key: 0x2, asc: 0x04, ascq: 0x0c, code: EXIT.unavailable },
  // LOGICAL UNIT NOT READY, … IN PROGRESS: format, rebuild, recalculation, space allocation,
  // sanitize, configuration, depopulation, depopulation restoration.
  ...[0x04, 0x05, 0x06, 0x14, 0x1b, 0x1d, 0x24, 0x25].map((ascq) => ({
    key: 0x2,
    asc: 0x04,
    ascq,
    code: EXIT.progressNotReady,
  })),
  { key: 0xb, asc: 0x10, code: EXIT.protection },
];

/**
 * The category of a sense: its ASC/ASCQ's where one is special, else its key's. An ASCQ (or an
 * ASC) the sense did not carry matches only rows that ignore it.
 */
export function exitCodeForSense(
  key: number,
  asc: number | undefined,
  ascq: number | undefined,
): ExitCode {
  const special = BY_ASC.find(
    (r) => r.key === key && r.asc === asc && (r.ascq === undefined || r.ascq === ascq),
  );
  return special?.code ?? BY_SENSE_KEY[key] ?? EXIT.otherSense;
}

/**
 * The category of a CHECK CONDITION (or COMMAND TERMINATED) from its sense bytes (a sense cut
 * before the ASC by its sense key's); "other sense" (98) when no sense came or it does not
 * decode, as sg_lib.c sg_err_category_sense returns SG_LIB_CAT_SENSE for a sense buffer it
 * cannot read. `raw` and `doctor` both decide with it, so the same exchange exits the same way
 * from either.
 */
export function exitCodeForCheckCondition(sense: Uint8Array | undefined): ExitCode {
  const s = sense ? decodeSense(sense) : undefined;
  return s?.ok ? exitCodeForSense(s.value.senseKey, s.value.asc, s.value.ascq) : EXIT.otherSense;
}

/** sg3_utils category for a status other than GOOD and CHECK CONDITION (SAM-5 status codes). */
const BY_STATUS: Readonly<Record<number, ExitCode>> = {
  0x04: EXIT.conditionMet,
  0x08: EXIT.busy,
  0x18: EXIT.reservationConflict,
  0x28: EXIT.taskSetFull,
  0x30: EXIT.acaActive,
  0x40: EXIT.taskAborted,
};

export function exitCodeForStatus(status: number): ExitCode {
  return BY_STATUS[status] ?? EXIT.other;
}

/**
 * The category of a transport failure: a timeout is sg3_utils' own (33); a request that could
 * not be put on the wire (nothing was sent) is bad input, the syntax error (1) `raw` gives when it
 * refuses such a CDB before opening the device; the rest are "other" (99).
 */
const BY_TRANSPORT: Readonly<Partial<Record<TransportError['kind'], ExitCode>>> = {
  timeout: EXIT.timeout,
  'not-sent': EXIT.syntax,
};

export function exitCodeForTransport(kind: TransportError['kind']): ExitCode {
  return BY_TRANSPORT[kind] ?? EXIT.other;
}

/** The category of a refused command line: options that contradict each other (31), else a syntax error (1). */
export function exitCodeForArgs(e: Error): ExitCode {
  return e instanceof ContradictingOptions ? EXIT.contradict : EXIT.syntax;
}
