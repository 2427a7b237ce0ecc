import { describe, expect, it } from 'vitest';
import { ByteReader } from '../../shared/scsi/bytes';
import { clearHalt } from '../../shared/bot/requests';
import { formatHex } from '../../shared/scsi/hex';
import { BotDevice } from '../../src-main/emulator/bot-device';
import {
  configurationDescriptor,
  descriptorFor,
  deviceDescriptor,
  stringDescriptor,
} from '../../src-main/emulator/descriptors';
import { DiskLu } from '../../src-main/emulator/disk';
import { BUILT_IN_PROFILES, findProfile } from '../../src-main/emulator/profiles';
import { MemoryStore } from '../../src-main/emulator/store';

const stick = findProfile('flash-stick');
if (!stick) throw new Error('flash-stick');

describe('USB descriptors from the profile', () => {
  it('device descriptor: class at interface level, VID/PID, bcdDevice from the revision, a serial string', () => {
    const r = new ByteReader(deviceDescriptor(stick), 'device descriptor');
    expect(r.u8(0)).toBe(18);
    expect(r.u8(1)).toBe(1);
    expect(r.le16(2)).toBe(0x0200);
    expect(r.u8(4)).toBe(0);
    expect(r.le16(8)).toBe(stick.usb.vendorId);
    expect(r.le16(10)).toBe(stick.usb.productId);
    expect(r.le16(12)).toBe(0x0100);
    expect(r.u8(16)).toBe(3);
  });

  it('configuration: one interface 08h/06h/50h with a bulk IN and a bulk OUT endpoint', () => {
    const c = configurationDescriptor(stick);
    // config (9) | interface 0, 2 endpoints, class 08 subclass 06 protocol 50 | EP 81h bulk 512 | EP 02h bulk 512
    expect(formatHex(c)).toBe(
      '09 02 20 00 01 01 00 80 32 09 04 00 00 02 08 06 50 00 07 05 81 02 00 02 00 07 05 02 02 00 02 00',
    );
  });

  it('strings: English, and the serial in UTF-16LE meeting the BOT rules', () => {
    expect(formatHex(stringDescriptor(stick, 0) ?? new Uint8Array())).toBe('04 03 09 04');
    const serial = stringDescriptor(stick, 3) ?? new Uint8Array();
    expect(serial[0]).toBeGreaterThanOrEqual(26); // at least 12 characters (USBCV TD1.2)
    expect(new TextDecoder('utf-16le').decode(serial.subarray(2))).toBe(stick.usb.serial);
    expect(stringDescriptor(stick, 4)).toBeUndefined();
    for (const p of BUILT_IN_PROFILES) expect(p.usb.serial).toMatch(/^[0-9A-F]{12,}$/);
  });

  it('are answered by the BOT device for GET_DESCRIPTOR, truncated to wLength', async () => {
    const d = new BotDevice([new DiskLu(stick, new MemoryStore(512, 16))]);
    const dev = await d.control({
      bmRequestType: 0x80,
      bRequest: 6,
      wValue: 0x0100,
      wIndex: 0,
      wLength: 8,
    });
    expect(dev.kind === 'ok' && dev.data).toHaveLength(8);
    expect(descriptorFor(stick, 0x0200)).toEqual(configurationDescriptor(stick));
  });

  it('a high-speed drive gives its device qualifier and other-speed configuration; at SuperSpeed both are a request error', async () => {
    const getDescriptor = (dev: BotDevice, wValue: number, wLength: number) =>
      dev.control({ bmRequestType: 0x80, bRequest: 6, wValue, wIndex: 0, wLength });
    const high = new BotDevice([new DiskLu(stick, new MemoryStore(512, 16))]);
    // USB 2.0 §9.6.2: bLength 10, type 6, bcdUSB 0200h, class/subclass/protocol 0 (as the device
    // descriptor), bMaxPacketSize0 64, one configuration, reserved 0.
    const qualifier = await getDescriptor(high, 0x0600, 10);
    expect(qualifier.kind === 'ok' && formatHex(qualifier.data)).toBe(
      '0a 06 00 02 00 00 00 40 01 00',
    );
    // USB 2.0 §9.6.4: the configuration at full speed: type 7, the bulk endpoints at 64 bytes.
    const other = await getDescriptor(high, 0x0700, 255);
    const config = configurationDescriptor(stick);
    expect(other.kind === 'ok' && other.data.length).toBe(config.length);
    const atFullSpeed = Uint8Array.from(config);
    atFullSpeed[1] = 7;
    // wMaxPacketSize of the two endpoint descriptors (after 9 + 9 bytes, 7 each): 0200h → 0040h.
    for (const at of [18 + 4, 25 + 4]) atFullSpeed.set([0x40, 0x00], at);
    expect(other.kind === 'ok' && formatHex(other.data)).toBe(formatHex(atFullSpeed));
    expect(formatHex(config.subarray(22, 24))).toBe('00 02');
    // Only index 0 exists.
    expect((await getDescriptor(high, 0x0601, 10)).kind).toBe('stall');
    const superSpeed = findProfile('fw-updatable');
    if (!superSpeed) throw new Error('fw-updatable');
    expect(superSpeed.usb.speed).toBe('super');
    const fast = new BotDevice([new DiskLu(superSpeed, new MemoryStore(512, 16))]);
    expect((await getDescriptor(fast, 0x0600, 10)).kind).toBe('stall');
    expect((await getDescriptor(fast, 0x0700, 255)).kind).toBe('stall');
  });

  it('reports an endpoint halt through GET_STATUS until it is cleared', async () => {
    const d = new BotDevice([new DiskLu(stick, new MemoryStore(512, 16))]);
    await d.bulkOut(new Uint8Array(30)); // invalid CBW: both endpoints halt until reset recovery
    const status = await d.control({
      bmRequestType: 0x82,
      bRequest: 0,
      wValue: 0,
      wIndex: 0x81,
      wLength: 2,
    });
    expect(status.kind === 'ok' && Array.from(status.data)).toEqual([1, 0]);
    // CLEAR_FEATURE(HALT) alone does not end an invalid CBW's stall; reset recovery does.
    expect((await d.control(clearHalt(0x81))).kind).toBe('ok');
    const still = await d.control({
      bmRequestType: 0x82,
      bRequest: 0,
      wValue: 0,
      wIndex: 0x81,
      wLength: 2,
    });
    expect(still.kind === 'ok' && still.data[0]).toBe(1);
    await d.control({ bmRequestType: 0x21, bRequest: 0xff, wValue: 0, wIndex: 0, wLength: 0 });
    await d.control(clearHalt(0x81));
    const cleared = await d.control({
      bmRequestType: 0x82,
      bRequest: 0,
      wValue: 0,
      wIndex: 0x81,
      wLength: 2,
    });
    expect(cleared.kind === 'ok' && cleared.data[0]).toBe(0);
  });
});

