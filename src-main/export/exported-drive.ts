/**
 * An emulated drive as a USB device for the exporters: descriptors and
 * endpoint facts from the profile, logical units that outlive connections,
 * and a fresh Bulk-Only device (a new I_T nexus, so a new power-on unit
 * attention) for every connection or USB reset.
 */
import type { VendorSet } from '../../shared/vendor-sets/model';
import { BOT_INTERFACE } from '../../shared/bot/interface-class';
import { BotDevice } from '../emulator/bot-device';
import { bcdDevice, BULK_IN, BULK_OUT, speedOf } from '../emulator/descriptors';
import type { DiskLu } from '../emulator/disk';
import { driveUnits } from '../emulator/drive';
import type { Profile } from '../emulator/profile';
import type { BlockStore } from '../emulator/store';

export class ExportedDrive {
  private readonly units: readonly DiskLu[];
  readonly endpoints: readonly { readonly address: number; readonly maxPacket: number }[];
  /** EP0's packet size, and the bus speed the drive presents. */
  readonly ep0MaxPacket: number;
  readonly speed: 'high' | 'super';
  /** The interface every profile presents: mass storage, SCSI transparent, Bulk-Only (08h/06h/50h). */
  readonly iface = { number: 0, ...BOT_INTERFACE } as const;

  /** @param vendorSets sets the drive speaks besides the built-in ones its profile names */
  constructor(
    readonly profile: Profile,
    private readonly store: BlockStore,
    vendorSets: readonly VendorSet[] = [],
  ) {
    this.units = driveUnits(profile, store, vendorSets);
    const speed = speedOf(profile);
    this.endpoints = [
      { address: BULK_IN, maxPacket: speed.bulkMaxPacket },
      { address: BULK_OUT, maxPacket: speed.bulkMaxPacket },
    ];
    this.ep0MaxPacket = speed.ep0MaxPacket;
    this.speed = profile.usb.speed;
  }

  /** bcdDevice as the device descriptor states it. */
  get bcdDevice(): number {
    return bcdDevice(this.profile.inquiry.revision);
  }

  /** Events of every logical unit (a block it could not read, new microcode), for the exporter's log. */
  onEvent(listener: (line: string) => void): void {
    for (const u of this.units) u.onEvent(listener);
  }

  /** The Bulk-Only device a new connection (or a USB reset) talks to. */
  attach(): BotDevice {
    return new BotDevice(this.units);
  }

  close(): void {
    this.store.close?.();
  }
}
