/**
 * Standard INQUIRY data (SPC-5, standard INQUIRY data format). Bytes 0–2
 * (through VERSION) are required: a shorter buffer is an error naming the
 * missing field. Past them, what the buffer holds is read: an INQUIRY asked
 * for fewer than 36 bytes is answered with fewer (an allocation length caps
 * the answer and that is not an error, SPC-5 4.2.5.6), so the flags, lengths
 * and identity strings it did not reach are absent and the data is reported
 * as truncated.
 */
import { readBounded } from '../bytes';
import { ok, type Result } from '../result';
import { truncation, type Truncation } from './common';
import { t10Hex } from '../hex';

/** PERIPHERAL DEVICE TYPE (SPC-5, standard INQUIRY data: peripheral device type table). */
export const DEVICE_TYPES: Readonly<Record<number, string>> = {
  0x00: 'direct access block device (disk)',
  0x01: 'sequential access device (tape)',
  0x02: 'printer (obsolete)',
  0x03: 'processor device',
  0x04: 'write-once device',
  0x05: 'CD/DVD device',
  0x06: 'scanner (obsolete)',
  0x07: 'optical memory device',
  0x08: 'media changer',
  0x09: 'communications device (obsolete)',
  0x0c: 'storage array controller',
  0x0d: 'enclosure services device',
  0x0e: 'simplified direct-access device (RBC)',
  0x0f: 'optical card reader/writer',
  0x10: 'bridge controller',
  0x11: 'object-based storage device',
  0x12: 'automation/drive interface',
  0x13: 'security manager (obsolete)',
  0x14: 'host managed zoned block device',
  0x1e: 'well known logical unit',
  0x1f: 'unknown or no device type',
};

/** PERIPHERAL QUALIFIER (SPC-5, standard INQUIRY data); 010b is reserved, 1xxb vendor specific. */
const PERIPHERAL_QUALIFIERS: Readonly<Record<number, string>> = {
  0: 'connected',
  1: 'supported but not connected',
  3: 'not supported (no logical unit here)',
};

/** A PERIPHERAL QUALIFIER in words: the defined ones, 010b reserved, 1xxb vendor specific. */
export function peripheralQualifierText(q: number): string {
  return PERIPHERAL_QUALIFIERS[q] ?? (q >= 4 ? `vendor specific (${q})` : `reserved (${q})`);
}

/**
 * VERSION (SPC-5, standard INQUIRY data: version table): the standard the device claims, and
 * the SPC level lint and doctor use to choose a CDB layout. 03h is the first
 * SPC (ANSI INCITS 301-1997), level 1; the SCSI-1/SCSI-2 values predate SPC and
 * get level 0.
 */
const VERSIONS: Readonly<Record<number, { name: string; spcLevel: number }>> = {
  0x01: { name: 'SCSI-1 (ANSI X3.131-1986), obsolete', spcLevel: 0 },
  0x02: { name: 'SCSI-2 (ANSI X3.131-1994), obsolete', spcLevel: 0 },
  0x03: { name: 'SPC (ANSI INCITS 301-1997)', spcLevel: 1 },
  0x04: { name: 'SPC-2', spcLevel: 2 },
  0x05: { name: 'SPC-3', spcLevel: 3 },
  0x06: { name: 'SPC-4', spcLevel: 4 },
  0x07: { name: 'SPC-5', spcLevel: 5 },
};

export interface VersionDescriptor {
  /** Offset of the descriptor's first byte (58, 60, … 72). */
  readonly offset: number;
  readonly value: number;
}

export interface InquiryData extends Truncation {
  readonly peripheralQualifier: number;
  readonly deviceType: number;
  readonly deviceTypeName: string;
  /** RMB: removable medium. Each field past byte 0 is undefined when the answer ends before it. */
  readonly removable: boolean | undefined;
  readonly luCong: boolean | undefined;
  readonly version: number | undefined;
  readonly versionName: string | undefined;
  /** 0 SCSI-1/2, 1 SPC, 2 SPC-2, … 5 SPC-5; undefined when the device claims no standard (00h) or a reserved value. */
  readonly spcLevel: number | undefined;
  readonly normaca: boolean | undefined;
  readonly hisup: boolean | undefined;
  readonly responseDataFormat: number | undefined;
  /** Absent when the answer ends before byte 4 (an allocation length under 5 is allowed, SPC-5). */
  readonly additionalLength: number | undefined;
  readonly sccs: boolean | undefined;
  readonly acc: boolean | undefined;
  readonly tpgs: number | undefined;
  /** 3PC. */
  readonly thirdPartyCopy: boolean | undefined;
  readonly protect: boolean | undefined;
  readonly encserv: boolean | undefined;
  readonly multip: boolean | undefined;
  readonly cmdque: boolean | undefined;
  /** The identity strings, each absent when the data ends before it. */
  readonly vendor: string | undefined;
  readonly product: string | undefined;
  readonly revision: string | undefined;
  /** Bytes 36–55 (vendor specific; often a drive serial number), when the data reaches them. */
  readonly vendorSpecific: string | undefined;
  /** Bytes 58–73: up to eight version descriptors (the nonzero ones present, with their offsets). */
  readonly versionDescriptors: readonly VersionDescriptor[];
}

