/**
 * Sense data decoder: fixed (70h/71h, SPC-5, fixed format sense data) and descriptor (72h/73h,
 * SPC-5, descriptor format sense data) formats. Every read is bounds-checked; the ADDITIONAL SENSE
 * LENGTH is never trusted over the real buffer — a short buffer decodes
 * what is present and says it was truncated.
 */
import { readBounded, type ByteReader } from '../bytes';
import { hexByte, t10Hex } from '../hex';
import { err, ok, type Result } from '../result';
import type {
  AtaReturn,
  SenseData,
  SenseDescriptor,
  SenseFieldAt,
  SenseKeySpecific,
} from './types';

/** Descriptor types (SPC-5 Table 30; SAT-4 for 09h). 80h–FFh are vendor specific. */
const DESCRIPTOR_NAMES: Readonly<Record<number, string>> = {
  0x00: 'Information',
  0x01: 'Command-specific information',
  0x02: 'Sense key specific',
  0x03: 'Field replaceable unit',
  0x04: 'Stream commands',
  0x05: 'Block commands',
  0x06: 'OSD object identification',
  0x07: 'OSD response integrity check value',
  0x08: 'OSD attribute identification',
  0x09: 'ATA Status Return',
  0x0a: 'Another progress indication',
  0x0b: 'User data segment referral',
  0x0c: 'Forwarded sense data',
  0x0d: 'Direct-access block device',
  0x0e: 'Device designation',
  0x0f: 'Microcode activation',
};

/**
 * The ADDITIONAL LENGTH each descriptor this decoder reads has in its standard (SPC-5; SAT-4 for
 * 09h; SBC-4 for 0Dh). A shorter one lacks fields, so it is not read, and is said to be short.
 */
const DESCRIPTOR_LENGTH: Readonly<Record<number, number>> = {
  0x00: 0x0a,
  0x01: 0x0a,
  0x02: 0x06,
  0x03: 0x02,
  0x04: 0x02,
  0x05: 0x02,
  0x09: 0x0c,
  0x0d: 0x16,
};

export function descriptorName(type: number): string {
  return (
    DESCRIPTOR_NAMES[type] ??
    (type >= 0x80 ? `Vendor specific (${t10Hex(type)})` : `Reserved (${t10Hex(type)})`)
  );
}

/**
 * The three sense-key specific bytes (SPC-5, sense key specific field), given byte 0's SKSV
 * already checked. Which layout applies depends on the sense key.
 */
function decodeSks(key: number, b0: number, b1: number, b2: number): SenseKeySpecific {
  const pointer = (b1 << 8) | b2;
  switch (key) {
    case 0x5:
      return {
        kind: 'field-pointer',
        inCdb: (b0 & 0x40) !== 0,
        bitPointerValid: (b0 & 0x08) !== 0,
        bitPointer: b0 & 0x07,
        fieldPointer: pointer,
      };
    case 0x0:
    case 0x2:
      return { kind: 'progress', progress: pointer, percent: (pointer * 100) / 65536 };
    case 0x1:
    case 0x3:
    case 0x4:
      return { kind: 'retry-count', count: pointer };
    case 0xa:
      return {
        kind: 'segment-pointer',
        segmentDescriptor: (b0 & 0x20) !== 0,
        bitPointerValid: (b0 & 0x08) !== 0,
        bitPointer: b0 & 0x07,
        fieldPointer: pointer,
      };
    case 0x6:
      return { kind: 'unit-attention-overflow', overflow: (b0 & 0x01) !== 0 };
    default:
      return { kind: 'unspecified', bytes: Uint8Array.from([b0, b1, b2]) };
  }
}

/** ATA Status Return descriptor, 14 bytes (SAT-4, ATA Status Return sense data descriptor). */
function decodeAta(d: ByteReader): AtaReturn {
  // LBA bytes interleave high (47:24) and low (23:0) halves: 6=31:24, 7=7:0, 8=39:32, 9=15:8, 10=47:40, 11=23:16.
  // With EXTEND=0 the outputs are a 28-bit command's: the high halves (bytes 4, 6, 8, 10) are not
  // its registers and are not read (SAT-4, ATA Status Return sense data descriptor).
  const extend = d.flag(2, 0);
  const high = (off: number): number => (extend ? d.u8(off) : 0);
  const lba =
    (BigInt(high(10)) << 40n) |
    (BigInt(high(8)) << 32n) |
    (BigInt(high(6)) << 24n) |
    (BigInt(d.u8(11)) << 16n) |
    (BigInt(d.u8(9)) << 8n) |
    BigInt(d.u8(7));
  return {
    extend,
    error: d.u8(3),
    count: (high(4) << 8) | d.u8(5),
    lba,
    device: d.u8(12),
    status: d.u8(13),
  };
}

/**
 * The ATA outputs fixed-format sense carries for an ATA PASS-THROUGH (SAT-4, fixed format sense
 * data for ATA PASS-THROUGH): ERROR, STATUS, DEVICE and COUNT(7:0) in the INFORMATION bytes 3–6;
 * EXTEND (byte 8 bit 7) and LBA(7:0), (15:8), (23:16) in the COMMAND-SPECIFIC bytes 9–11. The
 * upper halves have no room; byte 8 bits 6 and 5 say whether COUNT(15:8) and LBA(47:24) are nonzero.
 */
