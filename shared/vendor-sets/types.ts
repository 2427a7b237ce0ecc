/**
 * Vendor command sets: vendor-specific opcodes (C0h–FFh) declared exactly
 * like catalog rows, so the builder, decoder, lint and editor understand
 * them, plus the emulator's handlers for them. Each set is one folder; the
 * registry names them all.
 */
import type { CommandSpec } from '../scsi/catalog';

/** What a vendor handler may touch on the emulated device. */
export interface VendorDevice {
  /** Lines of the device's event log, oldest first. */
  readonly log: readonly string[];
  led: number;
  /** INQUIRY PRODUCT REVISION LEVEL of the running firmware. */
  readonly firmwareRevision: string;
  /** Feeds firmware bytes into the device's microcode download machinery (the same one WRITE BUFFER uses). */
  downloadMicrocode(offset: number, data: Uint8Array, activate: boolean): VendorResult;
}

/** A handler's answer: data-in, or sense codes for CHECK CONDITION. */
export type VendorResult =
  | { readonly kind: 'good'; readonly data: Uint8Array }
  | {
      readonly kind: 'check';
      readonly key: number;
      readonly asc: number;
      readonly ascq: number;
      readonly fieldPointer?: { readonly byte: number; readonly inCdb: boolean };
    };

export interface VendorCommand {
  /**
   * Declared like a catalog row. Its `effect` is what the confirmation
   * policy (shared/scsi/confirm-policy.ts) reads: a vendor command declared
   * `changes-data` or `firmware` needs confirmation on a real device even
   * without data-out.
   */
  readonly spec: CommandSpec;
  /** Reads fields by catalog key; `dataOut` is the data-out phase. */
  readonly handle: (
    device: VendorDevice,
    field: (key: string) => number,
    dataOut: Uint8Array,
  ) => VendorResult;
}

export interface VendorCommandSet {
  /** Short name used in profiles and on the command line (`example.read-log`). */
  readonly name: string;
  readonly vendor: string;
  readonly description: string;
  readonly commands: readonly VendorCommand[];
}
