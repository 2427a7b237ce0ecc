/**
 * What is known of macOS and vendor opcodes (C0h–FFh) sent through DriverKit's UserSendCDB, worded
 * with the confidence it has (docs/driverkit.md): the rule is reported by developers, not
 * documented by Apple; that kIOReturnNotPrivileged is that rule, and that the remedy lifts it, are
 * inferred. The steps of the remedy are Apple's: its UserSuspendServices reference
 * (SCSIPeripheralsDriverKit) expects the volumes to be unmounted first, with Disk Arbitration, and
 * UserResumeServices to end the window. Disk Arbitration is not a DriverKit framework (Apple's
 * DADiskUnmount reference lists macOS and Mac Catalyst only), so an app or daemon unmounts, not
 * the dext. Lint and the doctor both say it, in these words.
 */

/** The rule, as developers report it. */
export const MACOS_VENDOR_OPCODE_RULE =
  'Developers report (Apple does not document it) that macOS DriverKit sends C0h–FFh only after the disk’s volumes have been unmounted and the dext has called UserSuspendServices(); kIOReturnNotPrivileged (0xE00002C1) is most likely that refusal.';

/** The remedy that follows from the rule if it holds. */
export const MACOS_VENDOR_OPCODE_REMEDY =
  'Likely remedy (inferred, not confirmed by Apple): take the exclusive window Apple documents for UserSuspendServices(). From the app, unmount every volume of the disk (Disk Arbitration DADiskUnmount with kDADiskUnmountOptionWhole; the dext cannot, Disk Arbitration is not available in DriverKit); then in the dext call UserSuspendServices() and check it returns kIOReturnSuccess, send the vendor CDB, and call UserResumeServices().';