function fixedAta(r: ByteReader): AtaReturn {
  return {
    extend: r.flag(8, 7),
    countUpperNonzero: r.flag(8, 6),
    lbaUpperNonzero: r.flag(8, 5),
    error: r.u8(3),
    count: r.u8(6),
    lba: BigInt((r.u8(11) << 16) | (r.u8(10) << 8) | r.u8(9)),
    device: r.u8(5),
    status: r.u8(4),
  };
}

/**
 * Whether fixed-format sense answering an ATA PASS-THROUGH can hold the ATA command's outputs: a
 * current error (a deferred one is about an earlier command) that the ATA command ended with, not
 * the SATL's own refusal of the CDB (ILLEGAL REQUEST other than 21h, which SAT-4 gives for IDNF) or
 * a UNIT ATTENTION it reports before running anything.
 */
function carriesAtaOutputs(code: number, key: number, asc: number | undefined): boolean {
  const ILLEGAL_REQUEST = 0x5;
  const UNIT_ATTENTION = 0x6;
  const LBA_OUT_OF_RANGE = 0x21;
  return (
    code === 0x70 && key !== UNIT_ATTENTION && (key !== ILLEGAL_REQUEST || asc === LBA_OUT_OF_RANGE)
  );
}

function decodeFixed(r: ByteReader, code: number, answering: SenseOf): SenseData {
  const n = r.length;
  const b2 = r.u8(2, 'the sense key');
  const claimed = r.has(7) ? 8 + r.u8(7) : n;
  const present = (off: number, count = 1): boolean => r.has(off, count) && off + count <= claimed;
  const valid = (r.u8(0) & 0x80) !== 0;
  const key = b2 & 0x0f;
  const sksv = present(15) && r.flag(15, 7);
  const asc = present(12) ? r.u8(12) : undefined;
  const ascq = present(13) ? r.u8(13) : undefined;
  // The outputs of a completed ATA command leave STATUS nonzero (DRDY or ERR, ACS-4): zeros are
  // the SATL's own. 00h/1Dh ATA PASS THROUGH INFORMATION AVAILABLE says so whatever the command.
  const ata =
    present(3, 9) &&
    ((answering.ataPassThrough === true && carriesAtaOutputs(code, key, asc) && r.u8(4) !== 0) ||
      (asc === 0x00 && ascq === 0x1d))
      ? fixedAta(r)
      : undefined;
  return {
    responseCode: code,
    format: 'fixed',
    deferred: code === 0x71,
    senseKey: key,
    asc,
    ascq,
    filemark: (b2 & 0x80) !== 0,
    eom: (b2 & 0x40) !== 0,
    ili: (b2 & 0x20) !== 0,
    senseDataOverflow: (b2 & 0x10) !== 0,
    // With the ATA outputs in them, bytes 3–11 are not INFORMATION and COMMAND-SPECIFIC INFORMATION.
    information: !ata && valid && present(3, 4) ? BigInt(r.be32(3)) : undefined,
    commandSpecific: !ata && present(8, 4) ? BigInt(r.be32(8)) : undefined,
    fru: present(14) && r.u8(14) !== 0 ? r.u8(14) : undefined,
    senseKeySpecific:
      sksv && present(15, 3) ? decodeSks(key, r.u8(15), r.u8(16), r.u8(17)) : undefined,
    ata,
    descriptors: [],
    claimedLength: claimed,
    length: n,
    truncated: claimed > n,
  };
}

