import { describe, expect, it } from 'vitest';
import { describeInquiry, parseInquiry } from '../../../shared/scsi/parsers';
import { failure, hex, QEMU_INQUIRY, value } from './helpers';

function withByte(offset: number, v: number): Uint8Array {
  const b = hex(QEMU_INQUIRY);
  b[offset] = v;
  return b;
}

describe('parseInquiry (SPC-5, standard INQUIRY data)', () => {
  it("decodes QEMU's 36-byte answer", () => {
    expect(value(parseInquiry(hex(QEMU_INQUIRY)))).toMatchObject({
      peripheralQualifier: 0,
      deviceType: 0,
      deviceTypeName: 'direct access block device (disk)',
      removable: false,
      luCong: false,
      version: 5,
      versionName: 'SPC-3',
      spcLevel: 3,
      normaca: false,
      hisup: true,
      responseDataFormat: 2,
      additionalLength: 31,
      sccs: false,
      acc: false,
      tpgs: 0,
      thirdPartyCopy: false,
      protect: false,
      encserv: false,
      multip: false,
      cmdque: false,
      vendor: 'QEMU',
      product: 'QEMU HARDDISK',
      revision: '2.5+',
      vendorSpecific: undefined,
      versionDescriptors: [],
      claimedLength: 36,
      length: 36,
      truncated: false,
    });
  });

  it('maps VERSION to a named standard and SPC level', () => {
    const level = (v: number): [string | undefined, number | undefined] => {
      const d = value(parseInquiry(withByte(2, v)));
      return [d.versionName, d.spcLevel];
    };
    expect(level(0x00)).toEqual(['no standard claimed', undefined]);
    expect(level(0x02)).toEqual(['SCSI-2 (ANSI X3.131-1994), obsolete', 0]);
    expect(level(0x03)).toEqual(['SPC (ANSI INCITS 301-1997)', 1]);
    expect(level(0x04)).toEqual(['SPC-2', 2]);
    expect(level(0x05)).toEqual(['SPC-3', 3]);
    expect(level(0x06)).toEqual(['SPC-4', 4]);
    expect(level(0x07)).toEqual(['SPC-5', 5]);
    expect(level(0x08)).toEqual(['reserved (08h)', undefined]);
  });

  it('decodes byte 0: peripheral qualifier 011b and device type 05h', () => {
    // 0x65 = 011b (not supported) / 00101b (CD/DVD)
    expect(value(parseInquiry(withByte(0, 0x65)))).toMatchObject({
      peripheralQualifier: 3,
      deviceType: 5,
      deviceTypeName: 'CD/DVD device',
    });
    expect(value(parseInquiry(withByte(0, 0x15))).deviceTypeName).toBe('reserved (15h)');
  });

  it('decodes the flag bytes 1, 3, 5, 6 and 7', () => {
    const b = hex(QEMU_INQUIRY);
    b[1] = 0xc0; // RMB 1, LU_CONG 1
    b[3] = 0x32; // NORMACA 1, HISUP 1, RESPONSE DATA FORMAT 2
    b[5] = 0xf9; // SCCS 1, ACC 1, TPGS 11b, 3PC 1, PROTECT 1
    b[6] = 0x50; // ENCSERV 1, MULTIP 1
    b[7] = 0x02; // CMDQUE 1
    expect(value(parseInquiry(b))).toMatchObject({
      removable: true,
      luCong: true,
      normaca: true,
      hisup: true,
      sccs: true,
      acc: true,
      tpgs: 3,
      thirdPartyCopy: true,
      protect: true,
      encserv: true,
      multip: true,
      cmdque: true,
    });
  });

  it('reads vendor-specific bytes 36–55 and the nonzero version descriptors at 58–73', () => {
    const b = new Uint8Array(96);
    b.set(hex(QEMU_INQUIRY));
    b[4] = 91; // ADDITIONAL LENGTH: 96 bytes in all
    b.set(new TextEncoder().encode('SERIAL0123456789    '), 36);
    b.set(hex('04 60'), 58); // VERSION DESCRIPTOR 1: 0460h (SPC-4)
    //                          VERSION DESCRIPTOR 2 at 60–61 is zero and skipped
    b.set(hex('17 00'), 62); // VERSION DESCRIPTOR 3: 1700h
    b.set(hex('ff ff'), 74); // byte 74 is past the descriptors: not one of them
    const d = value(parseInquiry(b));
    expect(d.vendorSpecific).toBe('SERIAL0123456789');
    expect(d.versionDescriptors).toEqual([
      { offset: 58, value: 0x0460 },
      { offset: 62, value: 0x1700 },
    ]);
    expect(d.truncated).toBe(false);
  });

  it('does not read version descriptors past ADDITIONAL LENGTH', () => {
    const b = new Uint8Array(96);
    b.set(hex(QEMU_INQUIRY));
    b[4] = 55; // 60 bytes in all: only VERSION DESCRIPTOR 1 (58–59) is inside
    b.set(hex('04 60 00 c0'), 58);
    expect(value(parseInquiry(b)).versionDescriptors).toEqual([{ offset: 58, value: 0x0460 }]);
  });

  it('reports truncation when ADDITIONAL LENGTH promises more than was returned', () => {
    expect(value(parseInquiry(withByte(4, 0x5b)))).toMatchObject({
      truncated: true,
      claimedLength: 96,
      length: 36,
      vendorSpecific: undefined,
      versionDescriptors: [],
    });
  });

  it('reads the header of an answer cut short by its allocation length, and what else it reaches', () => {
    // INQUIRY with ALLOCATION LENGTH 5: SPC-5 caps the answer, so the device sends the header only.
    const five = value(parseInquiry(hex(QEMU_INQUIRY).subarray(0, 5)));
    expect(five).toMatchObject({ version: 0x05, truncated: true, length: 5, cmdque: undefined });
    expect([five.vendor, five.product, five.revision]).toEqual([undefined, undefined, undefined]);
    expect(describeInquiry(five).map((r) => r.label)).not.toContain('Vendor');
    // An answer that ends inside a string gives the string as far as it goes.
    const whole = value(parseInquiry(hex(QEMU_INQUIRY)));
    const twenty = value(parseInquiry(hex(QEMU_INQUIRY).subarray(0, 20)));
    expect(twenty.vendor).toBe(whole.vendor);
    expect(whole.product?.startsWith(twenty.product ?? '-')).toBe(true);
    expect(twenty.product).toHaveLength(4);
    expect(twenty.revision).toBeUndefined();
  });

  it('reads an answer cut at 4 bytes (ALLOCATION LENGTH 4, SPC-5) and names what a shorter one lacks', () => {
    const four = value(parseInquiry(hex('00 80 05 12')));
    expect([four.deviceType, four.removable, four.spcLevel, four.responseDataFormat]).toEqual([
      0,
      true,
      3,
      2,
    ]);
    expect([four.additionalLength, four.truncated, four.vendor]).toEqual([
      undefined,
      true,
      undefined,
    ]);
    expect(describeInquiry(four).map((r) => r.label)).not.toContain('Additional length');
  });

  it('reads an answer cut at 1 or 2 bytes, and leaves undefined what did not come', () => {
    const two = value(parseInquiry(hex('00 80')));
    expect([two.deviceType, two.removable, two.version, two.versionName]).toEqual([
      0,
      true,
      undefined,
      undefined,
    ]);
    const one = value(parseInquiry(hex('0e')));
    expect([one.deviceTypeName, one.removable, one.responseDataFormat, one.tpgs]).toEqual([
      'simplified direct-access device (RBC)',
      undefined,
      undefined,
      undefined,
    ]);
    expect(describeInquiry(one).map((r) => r.label)).toEqual([
      'Peripheral qualifier',
      'Peripheral device type',
    ]);
  });

  it('reads an answer cut at 3 bytes (ALLOCATION LENGTH 3, SPC-5 4.2.5.6) as far as it goes', () => {
    const three = value(parseInquiry(hex('00 80 05')));
    expect([three.deviceType, three.removable, three.spcLevel, three.truncated]).toEqual([
      0,
      true,
      3,
      true,
    ]);
    const labels = describeInquiry(three).map((r) => r.label);
    expect(labels).toContain('Version');
    expect(labels).not.toContain('NormACA');
    // Byte 3 on did not come: no value is made up for it.
    expect([three.responseDataFormat, three.normaca, three.tpgs, three.cmdque]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('fails on empty data without throwing', () => {
    expect(failure(parseInquiry(new Uint8Array(0)))).toMatchObject({
      code: 'out-of-bounds',
      offset: 0,
    });
  });
});
