import { describe, expect, it } from 'vitest';
import {
  parseAtaInformation,
  parseBlockDeviceCharacteristics,
  parseBlockLimits,
  parseDeviceIdentification,
  parseExtendedInquiry,
  parseLogicalBlockProvisioning,
  parseSupportedPages,
  parseUnitSerialNumber,
  parseVpd,
} from '../../../shared/scsi/parsers';
import { ATA_STRINGS } from '../../../shared/scsi/parsers/vpd';
import { failure, hex, padded, value } from './helpers';

describe('VPD 00h Supported VPD Pages (SPC-5)', () => {
  it('lists the page codes', () => {
    expect(
      value(
        parseSupportedPages(
          hex(
            '00 00 00 06' + // PDT 0; PAGE CODE 00h; PAGE LENGTH 6
              ' 00 80 83 b0 b1 b2', // supported page list
          ),
        ),
      ),
    ).toMatchObject({ pageCode: 0, pageLength: 6, pages: [0, 0x80, 0x83, 0xb0, 0xb1, 0xb2] });
  });

  it('lists only the pages present when PAGE LENGTH claims more', () => {
    expect(value(parseSupportedPages(hex('00 00 00 09 00 80 83')))).toMatchObject({
      pages: [0, 0x80, 0x83],
      truncated: true,
      claimedLength: 13,
      length: 7,
    });
  });
});

describe('VPD 80h Unit Serial Number (SPC-5)', () => {
  it('reads the ASCII serial, trimming padding', () => {
    expect(
      value(
        parseUnitSerialNumber(
          hex(
            '00 80 00 09' + // PAGE CODE 80h; PAGE LENGTH 9
              ' 20 4c 41 42 30 30 30 31 20', // PRODUCT SERIAL NUMBER " LAB0001 "
          ),
        ),
      ).serial,
    ).toBe('LAB0001');
  });

  it('refuses another page, naming byte 1', () => {
    expect(failure(parseUnitSerialNumber(hex('00 83 00 00')))).toEqual({
      code: 'wrong-page',
      message:
        'Byte 1 (PAGE CODE) is 83h, not 80h (Unit Serial Number); parse it with parseVpd or the parser for that page',
      offset: 1,
    });
  });

  it('reports truncation and keeps what is there', () => {
    expect(value(parseUnitSerialNumber(hex('00 80 00 10 41 42')))).toMatchObject({
      serial: 'AB',
      truncated: true,
      claimedLength: 20,
      length: 6,
    });
  });

  it('names PAGE LENGTH when the header is short', () => {
    expect(failure(parseUnitSerialNumber(hex('00 80 00'))).message).toBe(
      'VPD page 80h (Unit Serial Number) is 3 bytes long, so PAGE LENGTH at bytes 2–3 is missing',
    );
  });
});

