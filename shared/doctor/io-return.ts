/**
 * IOReturn / kern_return_t values a DriverKit SCSI dext meets from
 * UserSendCDB, with what each has been seen to mean there. The values and
 * their one-line meanings are IOReturn.h's (xnu iokit/IOKit/IOReturn.h:
 * iokit_common_err(code) = sys_iokit | sub_iokit_common | code); Apple's
 * UserSendCDB reference says only that kIOReturnSuccess means success, so
 * what an error means for UserSendCDB is what developers report
 * (docs/driverkit.md says how well each is known).
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
      'a general error (IOReturn.h); it has been reported for WRITE BUFFER (3Bh) with a caller-supplied buffer even while exclusive access was held, with no valid sense, so the command may never have reached the device',
    fix: [
      'Possible causes, none confirmed (docs/driverkit.md): a data buffer that is not a mapping the dext owns (working dexts allocate it with IOBufferMemoryDescriptor::Create and map it), or a timeout too short for the command.',
      'Give long commands (firmware download) a generous fTimeoutDuration (milliseconds).',
    ],
  },
  {
    value: 0xe00002c1,
    name: 'kIOReturnNotPrivileged',
    meaning: 'a privilege violation (IOReturn.h): the call refused the command, so it was not sent',
    fix: [],
    vendorOpcodeRefusal: true,
  },
  {
    value: 0xe00002c7,
    name: 'kIOReturnUnsupported',
    meaning:
      'an unsupported function (IOReturn.h); developers report it from every UserSendCDB call of a dext whose personality has IOClass IOUserService rather than IOUserSCSIPeripheralDeviceType00 (reported, not documented by Apple)',
    fix: [
      'Set the personality’s IOClass to IOUserSCSIPeripheralDeviceType00 (your class in IOUserClass), as working dexts do: reported to cure it, not documented by Apple.',
      'With that IOClass the dext also needs com.apple.developer.driverkit.family.scsicontroller, or it no longer starts (developers report "family entitlements check failed"): Apple documents that entitlement for drivers of SCSI controllers and names none for SCSIPeripheralsDriverKit, so this too is reported.',
    ],
  },
];

export function ioReturnInfo(value: number): IoReturnInfo | undefined {
  return IO_RETURNS.find((r) => r.value === value >>> 0);
}
