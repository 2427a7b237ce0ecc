/**
 * Apple SCSIPeripheralsDriverKit facts the doctor needs, as tables.
 * Sources: SCSITask.h and its DriverKit counterpart, SCSIControllerDriverKit's
 * SCSIDefinitions.h (apple-oss-distributions/IOSCSIParallelFamily):
 * SCSIServiceResponse, SCSITaskStatus, kSCSIDataTransfer_*; xnu's
 * iokit/DriverKit/IOMemoryDescriptor.iig (kIOMemoryDirection*); and Apple's
 * SCSIPeripheralsDriverKit reference pages for SCSIDeviceOutParameters and
 * SCSIDeviceInParameters (field names and types).
 */

export interface NamedValue {
  readonly value: number;
  readonly name: string;
  readonly meaning: string;
  /** For a SCSI status: the command ends with sense data that describes it. */
  readonly sense?: true;
  /**
   * For a SCSI status: SAM defines it, but DriverKit's SCSITaskStatus has no constant for it
   * (SCSIControllerDriverKit SCSIDefinitions.h and Apple's DriverKit SCSITaskStatus reference
   * stop at ACA_ACTIVE 30h among the SAM values, as the APSL copy of IOKit's SCSITask.h does),
   * so no kSCSITaskStatus_ name stands for it.
   */
  readonly noTaskStatusConstant?: true;
}

/** SCSIServiceResponse (SCSITask.h): how the task ended as far as the transport is concerned. */
export const SERVICE_RESPONSES: readonly NamedValue[] = [
  {
    value: 0,
    name: 'kSCSIServiceResponse_Request_In_Process',
    meaning: 'the task has not completed yet',
  },
  {
    value: 1,
    name: 'kSCSIServiceResponse_SERVICE_DELIVERY_OR_TARGET_FAILURE',
    meaning:
      'the command never completed: a transport or target failure; fCompletionStatus then holds a transport code, not a SCSI status',
  },
  {
    value: 2,
    name: 'kSCSIServiceResponse_TASK_COMPLETE',
    meaning: 'the device completed the command; fCompletionStatus holds its SCSI status',
  },
  {
    value: 3,
    name: 'kSCSIServiceResponse_LINK_COMMAND_COMPLETE',
    meaning: 'a linked command completed (linked commands are obsolete)',
  },
  {
    value: 4,
    name: 'kSCSIServiceResponse_FUNCTION_COMPLETE',
    meaning: 'a task-management function completed',
  },
  {
    value: 5,
    name: 'kSCSIServiceResponse_FUNCTION_REJECTED',
    meaning: 'a task-management function was rejected',
  },
];

/** SCSIServiceResponse values the rules branch on (SCSITask.h). */
export const SERVICE_DELIVERY_FAILURE = 1;
export const TASK_COMPLETE = 2;

/** The SAM-5 status a failed command ends with, its sense saying why. */
export const CHECK_CONDITION = 0x02;

/**
 * Whether sense data describes a command that ended with this status: CHECK
 * CONDITION, and COMMAND TERMINATED (22h), obsolete since SAM-3, which SCSI-2
 * (§7.3) and SAM-2 end with sense as they end CHECK CONDITION; sg3_utils reads
 * both by their sense (sg_lib, sg_err_category_new).
 */
export function statusHasSense(status: number | undefined): boolean {
  return SCSI_STATUSES.some((s) => s.value === status && s.sense === true);
}

/**
 * SAM status codes (valid with TASK_COMPLETE), by their SAM names. SCSITaskStatus has a
 * kSCSITaskStatus_ constant for each, spelled with underscores, except the two marked
 * noTaskStatusConstant.
 */
export const SCSI_STATUSES: readonly NamedValue[] = [
  { value: 0x00, name: 'GOOD', meaning: 'the command succeeded; there is no sense data for it' },
  {
    value: 0x02,
    name: 'CHECK CONDITION',
    meaning: 'the command failed; the sense data says why',
    sense: true,
  },
  { value: 0x04, name: 'CONDITION MET', meaning: 'a PRE-FETCH found room in the cache' },
  { value: 0x08, name: 'BUSY', meaning: 'the device is busy; retry later' },
  { value: 0x10, name: 'INTERMEDIATE', meaning: 'obsolete (linked commands)' },
  { value: 0x14, name: 'INTERMEDIATE-CONDITION MET', meaning: 'obsolete (linked commands)' },
  { value: 0x18, name: 'RESERVATION CONFLICT', meaning: 'another initiator holds a reservation' },
  {
    value: 0x22,
    name: 'COMMAND TERMINATED',
    meaning: 'obsolete since SAM-3: the command was ended early, and the sense data says how',
    sense: true,
    noTaskStatusConstant: true,
  },
  {
    value: 0x28,
    name: 'TASK SET FULL',
    meaning: 'the device cannot queue another command; retry later',
  },
  { value: 0x30, name: 'ACA ACTIVE', meaning: 'an auto contingent allegiance condition is active' },
  {
    value: 0x40,
    name: 'TASK ABORTED',
    meaning: 'the command was aborted by another initiator',
    noTaskStatusConstant: true,
  },
];

