import { describe, expect, it } from 'vitest';
import { parseModeSense10, parseModeSense6 } from '../../../shared/scsi/parsers';
import { failure, hex, value } from './helpers';

describe('parseModeSense6 (SPC-5 mode parameter header(6); SBC-4 block descriptor)', () => {
  const CACHING =
    '17' + //                            MODE DATA LENGTH 23 (24 bytes in all)
    ' 00' + //                           MEDIUM TYPE 0
    ' 10' + //                           DEVICE-SPECIFIC PARAMETER: WP 0, DPOFUA 1
    ' 08' + //                           BLOCK DESCRIPTOR LENGTH 8
    ' 00 04 00 00 00 00 02 00' + //      short block descriptor: NUMBER OF LOGICAL BLOCKS 40000h; LOGICAL BLOCK LENGTH 512
    ' 88 0a' + //                        page 08h (Caching), PS 1, SPF 0; PAGE LENGTH 10
    ' 04 00 ff ff 00 00 ff ff ff ff'; // byte 2: WCE 1, RCD 0; the rest

  it('decodes header, block descriptor and the Caching page WCE/RCD bits', () => {
    const m = value(parseModeSense6(hex(CACHING)));
    expect(m).toMatchObject({
      format: 6,
      modeDataLength: 0x17,
      mediumType: 0,
      writeProtected: false,
      dpofua: true,
      longLba: false,
      blockDescriptorLength: 8,
      truncated: false,
      claimedLength: 24,
    });
    expect(m.blockDescriptors).toEqual([{ offset: 4, blocks: 0x40000n, blockLength: 512 }]);
    expect(m.pages).toHaveLength(1);
    expect(m.pages[0]).toMatchObject({
      offset: 12,
      pageCode: 8,
      subpageCode: 0,
      spf: false,
      ps: true,
      length: 10,
      name: 'Caching',
      truncated: false,
      bits: { WCE: true, RCD: false },
    });
    expect(m.pages[0]?.bytes).toHaveLength(12);
  });

  it('splits several pages, sub_page format included', () => {
    const m = value(
      parseModeSense6(
        hex(
          '13 00 80 00' + //                 MODE DATA LENGTH 19; WP 1; no block descriptors
            ' 01 0a c0 05 00 00 00 00 00 00 00 00' + // page 01h: AWRE 1, ARRE 1; READ RETRY COUNT 5
            ' 5c 01 00 02 00 00', //           page 1Ch subpage 01h, SPF 1; PAGE LENGTH 2
        ),
      ),
    );
    expect(m.writeProtected).toBe(true);
    expect(m.pages.map((p) => [p.pageCode, p.subpageCode, p.spf, p.length, p.name])).toEqual([
      [0x01, 0, false, 10, 'Read-Write Error Recovery'],
      [0x1c, 1, true, 2, 'Informational Exceptions Control'],
    ]);
    expect(m.pages[0]?.bits).toMatchObject({ AWRE: true, ARRE: true, readRetryCount: 5 });
  });

  it('decodes the Informational Exceptions Control page', () => {
    const m = value(
      parseModeSense6(
        hex(
          '0f 00 00 00' + //  MODE DATA LENGTH 15; no block descriptors
            ' 1c 0a' + //     page 1Ch; PAGE LENGTH 10
            ' 08 06' + //     byte 2: DEXCPT 1; byte 3: MRIE 6 (report on request)
            ' 00 00 00 00 00 00 00 00',
        ),
      ),
    );
    expect(m.pages[0]?.bits).toMatchObject({ DEXCPT: true, MRIE: 6 });
  });

  it('decodes the Power Condition page’s timers, and no bits of one shorter than SPC-5 makes it', () => {
    const page = (length: number): string =>
      ` 1a ${length.toString(16).padStart(2, '0')}` + ' 00'.repeat(length);
    const m = value(parseModeSense6(hex(`2b 00 00 00${page(0x26)}`)));
    expect(m.pages[0]?.bits).toMatchObject({ IDLE_A: false, IACT: 0, CCF_STOPP: 0 });
    const b = hex(`2b 00 00 00${page(0x26)}`);
    b[4 + 3] = 0x02; // IDLE_A
    b[4 + 4 + 3] = 0x32; // IDLE_A CONDITION TIMER 50 (5 s)
    b[4 + 39] = 0x40; // CCF_IDLE 01b
    expect(value(parseModeSense6(b)).pages[0]?.bits).toMatchObject({
      IDLE_A: true,
      IACT: 50,
      CCF_IDLE: 1,
    });
    expect(value(parseModeSense6(hex(`0d 00 00 00${page(0x0a)}`))).pages[0]?.bits).toEqual({});
  });

  it('reports truncation and keeps a page cut short without decoding its bits', () => {
    const m = value(parseModeSense6(hex('20 00 00 00  08 12 04')));
    expect(m).toMatchObject({ truncated: true, claimedLength: 33, length: 7 });
    expect(m.pages[0]).toMatchObject({ pageCode: 8, length: 0x12, truncated: true, bits: {} });
  });

  it('stops at MODE DATA LENGTH even when more bytes follow', () => {
    const m = value(parseModeSense6(hex('05 00 00 00  0a 00  ff ff ff ff')));
    expect(m.pages).toHaveLength(1);
    expect(m.truncated).toBe(false);
  });

  it('names the missing header field', () => {
    expect(failure(parseModeSense6(hex('03 00')))).toMatchObject({
      code: 'out-of-bounds',
      message:
        'MODE SENSE(6) data is 2 bytes long, so DEVICE-SPECIFIC PARAMETER at byte 2 is missing',
    });
  });
});