/** Last version descriptor byte + 1 (SPC-5, standard INQUIRY data: VERSION DESCRIPTOR 1–8 at bytes 58–73). */
const DESCRIPTORS_END = 74;

export function parseInquiry(bytes: Uint8Array): Result<InquiryData> {
  return readBounded(bytes, 'INQUIRY data', (r) => {
    // Byte 0 on, as far as the answer reaches: an allocation length may cut it anywhere (SPC-5
    // 4.2.5.6), and what it did not return is undefined, not zero.
    const version = r.has(2) ? r.u8(2, 'VERSION') : undefined;
    const additionalLength = r.has(4) ? r.u8(4, 'ADDITIONAL LENGTH') : undefined;
    const flag = (byte: number, bit: number, what: string): boolean | undefined =>
      r.has(byte) ? r.flag(byte, bit, what) : undefined;
    const bits = (byte: number, bit: number, count: number, what: string): number | undefined =>
      r.has(byte) ? r.bits(byte, bit, count, what) : undefined;
    // A string the answer ends inside is read as far as it goes (an allocation length of 20 cuts PRODUCT).
    const text = (offset: number, count: number, what: string): string | undefined =>
      r.has(offset) ? r.ascii(offset, Math.min(count, r.length - offset), what) : undefined;
    // ADDITIONAL LENGTH counts the bytes after byte 4.
    const end = Math.min(r.length, 5 + (additionalLength ?? 0));
    const versionDescriptors: VersionDescriptor[] = [];
    for (let off = 58; off + 2 <= Math.min(end, DESCRIPTORS_END); off += 2) {
      const value = r.be16(off, 'VERSION DESCRIPTOR');
      if (value !== 0) versionDescriptors.push({ offset: off, value });
    }
    const v = version === undefined ? undefined : VERSIONS[version];
    const pdt = r.bits(0, 0, 5, 'PERIPHERAL DEVICE TYPE');
    return ok({
      peripheralQualifier: r.bits(0, 5, 3, 'PERIPHERAL QUALIFIER'),
      deviceType: pdt,
      deviceTypeName: DEVICE_TYPES[pdt] ?? `reserved (${t10Hex(pdt)})`,
      removable: flag(1, 7, 'RMB'),
      luCong: flag(1, 6, 'LU_CONG'),
      version,
      versionName:
        version === undefined
          ? undefined
          : (v?.name ?? (version === 0 ? 'no standard claimed' : `reserved (${t10Hex(version)})`)),
      spcLevel: v?.spcLevel,
      normaca: flag(3, 5, 'NormACA'),
      hisup: flag(3, 4, 'HiSup'),
      responseDataFormat: bits(3, 0, 4, 'RESPONSE DATA FORMAT'),
      additionalLength,
      sccs: flag(5, 7, 'SCCS'),
      acc: flag(5, 6, 'ACC'),
      tpgs: bits(5, 4, 2, 'TPGS'),
      thirdPartyCopy: flag(5, 3, '3PC'),
      protect: flag(5, 0, 'PROTECT'),
      encserv: flag(6, 6, 'ENCSERV'),
      multip: flag(6, 4, 'MULTIP'),
      cmdque: flag(7, 1, 'CMDQUE'),
      vendor: text(8, 8, 'T10 VENDOR IDENTIFICATION'),
      product: text(16, 16, 'PRODUCT IDENTIFICATION'),
      revision: text(32, 4, 'PRODUCT REVISION LEVEL'),
      vendorSpecific: end >= 56 ? r.ascii(36, 20, 'vendor specific bytes') : undefined,
      versionDescriptors,
      // Without byte 4 the length is unknown: at least the 5 bytes of the header.
      ...truncation(5 + (additionalLength ?? 0), r.length),
    });
  });
}
