/**
 * `emu:` devices: an emulated drive reached through the real Bulk-Only
 * encoding — the host BOT code that drives libusb devices drives the
 * emulated BOT device here.
 */
import { BotDevice } from '../emulator/bot-device';
import { DiskLu } from '../emulator/disk';
import type { Profile } from '../emulator/profile';
import { MemoryStore, type BlockStore } from '../emulator/store';
import { BotHost } from './bot-host';
import type { CommandOutcome, CommandRequest, DeviceDescription, Transport } from './transport';

export class EmulatedTransport implements Transport {
  private readonly host: BotHost;
  readonly lu: DiskLu;

  /** @param store the backing store; memory (sparse) by default */
  constructor(
    readonly profile: Profile,
    private readonly store: BlockStore = new MemoryStore(profile.blockSize, profile.blocks),
  ) {
    // LUN 0 uses the given store; further LUNs get their own memory stores.
    const lus = Array.from(
      { length: profile.luns },
      (_, i) =>
        new DiskLu(
          profile,
          i === 0 ? store : new MemoryStore(profile.blockSize, profile.blocks),
          profile.luns,
        ),
    );
    this.lu = lus[0] as DiskLu;
    this.host = new BotHost(new BotDevice(lus));
  }

  execute(request: CommandRequest): Promise<CommandOutcome> {
    return this.host.execute(request);
  }

  reset(): Promise<void> {
    return this.host.resetRecovery();
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

  close(): Promise<void> {
    this.store.close?.();
    return Promise.resolve();
  }
}