describe('parseModeSense10 (SPC-5 mode parameter header(10))', () => {
  it('decodes LONGLBA block descriptors and the Control page D_SENSE bit', () => {
    const m = value(
      parseModeSense10(
        hex(
          '00 22' + //                                   MODE DATA LENGTH 34 (36 bytes in all)
            ' 00' + //                                   MEDIUM TYPE 0
            ' 80' + //                                   DEVICE-SPECIFIC PARAMETER: WP 1
            ' 01 00' + //                                LONGLBA 1
            ' 00 10' + //                                BLOCK DESCRIPTOR LENGTH 16
            ' 00 00 00 01 00 00 00 00' + //              long descriptor: NUMBER OF LOGICAL BLOCKS 1_0000_0000h
            ' 00 00 00 00 00 00 10 00' + //              reserved; LOGICAL BLOCK LENGTH 4096
            ' 0a 0a 04 00 00 00 00 00 00 00 00 00', //   page 0Ah (Control): D_SENSE 1
        ),
      ),
    );
    expect(m).toMatchObject({
      format: 10,
      writeProtected: true,
      dpofua: false,
      longLba: true,
      blockDescriptorLength: 16,
      truncated: false,
    });
    expect(m.blockDescriptors).toEqual([{ offset: 8, blocks: 0x100000000n, blockLength: 4096 }]);
    expect(m.pages[0]).toMatchObject({ pageCode: 0x0a, name: 'Control', bits: { D_SENSE: true } });
  });

  it('reads short descriptors when LONGLBA is 0', () => {
    const m = value(parseModeSense10(hex('00 0e 00 10 00 00 00 08  00 00 10 00 00 00 02 00')));
    expect(m.dpofua).toBe(true);
    expect(m.blockDescriptors).toEqual([{ offset: 8, blocks: 0x1000n, blockLength: 512 }]);
  });

  it('names BLOCK DESCRIPTOR LENGTH when the 8-byte header is short', () => {
    expect(failure(parseModeSense10(hex('00 06 00 00 00 00'))).message).toBe(
      'MODE SENSE(10) data is 6 bytes long, so BLOCK DESCRIPTOR LENGTH at bytes 6–7 is missing',
    );
  });
});
