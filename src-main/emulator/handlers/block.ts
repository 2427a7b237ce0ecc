/**
 * The medium (SBC-4): capacity, reads, writes, verify, UNMAP, WRITE SAME and
 * cache flushes over the drive's block store.
 */
import { dataPhaseOf, type FieldSpec } from '../../../shared/scsi/catalog';
import { readField } from '../../../shared/scsi/catalog/fields';
import { asBlockCount, asLba, type BlockCount, type Lba } from '../../../shared/scsi/brand';
import { ByteReader, putBe16, putBe32, putBe64 } from '../../../shared/scsi/bytes';
import type { DiskLu } from '../disk';
import { MAX_UNMAP_DESCRIPTORS, maxTransferBlocks, maxWriteSameBlocks } from '../limits';
import { fieldPointerOf, invalidFieldOf } from '../field-pointer';
import {
  check,
  good,
  LBA_OUT_OF_RANGE,
  invalidParameter,
  PARAMETER_LIST_LENGTH_ERROR,
  type HandlerResult,
} from '../responses';
import { withAllocation, type Ctx, type Handler } from './context';

type ReadName = 'READ(6)' | 'READ(10)' | 'READ(12)' | 'READ(16)';
type WriteName = 'WRITE(6)' | 'WRITE(10)' | 'WRITE(12)' | 'WRITE(16)';
type VerifyName = 'VERIFY(10)' | 'VERIFY(12)' | 'VERIFY(16)';
type WriteVerifyName = 'WRITE AND VERIFY(10)' | 'WRITE AND VERIFY(12)' | 'WRITE AND VERIFY(16)';
/** Every command that addresses blocks by LBA and TRANSFER LENGTH. */
type BlockName = ReadName | WriteName | VerifyName | WriteVerifyName;

/** Range check shared by every read, write and verify (SBC-4: LBA + count past the end → 21h/00h). */
function checkRange(lu: DiskLu, lba: bigint, count: number): HandlerResult | undefined {
  return lba + BigInt(count) > BigInt(lu.profile.blocks) ? LBA_OUT_OF_RANGE : undefined;
}

/** The TRANSFER LENGTH field (VERIFICATION LENGTH for VERIFY). */
function lengthField(ctx: Ctx<BlockName>): FieldSpec | undefined {
  return ctx.fields.find((x) => x.role === 'transferLength');
}

/**
 * How many blocks the command addresses: its data phase when that is read from the length field
 * (READ(6)'s 0 meaning 256 included), else the field itself. VERIFY with BYTCHK=0 has no data
 * phase and with BYTCHK 11b one block of it, compared with each block VERIFICATION LENGTH names.
 */
function blocksOf(ctx: Ctx<BlockName>): BlockCount {
  const f = lengthField(ctx);
  const phase = dataPhaseOf(ctx.cdb, ctx.fields, ctx.spec.length);
  if (phase.units !== undefined && phase.rule?.unit === 'blocks' && phase.rule.field === f?.key)
    return asBlockCount(phase.units);
  return asBlockCount(f ? Number(readField(ctx.cdb, f)) : 0);
}

/**
 * The drive is formatted without protection information (INQUIRY PROTECT=0),
 * so a nonzero RDPROTECT/WRPROTECT/VRPROTECT is refused with 05/24/00 pointing
 * at the field (SBC-4, READ(10) and the other commands with the field).
 */
function protectionRefused(ctx: Ctx<BlockName>): HandlerResult | undefined {
  const f = ctx.fields.find((x) => x.key.endsWith('protect') && x.byte === 1);
  return f && readField(ctx.cdb, f) !== 0n
    ? check(0x05, 0x24, 0x00, { senseKeySpecific: fieldPointerOf(f) })
    : undefined;
}

/**
 * What every read, write and verify checks first: the protection field, then the MAXIMUM
 * TRANSFER LENGTH the Block Limits VPD page reports (SBC-4: a larger one is INVALID FIELD IN
 * CDB, pointing at the length), then the LBA range.
 */
function blocksAddressed(
  lu: DiskLu,
  ctx: Ctx<BlockName>,
): { readonly lba: Lba; readonly count: BlockCount } | HandlerResult {
  const refused = protectionRefused(ctx);
  if (refused) return refused;
  const lba = asLba(ctx.getBig('lba'));
  const count = blocksOf(ctx);
  const length = lengthField(ctx);
  if (length && count > maxTransferBlocks(lu)) return invalidFieldOf(ctx, length.key);
  return checkRange(lu, lba, count) ?? { lba, count };
}