/** SCSITaskStatus values that are meaningful only with SERVICE_DELIVERY_OR_TARGET_FAILURE. */
export const TRANSPORT_STATUSES: readonly NamedValue[] = [
  {
    value: 0x01,
    name: 'kSCSITaskStatus_TaskTimeoutOccurred',
    meaning: 'the command timed out (fTimeoutDuration is in milliseconds)',
  },
  {
    value: 0x02,
    name: 'kSCSITaskStatus_ProtocolTimeoutOccurred',
    meaning: 'the transport protocol timed out',
  },
  {
    value: 0x03,
    name: 'kSCSITaskStatus_DeviceNotResponding',
    meaning: 'the device stopped responding',
  },
  {
    value: 0x04,
    name: 'kSCSITaskStatus_DeviceNotPresent',
    meaning: 'the device is gone (unplugged?)',
  },
  {
    value: 0x05,
    name: 'kSCSITaskStatus_DeliveryFailure',
    meaning: 'the command could not be delivered',
  },
  { value: 0xff, name: 'kSCSITaskStatus_No_Status', meaning: 'no status was received' },
];

/** kSCSIDataTransfer_* — the value fDataTransferDirection takes. */
export const DATA_TRANSFER_DIRECTIONS: readonly NamedValue[] = [
  { value: 0, name: 'kSCSIDataTransfer_NoDataTransfer', meaning: 'no data phase' },
  {
    value: 1,
    name: 'kSCSIDataTransfer_FromInitiatorToTarget',
    meaning: 'data-out (host to device)',
  },
  {
    value: 2,
    name: 'kSCSIDataTransfer_FromTargetToInitiator',
    meaning: 'data-in (device to host)',
  },
];

/** kIOMemoryDirection* — the value fBufferDirection takes (DriverKit IOMemoryDescriptor). */
export const MEMORY_DIRECTIONS: readonly NamedValue[] = [
  { value: 0, name: 'kIOMemoryDirectionNone', meaning: 'no access' },
  {
    value: 1,
    name: 'kIOMemoryDirectionIn',
    meaning: 'the device writes into the buffer (use for data-in)',
  },
  {
    value: 2,
    name: 'kIOMemoryDirectionOut',
    meaning: 'the device reads from the buffer (use for data-out)',
  },
  {
    value: 3,
    name: 'kIOMemoryDirectionInOut',
    meaning: 'both (also spelled kIOMemoryDirectionOutIn)',
  },
];

export function nameOf(table: readonly NamedValue[], value: number): NamedValue | undefined {
  return table.find((v) => v.value === value);
}

/**
 * The SCSIType00OutParameters fields the doctor understands, by the names Apple's
 * SCSIDeviceOutParameters reference gives them (SCSIType00OutParameters inherits them).
 */
export const OUT_PARAMETER_FIELDS = [
  'fLogicalUnitNumber',
  'fTimeoutDuration',
  'fRequestedByteCountOfTransfer',
  'fBufferDirection',
  'fDataTransferDirection',
  'fSenseLengthRequested',
  'fDataBufferAddr',
  'fSenseBufferAddr',
] as const;

export type OutParameterField = (typeof OUT_PARAMETER_FIELDS)[number];

/** Parsed `key=value` DriverKit parameters (numbers; addresses only tell "set or not"). */
export type DriverKitParams = Partial<Record<OutParameterField, number>>;

/** kSCSIDataTransfer_* values by the data phase they name. */
const TRANSFER_DIRECTION = { in: 2, out: 1 } as const;

/** Bytes fRequestedByteCountOfTransfer moves in `direction`, when fDataTransferDirection says it goes that way. */
export function driverKitTransfer(
  dk: DriverKitParams | undefined,
  direction: 'in' | 'out',
): number | undefined {
  return dk?.fDataTransferDirection === TRANSFER_DIRECTION[direction]
    ? dk.fRequestedByteCountOfTransfer
    : undefined;
}
