/**
 * Logical block provisioning (SBC-4): GET LBA STATUS(16), which reports the
 * extents from an LBA on as mapped or deallocated — what the store knows of
 * writes, UNMAP and WRITE SAME with UNMAP=1 (handlers/block.ts).
 */
import { asBlockCount, asLba } from '../../../shared/scsi/brand';
import { putBe32, putBe64 } from '../../../shared/scsi/bytes';
import { LBA_OUT_OF_RANGE } from '../responses';
import { withAllocation, type Handler } from './context';

/** PROVISIONING STATUS of an LBA status descriptor (SBC-4, LBA status descriptor). */
const MAPPED = 0x0;
const DEALLOCATED = 0x1;

/** REPORT TYPE (SBC-4, GET LBA STATUS(16)): which extents a descriptor may describe. */
const REPORTED: Readonly<Record<number, (status: number) => boolean>> = {
  0: () => true,
  1: (s) => s !== MAPPED,
  2: (s) => s === MAPPED,
  3: (s) => s === DEALLOCATED,
  4: () => false, // anchored: the drive never anchors (ANC_SUP=0)
};

/** The most extents one answer walks: the allocation length bounds it first in practice. */
const MAX_DESCRIPTORS = 1024;
/** NUMBER OF LOGICAL BLOCKS is 32 bits: a longer extent takes several descriptors. */
const MAX_EXTENT = 0xffffffff;

/**
 * GET LBA STATUS(16) (SBC-4): an 8-byte header (PARAMETER DATA LENGTH, RTP=1
 * as REPORT TYPE is honoured), then 16-byte descriptors — LBA, NUMBER OF
 * LOGICAL BLOCKS, PROVISIONING STATUS — the first starting at the STARTING
 * LOGICAL BLOCK ADDRESS, as many as the allocation length holds. A start past
 * the last LBA is LOGICAL BLOCK ADDRESS OUT OF RANGE (05/21/00).
 */
export const getLbaStatus: Handler<'GET LBA STATUS(16)'> = (lu, ctx) => {
  const start = ctx.getBig('lba');
  const blocks = lu.profile.blocks;
  if (start >= BigInt(blocks)) return Promise.resolve(LBA_OUT_OF_RANGE);
  const wanted = REPORTED[ctx.get('reportType')];
  if (!wanted) return Promise.resolve(ctx.invalid('reportType'));
  const allocation = ctx.get('allocationLength');
  const room = Math.min(MAX_DESCRIPTORS, Math.max(1, Math.floor((allocation - 8) / 16)));
  const descriptors: { lba: number; count: number; status: number }[] = [];
  let lba = Number(start);
  while (lba < blocks && descriptors.length < room) {
    const left = Math.min(blocks - lba, MAX_EXTENT);
    const extent = lu.store.provisioning?.(asLba(BigInt(lba)), asBlockCount(left)) ?? {
      mapped: true,
      count: left,
    };
    const status = extent.mapped ? MAPPED : DEALLOCATED;
    if (wanted(status)) descriptors.push({ lba, count: extent.count, status });
    lba += extent.count;
  }
  const out = new Uint8Array(8 + 16 * descriptors.length);
  putBe32(out, 0, out.length - 4);
  out[7] = 0x01; // RTP: the REPORT TYPE field was processed
  descriptors.forEach((d, i) => {
    putBe64(out, 8 + 16 * i, BigInt(d.lba));
    putBe32(out, 16 + 16 * i, d.count);
    out[20 + 16 * i] = d.status;
  });
  return Promise.resolve(withAllocation(out, allocation));
};
