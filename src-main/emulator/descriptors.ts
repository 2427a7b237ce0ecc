/**
 * USB descriptors of an emulated drive, from its profile (USB 2.0 §9.6; BOT
 * 1.0 §4): a device descriptor with the class at interface level, one
 * configuration with one interface 08h/06h/50h (mass storage, SCSI
 * transparent command set, Bulk-Only) and its two bulk endpoints, and the
 * string descriptors (English, UTF-16LE).
 */
import { BOT_INTERFACE } from '../../shared/bot/interface-class';
import { putLe16 } from '../../shared/scsi/bytes';
import type { Profile } from './profile';

export const BULK_IN = 0x81;
export const BULK_OUT = 0x02;
/**
 * What the bus speed fixes in the descriptors: bcdUSB, the EP0 packet size
 * (bMaxPacketSize0 is an exponent for SuperSpeed: 2^9 = 512) and the bulk
 * packet size (USB 2.0 §5.8.3: 512 at high speed; USB 3.2 §9.6.6: 1024).
 */
export const SPEEDS = {
  high: { bcdUsb: 0x0200, maxPacketSize0Field: 64, ep0MaxPacket: 64, bulkMaxPacket: 512 },
  super: { bcdUsb: 0x0320, maxPacketSize0Field: 9, ep0MaxPacket: 512, bulkMaxPacket: 1024 },
} as const;

export function speedOf(p: Profile): (typeof SPEEDS)[keyof typeof SPEEDS] {
  return SPEEDS[p.usb.speed];
}

export const DESCRIPTOR_TYPE = {
  device: 1,
  configuration: 2,
  string: 3,
  interface: 4,
  endpoint: 5,
  deviceQualifier: 6,
  otherSpeedConfiguration: 7,
  bos: 15,
  deviceCapability: 16,
  superSpeedEndpointCompanion: 48,
} as const;

/** bcdDevice from the INQUIRY revision "1.05" → 0105h, as many vendors do; 0100h when it is not a number. */
export function bcdDevice(revision: string): number {
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
  const speed = speedOf(p);
  putLe16(d, 2, speed.bcdUsb);
  d[4] = 0x00; // class, subclass, protocol: defined by the interface
  d[7] = speed.maxPacketSize0Field;
  putLe16(d, 8, p.usb.vendorId);
  putLe16(d, 10, p.usb.productId);
  putLe16(d, 12, bcdDevice(p.inquiry.revision));
  d[14] = 1; // iManufacturer
  d[15] = 2; // iProduct
  d[16] = 3; // iSerialNumber: BOT requires one
  d[17] = 1; // bNumConfigurations
  return d;
}

/**
 * Configuration, interface and endpoint descriptors, as GET_DESCRIPTOR(CONFIGURATION)
 * returns them; a SuperSpeed device follows each endpoint with its companion
 * descriptor (USB 3.2 §9.6.7: no bursts, no streams).
 */
export function configurationDescriptor(p: Profile): Uint8Array {
  return configurationAt(p, DESCRIPTOR_TYPE.configuration, speedOf(p).bulkMaxPacket);
}

/** Full speed's largest bulk packet (USB 2.0 §5.8.3: 8, 16, 32 or 64 bytes). */
const FULL_SPEED_BULK_MAX_PACKET = 64;

/**
 * The device qualifier of a high-speed device (USB 2.0 §9.6.2): what it would be at full speed,
 * where only EP0's packet size (64, as now) could differ. A high-speed capable device returns it;
 * a device operating at SuperSpeed answers the request with a request error (USB 3.2 §9.6.2), as
 * the undefined here makes the caller do.
 */
function deviceQualifierDescriptor(p: Profile): Uint8Array | undefined {
  if (p.usb.speed === 'super') return undefined;
  const speed = speedOf(p);
  const d = new Uint8Array(10);
  d[0] = 10;
  d[1] = DESCRIPTOR_TYPE.deviceQualifier;
  putLe16(d, 2, speed.bcdUsb);
  // Class, subclass and protocol 0 as in the device descriptor; bMaxPacketSize0 64; one
  // configuration; byte 9 reserved.
  d[7] = 64;
  d[8] = 1;
  return d;
}

/**
 * The other-speed configuration of a high-speed device (USB 2.0 §9.6.4): the configuration as
 * it would be at full speed, its bulk endpoints at 64-byte packets. Undefined at SuperSpeed, as
 * the device qualifier (a host asks for it only after that succeeds).
 */
function otherSpeedConfigurationDescriptor(p: Profile): Uint8Array | undefined {
  return p.usb.speed === 'super'
    ? undefined
    : configurationAt(p, DESCRIPTOR_TYPE.otherSpeedConfiguration, FULL_SPEED_BULK_MAX_PACKET);
}

function configurationAt(p: Profile, type: number, bulkMaxPacket: number): Uint8Array {
  const superSpeed = p.usb.speed === 'super';
  const endpoint = (address: number): number[] => {
    const e = [
      7,
      DESCRIPTOR_TYPE.endpoint,
      address,
      0x02,
      bulkMaxPacket & 0xff,
      bulkMaxPacket >> 8,
      0,
    ];
    return superSpeed ? [...e, 6, DESCRIPTOR_TYPE.superSpeedEndpointCompanion, 0, 0, 0, 0] : e;
  };
  const body = [
    // interface 0, alternate 0, 2 endpoints, 08h/06h/50h, no string
    ...[9, DESCRIPTOR_TYPE.interface, 0, 0, 2],
    ...[BOT_INTERFACE.class, BOT_INTERFACE.subclass, BOT_INTERFACE.protocol, 0],
    ...endpoint(BULK_IN),
    ...endpoint(BULK_OUT),
  ];
  const d = new Uint8Array(9 + body.length);
  d.set([9, type], 0);
  putLe16(d, 2, d.length);
  // One interface, configuration 1, no string, bus powered; bMaxPower counts 2 mA at high speed,
  // 8 mA at SuperSpeed: 100 mA and 104 mA.
  d.set([1, 1, 0, 0x80, superSpeed ? 13 : 50], 4);
  d.set(body, 9);
  return d;
}

/**
 * BOS descriptor of a SuperSpeed device (USB 3.2 §9.6.2): the USB 2.0 extension
 * (LPM) and the SuperSpeed device capability (full, high and SuperSpeed supported).
 */
function bosDescriptor(): Uint8Array {
  const usb2 = [7, DESCRIPTOR_TYPE.deviceCapability, 0x02, 0x02, 0, 0, 0];
  const superSpeed = [
    10,
    DESCRIPTOR_TYPE.deviceCapability,
    0x03,
    0,
    0x0e,
    0x00,
    0x01,
    0x0a,
    0xff,
    0x07,
  ];
  const d = new Uint8Array(5 + usb2.length + superSpeed.length);
  d.set([5, DESCRIPTOR_TYPE.bos], 0);
  putLe16(d, 2, d.length);
  d[4] = 2;
  d.set(usb2, 5);
  d.set(superSpeed, 5 + usb2.length);
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
    return index === 0 ? configurationDescriptor(p) : undefined;
  if (type === DESCRIPTOR_TYPE.deviceQualifier)
    return index === 0 ? deviceQualifierDescriptor(p) : undefined;
  if (type === DESCRIPTOR_TYPE.otherSpeedConfiguration)
    return index === 0 ? otherSpeedConfigurationDescriptor(p) : undefined;
  if (type === DESCRIPTOR_TYPE.bos) return p.usb.speed === 'super' ? bosDescriptor() : undefined;
  if (type === DESCRIPTOR_TYPE.string) return stringDescriptor(p, index);
  return undefined;
}
