/**
 * `emu:` devices: an emulated drive reached through the real Bulk-Only
 * encoding — the host BOT code that drives libusb devices drives the
 * emulated BOT device here.
 */
import type { VendorSet } from '../../shared/vendor-sets/model';
import { CapturingPipes } from '../capture/capturing-pipes';
import { UsbCapture, type CaptureRequest } from '../capture/usbmon';
import { BotDevice } from '../emulator/bot-device';
import { IN_PROCESS_MAX_COMMAND_DATA } from '../emulator/limits';
import { BULK_IN, BULK_OUT } from '../emulator/descriptors';
import { driveUnits } from '../emulator/drive';
import type { DiskLu } from '../emulator/disk';
import type { Profile } from '../emulator/profile';
import { MemoryStore, type BlockStore } from '../emulator/store';
import { BotHost } from './bot-host';
import { OneAtATime } from './one-at-a-time';
import type { CommandOutcome, CommandRequest, DeviceDescription, Transport } from './transport';

export interface EmulatedOptions extends CaptureRequest {
  /** Vendor sets the drive speaks besides the built-in ones its profile names (a user's sets). */
  readonly vendorSets?: readonly VendorSet[];
}

export class EmulatedTransport implements Transport {
  private readonly host: BotHost;
  readonly lu: DiskLu;
  private readonly capture: UsbCapture | undefined;
  /**
   * Pending while a capture's enumeration records are written; undefined after,
   * so commands go straight to the host (an extra await per command cut READ(10)
   * of 1 MiB to a quarter of its rate: bench/bench.ts).
   */
  private ready: Promise<void> | undefined;
  private readonly line = new OneAtATime();

  /** @param store the backing store; memory (sparse) by default */
  constructor(
    readonly profile: Profile,
    private readonly store: BlockStore = new MemoryStore(profile.blockSize, profile.blocks),
    options: EmulatedOptions = {},
  ) {
    const lus = driveUnits(profile, store, options.vendorSets, IN_PROCESS_MAX_COMMAND_DATA);
    this.lu = lus[0] as DiskLu;
    const device = new BotDevice(lus);
    if (options.capture === undefined) {
      this.capture = undefined;
      this.host = new BotHost(device);
      this.ready = undefined;
    } else {
      this.capture = new UsbCapture(
        options.capture,
        undefined,
        undefined,
        options.onCaptureFailure ? { onFailure: options.onCaptureFailure } : {},
      );
      const pipes = new CapturingPipes(device, this.capture, { in: BULK_IN, out: BULK_OUT });
      this.host = new BotHost(pipes);
      this.ready = pipes.enumerate().then(() => {
        this.ready = undefined;
      });
    }
  }

  /** Overlapping calls run one at a time in call order, as on `usb:` (an image store yields). */
  execute(request: CommandRequest, into?: Uint8Array): Promise<CommandOutcome> {
    return this.line.run(() => this.afterEnumeration(() => this.host.execute(request, into)));
  }

  reset(): Promise<void> {
    return this.line.run(() => this.afterEnumeration(() => this.host.resetRecovery()));
  }

  private afterEnumeration<T>(op: () => Promise<T>): Promise<T> {
    const pending = this.ready;
    return pending ? pending.then(op) : op();
  }

  describe(): DeviceDescription {
    return {
      id: `emu:${this.profile.name}`,
      kind: 'emu',
      vendor: this.profile.usb.manufacturer,
      product: this.profile.usb.product,
      serial: this.profile.usb.serial,
      maxLun: this.profile.luns - 1,
    };
  }

  /** Waits for the commands already queued (a WRITE in flight lands), then closes the store. */
  async close(): Promise<void> {
    await this.line.idle();
    this.capture?.close();
    this.store.close?.();
  }
}