describe('a SuperSpeed profile (fw-updatable)', () => {
  const fast = findProfile('fw-updatable');
  if (!fast) throw new Error('fw-updatable');

  it('says USB 3.2 with a 512-byte EP0 (bMaxPacketSize0 = 9, an exponent) and 1024-byte bulk packets with companions', () => {
    const d = deviceDescriptor(fast);
    expect(formatHex(d.subarray(2, 4))).toBe('20 03');
    expect(d[7]).toBe(9);
    const c = configurationDescriptor(fast);
    // configuration 9 + interface 9 + (endpoint 7 + companion 6) × 2
    expect(c.length).toBe(44);
    expect(formatHex(c.subarray(2, 4))).toBe('2c 00');
    expect(formatHex(c.subarray(18, 31))).toBe('07 05 81 02 00 04 00 06 30 00 00 00 00');
    expect(formatHex(c.subarray(31, 44))).toBe('07 05 02 02 00 04 00 06 30 00 00 00 00');
  });

  it('answers GET_DESCRIPTOR(BOS) with the USB 2.0 extension and the SuperSpeed capability; a high-speed profile stalls it', () => {
    const bos = descriptorFor(fast, 0x0f00);
    expect(bos && formatHex(bos)).toBe(
      '05 0f 16 00 02 07 10 02 02 00 00 00 0a 10 03 00 0e 00 01 0a ff 07',
    );
    expect(descriptorFor(stick, 0x0f00)).toBeUndefined();
    expect(deviceDescriptor(stick)[7]).toBe(64);
  });
});
