/**
 * Exit codes, following sg3_utils' categories (sg3_utils(8), "EXIT STATUS")
 * so scripts written for sg_raw and friends can branch the same way. The
 * CLI's README section lists which command returns which.
 */
export const EXIT = {
  /** Success; for lint: no finding of severity error. */
  ok: 0,
  /** Syntax error: bad option, bad hex, unknown command or field. */
  syntax: 1,
  /** NOT READY sense key. */
  notReady: 2,
  /** MEDIUM ERROR or HARDWARE ERROR sense key. */
  mediumHard: 3,
  /** ILLEGAL REQUEST sense key (other than invalid opcode); for lint: a device would likely reject this CDB. */
  illegalRequest: 5,
  /** UNIT ATTENTION sense key. */
  unitAttention: 6,
  /** DATA PROTECT sense key. */
  dataProtect: 7,
  /** ILLEGAL REQUEST with ASC 20h INVALID COMMAND OPERATION CODE. */
  invalidOpcode: 9,
  /** ABORTED COMMAND sense key. */
  abortedCommand: 11,
  /** MISCOMPARE sense key. */
  miscompare: 14,
  /** A file could not be read or written. */
  fileError: 15,
  /** NO SENSE sense key with CHECK CONDITION. */
  noSense: 20,
  /** RECOVERED ERROR sense key. */
  recovered: 21,
  /** RESERVATION CONFLICT status. */
  reservationConflict: 24,
  /** BUSY status. */
  busy: 26,
  /** TASK SET FULL status. */
  taskSetFull: 27,
  /** The command timed out. */
  timeout: 33,
  /** The bytes given as sense (or a response) are malformed. */
  malformed: 97,
  /** Sense data of a kind not categorised above. */
  otherSense: 98,
  /** Anything else. */
  other: 99,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** sg3_utils category for a sense key (and ASC, to tell invalid opcode apart). */
const BY_SENSE_KEY: Readonly<Record<number, ExitCode>> = {
  0x0: EXIT.noSense,
  0x1: EXIT.recovered,
  0x2: EXIT.notReady,
  0x3: EXIT.mediumHard,
  0x4: EXIT.mediumHard,
  0x5: EXIT.illegalRequest,
  0x6: EXIT.unitAttention,
  0x7: EXIT.dataProtect,
  0xb: EXIT.abortedCommand,
  0xe: EXIT.miscompare,
};

export function exitCodeForSense(key: number, asc: number): ExitCode {
  if (key === 0x5 && asc === 0x20) return EXIT.invalidOpcode;
  return BY_SENSE_KEY[key] ?? EXIT.otherSense;
}

/** sg3_utils category for a non-GOOD, non-CHECK CONDITION status. */
export function exitCodeForStatus(status: number): ExitCode {
  const table: Readonly<Record<number, ExitCode>> = {
    0x08: EXIT.busy,
    0x18: EXIT.reservationConflict,
    0x28: EXIT.taskSetFull,
  };
  return table[status] ?? EXIT.other;
}