export const read: Handler<ReadName> = async (lu, ctx) => {
  const at = blocksAddressed(lu, ctx);
  if ('kind' in at) return at;
  return good(
    lu.store.readLater
      ? lu.store.readLater(at.lba, at.count)
      : await lu.store.read(at.lba, at.count),
  );
};

export const write: Handler<WriteName> = async (lu, ctx) => {
  const at = blocksAddressed(lu, ctx);
  if ('kind' in at) return at;
  await lu.store.write(at.lba, ctx.dataOut.subarray(0, at.count * lu.profile.blockSize));
  if (ctx.optional('fua') === 1) await lu.store.flush();
  return good();
};

/**
 * WRITE AND VERIFY (SBC-4): the write, then a verification of the written
 * blocks. BYTCHK 00b verifies the medium, 01b also compares it with the
 * data-out; the store reads back exactly what was written, so both succeed.
 * Other BYTCHK values are reserved for this command.
 */
export const writeAndVerify: Handler<WriteVerifyName> = async (lu, ctx) => {
  if (ctx.get('bytChk') > 1) return ctx.invalid('bytChk');
  const at = blocksAddressed(lu, ctx);
  if ('kind' in at) return at;
  await lu.store.write(at.lba, ctx.dataOut.subarray(0, at.count * lu.profile.blockSize));
  return good();
};

export const verify: Handler<VerifyName> = async (lu, ctx) => {
  const at = blocksAddressed(lu, ctx);
  if ('kind' in at) return at;
  if (ctx.get('bytChk') === 0) return good();
  const stored = await lu.store.read(at.lba, at.count);
  const expected = ctx.get('bytChk') === 3 ? null : ctx.dataOut;
  for (let i = 0; i < stored.length; i++) {
    const want = expected ? expected[i] : ctx.dataOut[i % lu.profile.blockSize];
    // MISCOMPARE DURING VERIFY OPERATION, INFORMATION = offset of the first differing byte (SBC-4 VERIFY).
    if (stored[i] !== want) return check(0x0e, 0x1d, 0x00, { information: BigInt(i) });
  }
  return good();
};

export const readCapacity10: Handler<'READ CAPACITY(10)'> = (lu) => {
  const d = new Uint8Array(8);
  putBe32(d, 0, Math.min(lu.profile.blocks - 1, 0xffffffff));
  putBe32(d, 4, lu.profile.blockSize);
  return Promise.resolve(good(d));
};

export const readCapacity16: Handler<'READ CAPACITY(16)'> = (lu, ctx) => {
  const d = new Uint8Array(32);
  putBe64(d, 0, BigInt(lu.profile.blocks - 1));
  putBe32(d, 8, lu.profile.blockSize);
  // LBPME: logical block provisioning (UNMAP) is enabled; LBPRZ: unmapped blocks read as zeros.
  d[14] = 0x80 | 0x40;
  return Promise.resolve(withAllocation(d, ctx.get('allocationLength')));
};

/** READ FORMAT CAPACITIES (USB UFI 1.0, MMC-6): one descriptor, formatted or no medium. */
export const readFormatCapacities: Handler<'READ FORMAT CAPACITIES'> = (lu, ctx) => {
  const d = new Uint8Array(12);
  d[3] = 8; // capacity list length: one descriptor
  putBe32(d, 4, Math.min(lu.profile.blocks, 0xffffffff));
  d[8] = lu.mediumPresent ? 0x02 : 0x03; // 10b formatted media, 11b no media present
  d[9] = (lu.profile.blockSize >> 16) & 0xff;
  putBe16(d, 10, lu.profile.blockSize & 0xffff);
  return Promise.resolve(withAllocation(d, ctx.get('allocationLength')));
};

export const synchronizeCache: Handler<'SYNCHRONIZE CACHE(10)' | 'SYNCHRONIZE CACHE(16)'> = async (
  lu,
) => {
  await lu.store.flush();
  return good();
};

/** Blocks a write or deallocation moves at a time, so a long range never needs one huge buffer. */
const PIECE = 256;

/**
 * Deallocates blocks (SBC-4 logical block provisioning, thin): the store
 * forgets them where it can, or else they are written with zeros — either
 * way they read as zeros, as LBPRZ=1 promises.
 */
