/**
 * An emulated drive's logical units over its stores: LUN 0 on the given
 * store (memory or an image file), further LUNs on their own memory stores.
 * One place for the emulated transport and the exporters (usbredir, USB/IP),
 * which keep the units across connections while each connection gets its
 * own Bulk-Only device (its own I_T nexus).
 */
import { ok, type Result } from '../../shared/scsi/result';
import type { VendorSet } from '../../shared/vendor-sets/model';
import { DiskLu } from './disk';
import { ImageStore } from './image-store';
import { MAX_COMMAND_DATA } from './limits';
import type { Profile } from './profile';
import { MemoryStore, type BlockStore } from './store';

/** LUN 0's store: the image file when one is named (created sparse at the profile's size), else memory. */
export function driveStore(profile: Profile, image?: string): Result<BlockStore> {
  return image === undefined
    ? ok(new MemoryStore(profile.blockSize, profile.blocks))
    : ImageStore.open(image, profile.blockSize, profile.blocks);
}

/**
 * The drive's logical units. Each speaks the built-in vendor sets its
 * profile names, then `vendorSets` (a user's sets), the first set declaring
 * an opcode winning; a bridge that filters vendor opcodes
 * (`rejectVendorOpcodes`) still filters them.
 */
export function driveUnits(
  profile: Profile,
  store: BlockStore,
  vendorSets: readonly VendorSet[] = [],
  maxCommandData = MAX_COMMAND_DATA,
): DiskLu[] {
  return Array.from(
    { length: profile.luns },
    (_, i) =>
      new DiskLu(
        profile,
        i === 0 ? store : new MemoryStore(profile.blockSize, profile.blocks),
        profile.luns,
        vendorSets,
        maxCommandData,
      ),
  );
}
