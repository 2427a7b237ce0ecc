/**
 * USB descriptors of an emulated drive, from its profile (USB 2.0 §9.6; BOT
 * 1.0 §4): a device descriptor with the class at interface level, one
 * configuration with one interface 08h/06h/50h (mass storage, SCSI
 * transparent command set, Bulk-Only) and its two bulk endpoints, and the
 * string descriptors (English, UTF-16LE).
 */
import { putLe16 } from '../../shared/scsi/bytes';
import type { Profile } from './profile';

export const BULK_IN = 0x81;
export const BULK_OUT = 0x02;
/** High-speed bulk endpoints carry 512-byte packets (USB 2.0 §5.8.3). */
export const MAX_PACKET = 512;

export const DESCRIPTOR_TYPE = {
  device: 1,
  configuration: 2,
  string: 3,
  interface: 4,
  endpoint: 5,
} as const;

/** bcdDevice from the INQUIRY revision "1.05" → 0105h, as many vendors do; 0100h when it is not a number. */
function bcdDevice(revision: string): number {
  const m = /^(\d{1,2})\.(\d{1,2})/.exec(revision);
  if (!m) return 0x0100;
  const bcd = (n: string): number =>
    parseInt(n.padStart(2, '0').slice(0, 1), 10) * 16 + parseInt(n.padStart(2, '0').slice(1), 10);
  return (bcd(m[1] as string) << 8) | bcd((m[2] as string).padEnd(2, '0'));
}

export function deviceDescriptor(p: Profile): Uint8Array {
  const d = new Uint8Array(18);
  d[0] = 18;
  d[1] = DESCRIPTOR_TYPE.device;
  putLe16(d, 2, 0x0200); // USB 2.0
  d[4] = 0x00; // class, subclass, protocol: defined by the interface
  d[7] = 64; // bMaxPacketSize0
  putLe16(d, 8, p.usb.vendorId);
  putLe16(d, 10, p.usb.productId);
  putLe16(d, 12, bcdDevice(p.inquiry.revision));
  d[14] = 1; // iManufacturer
  d[15] = 2; // iProduct
  d[16] = 3; // iSerialNumber: BOT requires one
  d[17] = 1; // bNumConfigurations
  return d;
}

/** Configuration, interface and endpoint descriptors, as GET_DESCRIPTOR(CONFIGURATION) returns them. */
export function configurationDescriptor(): Uint8Array {
  const total = 9 + 9 + 7 + 7;
  const d = new Uint8Array(total);
  d.set([9, DESCRIPTOR_TYPE.configuration], 0);
  putLe16(d, 2, total);
  d.set([1, 1, 0, 0x80, 50], 4); // one interface, configuration 1, no string, bus powered, 100 mA
  d.set([9, DESCRIPTOR_TYPE.interface, 0, 0, 2, 0x08, 0x06, 0x50, 0], 9); // interface 0, 2 endpoints, 08/06/50
  d.set([7, DESCRIPTOR_TYPE.endpoint, BULK_IN, 0x02], 18);
  putLe16(d, 22, MAX_PACKET);
  d.set([7, DESCRIPTOR_TYPE.endpoint, BULK_OUT, 0x02], 25);
  putLe16(d, 29, MAX_PACKET);
  return d;
}

/** String descriptor `index`: 0 is the language list (0409h, English US); 1–3 manufacturer, product, serial. */
export function stringDescriptor(p: Profile, index: number): Uint8Array | undefined {
  if (index === 0) return Uint8Array.from([4, DESCRIPTOR_TYPE.string, 0x09, 0x04]);
  const text = [p.usb.manufacturer, p.usb.product, p.usb.serial][index - 1];
  if (text === undefined) return undefined;
  const d = new Uint8Array(2 + text.length * 2);
  d[0] = d.length;
  d[1] = DESCRIPTOR_TYPE.string;
  for (let i = 0; i < text.length; i++) putLe16(d, 2 + 2 * i, text.charCodeAt(i));
  return d;
}

/** GET_DESCRIPTOR by wValue (type in the high byte, index in the low byte). */
export function descriptorFor(p: Profile, wValue: number): Uint8Array | undefined {
  const type = wValue >> 8;
  const index = wValue & 0xff;
  if (type === DESCRIPTOR_TYPE.device) return index === 0 ? deviceDescriptor(p) : undefined;
  if (type === DESCRIPTOR_TYPE.configuration)
    return index === 0 ? configurationDescriptor() : undefined;
  if (type === DESCRIPTOR_TYPE.string) return stringDescriptor(p, index);
  return undefined;
}