function decodeDescriptorFormat(r: ByteReader, code: number): SenseData {
  const n = r.length;
  const key = r.u8(1, 'the sense key') & 0x0f;
  const claimed = r.has(7) ? 8 + r.u8(7) : n;
  const end = Math.min(claimed, n);
  const descriptors: SenseDescriptor[] = [];
  let information: bigint | undefined;
  let commandSpecific: bigint | undefined;
  let fru: number | undefined;
  let sks: SenseKeySpecific | undefined;
  let ata: AtaReturn | undefined;
  let filemark = false;
  let eom = false;
  let ili = false;
  const at: { -readonly [K in SenseFieldAt]?: readonly [number, number] } = {};
  let off = 8;
  while (off + 2 <= end) {
    const type = r.u8(off);
    const len = 2 + r.u8(off + 1);
    const avail = Math.min(len, end - off);
    const d = r.sub(off, avail, `${descriptorName(type)} descriptor`);
    const required = DESCRIPTOR_LENGTH[type];
    const short = required !== undefined && len - 2 < required;
    descriptors.push({
      type,
      name: descriptorName(type),
      offset: off,
      bytes: d.bytes.slice(),
      ...(short ? { requiredLength: required } : {}),
    });
    const whole = avail === len && !short;
    if (type === 0x00 && whole && d.flag(2, 7)) {
      information = d.be64(4);
      at.information = [off + 4, off + 11];
    } else if (type === 0x01 && whole) {
      commandSpecific = d.be64(4);
      at.commandSpecific = [off + 4, off + 11];
    } else if (type === 0x02 && whole && d.flag(4, 7)) {
      sks = decodeSks(key, d.u8(4), d.u8(5), d.u8(6));
      at.senseKeySpecific = [off + 4, off + 6];
    } else if (type === 0x03 && whole) {
      fru = d.u8(3);
      at.fru = [off + 3, off + 3];
    } else if (type === 0x04 && whole) {
      filemark = d.flag(3, 7);
      eom = d.flag(3, 6);
      ili = d.flag(3, 5);
      at.flags = [off + 3, off + 3];
    } else if (type === 0x05 && whole) {
      ili = d.flag(3, 5);
      at.flags = [off + 3, off + 3];
    } else if (type === 0x09 && whole) {
      ata = decodeAta(d);
      at.ata = [off + 2, off + 13];
    } else if (type === 0x0d && whole) {
      // SBC-4, direct-access block device sense data descriptor: descriptors 00h–03h and ILI in
      // one. Byte 2 VALID (7) and ILI (5); bytes 4–6 sense-key specific; 7 FRU; 8–15
      // INFORMATION; 16–23 COMMAND-SPECIFIC INFORMATION.
      ili = d.flag(2, 5);
      at.flags = [off + 2, off + 2];
      if (d.flag(2, 7)) {
        information = d.be64(8);
        at.information = [off + 8, off + 15];
      }
      if (d.flag(4, 7)) {
        sks = decodeSks(key, d.u8(4), d.u8(5), d.u8(6));
        at.senseKeySpecific = [off + 4, off + 6];
      }
      if (d.u8(7) !== 0) {
        fru = d.u8(7);
        at.fru = [off + 7, off + 7];
      }
      commandSpecific = d.be64(16);
      at.commandSpecific = [off + 16, off + 23];
    }
    off += len;
  }
  return {
    responseCode: code,
    format: 'descriptor',
    deferred: code === 0x73,
    senseKey: key,
    asc: r.has(2) && claimed > 2 ? r.u8(2) : undefined,
    ascq: r.has(3) && claimed > 3 ? r.u8(3) : undefined,
    filemark,
    eom,
    ili,
    // SPC-5, descriptor format sense data: SDAT_OVFL is byte 4 bit 7.
    senseDataOverflow: r.has(4) && claimed > 4 && r.flag(4, 7),
    information,
    commandSpecific,
    fru,
    senseKeySpecific: sks,
    ata,
    descriptors,
    fieldBytes: at,
    claimedLength: claimed,
    length: n,
    // Without byte 7 nothing is claimed: a short header is said by the absent ASC/ASCQ, not as a descriptor overrun.
    truncated: claimed > n || (r.has(7) && off > end),
  };
}

/** What the decoder may know of the command the sense answers. */
export interface SenseOf {
  /** An ATA PASS-THROUGH: fixed-format sense carries its ATA outputs (SAT-4). */
  readonly ataPassThrough?: boolean;
}

/** Decodes sense bytes, or says plainly why they are not sense data. */
export function decodeSense(bytes: Uint8Array, answering: SenseOf = {}): Result<SenseData> {
  return readBounded(bytes, 'sense data', (r) => {
    if (r.length === 0)
      return err({
        code: 'empty',
        message: 'The sense buffer is empty: the device (or the OS) returned no sense data.',
      });
    const code = r.u8(0) & 0x7f;
    if (code === 0x70 || code === 0x71) {
      if (r.length < 3)
        return err({
          code: 'too-short',
          message: `Fixed-format sense needs at least 3 bytes for the sense key (byte 2); only ${r.length} given.`,
          offset: r.length,
        });
      return ok(decodeFixed(r, code, answering));
    }
    if (code === 0x72 || code === 0x73) {
      if (r.length < 2)
        return err({
          code: 'too-short',
          message:
            'Descriptor-format sense needs at least 2 bytes for the sense key (byte 1); only 1 given.',
          offset: 1,
        });
      return ok(decodeDescriptorFormat(r, code));
    }
    if (code === 0x7f) {
      return ok({
        responseCode: code,
        format: 'vendor',
        deferred: false,
        senseKey: 0,
        asc: undefined,
        ascq: undefined,
        filemark: false,
        eom: false,
        ili: false,
        senseDataOverflow: false,
        information: undefined,
        commandSpecific: undefined,
        fru: undefined,
        senseKeySpecific: undefined,
        ata: undefined,
        descriptors: [],
        claimedLength: r.length,
        length: r.length,
        truncated: false,
      });
    }
    return err({
      code: 'not-sense',
      message:
        `Byte 0 is ${hexByte(r.u8(0))}: response code ${t10Hex(code)} is not sense data (70h/71h fixed, 72h/73h descriptor, 7Fh vendor). ${code === 0 ? 'An all-zero buffer means nothing was written to it.' : ''}`.trim(),
      offset: 0,
    });
  });
}
