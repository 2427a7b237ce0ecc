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

export interface Capacity16 extends Capacity {
  readonly pType: number;
  readonly protEn: boolean;
  readonly pIExponent: number;
  /** LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT: 2^n logical blocks per physical block. */
  readonly logicalPerPhysicalExponent: number;
  readonly lbpme: boolean;
  readonly lbprz: boolean;
  readonly lowestAlignedLba: number;
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
      pType: r.bits(12, 1, 3, 'P_TYPE'),
      protEn: r.flag(12, 0, 'PROT_EN'),
      pIExponent: r.bits(13, 4, 4, 'P_I_EXPONENT'),
      logicalPerPhysicalExponent: r.bits(13, 0, 4, 'LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT'),
      lbpme: r.flag(14, 7, 'LBPME'),
      lbprz: r.flag(14, 6, 'LBPRZ'),
      // LOWEST ALIGNED LOGICAL BLOCK ADDRESS is the low 14 bits of bytes 14–15.
      lowestAlignedLba: r.be16(14, 'LOWEST ALIGNED LOGICAL BLOCK ADDRESS') & 0x3fff,
    });
  });
}
