/**
 * IOReturn / kern_return_t values a DriverKit SCSI dext meets from
 * UserSendCDB, with what each has been seen to mean there
 * (IOReturn.h for the values: sys_iokit | sub_iokit_common | code).
 */
export interface IoReturnInfo {
  readonly value: number;
  readonly name: string;
  readonly meaning: string;
  readonly fix: readonly string[];
  /**
   * The refusal developers report for vendor opcodes (C0h–FFh) while the disk is mounted
   * (docs/driverkit.md): the doctor gives that rule and its remedy for a vendor opcode only.
   */
  readonly vendorOpcodeRefusal?: true;
}

export const IO_RETURNS: readonly IoReturnInfo[] = [
  {
    value: 0,
    name: 'KERN_SUCCESS',
    meaning:
      'the call delivered the command; look at fServiceResponse and fCompletionStatus for how it ended',
    fix: [],
  },
  {
    value: 0xe00002bc,
    name: 'kIOReturnError',
    meaning:
      'a general failure before or during delivery; it has been reported for WRITE BUFFER (3Bh) with a caller-supplied buffer even while exclusive access was held, so the command may never have reached the device',
    fix: [
      'Possible causes, none confirmed (docs/driverkit.md): a data buffer that is not a mapping the dext owns (working dexts allocate it with IOBufferMemoryDescriptor::Create and map it), or a timeout too short for the command.',
      'Give long commands (firmware download) a generous fTimeoutDuration (milliseconds).',
    ],
  },
  {
    value: 0xe00002c1,
    name: 'kIOReturnNotPrivileged',
    meaning: 'the call refused the command as a privilege violation, so it was not sent',
    fix: [],
    vendorOpcodeRefusal: true,
  },
  {
    value: 0xe00002c7,
    name: 'kIOReturnUnsupported',
    meaning:
      'the call is not supported by the object it reached; seen when the personality IOClass is not the SCSI peripheral user class, so UserSendCDB reaches a plain IOService',
    fix: [
      'Match with IOClass IOUserSCSIPeripheralDeviceType00 (and the family.scsicontroller entitlement), as working dexts do.',
    ],
  },
];

export function ioReturnInfo(value: number): IoReturnInfo | undefined {
  return IO_RETURNS.find((r) => r.value === value >>> 0);
}