describe('VPD 83h Device Identification (SPC-5)', () => {
  const PAGE =
    '00 83 00 28' + //               PAGE CODE 83h; PAGE LENGTH 40
    ' 02 00 00 07' + //              designator 1: CODE SET 2 (ASCII); PIV 0, ASSOCIATION 00b, TYPE 0 (vendor specific); LENGTH 7
    ' 4c 41 42 30 30 30 31' + //     "LAB0001"
    ' 01 03 00 08' + //              designator 2: CODE SET 1 (binary); TYPE 3 (NAA); LENGTH 8
    ' 50 01 23 45 67 89 ab cd' + //  NAA 5 identifier
    ' 61 94 00 04' + //              designator 3: PROTOCOL IDENTIFIER 6 (SAS), CODE SET 1; PIV 1, ASSOCIATION 01b (target port), TYPE 4; LENGTH 4
    ' 00 00 00 01' + //              RELATIVE TARGET PORT IDENTIFIER 1
    ' 03 08 00 05' + //              designator 4: CODE SET 3 (UTF-8); TYPE 8 (SCSI name string); LENGTH 5
    ' 6e 61 61 2e 00'; //            "naa." + NUL padding

  it('decodes each designator header and renders the value by code set', () => {
    const d = value(parseDeviceIdentification(hex(PAGE)));
    expect(d.truncated).toBe(false);
    expect(
      d.designators.map((x) => [
        x.offset,
        x.protocolIdentifier,
        x.codeSetName,
        x.piv,
        x.association,
        x.typeName,
        x.value,
      ]),
    ).toEqual([
      [4, 0, 'ASCII', false, 'logical unit', 'vendor specific', 'LAB0001'],
      [15, 0, 'binary', false, 'logical unit', 'NAA', '500123456789abcd'],
      [27, 6, 'binary', true, 'target port', 'relative target port identifier', '00000001'],
      [35, 0, 'UTF-8', false, 'logical unit', 'SCSI name string', 'naa.'],
    ]);
  });

  it('reads a CODE SET 3h designator as UTF-8, not ASCII (SPC-5, code set table)', () => {
    const d = value(
      parseDeviceIdentification(
        hex(
          '00 83 00 10' + //                    PAGE CODE 83h; PAGE LENGTH 16
            ' 03 08 00 0c' + //                  CODE SET 3 (UTF-8); TYPE 8 (SCSI name string); LENGTH 12
            ' 69 71 6e 2e 65 78 c3 a4 3a 00 00 00', // "iqn.exä:" (ä is C3 A4) + NUL padding
        ),
      ),
    );
    expect(d.designators[0]?.value).toBe('iqn.exä:');
  });

  it("shows a UTF-8 designator's control codes as '.', C1 and bidirectional overrides too", () => {
    const d = value(
      parseDeviceIdentification(
        hex(
          '00 83 00 10' + //                    PAGE CODE 83h; PAGE LENGTH 16
            ' 03 08 00 0c' + //                  CODE SET 3 (UTF-8); TYPE 8; LENGTH 12
            ' 61 c2 9b 32 6a 07 e2 80 ae 62 00 00', // "a", U+009B (CSI), "2j", BEL, U+202E (RLO), "b"
        ),
      ),
    );
    expect(d.designators[0]?.value).toBe('a.2j..b');
  });

  it('marks a designator cut short by the buffer', () => {
    // 21 bytes: designator 2's header (15–18) and two of its eight value bytes (19–20).
    const d = value(parseDeviceIdentification(hex(PAGE).subarray(0, 21)));
    expect(d.truncated).toBe(true);
    expect(d.designators[1]).toMatchObject({
      designatorLength: 8,
      value: '5001',
      truncated: true,
    });
  });
});

describe('VPD 86h Extended INQUIRY Data (SPC-5)', () => {
  it('decodes the main bits', () => {
    expect(
      value(
        parseExtendedInquiry(
          hex(
            '00 86 00 3c' + //    PAGE CODE 86h; PAGE LENGTH 60
              ' 4d' + //          byte 4: ACTIVATE MICROCODE 01b, SPT 001b, GRD_CHK 1, APP_CHK 0, REF_CHK 1
              ' 17' + //          byte 5: GROUP_SUP 1, HEADSUP 1, ORDSUP 1, SIMPSUP 1
              ' 09' + //          byte 6: WU_SUP 1, V_SUP 1
              ' 01' + //          byte 7: LUICLR 1
              ' 00 00 00 0a' + // bytes 10–11: EXTENDED SELF-TEST COMPLETION MINUTES 10
              ' 00 fc', //        byte 13: MAXIMUM SUPPORTED SENSE DATA LENGTH 252
          ),
        ),
      ),
    ).toMatchObject({
      activateMicrocode: 1,
      spt: 1,
      grdChk: true,
      appChk: false,
      refChk: true,
      uaskSup: false,
      groupSup: true,
      headsup: true,
      ordsup: true,
      simpsup: true,
      wuSup: true,
      crdSup: false,
      vSup: true,
      luiclr: true,
      extendedSelfTestMinutes: 10,
      maxSenseLength: 252,
      truncated: true,
    });
  });
});

