/**
 * ATA command inputs and outputs (ACS-4, normal and error outputs), as a SAT
 * bridge carries them in the CDB and in the ATA Status Return descriptor.
 */
import type { AtaReturn } from '../../../shared/scsi/sense/types';

/** The inputs of one ATA command (ACS-4, the fields of each command's inputs). */
export interface AtaInputs {
  readonly command: number;
  readonly features: number;
  /** COUNT: 8 bits for 28-bit commands, 16 for 48-bit ones. */
  readonly count: number;
  /** LBA: 28 bits (DEVICE bits 3:0 are LBA 27:24) or 48 bits. */
  readonly lba: bigint;
  readonly device: number;
  /** A 48-bit command (ATA PASS-THROUGH(16) EXTEND=1). */
  readonly extend: boolean;
}

/** Outputs are what the sense data's ATA Status Return descriptor carries (SAT-4). */
export type AtaOutputs = AtaReturn;

/** STATUS bits (ACS-4, STATUS field): DEVICE READY, bit 4 (N/A, drives set it), ERROR. */
export const STATUS_DRDY = 0x40;
export const STATUS_BIT4 = 0x10;
export const STATUS_ERR = 0x01;
export const STATUS_GOOD = STATUS_DRDY | STATUS_BIT4;

/** ERROR bits (ACS-4, ERROR field): ID NOT FOUND and ABORT. */
export const ERROR_IDNF = 0x10;
export const ERROR_ABRT = 0x04;

/** The LBA of a 28-bit command: DEVICE bits 3:0 are LBA 27:24 (ACS-4, 28-bit commands). */
export function lba28(lbaLow24: bigint, device: number): bigint {
  return (BigInt(device & 0x0f) << 24n) | (lbaLow24 & 0xffffffn);
}
