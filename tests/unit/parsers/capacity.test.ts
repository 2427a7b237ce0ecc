import { describe, expect, it } from 'vitest';
import { parseReadCapacity10, parseReadCapacity16 } from '../../../shared/scsi/parsers';
import { describeCapacity } from '../../../shared/scsi/parsers/describe';
import { failure, hex, value } from './helpers';

describe('parseReadCapacity10 (SBC-4, READ CAPACITY (10) parameter data)', () => {
  it("decodes QEMU's 128 MiB disk", () => {
    const c = value(
      parseReadCapacity10(
        hex(
          '00 03 ff ff' + // bytes 0–3: RETURNED LOGICAL BLOCK ADDRESS 3FFFFh
            ' 00 00 02 00', // bytes 4–7: LOGICAL BLOCK LENGTH IN BYTES 512
        ),
      ),
    );
    expect(c).toEqual({ lastLba: 0x3ffffn, blockLength: 512, bytes: 134217728n, needs16: false });
  });

  it('FFFFFFFFh says the medium needs READ CAPACITY(16)', () => {
    expect(value(parseReadCapacity10(hex('ff ff ff ff 00 00 02 00'))).needs16).toBe(true);
  });

  it('names the missing block length', () => {
    expect(failure(parseReadCapacity10(hex('00 03 ff ff')))).toEqual({
      code: 'out-of-bounds',
      message:
        'READ CAPACITY(10) data is 4 bytes long, so LOGICAL BLOCK LENGTH IN BYTES at bytes 4–7 is missing',
      offset: 4,
    });
  });
});

describe('parseReadCapacity16 (SBC-4, READ CAPACITY (16) parameter data)', () => {
  const RC16 =
    '00 00 00 01 d1 c0 be af' + // bytes 0–7: RETURNED LOGICAL BLOCK ADDRESS 1D1C0BEAFh (4 TB disk)
    ' 00 00 02 00' + //             bytes 8–11: LOGICAL BLOCK LENGTH IN BYTES 512
    ' 15' + //                      byte 12: RC BASIS 01b, P_TYPE 010b, PROT_EN 1
    ' 23' + //                      byte 13: P_I_EXPONENT 2, LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT 3
    ' c0 07' + //                   bytes 14–15: LBPME 1, LBPRZ 1, LOWEST ALIGNED LOGICAL BLOCK ADDRESS 7
    ' 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00'; // bytes 16–31: reserved

  it('decodes every field, with 64-bit LBA and byte capacity as bigints', () => {
    expect(value(parseReadCapacity16(hex(RC16)))).toEqual({
      lastLba: 0x1d1c0beafn,
      blockLength: 512,
      bytes: 0x1d1c0beb0n * 512n,
      needs16: false,
      wide: true,
      rcBasis: 1,
      pType: 2,
      protEn: true,
      pIExponent: 2,
      logicalPerPhysicalExponent: 3,
      lbpme: true,
      lbprz: true,
      lowestAlignedLba: 7,
    });
  });

  it('says what the last LBA counts to (RC BASIS), reserved values by number', () => {
    const basis = (byte12: number): string | undefined => {
      const b = hex(RC16);
      b[12] = byte12;
      return describeCapacity(value(parseReadCapacity16(b))).find((r) => r.label === 'RC BASIS')
        ?.value;
    };
    expect(basis(0x15)).toBe('01b: the last LBA of the logical unit');
    expect(basis(0x05)).toMatch(
      /^00b: .*not sequential write required \(without zones: the last LBA\)$/,
    );
    expect(basis(0x25)).toBe('2 (reserved)');
  });

  it('keeps LBAs above 2^53 exact', () => {
    const c = value(parseReadCapacity16(hex('ff ff ff ff ff ff ff fe 00 00 10 00 00 00 00 00')));
    expect(c.lastLba).toBe(0xfffffffffffffffen);
    expect(c.bytes).toBe(0xffffffffffffffffn * 4096n);
  });

  it('accepts an answer cut after the block length and names the first missing field before it', () => {
    expect(parseReadCapacity16(hex(RC16).subarray(0, 16)).ok).toBe(true);
    // ALLOCATION LENGTH 12: the last LBA and block length, and nothing said of the rest (SBC-4).
    const twelve = value(parseReadCapacity16(hex(RC16).subarray(0, 12)));
    expect([twelve.lastLba, twelve.blockLength, twelve.pType, twelve.lowestAlignedLba]).toEqual([
      0x1d1c0beafn,
      512,
      undefined,
      undefined,
    ]);
    expect(describeCapacity(twelve).map((r) => r.label)).toEqual([
      'Last LBA',
      'Block length',
      'Capacity',
    ]);
    expect(failure(parseReadCapacity16(hex(RC16).subarray(0, 10))).message).toMatch(
      /LOGICAL BLOCK LENGTH IN BYTES at bytes 8–11 is missing/,
    );
    expect(failure(parseReadCapacity16(hex('00 00'))).message).toMatch(
      /RETURNED LOGICAL BLOCK ADDRESS at bytes 0–7 is missing/,
    );
  });
});