describe('VPD 89h ATA Information (SAT-4)', () => {
  /** Writes an ATA string into IDENTIFY data the way a drive does: two characters per word, first in the high byte. */
  function putAtaString(b: Uint8Array, word: number, text: string): void {
    const t = new TextEncoder().encode(text);
    for (let i = 0; i < t.length; i += 2) {
      b[60 + word * 2 + i] = t[i + 1] ?? 0x20;
      b[60 + word * 2 + i + 1] = t[i] ?? 0x20;
    }
  }

  function page89(): Uint8Array {
    const b = padded('00 89 02 38', 572); // PAGE CODE 89h; PAGE LENGTH 568
    b.set(new TextEncoder().encode('linux   libata          6.1 '), 8); // SAT VENDOR / PRODUCT / REVISION
    b.set(hex('34 00 01 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00'), 36); // ATA DEVICE SIGNATURE
    b[56] = 0xec; // COMMAND CODE: IDENTIFY DEVICE
    putAtaString(b, 10, 'WD-WCC4E1234567     '); // words 10–19: serial number
    putAtaString(b, 23, '01.01A01'); //             words 23–26: firmware revision
    putAtaString(b, 27, 'WDC WD10EZEX-08WN4A0                    '); // words 27–46: model number
    return b;
  }

  it('decodes the SAT identity and the byte-swapped IDENTIFY strings', () => {
    const d = value(parseAtaInformation(page89()));
    expect(d).toMatchObject({
      satVendor: 'linux',
      satProduct: 'libata',
      satRevision: '6.1',
      commandCode: 0xec,
      identifyLength: 512,
      serial: 'WD-WCC4E1234567',
      firmware: '01.01A01',
      model: 'WDC WD10EZEX-08WN4A0',
      truncated: false,
    });
    expect(Array.from(d.deviceSignature.subarray(0, 4))).toEqual([0x34, 0, 1, 1]);
    expect(d.deviceSignature).toHaveLength(20);
  });

  it('decodes the strings the data reaches when IDENTIFY is cut short', () => {
    // 100 bytes: IDENTIFY words 0–19, so the serial is there but not firmware or model.
    const d = value(parseAtaInformation(page89().subarray(0, 100)));
    expect(d).toMatchObject({
      truncated: true,
      identifyLength: 40,
      serial: 'WD-WCC4E1234567',
      firmware: undefined,
      model: undefined,
    });
  });

  it("places the ATA strings where the sat set's IDENTIFY layout does: ACS-4 words 10, 23 and 27", () => {
    expect(ATA_STRINGS).toEqual({
      serial: { word: 10, words: 10 },
      firmware: { word: 23, words: 4 },
      model: { word: 27, words: 20 },
    });
  });

  it('names COMMAND CODE when the page stops before it', () => {
    expect(failure(parseAtaInformation(page89().subarray(0, 56))).message).toMatch(
      /COMMAND CODE at byte 56 is missing/,
    );
  });
});

describe('VPD B0h Block Limits (SBC-4)', () => {
  it('decodes transfer and unmap limits', () => {
    const b = padded(
      '00 b0 00 3c' + //    PAGE CODE B0h; PAGE LENGTH 60
        ' 00 00 00 08' + // WSNZ 0; MAXIMUM COMPARE AND WRITE LENGTH 0; OPTIMAL TRANSFER LENGTH GRANULARITY 8
        ' 00 00 08 00' + // MAXIMUM TRANSFER LENGTH 2048
        ' 00 00 01 00' + // OPTIMAL TRANSFER LENGTH 256
        ' 00 00 00 00' + // MAXIMUM PREFETCH LENGTH 0
        ' 00 00 40 00' + // MAXIMUM UNMAP LBA COUNT 16384
        ' 00 00 00 01' + // MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT 1
        ' 00 00 00 08' + // OPTIMAL UNMAP GRANULARITY 8
        ' 80 00 00 00' + // UGAVALID 1, UNMAP GRANULARITY ALIGNMENT 0
        ' 00 00 00 00 00 00 ff ff', // MAXIMUM WRITE SAME LENGTH 65535
      64,
    );
    expect(value(parseBlockLimits(b))).toMatchObject({
      optimalTransferLengthGranularity: 8,
      maxTransferLength: 2048,
      optimalTransferLength: 256,
      maxPrefetchLength: 0,
      maxUnmapLbaCount: 0x4000,
      maxUnmapDescriptorCount: 1,
      optimalUnmapGranularity: 8,
      unmapGranularityAlignment: 0,
      maxWriteSameLength: 0xffffn,
    });
  });

  it('accepts the SBC-2 length (000Ch) and leaves later fields undefined', () => {
    expect(
      value(parseBlockLimits(hex('00 b0 00 0c 00 00 00 01 00 00 00 80 00 00 00 80'))),
    ).toMatchObject({
      maxTransferLength: 128,
      maxPrefetchLength: undefined,
      maxUnmapLbaCount: undefined,
      maxWriteSameLength: undefined,
      truncated: false,
    });
  });

  it('refuses page B1h', () => {
    expect(failure(parseBlockLimits(padded('00 b1 00 3c', 64))).code).toBe('wrong-page');
  });
});

