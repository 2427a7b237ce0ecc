/**
 * MODE SENSE(6) and MODE SENSE(10) parameter data (SPC-5, mode parameter list:
 * mode parameter header, block descriptors, mode pages). Block descriptors
 * follow SBC-4 (short and long LBA mode parameter block descriptors). Pages are
 * split by their own lengths; the bits usbcdb uses are decoded for 01h, 08h,
 * 0Ah, 1Ah and 1Ch. MODE DATA LENGTH larger than the buffer is reported as
 * truncation and a page cut short is kept with the bytes present.
 */
import { readBounded, type ByteReader } from '../bytes';
import { MODE_PAGE_NAMES } from '../page-names';
import { ok, type Result } from '../result';
import { truncation, type Truncation } from './common';
import { t10Hex } from '../hex';

export interface BlockDescriptor {
  readonly offset: number;
  /** NUMBER OF LOGICAL BLOCKS. */
  readonly blocks: bigint;
  /** LOGICAL BLOCK LENGTH. */
  readonly blockLength: number;
}

/** A mode page's header: 4 bytes in sub_page format (SPF 1), else 2 (SPC-5, mode page format). */
export function modePageHeaderLength(page: { readonly spf: boolean }): number {
  return page.spf ? 4 : 2;
}

export interface ModePage {
  readonly offset: number;
  readonly pageCode: number;
  /** SUBPAGE CODE; 0 for page_0 format. */
  readonly subpageCode: number;
  /** SPF: sub_page format (4-byte page header) rather than page_0 format (2-byte). */
  readonly spf: boolean;
  /** PS: the page can be saved. */
  readonly ps: boolean;
  /** PAGE LENGTH: bytes after the page header. */
  readonly length: number;
  readonly name: string;
  /** The page, header included, as far as the data goes. */
  readonly bytes: Uint8Array;
  /** The page ends past the data: `bytes` is shorter than header + `length` and `bits` is empty. */
  readonly truncated: boolean;
  /** Named bits of the pages usbcdb understands (byte 2 onward of a whole page_0 format page). */
  readonly bits: Readonly<Record<string, number | boolean>>;
}

export interface ModeParameters extends Truncation {
  readonly format: 6 | 10;
  readonly modeDataLength: number;
  readonly mediumType: number;
  readonly deviceSpecific: number;
  /** WP, device-specific parameter bit 7 (SBC-4, direct-access device-specific parameter). */
  readonly writeProtected: boolean;
  /** DPOFUA, device-specific parameter bit 4 (SBC-4). */
  readonly dpofua: boolean;
  /** LONGLBA (MODE SENSE(10) only): block descriptors are 16 bytes. */
  readonly longLba: boolean;
  readonly blockDescriptorLength: number;
  readonly blockDescriptors: readonly BlockDescriptor[];
  readonly pages: readonly ModePage[];
}

type PageBits = (r: ByteReader, at: number) => Record<string, number | boolean>;

/** The bits decoded for the pages usbcdb understands, by page code. */
const PAGE_BITS: Readonly<Record<number, PageBits>> = {
  // SBC-4, Read-Write Error Recovery mode page.
  0x01: (r, at) => ({
    AWRE: r.flag(at + 2, 7),
    ARRE: r.flag(at + 2, 6),
    TB: r.flag(at + 2, 5),
    RC: r.flag(at + 2, 4),
    EER: r.flag(at + 2, 3),
    PER: r.flag(at + 2, 2),
    DTE: r.flag(at + 2, 1),
    DCR: r.flag(at + 2, 0),
    readRetryCount: r.u8(at + 3),
  }),
  // SBC-4, Caching mode page: WCE enables the write cache, RCD disables the read cache.
  0x08: (r, at) => ({
    IC: r.flag(at + 2, 7),
    ABPF: r.flag(at + 2, 6),
    CAP: r.flag(at + 2, 5),
    DISC: r.flag(at + 2, 4),
    SIZE: r.flag(at + 2, 3),
    WCE: r.flag(at + 2, 2),
    MF: r.flag(at + 2, 1),
    RCD: r.flag(at + 2, 0),
  }),
  // SPC-5, Control mode page: D_SENSE selects descriptor-format sense data.
  0x0a: (r, at) => ({
    TST: r.bits(at + 2, 5, 3),
    TMF_ONLY: r.flag(at + 2, 4),
    DPICZ: r.flag(at + 2, 3),
    D_SENSE: r.flag(at + 2, 2),
    GLTSD: r.flag(at + 2, 1),
    RLEC: r.flag(at + 2, 0),
  }),
  // SPC-5, Power Condition mode page: which timers are on, and each in 100 ms units.
  0x1a: (r, at) => ({
    PM_BG: r.bits(at + 2, 6, 2),
    STANDBY_Y: r.flag(at + 2, 0),
    IDLE_C: r.flag(at + 3, 3),
    IDLE_B: r.flag(at + 3, 2),
    IDLE_A: r.flag(at + 3, 1),
    STANDBY_Z: r.flag(at + 3, 0),
    IACT: r.be32(at + 4),
    SZCT: r.be32(at + 8),
    IBCT: r.be32(at + 12),
    ICCT: r.be32(at + 16),
    SYCT: r.be32(at + 20),
    CCF_IDLE: r.bits(at + 39, 6, 2),
    CCF_STAND: r.bits(at + 39, 4, 2),
    CCF_STOPP: r.bits(at + 39, 2, 2),
  }),
  // SPC-5, Informational Exceptions Control mode page.
  0x1c: (r, at) => ({
    PERF: r.flag(at + 2, 7),
    EBF: r.flag(at + 2, 5),
    EWASC: r.flag(at + 2, 4),
    DEXCPT: r.flag(at + 2, 3),
    TEST: r.flag(at + 2, 2),
    EBACKERR: r.flag(at + 2, 1),
    LOGERR: r.flag(at + 2, 0),
    MRIE: r.bits(at + 3, 0, 4),
  }),
};

