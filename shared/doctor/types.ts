/**
 * The doctor's input — what a user saw — and its ranked diagnosis.
 */
import type { LintReport } from '../lint/lint';
import type { VendorSet } from '../vendor-sets/model';
import type { DriverKitParams } from './driverkit';

/** How the transport ended, when it did not simply deliver a status. */
export type TransportResult =
  | 'ok'
  | 'timeout'
  | 'stall'
  | 'phase-error'
  | 'bad-csw'
  | 'disconnected'
  | 'io-error'
  | 'not-sent'
  | 'replay-mismatch'
  | 'not-privileged';

export interface DoctorInput {
  readonly cdb: Uint8Array;
  /** Bytes the host expected to receive. */
  readonly dataIn?: number;
  /** Bytes the host sent. */
  readonly dataOut?: number;
  /**
   * The host set up no data phase (dCBWDataTransferLength 0), as opposed to not saying: lint then
   * names the Bulk-Only case a CDB that moves data runs into.
   */
  readonly noDataPhase?: boolean;
  readonly lun?: number;
  /** The highest LUN the device reported (Get Max LUN), when known. */
  readonly maxLun?: number;
  /** SCSI status byte (SAM-5), e.g. 0x00 GOOD, 0x02 CHECK CONDITION. */
  readonly status?: number;
  /** SCSIServiceResponse as IOKit/DriverKit report it (2 = TASK_COMPLETE). */
  readonly serviceResponse?: number;
  readonly transport?: TransportResult;
  /** bCSWStatus of the BOT CSW (0 passed, 1 failed, 2 phase error). */
  readonly cswStatus?: number;
  /** dCSWDataResidue. */
  readonly residue?: number;
  /** Bytes actually transferred (fRealizedByteCountOfTransfer). */
  readonly realized?: number;
  /** Sense bytes as read from the sense buffer. */
  readonly sense?: Uint8Array;
  /** fSenseDataValid as the OS reported it. */
  readonly senseValid?: boolean;
  /** kern_return_t / IOReturn the send call returned. */
  readonly kernReturn?: number;
  /** SCSIType00OutParameters values the caller filled. */
  readonly driverKit?: DriverKitParams;
  /** The device's SPC level when known (from INQUIRY VERSION). */
  readonly spcLevel?: number;
  readonly blockSize?: number;
  /** The USB vendor ID of the bridge, when known: names the pass-through family to try when SAT is refused. */
  readonly usbVendorId?: number;
  /** Vendor sets the device speaks: their C0h–FFh commands are explained like catalog rows (default none). */
  readonly vendorSets?: readonly VendorSet[];
}

export type DiagnosisSeverity = 'error' | 'warning' | 'info';

export interface Diagnosis {
  /** Stable identifier. Lint-derived ones are `lint:<lint id>`. */
  readonly id: string;
  readonly severity: DiagnosisSeverity;
  /** Higher is more important; the report is sorted by it. */
  readonly rank: number;
  /** One sentence: the finding. */
  readonly title: string;
  /** Why, in a few sentences. */
  readonly detail: readonly string[];
  /** What to do. */
  readonly fix: readonly string[];
  /** CDB byte this is about (for highlighting), when there is one. */
  readonly byte?: number;
}

export interface DoctorReport {
  /** What happened, in words, before any judgement. */
  readonly outcome: readonly string[];
  /** Most important first. */
  readonly diagnoses: readonly Diagnosis[];
  readonly lint: LintReport;
}