describe('VPD B1h Block Device Characteristics (SBC-4)', () => {
  it('0001h is non-rotating medium; 1C20h is 7200 rpm', () => {
    expect(
      value(
        parseBlockDeviceCharacteristics(
          padded(
            '00 b1 00 3c' + // PAGE CODE B1h; PAGE LENGTH 60
              ' 00 01' + //    MEDIUM ROTATION RATE 0001h: non-rotating
              ' 00' + //       PRODUCT TYPE 0
              ' 03', //        NOMINAL FORM FACTOR 3: 2.5 inch
            64,
          ),
        ),
      ),
    ).toMatchObject({
      rotationRate: 1,
      nonRotating: true,
      rotationText: 'non-rotating medium (solid state)',
      formFactor: '2.5 inch',
      zoned: 0,
    });
    const hdd = value(parseBlockDeviceCharacteristics(padded('00 b1 00 3c 1c 20 00 02', 64)));
    expect([hdd.rotationText, hdd.formFactor, hdd.nonRotating]).toEqual([
      '7200 rpm',
      '3.5 inch',
      false,
    ]);
  });
});

describe('VPD B2h Logical Block Provisioning (SBC-4)', () => {
  it('decodes the provisioning bits and type', () => {
    expect(
      value(
        parseLogicalBlockProvisioning(
          hex(
            '00 b2 00 04' + // PAGE CODE B2h; PAGE LENGTH 4
              ' 08' + //      THRESHOLD EXPONENT 8
              ' e7' + //      LBPU 1, LBPWS 1, LBPWS10 1, LBPRZ 001b, ANC_SUP 1, DP 1
              ' 02' + //      PROVISIONING TYPE 010b: thin
              ' 00',
          ),
        ),
      ),
    ).toMatchObject({
      thresholdExponent: 8,
      lbpu: true,
      lbpws: true,
      lbpws10: true,
      lbprz: 1,
      ancSup: true,
      dp: true,
      provisioningType: 'thin provisioned',
    });
  });

  it('reads LBPRZ as three bits', () => {
    expect(value(parseLogicalBlockProvisioning(hex('00 b2 00 04 00 1c 00 00'))).lbprz).toBe(7);
  });
});

describe('parseVpd', () => {
  it('dispatches by the page code in byte 1', () => {
    const p = value(parseVpd(hex('00 80 00 03 41 42 43')));
    expect(p.page).toBe(0x80);
    expect(p.page === 0x80 && p.data.serial).toBe('ABC');
    expect(value(parseVpd(hex('00 b2 00 04 00 00 02 00'))).page).toBe(0xb2);
  });

  it('keeps an unknown page raw', () => {
    const p = value(parseVpd(hex('00 c0 00 02 12 34')));
    expect(p.page).toBe('other');
    expect(p.page === 'other' && Array.from(p.data.payload)).toEqual([0x12, 0x34]);
  });

  it('passes on the page parser’s error and names PAGE CODE in a 1-byte buffer', () => {
    expect(failure(parseVpd(hex('00 89 02 38 00'))).message).toMatch(/SAT VENDOR IDENTIFICATION/);
    expect(failure(parseVpd(new Uint8Array(1)))).toEqual({
      code: 'out-of-bounds',
      message: 'VPD data is 1 bytes long, so PAGE CODE at byte 1 is missing',
      offset: 1,
    });
  });
});
