import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHex } from '../../../shared/scsi/hex';
import type { Result } from '../../../shared/scsi/result';
import {
  describeCapacity,
  describeInquiry,
  describeModeParameters,
  describeReportLuns,
  describeSupportedOpcodes,
  describeVpd,
  humanSize,
  parseAllCommands,
  parseAtaInformation,
  parseBlockDeviceCharacteristics,
  parseBlockLimits,
  parseDeviceIdentification,
  parseExtendedInquiry,
  parseInquiry,
  parseLogicalBlockProvisioning,
  parseModeSense10,
  parseModeSense6,
  parseOneCommand,
  parseReadCapacity10,
  parseReadCapacity16,
  parseReportLuns,
  parseSupportedPages,
  parseUnitSerialNumber,
  parseVpd,
} from '../../../shared/scsi/parsers';

function hex(t: string): Uint8Array {
  const r = parseHex(t);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** QEMU 7.2 usb-storage's standard INQUIRY (../shared/notes/qemu-guest.md). */
const QEMU_INQUIRY =
  '00 00 05 12 1f 00 00 10' + // PQ 0 / PDT 0 disk; RMB 0; VERSION 05h; HISUP=1, RDF 2; ADDITIONAL LENGTH 31; byte 7 SYNC (obsolete)
  ' 51 45 4d 55 20 20 20 20' + // T10 VENDOR IDENTIFICATION "QEMU    "
  ' 51 45 4d 55 20 48 41 52 44 44 49 53 4b 20 20 20' + // PRODUCT IDENTIFICATION "QEMU HARDDISK   "
  ' 32 2e 35 2b'; // PRODUCT REVISION LEVEL "2.5+"

describe('standard INQUIRY', () => {
  it("decodes QEMU's answer", () => {
    const d = value(parseInquiry(hex(QEMU_INQUIRY)));
    expect(d).toMatchObject({
      peripheralQualifier: 0,
      deviceType: 0,
      removable: false,
      version: 5,
      versionName: 'SPC-3',
      spcLevel: 3,
      hisup: true,
      responseDataFormat: 2,
      additionalLength: 31,
      cmdque: false,
      vendor: 'QEMU',
      product: 'QEMU HARDDISK',
      revision: '2.5+',
      truncated: false,
      vendorSpecific: undefined,
    });
    const rows = describeInquiry(d);
    expect(rows.find((r) => r.label === 'Vendor')).toEqual({
      label: 'Vendor',
      value: 'QEMU',
      bytes: [8, 15],
    });
  });

  it('maps VERSION to SPC levels, SCSI-2 below SPC-2', () => {
    const withVersion = (v: number): ReturnType<typeof parseInquiry> => {
      const b = hex(QEMU_INQUIRY);
      b[2] = v;
      return parseInquiry(b);
    };
    expect(value(withVersion(0x04)).spcLevel).toBe(2);
    expect(value(withVersion(0x02)).spcLevel).toBe(0);
    expect(value(withVersion(0x07)).versionName).toBe('SPC-5');
    expect(value(withVersion(0x00))).toMatchObject({
      spcLevel: undefined,
      versionName: 'no standard claimed',
    });
  });

  it('reports truncation when ADDITIONAL LENGTH promises more than was returned', () => {
    const b = hex(QEMU_INQUIRY);
    b[4] = 0x5b;
    expect(value(parseInquiry(b))).toMatchObject({
      truncated: true,
      claimedLength: 96,
      length: 36,
    });
  });

  it('reads vendor-specific bytes and version descriptors from long data', () => {
    const b = new Uint8Array(96);
    b.set(hex(QEMU_INQUIRY));
    b[4] = 91;
    b.set(new TextEncoder().encode('SERIAL0123456789    '), 36);
    b[58] = 0x04;
    b[59] = 0x60; // SPC-4
    b[62] = 0x17; // a zero descriptor at 60–61 is skipped
    const d = value(parseInquiry(b));
    expect(d.vendorSpecific).toBe('SERIAL0123456789');
    expect(d.versionDescriptors).toEqual([
      { offset: 58, value: 0x0460 },
      { offset: 62, value: 0x1700 },
    ]);
  });

  it('names the missing bytes of a short answer', () => {
    const r = parseInquiry(hex('00 00 05 12 1f'));
    expect(!r.ok && r.error.message).toBe(
      'INQUIRY data is 5 bytes long, so T10 VENDOR IDENTIFICATION at bytes 8–15 is missing',
    );
  });
});

describe('VPD pages', () => {
  it('00h supported pages', () => {
    expect(value(parseSupportedPages(hex('00 00 00 06 00 80 83 b0 b1 b2'))).pages).toEqual([
      0, 0x80, 0x83, 0xb0, 0xb1, 0xb2,
    ]);
  });

  it('80h unit serial number', () => {
    expect(value(parseUnitSerialNumber(hex('00 80 00 07 4c 41 42 30 30 30 31'))).serial).toBe(
      'LAB0001',
    );
  });

  it('83h designators: ASCII vendor specific and binary NAA', () => {
    const d = value(
      parseDeviceIdentification(
        hex('00 83 00 17 02 00 00 07 4c 41 42 30 30 30 31 01 03 00 08 50 01 23 45 67 89 ab cd'),
      ),
    );
    expect(d.designators).toHaveLength(2);
    expect(d.designators[0]).toMatchObject({
      typeName: 'vendor specific',
      codeSetName: 'ASCII',
      association: 'logical unit',
      value: 'LAB0001',
    });
    expect(d.designators[1]).toMatchObject({
      typeName: 'NAA',
      codeSetName: 'binary',
      value: '50012345678' + '9abcd',
    });
  });

  it('86h extended INQUIRY bits', () => {
    expect(
      value(parseExtendedInquiry(hex('00 86 00 3c 00 07 01 00 00 00 00 0a 00 fc'))),
    ).toMatchObject({
      headsup: true,
      ordsup: true,
      simpsup: true,
      vSup: true,
      extendedSelfTestMinutes: 10,
      maxSenseLength: 0xfc,
    });
  });

  it('89h ATA Information with byte-swapped IDENTIFY strings', () => {
    const b = new Uint8Array(572);
    b.set(hex('00 89 02 38'));
    b.set(new TextEncoder().encode('linux   libata          6.1 '), 8);
    b[56] = 0xec;
    const put = (word: number, text: string): void => {
      const t = new TextEncoder().encode(text);
      for (let i = 0; i < t.length; i += 2) {
        b[60 + word * 2 + i] = t[i + 1] ?? 0x20;
        b[60 + word * 2 + i + 1] = t[i] ?? 0x20;
      }
    };
    put(10, 'WD-123456789       ');
    put(23, 'FW01    ');
    put(27, 'WDC WD10EZEX                            ');
    const d = value(parseAtaInformation(b));
    expect(d).toMatchObject({
      satVendor: 'linux',
      satProduct: 'libata',
      satRevision: '6.1',
      commandCode: 0xec,
      model: 'WDC WD10EZEX',
      serial: 'WD-123456789',
      firmware: 'FW01',
    });
  });

  it('B0h block limits', () => {
    const b = new Uint8Array(64);
    b.set(hex('00 b0 00 3c 00 00 00 08 00 00 08 00 00 00 01 00'));
    b.set(hex('00 00 40 00 00 00 00 01'), 20);
    const d = value(parseBlockLimits(b));
    expect(d).toMatchObject({
      optimalTransferLengthGranularity: 8,
      maxTransferLength: 0x800,
      optimalTransferLength: 0x100,
      maxUnmapLbaCount: 0x4000,
      maxUnmapDescriptorCount: 1,
      maxWriteSameLength: 0n,
    });
  });

  it('B1h block device characteristics', () => {
    expect(value(parseBlockDeviceCharacteristics(hex('00 b1 00 3c 00 01 00 03 00')))).toMatchObject(
      { rotationText: 'non-rotating medium (solid state)', formFactor: '2.5 inch' },
    );
    expect(
      value(parseBlockDeviceCharacteristics(hex('00 b1 00 3c 1c 20 00 02 00'))).rotationText,
    ).toBe('7200 rpm');
  });

  it('B2h logical block provisioning', () => {
    expect(value(parseLogicalBlockProvisioning(hex('00 b2 00 04 00 e4 02 00')))).toMatchObject({
      lbpu: true,
      lbpws: true,
      lbpws10: true,
      lbprz: 1,
      provisioningType: 'thin provisioned',
    });
  });

  it('parseVpd dispatches by page code and keeps unknown pages raw', () => {
    const p = value(parseVpd(hex('00 80 00 03 41 42 43')));
    expect(p.page).toBe(0x80);
    expect(describeVpd(p).find((r) => r.label === 'Serial number')?.value).toBe('ABC');
    const other = value(parseVpd(hex('00 c0 00 02 12 34')));
    expect(other.page).toBe('other');
    expect(parseVpd(new Uint8Array(1)).ok).toBe(false);
  });

  it('refuses the wrong page and reports truncation', () => {
    const r = parseUnitSerialNumber(hex('00 83 00 00'));
    expect(!r.ok && r.error.message).toMatch(/Byte 1 \(PAGE CODE\) is 83h, not 80h/);
    expect(value(parseUnitSerialNumber(hex('00 80 00 10 41 42')))).toMatchObject({
      serial: 'AB',
      truncated: true,
      claimedLength: 20,
    });
  });
});

describe('READ CAPACITY', () => {
  it('(10): QEMU 128 MiB disk', () => {
    const c = value(parseReadCapacity10(hex('00 03 ff ff 00 00 02 00')));
    expect(c).toMatchObject({
      lastLba: 0x3ffffn,
      blockLength: 512,
      bytes: 134217728n,
      needs16: false,
    });
    expect(humanSize(c.bytes)).toBe('128 MiB (134.2 MB)');
    expect(describeCapacity(c)[0]?.bytes).toEqual([0, 3]);
  });

  it('(10): FFFFFFFFh means ask READ CAPACITY(16)', () => {
    expect(value(parseReadCapacity10(hex('ff ff ff ff 00 00 02 00'))).needs16).toBe(true);
  });

  it('(16): LBPME, exponents and lowest aligned LBA', () => {
    const c = value(
      parseReadCapacity16(
        hex(
          '00 00 00 00 00 03 ff ff 00 00 02 00 00 03 80 07 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00',
        ),
      ),
    );
    expect(c).toMatchObject({
      lastLba: 0x3ffffn,
      blockLength: 512,
      lbpme: true,
      lbprz: false,
      logicalPerPhysicalExponent: 3,
      lowestAlignedLba: 7,
      protEn: false,
    });
    expect(
      describeCapacity(c).find((r) => r.label === 'Logical blocks per physical block')?.value,
    ).toBe('8');
  });

  it('names missing bytes', () => {
    const r = parseReadCapacity10(hex('00 03 ff ff'));
    expect(!r.ok && r.error.message).toMatch(
      /LOGICAL BLOCK LENGTH IN BYTES at bytes 4–7 is missing/,
    );
  });
});

describe('REPORT LUNS', () => {
  it('lists LUNs with their addressing method', () => {
    const l = value(
      parseReportLuns(
        hex(
          '00 00 00 18 00 00 00 00  00 00 00 00 00 00 00 00  00 01 00 00 00 00 00 00  40 05 00 00 00 00 00 00',
        ),
      ),
    );
    expect(l.luns.map((x) => [x.lun, x.method])).toEqual([
      [0, 'peripheral device'],
      [1, 'peripheral device'],
      [5, 'flat space'],
    ]);
    expect(describeReportLuns(l)[0]?.value).toMatch(/3 LUNs/);
  });

  it('reports a truncated list', () => {
    expect(
      value(parseReportLuns(hex('00 00 00 40 00 00 00 00 00 00 00 00 00 00 00 00'))),
    ).toMatchObject({ truncated: true, luns: [{ lun: 0 }] });
  });
});

describe('MODE SENSE', () => {
  it('(6): header, one block descriptor, the caching page with WCE', () => {
    const m = value(
      parseModeSense6(
        hex('17 00 10 08  00 04 00 00 00 00 02 00  08 0a 04 00 ff ff 00 00 ff ff ff ff'),
      ),
    );
    expect(m).toMatchObject({
      modeDataLength: 0x17,
      dpofua: true,
      writeProtected: false,
      blockDescriptorLength: 8,
      truncated: false,
    });
    expect(m.blockDescriptors[0]).toMatchObject({ blocks: 0x40000n, blockLength: 512 });
    expect(m.pages[0]).toMatchObject({
      pageCode: 8,
      name: 'Caching',
      length: 10,
      bits: { WCE: true, RCD: false },
    });
    expect(describeModeParameters(m).some((r) => r.value.includes('WCE=1'))).toBe(true);
  });

  it('(10): long LBA descriptors and the control page D_SENSE bit', () => {
    const m = value(
      parseModeSense10(
        hex(
          '00 22 00 80 01 00 00 10  00 00 00 01 00 00 00 00 00 00 00 00 00 00 10 00  0a 0a 04 00 00 00 00 00 00 00 00 00',
        ),
      ),
    );
    expect(m).toMatchObject({ writeProtected: true, longLba: true, blockDescriptorLength: 16 });
    expect(m.blockDescriptors[0]).toMatchObject({ blocks: 0x100000000n, blockLength: 4096 });
    expect(m.pages[0]?.bits).toMatchObject({ D_SENSE: true });
  });

  it('splits subpage-format pages and survives a truncated page', () => {
    const m = value(parseModeSense6(hex('0b 00 00 00  5c 01 00 04 00 00 00 00')));
    expect(m.pages[0]).toMatchObject({ pageCode: 0x1c, spf: true, subpageCode: 1, length: 4 });
    const t = value(parseModeSense6(hex('20 00 00 00 08 12 04')));
    expect(t.truncated).toBe(true);
    expect(t.pages[0]?.bits).toEqual({});
  });
});

describe('REPORT SUPPORTED OPERATION CODES', () => {
  it('all commands, with and without timeouts descriptors', () => {
    const d = value(
      parseAllCommands(
        hex(
          '00 00 00 1c  12 00 00 00 00 00 00 06  9e 00 00 10 00 03 00 10  00 0a 00 00 00 00 00 1e 00 00 00 3c',
        ),
      ),
    );
    expect(d.commands).toEqual([
      { offset: 4, opcode: 0x12, serviceAction: undefined, cdbLength: 6, timeouts: undefined },
      {
        offset: 12,
        opcode: 0x9e,
        serviceAction: 0x10,
        cdbLength: 16,
        timeouts: { nominalSeconds: 30, recommendedSeconds: 60 },
      },
    ]);
    expect(describeSupportedOpcodes(d)[2]?.label).toBe('9Eh/10h');
  });

  it('one command: support and CDB usage data', () => {
    const d = value(parseOneCommand(hex('00 03 00 06 ff 01 ff ff ff 07')));
    expect(d).toMatchObject({
      supported: true,
      supportText: 'supported, conforming to a standard',
      cdbSize: 6,
    });
    expect(Array.from(d.usage)).toEqual([0xff, 0x01, 0xff, 0xff, 0xff, 0x07]);
    expect(value(parseOneCommand(hex('00 01 00 00'))).supported).toBe(false);
  });
});

describe('every parser on arbitrary bytes', () => {
  const parsers = {
    parseInquiry,
    parseVpd,
    parseSupportedPages,
    parseUnitSerialNumber,
    parseDeviceIdentification,
    parseExtendedInquiry,
    parseAtaInformation,
    parseBlockLimits,
    parseBlockDeviceCharacteristics,
    parseLogicalBlockProvisioning,
    parseReadCapacity10,
    parseReadCapacity16,
    parseReportLuns,
    parseModeSense6,
    parseModeSense10,
    parseAllCommands,
    parseOneCommand,
  };
  for (const [name, parse] of Object.entries(parsers)) {
    it(`${name} never throws and reports errors inside the buffer`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 0, maxLength: 600 }), (b) => {
          const r = (parse as (x: Uint8Array) => Result<unknown>)(b);
          if (!r.ok) {
            expect(r.error.code.length).toBeGreaterThan(0);
            expect(r.error.offset ?? 0).toBeLessThanOrEqual(b.length);
          }
        }),
        { numRuns: 1500 },
      );
    });
  }
});
