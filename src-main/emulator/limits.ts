/**
 * The drive's transfer limits, stated once: the Block Limits VPD page
 * (SBC-4) reports them, and the handlers and the Bulk-Only device enforce them.
 */
import type { Profile } from './profile';

/**
 * The most data one command may move, either way, through a drive's buffers. A
 * READ(10)/WRITE(10) of 65535 512-byte blocks (just under 32 MiB) fits; a command wanting
 * more is one the device cannot carry out, which BOT 1.0 §6.6.2 (internal device error)
 * answers with a stall and a phase error (bot-device.ts). dCBWDataTransferLength never
 * sizes a buffer: it is bounded by this.
 *
 * This is the default, for drives exported to a real kernel (a guest's usb-storage
 * driver sends at most 1 MiB at SuperSpeed). The app's in-process drives take
 * IN_PROCESS_MAX_COMMAND_DATA, so a 64 MiB READ from the app works.
 */
export const MAX_COMMAND_DATA = 32 * 1024 * 1024;
/** The bound for the app's own (in-process) emulated drives: the IPC contract's largest data phase. */
export const IN_PROCESS_MAX_COMMAND_DATA = 64 * 1024 * 1024;

/**
 * MAXIMUM TRANSFER LENGTH: the blocks of the most data one command may move through the
 * drive (`maxCommandData`, one of the two above). A READ, WRITE or VERIFY asking for more is
 * refused with INVALID FIELD IN CDB at its length (SBC-4, Block Limits VPD page). A Linux
 * host sends less anyway: sd takes the smaller of this and usb-storage's max_sectors.
 */
export function maxTransferBlocks(unit: {
  readonly profile: Profile;
  readonly maxCommandData: number;
}): number {
  return Math.min(Math.floor(unit.maxCommandData / unit.profile.blockSize), 0xffffffff);
}

/**
 * MAXIMUM WRITE SAME LENGTH: 1 MiB of blocks. A larger WRITE SAME is refused with INVALID
 * FIELD IN CDB, as SBC-4 requires when a limit is reported (and as QEMU's disk does), rather
 * than zeroing gigabytes at once.
 */
export function maxWriteSameBlocks(profile: Profile): number {
  return Math.floor((1024 * 1024) / profile.blockSize);
}

/**
 * MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT: an UNMAP with more descriptors is refused with INVALID
 * FIELD IN PARAMETER LIST, as SBC-4 requires (UNMAP parameter list). The MAXIMUM UNMAP LBA
 * COUNT beside it is FFFFFFFFh, no limit: deallocating a range is only bookkeeping here.
 */
export const MAX_UNMAP_DESCRIPTORS = 64;
/** MAXIMUM UNMAP LBA COUNT FFFFFFFFh: no maximum (SBC-4, Block Limits VPD page). */
export const MAX_UNMAP_LBA_COUNT = 0xffffffff;
