/**
 * What a vendor set's emulation may touch on the drive: the generic surface
 * behaviours get. The drive keeps no set's state; a behaviour keeps its own
 * (behaviours.ts) and reaches the drive only through this.
 */
import type { CommandSpec } from '../../../shared/scsi/catalog';
import type { BufferDevice } from '../write-buffer';
import type { Profile } from '../profile';

export interface VendorDevice extends BufferDevice {
  /** What the drive is: a behaviour reads the device behind the bridge from it (`ata`, `nvme`). */
  readonly profile: Profile;
  /**
   * Calls `listener` with every event line the drive notes from now on
   * (self-tests, mode parameter changes, microcode downloads), in order.
   * Called while the drive is built, before any command runs.
   */
  onEvent(listener: (line: string) => void): void;
}

/** One vendor command as a behaviour sees it: its declaration and the CDB read through it. */
export interface VendorCall {
  readonly spec: CommandSpec;
  /** A CDB field's value by the declaration's key (0 when it declares no such field). */
  field(key: string): number;
  readonly dataOut: Uint8Array;
  /** Bytes the data-in may hold: the command's data-in length rule applied to the CDB (0 without one). */
  readonly dataInLength: number;
}
