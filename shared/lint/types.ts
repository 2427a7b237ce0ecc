/**
 * Lint findings: what is wrong with a CDB, where, why it matters, and (when
 * one can be computed) the corrected CDB.
 */
import type { VendorSet } from '../vendor-sets/model';

export type Severity = 'error' | 'warning' | 'info';

/** Stable identifiers, listed with their summaries by `usbcdb lint --rules`. Never rename or reuse one. */
export type LintId =
  | 'cdb-empty'
  | 'cdb-too-long'
  | 'cdb-length'
  | 'unknown-opcode'
  | 'vendor-opcode'
  | 'reserved-bits'
  | 'layout-ambiguity'
  | 'length-vs-buffer'
  | 'direction-mismatch'
  | 'scsi2-lun'
  | 'lun-range'
  | 'transfer-range'
  | 'obsolete-field'
  | 'field-value'
  | 'zero-means'
  | 'zero-unless'
  | 'naca'
  | 'destructive'
  | 'changes-state'
  | 'ata-pass-through'
  | 'no-data-phase';

export interface Fix {
  /** The corrected CDB. */
  readonly cdb: Uint8Array;
  /** What the fix changes, e.g. "clear byte 1 bits 7:5". */
  readonly description: string;
  /** The data-phase length to use with the corrected CDB, when it changes. */
  readonly transferLength?: number;
  /** The data-phase direction that goes with `transferLength`. */
  readonly direction?: 'none' | 'in' | 'out';
}

export interface Finding {
  readonly id: LintId;
  readonly severity: Severity;
  /** First CDB byte concerned, when the finding has a position. */
  readonly byte?: number;
  /** Bits concerned in that byte (mask), when narrower than the byte. */
  readonly mask?: number;
  /** Catalog field name, when the finding is about a field. */
  readonly field?: string;
  /** Human position, e.g. "byte 3", "byte 1 bits 7:5". */
  readonly position?: string;
  /** What is wrong, naming the byte or field. */
  readonly message: string;
  /** Why it matters: what a device or OS will do with it. */
  readonly why: string;
  readonly fix?: Fix;
}

/** What lint is told besides the CDB. */
export interface LintInput {
  readonly cdb: Uint8Array;
  /** Bytes the host expects to receive (data-in buffer / dCBWDataTransferLength). */
  readonly dataIn?: number;
  /** Bytes the host will send (data-out). */
  readonly dataOut?: number;
  /**
   * The host set up no data phase on purpose (the editor's direction is
   * "none"), as opposed to not saying: a CDB that moves data is then an error.
   */
  readonly noDataPhase?: boolean;
  /** The LUN the transport addresses. */
  readonly lun?: number;
  /** The highest LUN the device reported (Get Max LUN), when known. */
  readonly maxLun?: number;
  /** Logical block size for block-unit lengths (default 512, stated in messages). */
  readonly blockSize?: number;
  /** The device's SPC level when known (INQUIRY VERSION: 4 = SPC-2, 5 = SPC-3, ...). */
  readonly spcLevel?: number;
  /** Vendor sets the device speaks: their C0h–FFh commands are checked like catalog rows (default none). */
  readonly vendorSets?: readonly VendorSet[];
  /**
   * The API holds the CDB in a fixed buffer of this many bytes and sends the
   * command's own length of it (DriverKit's fCommandDescriptorBlock: 16), so
   * a CDB of exactly this size is the command padded, not a longer CDB.
   */
  readonly cdbBufferLength?: number;
}
