/** The built-in device profiles (`emu:NAME`); the first is the default `emu:`. */
import type { Profile } from './profile';

const LENIENT = { spc2Strict: false, stallShortDataIn: false, truncateExcessDataIn: true } as const;

export const BUILT_IN_PROFILES: readonly Profile[] = [
  {
    name: 'flash-stick',
    description:
      'A plain USB flash stick that answers like QEMU 7.2 usb-storage (../shared/notes/qemu-guest.md): SPC-3, pads short data-in, truncates excess data-in silently.',
    usb: {
      vendorId: 0x1d6b,
      productId: 0x0104,
      manufacturer: 'usbcdb',
      product: 'Emulated Flash Stick',
      serial: '0123456789AB',
    },
    inquiry: {
      vendor: 'USBCDB',
      product: 'Flash Stick',
      revision: '1.00',
      version: 0x05,
      removable: true,
    },
    blockSize: 512,
    blocks: 262144,
    quirks: LENIENT,
  },
  {
    name: 'spc2-bridge',
    description:
      'An SPC-2-era USB bridge: one-byte INQUIRY allocation length, strict about reserved CDB bits (INQUIRY byte 3 → 05/24/00), stalls after short data-in.',
    usb: {
      vendorId: 0x1d6b,
      productId: 0x0105,
      manufacturer: 'usbcdb',
      product: 'Emulated SPC-2 Bridge',
      serial: '00000000BEEF',
    },
    inquiry: {
      vendor: 'OLDBRDG',
      product: 'SPC-2 USB Disk',
      revision: '0.9',
      version: 0x04,
      removable: false,
    },
    blockSize: 512,
    blocks: 131072,
    quirks: { spc2Strict: true, stallShortDataIn: true, truncateExcessDataIn: false },
  },
];

export function findProfile(name: string): Profile | undefined {
  return BUILT_IN_PROFILES.find((p) => p.name === name);
}
