/**
 * The emulated drive's small helpers, pinned directly: USB speeds (USB 2.0 and 3.2 device
 * descriptors: bMaxPacketSize0 64, or 9 meaning 2^9), the standard requests of USB 2.0 §9.4,
 * and the sense it builds (SPC-5: 05/26/00 with a field pointer into the parameter list).
 */
import { describe, expect, it, vi } from 'vitest';
import { DiskLu } from '../../../src-main/emulator/disk';
import { SELF_TEST_LOG_SIZE, SelfTestLog } from '../../../src-main/emulator/self-tests';
import { MemoryStore } from '../../../src-main/emulator/store';
import { ProfileSchema } from '../../../src-main/emulator/profile';
import { speedOf } from '../../../src-main/emulator/descriptors';
import { findProfile } from '../../../src-main/emulator/profiles';
import { fieldOf } from '../../../src-main/emulator/field-pointer';
import { invalidParameter } from '../../../src-main/emulator/responses';
import { senseFields } from '../../../src-main/emulator/nexus';
import {
  answerStandardRequest,
  type UsbDeviceState,
} from '../../../src-main/emulator/standard-requests';
import { findByName } from '../../../shared/scsi/catalog';

const profile = (name: string) => {
  const p = findProfile(name);
  if (!p) throw new Error(name);
  return p;
};

describe('speedOf', () => {
  it('gives a high-speed drive 64-byte EP0 and 512-byte bulk packets, a SuperSpeed one 512 and 1024', () => {
    expect(speedOf(profile('flash-stick'))).toMatchObject({
      bcdUsb: 0x0200,
      ep0MaxPacket: 64,
      bulkMaxPacket: 512,
    });
    expect(speedOf(profile('fw-updatable'))).toMatchObject({
      bcdUsb: 0x0320,
      maxPacketSize0Field: 9,
      ep0MaxPacket: 512,
      bulkMaxPacket: 1024,
    });
  });
});

describe('answerStandardRequest (USB 2.0 §9.4)', () => {
  const device = (): UsbDeviceState & { halts: Map<number, boolean> } => {
    const halts = new Map([
      [0x81, false],
      [0x02, false],
    ]);
    return {
      profile: profile('flash-stick'),
      configuration: 1,
      halts,
      halted: (ep) => halts.get(ep),
      clearHalt: (ep) => halts.has(ep) && (halts.set(ep, false), true),
      setHalt: (ep) => halts.has(ep) && (halts.set(ep, true), true),
    };
  };
  const setup = (bmRequestType: number, bRequest: number, wValue = 0, wIndex = 0, wLength = 0) => ({
    bmRequestType,
    bRequest,
    wValue,
    wIndex,
    wLength,
  });

  it('truncates GET_DESCRIPTOR to wLength and reports the configuration', () => {
    const d = device();
    const r = answerStandardRequest(setup(0x80, 0x06, 0x0100, 0, 8), d);
    expect(r?.kind === 'ok' && Array.from(r.data)).toEqual([18, 1, 0x00, 0x02, 0, 0, 0, 64]);
    expect(answerStandardRequest(setup(0x80, 0x08, 0, 0, 1), d)).toEqual({
      kind: 'ok',
      data: Uint8Array.of(1),
    });
  });

  it('sets and clears an endpoint’s Halt, and says so in GET_STATUS', () => {
    const d = device();
    expect(answerStandardRequest(setup(0x02, 0x03, 0, 0x81), d)?.kind).toBe('ok');
    expect(answerStandardRequest(setup(0x82, 0x00, 0, 0x81, 2), d)).toEqual({
      kind: 'ok',
      data: Uint8Array.of(1, 0),
    });
    expect(answerStandardRequest(setup(0x02, 0x01, 0, 0x81), d)?.kind).toBe('ok');
    expect(d.halts.get(0x81)).toBe(false);
  });

  it('stalls a request naming what the device lacks, and leaves an unknown one to the class requests', () => {
    const d = device();
    expect(answerStandardRequest(setup(0x82, 0x00, 0, 0x85, 2), d)).toEqual({ kind: 'stall' }); // no EP 5 IN
    expect(answerStandardRequest(setup(0x00, 0x09, 2), d)).toEqual({ kind: 'stall' }); // no configuration 2
    expect(answerStandardRequest(setup(0x21, 0xff), d)).toBeUndefined(); // Bulk-Only Mass Storage Reset
  });
});

describe('fieldOf', () => {
  it('finds a field by key, and throws naming a key the layout lacks', () => {
    const inquiry = findByName('inquiry');
    if (!inquiry) throw new Error('no INQUIRY');
    expect(fieldOf(inquiry, 'allocationLength')).toMatchObject({ byte: 3, width: 16 });
    expect(() => fieldOf(inquiry, 'lba')).toThrow('no field "lba" in this layout');
  });
});

describe('invalidParameter and senseFields', () => {
  it('points INVALID FIELD IN PARAMETER LIST at a data-out byte (C/D 0), and carries only what is set', () => {
    const c = invalidParameter(7);
    expect(senseFields(c)).toEqual({
      key: 0x05,
      asc: 0x26,
      ascq: 0x00,
      senseKeySpecific: {
        kind: 'field-pointer',
        inCdb: false,
        bitPointerValid: false,
        bitPointer: 0,
        fieldPointer: 7,
      },
    });
  });
});

describe('the self-test log (SPC-5, self-test results log page)', () => {
  it('keeps the 20 most recent self-tests, the newest first', () => {
    const log = new SelfTestLog();
    for (let hours = 0; hours < 25; hours++)
      log.record({ code: 1, result: 0, powerOnHours: hours });
    expect(log.results).toHaveLength(SELF_TEST_LOG_SIZE);
    expect(log.results.map((t) => t.powerOnHours)).toEqual(
      Array.from({ length: 20 }, (_, i) => 24 - i),
    );
  });

  it("counts a unit's power-on hours from when it was made", () => {
    vi.useFakeTimers();
    try {
      vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
      const lu = new DiskLu(profile('fw-updatable'), new MemoryStore(512, 8));
      expect(lu.powerOnHours).toBe(0);
      vi.setSystemTime(new Date('2026-01-01T02:59:59Z'));
      expect(lu.powerOnHours).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('a profile’s log pages', () => {
  it('take temperatures of 0–254 °C: FFh is what the page says for "not available"', () => {
    const fw = profile('fw-updatable');
    const withTemperature = (temperature: number) =>
      ProfileSchema.safeParse({ ...fw, logPages: { temperature, referenceTemperature: 60 } })
        .success;
    expect(withTemperature(254)).toBe(true);
    expect(withTemperature(255)).toBe(false);
    expect(withTemperature(-1)).toBe(false);
  });
});
