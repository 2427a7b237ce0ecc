/**
 * READ CAPACITY(10) and READ CAPACITY(16) parameter data (SBC-4, READ
 * CAPACITY (10) parameter data and READ CAPACITY (16) parameter data). Both
 * are fixed-size: a short buffer is an error naming the missing field.
 */
import { asLba, type Lba } from '../brand';
import { readBounded } from '../bytes';
import { ok, type Result } from '../result';

export interface Capacity {
  /** RETURNED LOGICAL BLOCK ADDRESS: the last LBA. */
  readonly lastLba: Lba;
  /** LOGICAL BLOCK LENGTH IN BYTES. */
  readonly blockLength: number;
  /** (last LBA + 1) × block length; a lower bound when `needs16`. */
  readonly bytes: bigint;
  /** READ CAPACITY(10) returned FFFFFFFFh: the medium is too big for it, use READ CAPACITY(16). */
  readonly needs16: boolean;
}

/**
 * READ CAPACITY(16) parameter data. The fields past byte 11 are absent when the answer ends before
 * them: an ALLOCATION LENGTH of 12 returns only the last LBA and the block length (SBC-4).
 */
export interface Capacity16 extends Capacity {
  readonly wide: true;
  /** RC BASIS (byte 12 bits 5:4, SBC-4): what the RETURNED LOGICAL BLOCK ADDRESS counts to. */
  readonly rcBasis: number | undefined;
  readonly pType: number | undefined;
  readonly protEn: boolean | undefined;
  readonly pIExponent: number | undefined;
  /** LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT: 2^n logical blocks per physical block. */
  readonly logicalPerPhysicalExponent: number | undefined;
  readonly lbpme: boolean | undefined;
  readonly lbprz: boolean | undefined;
  readonly lowestAlignedLba: number | undefined;
}

function capacityOf(lastLba: bigint, blockLength: number): bigint {
  return (lastLba + 1n) * BigInt(blockLength);
}

export function parseReadCapacity10(bytes: Uint8Array): Result<Capacity> {
  return readBounded(bytes, 'READ CAPACITY(10) data', (r) => {
    const lba = r.be32(0, 'RETURNED LOGICAL BLOCK ADDRESS');
    const blockLength = r.be32(4, 'LOGICAL BLOCK LENGTH IN BYTES');
    return ok({
      lastLba: asLba(BigInt(lba)),
      blockLength,
      bytes: capacityOf(BigInt(lba), blockLength),
      needs16: lba === 0xffffffff,
    });
  });
}

export function parseReadCapacity16(bytes: Uint8Array): Result<Capacity16> {
  return readBounded(bytes, 'READ CAPACITY(16) data', (r) => {
    const lba = r.be64(0, 'RETURNED LOGICAL BLOCK ADDRESS');
    const blockLength = r.be32(8, 'LOGICAL BLOCK LENGTH IN BYTES');
    return ok({
      lastLba: asLba(lba),
      blockLength,
      bytes: capacityOf(lba, blockLength),
      needs16: false,
      wide: true,
      rcBasis: r.has(12) ? r.bits(12, 4, 2, 'RC BASIS') : undefined,
      pType: r.has(12) ? r.bits(12, 1, 3, 'P_TYPE') : undefined,
      protEn: r.has(12) ? r.flag(12, 0, 'PROT_EN') : undefined,
      pIExponent: r.has(13) ? r.bits(13, 4, 4, 'P_I_EXPONENT') : undefined,
      logicalPerPhysicalExponent: r.has(13)
        ? r.bits(13, 0, 4, 'LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT')
        : undefined,
      lbpme: r.has(14) ? r.flag(14, 7, 'LBPME') : undefined,
      lbprz: r.has(14) ? r.flag(14, 6, 'LBPRZ') : undefined,
      // LOWEST ALIGNED LOGICAL BLOCK ADDRESS is the low 14 bits of bytes 14–15.
      lowestAlignedLba: r.has(14, 2)
        ? r.be16(14, 'LOWEST ALIGNED LOGICAL BLOCK ADDRESS') & 0x3fff
        : undefined,
    });
  });
}
