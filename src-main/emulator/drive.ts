/**
 * An emulated drive's logical units over its stores: LUN 0 on the given
 * store (memory or an image file), further LUNs on their own memory stores.
 * One place for the emulated transport and the exporters (usbredir, USB/IP),
 * which keep the units across connections while each connection gets its
 * own Bulk-Only device (its own I_T nexus).
 */
import { DiskLu } from './disk';
import type { Profile } from './profile';
import { MemoryStore, type BlockStore } from './store';

export function driveUnits(profile: Profile, store: BlockStore): DiskLu[] {
  return Array.from(
    { length: profile.luns },
    (_, i) =>
      new DiskLu(
        profile,
        i === 0 ? store : new MemoryStore(profile.blockSize, profile.blocks),
        profile.luns,
      ),
  );
}
