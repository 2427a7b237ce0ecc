/** READ CAPACITY(10) and (16) parameter data (SBC-4, READ CAPACITY parameter data). */
import { asLba, type Lba } from '../brand';
import { readBounded } from '../bytes';
import { ok, type Result } from '../result';
import { hexValue, row, type FieldRow } from './rows';

export interface Capacity {
  /** RETURNED LOGICAL BLOCK ADDRESS: the last LBA. */
  readonly lastLba: Lba;
  readonly blockLength: number;
  /** (last LBA + 1) × block length. */
  readonly bytes: bigint;
  /** READ CAPACITY(10) returned FFFFFFFFh: the medium is too big, use READ CAPACITY(16). */
  readonly needs16: boolean;
}

export interface Capacity16 extends Capacity {
  readonly pType: number;
  readonly protEn: boolean;
  readonly pIExponent: number;
  /** Logical blocks per physical block = 2^exponent. */
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
      protEn: r.flag(12, 0),
      pIExponent: r.bits(13, 4, 4, 'P_I_EXPONENT'),
      logicalPerPhysicalExponent: r.bits(13, 0, 4),
      lbpme: r.flag(14, 7, 'LBPME'),
      lbprz: r.flag(14, 6),
      lowestAlignedLba: r.be16(14, 'LOWEST ALIGNED LOGICAL BLOCK ADDRESS') & 0x3fff,
    });
  });
}

/** 134217728 → "128 MiB (134 MB)". */
export function humanSize(bytes: bigint): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let v = Number(bytes);
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const si =
    Number(bytes) / 1e9 >= 1
      ? `${(Number(bytes) / 1e9).toFixed(1)} GB`
      : `${(Number(bytes) / 1e6).toFixed(1)} MB`;
  return i === 0 ? `${bytes} bytes` : `${v.toFixed(v >= 100 ? 0 : 1)} ${units[i]} (${si})`;
}

export function describeCapacity(c: Capacity | Capacity16): FieldRow[] {
  const wide = 'pType' in c;
  const rows = [
    row(
      'Last LBA',
      `${c.lastLba} (${hexValue(c.lastLba, wide ? 16 : 8)})${c.needs16 ? ' — too large, use READ CAPACITY(16)' : ''}`,
      0,
      wide ? 7 : 3,
    ),
    row('Block length', `${c.blockLength} bytes`, wide ? 8 : 4, wide ? 11 : 7),
    row('Capacity', humanSize(c.bytes), 0, wide ? 11 : 7),
  ];
  if ('pType' in c) {
    rows.push(
      row('Protection', c.protEn ? `type ${c.pType + 1}` : 'none', 12),
      row('Logical blocks per physical block', 2 ** c.logicalPerPhysicalExponent, 13),
      row('LBPME / LBPRZ', `${+c.lbpme} / ${+c.lbprz}`, 14),
      row('Lowest aligned LBA', c.lowestAlignedLba, 14, 15),
    );
  }
  return rows;
}
