/**
 * Standard INQUIRY data (SPC-5, standard INQUIRY data format). Reads what the
 * buffer holds; fields past a short buffer are an error naming the bytes,
 * and an ADDITIONAL LENGTH larger than the buffer is reported as truncation.
 */
import { readBounded } from '../bytes';
import { ok, type Result } from '../result';
import { hexValue, row, truncation, type FieldRow, type Truncation } from './rows';

/** Peripheral device types (SPC-5 Table "Peripheral device type"). */
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

export const PERIPHERAL_QUALIFIERS: Readonly<Record<number, string>> = {
  0: 'connected',
  1: 'supported but not connected',
  3: 'not supported (no logical unit here)',
};

/**
 * VERSION (SPC-5): which standard the device claims, and the SPC level lint
 * and doctor use to pick a CDB layout. SCSI-1/SCSI-2 used the SPC-2-style
 * CDBs, so they get levels below 2.
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

export interface InquiryData extends Truncation {
  readonly peripheralQualifier: number;
  readonly deviceType: number;
  readonly deviceTypeName: string;
  readonly removable: boolean;
  readonly luCong: boolean;
  readonly version: number;
  readonly versionName: string;
  /** 0 SCSI-1/2, 1 SPC, 2 SPC-2, … 5 SPC-5; undefined when the device claims no standard (00h) or a reserved value. */
  readonly spcLevel: number | undefined;
  readonly normaca: boolean;
  readonly hisup: boolean;
  readonly responseDataFormat: number;
  readonly additionalLength: number;
  readonly sccs: boolean;
  readonly acc: boolean;
  readonly tpgs: number;
  readonly thirdPartyCopy: boolean;
  readonly protect: boolean;
  readonly encserv: boolean;
  readonly multip: boolean;
  readonly cmdque: boolean;
  readonly vendor: string;
  readonly product: string;
  readonly revision: string;
  /** Bytes 36–55 (vendor specific; often a drive serial number), when present. */
  readonly vendorSpecific: string | undefined;
  /** Bytes 58–73: up to eight version descriptors (the nonzero ones, with their offsets). */
  readonly versionDescriptors: readonly { readonly offset: number; readonly value: number }[];
}

export function parseInquiry(bytes: Uint8Array): Result<InquiryData> {
  return readBounded(bytes, 'INQUIRY data', (r) => {
    // The identity strings first: a short answer is reported by the field people look for.
    const vendor = r.ascii(8, 8, 'T10 VENDOR IDENTIFICATION');
    const product = r.ascii(16, 16, 'PRODUCT IDENTIFICATION');
    const revision = r.ascii(32, 4, 'PRODUCT REVISION LEVEL');
    const version = r.u8(2, 'VERSION');
    const additionalLength = r.u8(4, 'ADDITIONAL LENGTH');
    const end = Math.min(r.length, 5 + additionalLength);
    const descriptors: { offset: number; value: number }[] = [];
    for (let off = 58; off + 2 <= end && off < 74; off += 2) {
      const value = r.be16(off);
      if (value !== 0) descriptors.push({ offset: off, value });
    }
    const v = VERSIONS[version];
    const pdt = r.bits(0, 0, 5);
    return ok({
      peripheralQualifier: r.bits(0, 5, 3),
      deviceType: pdt,
      deviceTypeName: DEVICE_TYPES[pdt] ?? `reserved (${hexValue(pdt)})`,
      removable: r.flag(1, 7),
      luCong: r.flag(1, 6),
      version,
      versionName:
        v?.name ?? (version === 0 ? 'no standard claimed' : `reserved (${hexValue(version)})`),
      spcLevel: v?.spcLevel,
      normaca: r.flag(3, 5),
      hisup: r.flag(3, 4),
      responseDataFormat: r.bits(3, 0, 4),
      additionalLength,
      sccs: r.flag(5, 7, 'SCCS'),
      acc: r.flag(5, 6),
      tpgs: r.bits(5, 4, 2),
      thirdPartyCopy: r.flag(5, 3),
      protect: r.flag(5, 0),
      encserv: r.flag(6, 6, 'ENCSERV'),
      multip: r.flag(6, 4),
      cmdque: r.flag(7, 1, 'CMDQUE'),
      vendor,
      product,
      revision,
      vendorSpecific: end >= 56 ? r.ascii(36, 20) : undefined,
      versionDescriptors: descriptors,
      ...truncation(5 + additionalLength, r.length),
    });
  });
}

export function describeInquiry(d: InquiryData): FieldRow[] {
  return [
    row(
      'Peripheral qualifier',
      PERIPHERAL_QUALIFIERS[d.peripheralQualifier] ?? `reserved (${d.peripheralQualifier})`,
      0,
    ),
    row('Peripheral device type', `${hexValue(d.deviceType)} ${d.deviceTypeName}`, 0),
    row('Removable medium (RMB)', d.removable, 1),
    row('Version', `${hexValue(d.version)} ${d.versionName}`, 2),
    row('NormACA / HiSup', `${d.normaca ? 1 : 0} / ${d.hisup ? 1 : 0}`, 3),
    row('Response data format', d.responseDataFormat, 3),
    row(
      'Additional length',
      `${d.additionalLength} (${d.additionalLength + 5} bytes in all${d.truncated ? `, ${d.length} returned` : ''})`,
      4,
    ),
    row(
      'SCCS / ACC / TPGS / 3PC / PROTECT',
      `${+d.sccs} / ${+d.acc} / ${d.tpgs} / ${+d.thirdPartyCopy} / ${+d.protect}`,
      5,
    ),
    row('EncServ / MultiP', `${+d.encserv} / ${+d.multip}`, 6),
    row('CmdQue', d.cmdque, 7),
    row('Vendor', d.vendor, 8, 15),
    row('Product', d.product, 16, 31),
    row('Revision', d.revision, 32, 35),
    ...(d.vendorSpecific !== undefined ? [row('Vendor specific', d.vendorSpecific, 36, 55)] : []),
    ...d.versionDescriptors.map((v, i) =>
      row(`Version descriptor ${i + 1}`, hexValue(v.value, 4), v.offset, v.offset + 1),
    ),
  ];
}
