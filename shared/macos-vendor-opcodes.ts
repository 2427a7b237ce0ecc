/**
 * What is known of macOS and vendor opcodes (C0h–FFh) sent through DriverKit's UserSendCDB, worded
 * with the confidence it has (docs/driverkit.md): the rule is reported by developers, not
 * documented by Apple; that kIOReturnNotPrivileged is that rule, and the remedy, are inferred.
 * Lint and the doctor both say it, in these words.
 */

/** The rule, as developers report it. */
export const MACOS_VENDOR_OPCODE_RULE =
  'Developers report (Apple does not document it) that macOS DriverKit sends C0h–FFh only after the dext has unmounted the disk’s volumes and called UserSuspendServices(); kIOReturnNotPrivileged (0xE00002C1) is most likely that refusal.';

/** The remedy that follows from the rule if it holds. */
export const MACOS_VENDOR_OPCODE_REMEDY =
  'Likely remedy (inferred, not confirmed by Apple): unmount every volume of the disk (DiskArbitration DADiskUnmount with kDADiskUnmountOptionWhole), call UserSuspendServices() and check it returns kIOReturnSuccess, send the vendor CDB, then call UserResumeServices().';