async function deallocate(lu: DiskLu, lba: Lba, count: BlockCount): Promise<void> {
  if (lu.store.deallocate) return lu.store.deallocate(lba, count);
  for (let i = 0; i < count; i += PIECE) {
    const n = Math.min(PIECE, count - i);
    await lu.store.write(asLba(lba + BigInt(i)), new Uint8Array(n * lu.profile.blockSize));
  }
}

/**
 * UNMAP (SBC-4): an 8-byte header, then 16-byte descriptors (LBA, block count); unmapped blocks
 * read as zeros. Every descriptor is checked before any range is deallocated, so a refused list
 * changes nothing; more descriptors than the Block Limits page allows is INVALID FIELD IN
 * PARAMETER LIST at UNMAP BLOCK DESCRIPTOR DATA LENGTH (byte 2).
 */
export const unmap: Handler<'UNMAP'> = async (lu, ctx) => {
  const d = ctx.dataOut;
  if (d.length === 0) return good();
  if (d.length < 8) return PARAMETER_LIST_LENGTH_ERROR;
  const r = new ByteReader(d, 'UNMAP parameter list');
  const descLength = r.be16(2, 'UNMAP BLOCK DESCRIPTOR DATA LENGTH');
  const ranges: { lba: Lba; count: BlockCount }[] = [];
  // Whole descriptors only, inside both the list and the length the header gives.
  for (let off = 8; off + 16 <= Math.min(d.length, 8 + descLength); off += 16)
    ranges.push({
      lba: asLba(r.be64(off, 'UNMAP LOGICAL BLOCK ADDRESS')),
      count: asBlockCount(r.be32(off + 8, 'NUMBER OF LOGICAL BLOCKS')),
    });
  if (ranges.length > MAX_UNMAP_DESCRIPTORS) return invalidParameter(2);
  for (const { lba, count } of ranges) {
    const bad = checkRange(lu, lba, count);
    if (bad) return bad;
  }
  for (const { lba, count } of ranges) await deallocate(lu, lba, count);
  return good();
};

/**
 * WRITE SAME(10) and WRITE SAME(16) (SBC-4): one block of data-out (zeros
 * with NDOB=1) written to every block of the range; NUMBER OF LOGICAL BLOCKS
 * 0 means to the end of the medium (Block Limits WSNZ=0, no MAXIMUM WRITE
 * SAME LENGTH). UNMAP=1 deallocates the range instead when the block is all
 * zeros, which is what the blocks then read (LBPRZ=1); other data is written.
 */
export const writeSame: Handler<'WRITE SAME(10)' | 'WRITE SAME(16)'> = async (lu, ctx) => {
  if (ctx.get('wrprotect') !== 0) return ctx.invalid('wrprotect'); // no protection information
  // No anchored state (Logical Block Provisioning VPD ANC_SUP=0): ANCHOR=1 is an invalid field.
  if (ctx.get('anchor') === 1) return ctx.invalid('anchor');
  // PBDATA and LBDATA are obsolete in SBC-4; QEMU's disk refuses them the same way.
  if (ctx.get('pbdata') === 1) return ctx.invalid('pbdata');
  if (ctx.get('lbdata') === 1) return ctx.invalid('lbdata');
  const lba = asLba(ctx.getBig('lba'));
  const given = ctx.get('numberOfBlocks');
  const end = BigInt(lu.profile.blocks);
  if (lba > end) return LBA_OUT_OF_RANGE;
  const count = asBlockCount(given === 0 ? Number(end - lba) : given);
  // Zero means to the end of the medium, which is held to the same limit (libiscsi WriteSame.ZeroBlocks).
  if (count > maxWriteSameBlocks(lu.profile)) return ctx.invalid('numberOfBlocks');
  const bad = checkRange(lu, lba, count);
  if (bad) return bad;
  // UNMAP=1 deallocates whatever the data-out holds (SBC-4; QEMU's disk and Linux's
  // scsi_debug do the same): with LBPRZ=1 the blocks then read as zeros.
  if (ctx.get('unmap') === 1) {
    await deallocate(lu, lba, count);
    return good();
  }
  const size = lu.profile.blockSize;
  const block = new Uint8Array(size);
  if (ctx.optional('ndob') !== 1) block.set(ctx.dataOut.subarray(0, size));
  const piece = new Uint8Array(Math.min(PIECE, count) * size);
  for (let at = 0; at < piece.length; at += size) piece.set(block, at);
  for (let i = 0; i < count; i += PIECE) {
    const n = Math.min(PIECE, count - i);
    await lu.store.write(asLba(lba + BigInt(i)), piece.subarray(0, n * size));
  }
  return good();
};
