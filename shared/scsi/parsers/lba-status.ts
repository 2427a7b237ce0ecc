/**
 * GET LBA STATUS parameter data (SBC-5, GET LBA STATUS parameter data and LBA
 * status descriptor): an 8-byte header (PARAMETER DATA LENGTH, COMPLETION
 * CONDITION, RTP), then 16-byte descriptors, each a run of blocks from an LBA
 * with one provisioning status. A PARAMETER DATA LENGTH larger than the
 * buffer is reported as truncation; only whole descriptors present are listed.
 */
import { readBounded } from '../bytes';
import { ok, type Result } from '../result';
import { truncation, type Truncation } from './common';

export interface LbaStatusDescriptor {
  readonly offset: number;
  /** LOGICAL BLOCK ADDRESS: the first block of the run. */
  readonly lba: bigint;
  /** NUMBER OF LOGICAL BLOCKS in the run. */
  readonly blocks: number;
  /** PROVISIONING STATUS (byte 12 bits 3:0). */
  readonly provisioning: number;
  /** ADDITIONAL STATUS (byte 13). */
  readonly additional: number;
}

export interface LbaStatus extends Truncation {
  /** PARAMETER DATA LENGTH: bytes after the first 4. */
  readonly parameterDataLength: number;
  /** COMPLETION CONDITION (byte 7 bits 3:1). */
  readonly completion: number;
  /** RTP: the REPORT TYPE field was honoured (byte 7 bit 0). */
  readonly rtp: boolean;
  readonly descriptors: readonly LbaStatusDescriptor[];
}

/** SBC-5, PROVISIONING STATUS field. */
export const PROVISIONING_STATUS: Readonly<Record<number, string>> = {
  0x0: 'mapped or unknown',
  0x1: 'deallocated',
  0x2: 'anchored',
  0x3: 'mapped',
  0x4: 'unknown',
};

/** SBC-5, COMPLETION CONDITION field: why the device stopped adding descriptors. */
export const COMPLETION_CONDITION: Readonly<Record<number, string>> = {
  0: 'no indication',
  1: 'the allocation length was met',
  2: 'the scan length was met',
  3: 'the capacity of the medium was met',
};

export function parseLbaStatus(bytes: Uint8Array): Result<LbaStatus> {
  return readBounded(bytes, 'GET LBA STATUS data', (r) => {
    const parameterDataLength = r.be32(0, 'PARAMETER DATA LENGTH');
    const completion = r.bits(7, 1, 3, 'COMPLETION CONDITION');
    const rtp = r.flag(7, 0, 'RTP');
    const stop = Math.min(r.length, 4 + parameterDataLength);
    const descriptors: LbaStatusDescriptor[] = [];
    for (let at = 8; at + 16 <= stop; at += 16)
      descriptors.push({
        offset: at,
        lba: r.be64(at, 'LOGICAL BLOCK ADDRESS'),
        blocks: r.be32(at + 8, 'NUMBER OF LOGICAL BLOCKS'),
        provisioning: r.bits(at + 12, 0, 4, 'PROVISIONING STATUS'),
        additional: r.u8(at + 13, 'ADDITIONAL STATUS'),
      });
    return ok({
      parameterDataLength,
      completion,
      rtp,
      descriptors,
      ...truncation(4 + parameterDataLength, r.length),
    });
  });
}
