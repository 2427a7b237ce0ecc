/**
 * The drive's transfer limits, stated once: the Block Limits VPD page
 * (SBC-4) reports them, and the handlers enforce them.
 */
import type { Profile } from './profile';

/** MAXIMUM TRANSFER LENGTH: 1 MiB of blocks, what a SuperSpeed Linux host sends per command. */
export function maxTransferBlocks(profile: Profile): number {
  return Math.floor((1024 * 1024) / profile.blockSize);
}

/**
 * MAXIMUM WRITE SAME LENGTH: the same 1 MiB of blocks. A larger WRITE SAME is
 * refused with INVALID FIELD IN CDB, as SBC-4 requires when a limit is
 * reported (and as QEMU's disk does), rather than zeroing gigabytes at once.
 */
export function maxWriteSameBlocks(profile: Profile): number {
  return maxTransferBlocks(profile);
}

/**
 * MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT: an UNMAP with more descriptors is refused with INVALID
 * FIELD IN PARAMETER LIST, as SBC-4 requires (UNMAP parameter list). The MAXIMUM UNMAP LBA
 * COUNT beside it is FFFFFFFFh, no limit: deallocating a range is only bookkeeping here.
 */
export const MAX_UNMAP_DESCRIPTORS = 64;
/** MAXIMUM UNMAP LBA COUNT FFFFFFFFh: no maximum (SBC-4, Block Limits VPD page). */
export const MAX_UNMAP_LBA_COUNT = 0xffffffff;
