/**
 * MODE SENSE(6)/(10) parameter data (SPC-5, mode parameters): header, block descriptors
 * (SBC-4, block descriptors), and the mode pages split up, with the bits usbcdb needs
 * decoded for caching (08h), control (0Ah) and informational exceptions (1Ch).
 */
import { readBounded, type ByteReader } from '../bytes';
import { MODE_PAGE_NAMES } from '../page-names';
import { ok, type Result } from '../result';
import { hexValue, row, truncation, type FieldRow, type Truncation } from './rows';

export interface BlockDescriptor {
  readonly offset: number;
  readonly blocks: bigint;
  readonly blockLength: number;
}

export interface ModePage {
  readonly offset: number;
  readonly pageCode: number;
  readonly subpageCode: number;
  readonly spf: boolean;
  readonly ps: boolean;
  /** PAGE LENGTH: bytes after the page header. */
  readonly length: number;
  readonly name: string;
  readonly bytes: Uint8Array;
  /** Named bits of the pages usbcdb understands. */
  readonly bits: Readonly<Record<string, number | boolean>>;
}

export interface ModeParameters extends Truncation {
  readonly format: 6 | 10;
  readonly modeDataLength: number;
  readonly mediumType: number;
  readonly writeProtected: boolean;
  readonly dpofua: boolean;
  readonly longLba: boolean;
  readonly blockDescriptorLength: number;
  readonly blockDescriptors: readonly BlockDescriptor[];
  readonly pages: readonly ModePage[];
}

/** The bits decoded from byte 2 onward of the pages usbcdb understands (SBC-4 and SPC-5 mode pages). */
const PAGE_BITS: Readonly<
  Record<number, (r: ByteReader, at: number) => Record<string, number | boolean>>
> = {
  0x01: (r, at) => ({
    AWRE: r.flag(at + 2, 7),
    ARRE: r.flag(at + 2, 6),
    TB: r.flag(at + 2, 5),
    RC: r.flag(at + 2, 4),
    PER: r.flag(at + 2, 2),
    DCR: r.flag(at + 2, 0),
    readRetryCount: r.u8(at + 3),
  }),
  0x08: (r, at) => ({
    IC: r.flag(at + 2, 7),
    WCE: r.flag(at + 2, 2),
    MF: r.flag(at + 2, 1),
    RCD: r.flag(at + 2, 0),
  }),
  0x0a: (r, at) => ({
    TST: r.bits(at + 2, 5, 3),
    TMF_ONLY: r.flag(at + 2, 4),
    D_SENSE: r.flag(at + 2, 2),
    GLTSD: r.flag(at + 2, 1),
    RLEC: r.flag(at + 2, 0),
  }),
  0x1c: (r, at) => ({
    PERF: r.flag(at + 2, 7),
    EWASC: r.flag(at + 2, 4),
    DEXCPT: r.flag(at + 2, 3),
    TEST: r.flag(at + 2, 2),
    LOGERR: r.flag(at + 2, 0),
    MRIE: r.bits(at + 3, 0, 4),
  }),
};

function parseMode(bytes: Uint8Array, format: 6 | 10): Result<ModeParameters> {
  return readBounded(bytes, `MODE SENSE(${format}) data`, (r) => {
    const ten = format === 10;
    const modeDataLength = ten ? r.be16(0, 'MODE DATA LENGTH') : r.u8(0, 'MODE DATA LENGTH');
    const headerLength = ten ? 8 : 4;
    const dsp = r.u8(ten ? 3 : 2, 'DEVICE-SPECIFIC PARAMETER');
    const longLba = ten && r.flag(4, 0);
    const bdl = ten ? r.be16(6, 'BLOCK DESCRIPTOR LENGTH') : r.u8(3, 'BLOCK DESCRIPTOR LENGTH');
    // MODE DATA LENGTH excludes itself (1 byte in the 6-byte form, 2 in the 10-byte one).
    const claimed = modeDataLength + (ten ? 2 : 1);
    const stop = Math.min(r.length, claimed);
    const descriptors: BlockDescriptor[] = [];
    const size = longLba ? 16 : 8;
    for (let off = headerLength; off + size <= Math.min(stop, headerLength + bdl); off += size) {
      descriptors.push(
        longLba
          ? { offset: off, blocks: r.be64(off), blockLength: r.be32(off + 12) }
          : { offset: off, blocks: BigInt(r.be32(off)), blockLength: r.be24(off + 5) },
      );
    }
    const pages: ModePage[] = [];
    let off = headerLength + bdl;
    while (off + 2 <= stop) {
      const spf = r.flag(off, 6);
      if (spf && off + 4 > stop) break;
      const code = r.bits(off, 0, 6);
      const length = spf ? r.be16(off + 2) : r.u8(off + 1);
      const head = spf ? 4 : 2;
      const avail = Math.min(length + head, stop - off);
      const bitsOf = PAGE_BITS[code];
      const whole = avail === length + head && length >= 2;
      pages.push({
        offset: off,
        pageCode: code,
        subpageCode: spf ? r.u8(off + 1) : 0,
        spf,
        ps: r.flag(off, 7),
        length,
        name:
          MODE_PAGE_NAMES[code] ??
          (code === 0 ? 'vendor specific (page 0)' : `page ${hexValue(code)}`),
        bytes: r.slice(off, avail),
        bits: bitsOf && whole && !spf ? bitsOf(r, off) : {},
      });
      off += head + length;
    }
    return ok({
      format,
      modeDataLength,
      mediumType: r.u8(1, 'MEDIUM TYPE'),
      // SBC-4, mode parameters: for direct-access devices WP is bit 7, DPOFUA bit 4.
      writeProtected: (dsp & 0x80) !== 0,
      dpofua: (dsp & 0x10) !== 0,
      longLba,
      blockDescriptorLength: bdl,
      blockDescriptors: descriptors,
      pages,
      ...truncation(claimed, r.length),
    });
  });
}

export const parseModeSense6 = (b: Uint8Array): Result<ModeParameters> => parseMode(b, 6);
export const parseModeSense10 = (b: Uint8Array): Result<ModeParameters> => parseMode(b, 10);

export function describeModeParameters(m: ModeParameters): FieldRow[] {
  const ten = m.format === 10;
  return [
    row(
      'Mode data length',
      `${m.modeDataLength}${m.truncated ? ` (${m.length} bytes returned)` : ''}`,
      0,
      ten ? 1 : 0,
    ),
    row('Medium type', hexValue(m.mediumType), ten ? 2 : 1),
    row('Write protected (WP)', m.writeProtected, ten ? 3 : 2),
    row('DPO and FUA supported', m.dpofua, ten ? 3 : 2),
    row('Block descriptor length', m.blockDescriptorLength, ten ? 6 : 3, ten ? 7 : 3),
    ...m.blockDescriptors.map((d) =>
      row(
        'Block descriptor',
        `${d.blocks} blocks of ${d.blockLength} bytes`,
        d.offset,
        d.offset + (m.longLba ? 15 : 7),
      ),
    ),
    ...m.pages.map((p) => {
      const bits = Object.entries(p.bits)
        .map(([k, v]) => `${k}=${typeof v === 'boolean' ? +v : v}`)
        .join(' ');
      return row(
        `Page ${hexValue(p.pageCode)}${p.spf ? `/${hexValue(p.subpageCode)}` : ''} ${p.name}`,
        `${p.length} bytes${bits ? `: ${bits}` : ''}`,
        p.offset,
        p.offset + p.bytes.length - 1,
      );
    }),
  ];
}