/** PAGE LENGTH a page must have for its bits to be read where it is longer than 2 (SPC-5). */
const PAGE_LENGTHS: Readonly<Record<number, number>> = { 0x1a: 0x26 };

function pageName(code: number): string {
  return (
    MODE_PAGE_NAMES[code] ?? (code === 0 ? 'vendor specific (page 0)' : `page ${t10Hex(code)}`)
  );
}

function parseMode(bytes: Uint8Array, format: 6 | 10): Result<ModeParameters> {
  return readBounded(bytes, `MODE SENSE(${format}) data`, (r) => {
    const ten = format === 10;
    // Mode parameter header(6): 4 bytes; header(10): 8 bytes.
    const modeDataLength = ten ? r.be16(0, 'MODE DATA LENGTH') : r.u8(0, 'MODE DATA LENGTH');
    const mediumType = r.u8(ten ? 2 : 1, 'MEDIUM TYPE');
    const dsp = r.u8(ten ? 3 : 2, 'DEVICE-SPECIFIC PARAMETER');
    const longLba = ten && r.flag(4, 0, 'LONGLBA');
    const bdl = ten ? r.be16(6, 'BLOCK DESCRIPTOR LENGTH') : r.u8(3, 'BLOCK DESCRIPTOR LENGTH');
    const headerLength = ten ? 8 : 4;
    // MODE DATA LENGTH excludes itself (1 byte in the 6-byte form, 2 in the 10-byte one).
    const claimed = modeDataLength + (ten ? 2 : 1);
    const stop = Math.min(r.length, claimed);

    const blockDescriptors: BlockDescriptor[] = [];
    const size = longLba ? 16 : 8;
    const bdEnd = Math.min(stop, headerLength + bdl);
    for (let off = headerLength; off + size <= bdEnd; off += size) {
      blockDescriptors.push(
        longLba
          ? // Long LBA: bytes 0–7 NUMBER OF LOGICAL BLOCKS, 12–15 LOGICAL BLOCK LENGTH.
            { offset: off, blocks: r.be64(off), blockLength: r.be32(off + 12) }
          : // Short: bytes 0–3 NUMBER OF LOGICAL BLOCKS, 5–7 LOGICAL BLOCK LENGTH.
            { offset: off, blocks: BigInt(r.be32(off)), blockLength: r.be24(off + 5) },
      );
    }

    const pages: ModePage[] = [];
    let off = headerLength + bdl;
    while (off + 2 <= stop) {
      const spf = r.flag(off, 6, 'SPF');
      // A sub_page format header is 4 bytes; one cut short carries no usable length.
      if (spf && off + 4 > stop) break;
      const code = r.bits(off, 0, 6, 'PAGE CODE');
      const length = spf ? r.be16(off + 2, 'PAGE LENGTH') : r.u8(off + 1, 'PAGE LENGTH');
      const head = modePageHeaderLength({ spf });
      const avail = Math.min(length + head, stop - off);
      const whole = avail === length + head;
      const bitsOf = PAGE_BITS[code];
      pages.push({
        offset: off,
        pageCode: code,
        subpageCode: spf ? r.u8(off + 1, 'SUBPAGE CODE') : 0,
        spf,
        ps: r.flag(off, 7, 'PS'),
        length,
        name: pageName(code),
        bytes: r.slice(off, avail, 'mode page'),
        truncated: !whole,
        // Only a whole page as long as its standard makes it (a short one's bytes are another's).
        bits: bitsOf && whole && !spf && length >= (PAGE_LENGTHS[code] ?? 2) ? bitsOf(r, off) : {},
      });
      off += head + length;
    }

    return ok({
      format,
      modeDataLength,
      mediumType,
      deviceSpecific: dsp,
      writeProtected: (dsp & 0x80) !== 0,
      dpofua: (dsp & 0x10) !== 0,
      longLba,
      blockDescriptorLength: bdl,
      blockDescriptors,
      pages,
      ...truncation(claimed, r.length),
    });
  });
}

export const parseModeSense6 = (b: Uint8Array): Result<ModeParameters> => parseMode(b, 6);
export const parseModeSense10 = (b: Uint8Array): Result<ModeParameters> => parseMode(b, 10);
