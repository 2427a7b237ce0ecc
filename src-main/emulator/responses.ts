/**
 * What a handler of the emulated logical unit returns: data (GOOD) or a
 * CHECK CONDITION with its sense codes. Errors are values here too.
 */
import type { SenseKeySpecific } from '../../shared/scsi/sense';
import type { AtaReturn } from '../../shared/scsi/sense/types';
import { NO_BYTES, type DataIn } from './data-in';

export type HandlerResult =
  /** Data a READ takes from a memory store is deferred (data-in.ts): copied once, when sent. */
  | { readonly kind: 'good'; readonly data: DataIn }
  | {
      readonly kind: 'check';
      readonly key: number;
      readonly asc: number;
      readonly ascq: number;
      readonly senseKeySpecific?: SenseKeySpecific;
      readonly information?: bigint;
      /** ATA registers after an ATA PASS-THROUGH (SAT-4): the sense carries them. */
      readonly ata?: AtaReturn;
      /** Data-in sent before the CHECK CONDITION (SAT-4: CK_COND=1 on a command that read data). */
      readonly data?: Uint8Array;
    };

export const good = (data: DataIn = NO_BYTES): HandlerResult => ({
  kind: 'good',
  data,
});

export type CheckResult = Extract<HandlerResult, { kind: 'check' }>;

export const check = (
  key: number,
  asc: number,
  ascq: number,
  extra: {
    senseKeySpecific?: SenseKeySpecific;
    information?: bigint;
    ata?: AtaReturn;
    data?: Uint8Array;
  } = {},
): CheckResult => ({ kind: 'check', key, asc, ascq, ...extra });

/** ILLEGAL REQUEST, INVALID FIELD IN CDB, pointing at a CDB byte (and bit) — SPC-5 field pointer. */
export function invalidField(byte: number, bit?: number): CheckResult {
  return check(0x05, 0x24, 0x00, {
    senseKeySpecific: {
      kind: 'field-pointer',
      inCdb: true,
      bitPointerValid: bit !== undefined,
      bitPointer: bit ?? 0,
      fieldPointer: byte,
    },
  });
}

/**
 * ILLEGAL REQUEST, INVALID FIELD IN PARAMETER LIST, pointing at a byte of the
 * data-out (C/D = 0) — SPC-5 field pointer.
 */
export function invalidParameter(byte: number): CheckResult {
  return check(0x05, 0x26, 0x00, {
    senseKeySpecific: {
      kind: 'field-pointer',
      inCdb: false,
      bitPointerValid: false,
      bitPointer: 0,
      fieldPointer: byte,
    },
  });
}

export const INVALID_OPCODE = check(0x05, 0x20, 0x00);
export const LBA_OUT_OF_RANGE = check(0x05, 0x21, 0x00);
/** ILLEGAL REQUEST, PARAMETER LIST LENGTH ERROR: the data-out ends inside a structure it holds. */
export const PARAMETER_LIST_LENGTH_ERROR = check(0x05, 0x1a, 0x00);
export const MEDIUM_NOT_PRESENT = check(0x02, 0x3a, 0x00);
/** NOT READY, LOGICAL UNIT IS IN PROCESS OF BECOMING READY. */
export const BECOMING_READY = check(0x02, 0x04, 0x01);
export const POWER_ON_RESET = check(0x06, 0x29, 0x00);
