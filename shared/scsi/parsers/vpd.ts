/**
 * Vital product data pages (SPC-5, vital product data parameters; SBC-4, VPD parameters for B0h–B2h; SAT-4 for
 * 89h). `parseVpd` picks the parser by the page code in byte 1; pages it
 * does not know come back raw.
 */
import { asciiText, readBounded, type ByteReader } from '../bytes';
import { formatHex } from '../hex';
import { VPD_PAGE_NAMES } from '../page-names';
import { err, ok, type Result } from '../result';
import { hexValue, row, truncation, type FieldRow, type Truncation } from './rows';

interface VpdHeader extends Truncation {
  readonly pageCode: number;
  readonly deviceType: number;
  /** PAGE LENGTH (bytes 2–3). */
  readonly pageLength: number;
}

function header(r: ByteReader): VpdHeader {
  const pageLength = r.be16(2, 'PAGE LENGTH');
  return {
    pageCode: r.u8(1, 'PAGE CODE'),
    deviceType: r.bits(0, 0, 5),
    pageLength,
    ...truncation(4 + pageLength, r.length),
  };
}

/** Last offset (exclusive) the page's own length and the buffer both allow. */
function end(r: ByteReader, h: VpdHeader): number {
  return Math.min(r.length, 4 + h.pageLength);
}

function expectPage<T>(
  bytes: Uint8Array,
  code: number,
  name: string,
  parse: (r: ByteReader, h: VpdHeader) => T,
): Result<T> {
  return readBounded(bytes, `VPD page ${hexValue(code)} (${name})`, (r) => {
    const h = header(r);
    if (h.pageCode !== code) {
      return err({
        code: 'wrong-page',
        message: `Byte 1 (PAGE CODE) is ${hexValue(h.pageCode)}, not ${hexValue(code)} (${name})`,
        offset: 1,
      });
    }
    return ok(parse(r, h));
  });
}

export interface SupportedPages extends VpdHeader {
  readonly pages: readonly number[];
}

export const parseSupportedPages = (b: Uint8Array): Result<SupportedPages> =>
  expectPage(b, 0x00, 'Supported VPD pages', (r, h) => ({
    ...h,
    pages: Array.from(r.bytes.subarray(4, end(r, h))),
  }));

export interface UnitSerialNumber extends VpdHeader {
  readonly serial: string;
}

export const parseUnitSerialNumber = (b: Uint8Array): Result<UnitSerialNumber> =>
  expectPage(b, 0x80, 'Unit Serial Number', (r, h) => ({
    ...h,
    serial: asciiText(r.bytes.subarray(4, end(r, h))).trim(),
  }));

const DESIGNATOR_TYPES: Readonly<Record<number, string>> = {
  0x0: 'vendor specific',
  0x1: 'T10 vendor ID based',
  0x2: 'EUI-64 based',
  0x3: 'NAA',
  0x4: 'relative target port identifier',
  0x5: 'target port group',
  0x6: 'logical unit group',
  0x7: 'MD5 logical unit identifier',
  0x8: 'SCSI name string',
  0x9: 'protocol specific port identifier',
  0xa: 'UUID',
};
const ASSOCIATIONS = ['logical unit', 'target port', 'target device', 'reserved'];
const CODE_SETS: Readonly<Record<number, string>> = { 1: 'binary', 2: 'ASCII', 3: 'UTF-8' };

export interface Designator {
  readonly offset: number;
  readonly protocolIdentifier: number;
  readonly codeSet: number;
  readonly codeSetName: string;
  readonly piv: boolean;
  readonly association: string;
  readonly type: number;
  readonly typeName: string;
  /** ASCII/UTF-8 designators as text, binary ones as hex. */
  readonly value: string;
  readonly bytes: Uint8Array;
}

export interface DeviceIdentification extends VpdHeader {
  readonly designators: readonly Designator[];
}

export const parseDeviceIdentification = (b: Uint8Array): Result<DeviceIdentification> =>
  expectPage(b, 0x83, 'Device Identification', (r, h) => {
    const designators: Designator[] = [];
    const stop = end(r, h);
    let off = 4;
    while (off + 4 <= stop) {
      const len = r.u8(off + 3);
      const avail = Math.min(len, stop - off - 4);
      const value = r.bytes.slice(off + 4, off + 4 + avail);
      const codeSet = r.bits(off, 0, 4);
      const type = r.bits(off + 1, 0, 4);
      designators.push({
        offset: off,
        protocolIdentifier: r.bits(off, 4, 4),
        codeSet,
        codeSetName: CODE_SETS[codeSet] ?? `reserved (${codeSet})`,
        piv: r.flag(off + 1, 7),
        association: ASSOCIATIONS[r.bits(off + 1, 4, 2)] as string,
        type,
        typeName: DESIGNATOR_TYPES[type] ?? `reserved (${hexValue(type)})`,
        value: codeSet === 2 || codeSet === 3 ? asciiText(value) : formatHex(value, ''),
        bytes: value,
      });
      off += 4 + len;
    }
    return { ...h, designators };
  });

export interface ExtendedInquiry extends VpdHeader {
  readonly activateMicrocode: number;
  readonly spt: number;
  readonly grdChk: boolean;
  readonly appChk: boolean;
  readonly refChk: boolean;
  readonly headsup: boolean;
  readonly ordsup: boolean;
  readonly simpsup: boolean;
  readonly wuSup: boolean;
  readonly crdSup: boolean;
  readonly nvSup: boolean;
  readonly vSup: boolean;
  readonly luiclr: boolean;
  readonly extendedSelfTestMinutes: number | undefined;
  readonly maxSenseLength: number | undefined;
}

export const parseExtendedInquiry = (b: Uint8Array): Result<ExtendedInquiry> =>
  expectPage(b, 0x86, 'Extended INQUIRY Data', (r, h) => ({
    ...h,
    activateMicrocode: r.bits(4, 6, 2),
    spt: r.bits(4, 3, 3),
    grdChk: r.flag(4, 2),
    appChk: r.flag(4, 1),
    refChk: r.flag(4, 0),
    headsup: r.flag(5, 2),
    ordsup: r.flag(5, 1),
    simpsup: r.flag(5, 0),
    wuSup: r.flag(6, 3),
    crdSup: r.flag(6, 2),
    nvSup: r.flag(6, 1),
    vSup: r.flag(6, 0),
    luiclr: r.flag(7, 0),
    extendedSelfTestMinutes: end(r, h) >= 12 ? r.be16(10) : undefined,
    maxSenseLength: end(r, h) >= 14 ? r.u8(13) : undefined,
  }));

/** ATA strings are 16-bit words with the first character in the high byte (ATA8-ACS 3.3.10). */
function ataString(r: ByteReader, offset: number, words: number): string {
  const swapped = new Uint8Array(words * 2);
  for (let i = 0; i < words; i++) {
    swapped[2 * i] = r.u8(offset + 2 * i + 1);
    swapped[2 * i + 1] = r.u8(offset + 2 * i);
  }
  return asciiText(swapped).trim();
}

export interface AtaInformation extends VpdHeader {
  readonly satVendor: string;
  readonly satProduct: string;
  readonly satRevision: string;
  readonly deviceSignature: Uint8Array;
  /** ECh IDENTIFY DEVICE or A1h IDENTIFY PACKET DEVICE. */
  readonly commandCode: number;
  /** From the IDENTIFY data (words 27–46, 10–19, 23–26), when present. */
  readonly model: string | undefined;
  readonly serial: string | undefined;
  readonly firmware: string | undefined;
}

/** IDENTIFY data starts at byte 60 of page 89h (SAT-4). */
const IDENTIFY = 60;

export const parseAtaInformation = (b: Uint8Array): Result<AtaInformation> =>
  expectPage(b, 0x89, 'ATA Information', (r, h) => {
    const hasIdentify = end(r, h) >= IDENTIFY + 94;
    return {
      ...h,
      satVendor: r.ascii(8, 8, 'SAT VENDOR IDENTIFICATION'),
      satProduct: r.ascii(16, 16, 'SAT PRODUCT IDENTIFICATION'),
      satRevision: r.ascii(32, 4, 'SAT PRODUCT REVISION LEVEL'),
      deviceSignature: r.slice(36, 20, 'ATA DEVICE SIGNATURE'),
      commandCode: r.u8(56, 'COMMAND CODE'),
      model: hasIdentify ? ataString(r, IDENTIFY + 27 * 2, 20) : undefined,
      serial: hasIdentify ? ataString(r, IDENTIFY + 10 * 2, 10) : undefined,
      firmware: hasIdentify ? ataString(r, IDENTIFY + 23 * 2, 4) : undefined,
    };
  });

export interface BlockLimits extends VpdHeader {
  readonly wsnz: boolean;
  readonly maxCompareAndWriteLength: number;
  readonly optimalTransferLengthGranularity: number;
  /** In logical blocks; 0 = not reported. */
  readonly maxTransferLength: number;
  readonly optimalTransferLength: number;
  readonly maxPrefetchLength: number;
  readonly maxUnmapLbaCount: number | undefined;
  readonly maxUnmapDescriptorCount: number | undefined;
  readonly optimalUnmapGranularity: number | undefined;
  readonly unmapGranularityAlignment: number | undefined;
  readonly maxWriteSameLength: bigint | undefined;
}

export const parseBlockLimits = (b: Uint8Array): Result<BlockLimits> =>
  expectPage(b, 0xb0, 'Block Limits', (r, h) => {
    const e = end(r, h);
    const ugaValid = e >= 36 && r.flag(32, 7);
    return {
      ...h,
      wsnz: r.flag(4, 0),
      maxCompareAndWriteLength: r.u8(5),
      optimalTransferLengthGranularity: r.be16(6),
      maxTransferLength: r.be32(8, 'MAXIMUM TRANSFER LENGTH'),
      optimalTransferLength: r.be32(12, 'OPTIMAL TRANSFER LENGTH'),
      maxPrefetchLength: r.be32(16, 'MAXIMUM PREFETCH LENGTH'),
      maxUnmapLbaCount: e >= 24 ? r.be32(20) : undefined,
      maxUnmapDescriptorCount: e >= 28 ? r.be32(24) : undefined,
      optimalUnmapGranularity: e >= 32 ? r.be32(28) : undefined,
      unmapGranularityAlignment: ugaValid ? r.be32(32) & 0x7fffffff : undefined,
      maxWriteSameLength: e >= 44 ? r.be64(36) : undefined,
    };
  });

const FORM_FACTORS = [
  'not reported',
  '5.25 inch',
  '3.5 inch',
  '2.5 inch',
  '1.8 inch',
  'less than 1.8 inch',
];

export interface BlockDeviceCharacteristics extends VpdHeader {
  /** 0 not reported, 1 non-rotating (solid state), else revolutions per minute. */
  readonly rotationRate: number;
  readonly rotationText: string;
  readonly productType: number;
  readonly formFactor: string;
  readonly zoned: number;
  readonly fuab: boolean;
  readonly vbuls: boolean;
}

export const parseBlockDeviceCharacteristics = (
  b: Uint8Array,
): Result<BlockDeviceCharacteristics> =>
  expectPage(b, 0xb1, 'Block Device Characteristics', (r, h) => {
    const rate = r.be16(4, 'MEDIUM ROTATION RATE');
    const ff = r.bits(7, 0, 4);
    return {
      ...h,
      rotationRate: rate,
      rotationText:
        rate === 0
          ? 'not reported'
          : rate === 1
            ? 'non-rotating medium (solid state)'
            : rate >= 0x401 && rate <= 0xfffe
              ? `${rate} rpm`
              : `reserved (${hexValue(rate, 4)})`,
      productType: r.u8(6),
      formFactor: FORM_FACTORS[ff] ?? `reserved (${ff})`,
      zoned: r.bits(8, 4, 2, 'ZONED'),
      fuab: r.flag(8, 1),
      vbuls: r.flag(8, 0),
    };
  });

const PROVISIONING_TYPES = [
  'not reported / fully provisioned',
  'resource provisioned',
  'thin provisioned',
];

export interface LogicalBlockProvisioning extends VpdHeader {
  readonly thresholdExponent: number;
  readonly lbpu: boolean;
  readonly lbpws: boolean;
  readonly lbpws10: boolean;
  readonly lbprz: number;
  readonly ancSup: boolean;
  readonly dp: boolean;
  readonly provisioningType: string;
}

export const parseLogicalBlockProvisioning = (b: Uint8Array): Result<LogicalBlockProvisioning> =>
  expectPage(b, 0xb2, 'Logical Block Provisioning', (r, h) => ({
    ...h,
    thresholdExponent: r.u8(4),
    lbpu: r.flag(5, 7),
    lbpws: r.flag(5, 6),
    lbpws10: r.flag(5, 5),
    lbprz: r.bits(5, 2, 3),
    ancSup: r.flag(5, 1),
    dp: r.flag(5, 0),
    provisioningType: PROVISIONING_TYPES[r.bits(6, 0, 3, 'PROVISIONING TYPE')] ?? 'reserved',
  }));

export type VpdPage =
  | { readonly page: 0x00; readonly data: SupportedPages }
  | { readonly page: 0x80; readonly data: UnitSerialNumber }
  | { readonly page: 0x83; readonly data: DeviceIdentification }
  | { readonly page: 0x86; readonly data: ExtendedInquiry }
  | { readonly page: 0x89; readonly data: AtaInformation }
  | { readonly page: 0xb0; readonly data: BlockLimits }
  | { readonly page: 0xb1; readonly data: BlockDeviceCharacteristics }
  | { readonly page: 0xb2; readonly data: LogicalBlockProvisioning }
  | { readonly page: 'other'; readonly data: VpdHeader & { readonly payload: Uint8Array } };

/** The pages usbcdb parses, by page code (their names are in page-names.ts). */
const VPD_PARSERS: Readonly<Record<number, (b: Uint8Array) => Result<VpdPage['data']>>> = {
  0x00: parseSupportedPages,
  0x80: parseUnitSerialNumber,
  0x83: parseDeviceIdentification,
  0x86: parseExtendedInquiry,
  0x89: parseAtaInformation,
  0xb0: parseBlockLimits,
  0xb1: parseBlockDeviceCharacteristics,
  0xb2: parseLogicalBlockProvisioning,
};

export function vpdPageName(code: number): string | undefined {
  return VPD_PAGE_NAMES[code];
}

/** Parses any VPD page, choosing the parser by the page code in byte 1. */
export function parseVpd(bytes: Uint8Array): Result<VpdPage> {
  const code = bytes[1];
  if (code === undefined)
    return err({
      code: 'out-of-bounds',
      message: `VPD data is ${bytes.length} bytes long, so PAGE CODE at byte 1 is missing`,
      offset: bytes.length,
    });
  const parse = VPD_PARSERS[code];
  if (parse) {
    const r = parse(bytes);
    // The table pairs each code with the parser of that page, so the union member matches.
    return r.ok ? ok({ page: code, data: r.value } as VpdPage) : r;
  }
  return readBounded(bytes, 'VPD page', (r) => {
    const h = header(r);
    return ok({ page: 'other' as const, data: { ...h, payload: r.bytes.slice(4, end(r, h)) } });
  });
}

export function describeVpd(p: VpdPage): FieldRow[] {
  const d = p.data;
  const head = [
    row('Page', `${hexValue(d.pageCode)} ${vpdPageName(d.pageCode) ?? 'other'}`, 1),
    row('Page length', `${d.pageLength}${d.truncated ? ` (${d.length - 4} returned)` : ''}`, 2, 3),
  ];
  switch (p.page) {
    case 0x00:
      return [
        ...head,
        ...p.data.pages.map((c, i) =>
          row(`Supported page ${i + 1}`, `${hexValue(c)} ${vpdPageName(c) ?? ''}`.trim(), 4 + i),
        ),
      ];
    case 0x80:
      return [...head, row('Serial number', p.data.serial, 4, 3 + p.data.pageLength)];
    case 0x83:
      return [
        ...head,
        ...p.data.designators.map((x) =>
          row(
            `${x.typeName} (${x.association}, ${x.codeSetName})`,
            x.value,
            x.offset,
            x.offset + 3 + x.bytes.length,
          ),
        ),
      ];
    case 0x86:
      return [
        ...head,
        row(
          'SPT / GRD_CHK / APP_CHK / REF_CHK',
          `${p.data.spt} / ${+p.data.grdChk} / ${+p.data.appChk} / ${+p.data.refChk}`,
          4,
        ),
        row(
          'HEADSUP / ORDSUP / SIMPSUP',
          `${+p.data.headsup} / ${+p.data.ordsup} / ${+p.data.simpsup}`,
          5,
        ),
        row(
          'WU_SUP / CRD_SUP / NV_SUP / V_SUP',
          `${+p.data.wuSup} / ${+p.data.crdSup} / ${+p.data.nvSup} / ${+p.data.vSup}`,
          6,
        ),
      ];
    case 0x89:
      return [
        ...head,
        row('SAT vendor', p.data.satVendor, 8, 15),
        row('SAT product', p.data.satProduct, 16, 31),
        row('SAT revision', p.data.satRevision, 32, 35),
        row('Command code', hexValue(p.data.commandCode), 56),
        ...(p.data.model !== undefined
          ? [
              row('ATA model', p.data.model, IDENTIFY + 54, IDENTIFY + 93),
              row('ATA serial', p.data.serial ?? '', IDENTIFY + 20, IDENTIFY + 39),
              row('ATA firmware', p.data.firmware ?? '', IDENTIFY + 46, IDENTIFY + 53),
            ]
          : []),
      ];
    case 0xb0:
      return [
        ...head,
        row('Maximum transfer length (blocks)', p.data.maxTransferLength, 8, 11),
        row('Optimal transfer length (blocks)', p.data.optimalTransferLength, 12, 15),
        row('Optimal transfer length granularity', p.data.optimalTransferLengthGranularity, 6, 7),
        ...(p.data.maxUnmapLbaCount !== undefined
          ? [row('Maximum unmap LBA count', p.data.maxUnmapLbaCount, 20, 23)]
          : []),
        ...(p.data.maxWriteSameLength !== undefined
          ? [row('Maximum write same length', p.data.maxWriteSameLength, 36, 43)]
          : []),
      ];
    case 0xb1:
      return [
        ...head,
        row('Medium rotation rate', p.data.rotationText, 4, 5),
        row('Nominal form factor', p.data.formFactor, 7),
      ];
    case 0xb2:
      return [
        ...head,
        row('Threshold exponent', p.data.thresholdExponent, 4),
        row('LBPU / LBPWS / LBPWS10', `${+p.data.lbpu} / ${+p.data.lbpws} / ${+p.data.lbpws10}`, 5),
        row('LBPRZ', p.data.lbprz, 5),
        row('Provisioning type', p.data.provisioningType, 6),
      ];
    case 'other':
      return [...head, row('Payload', formatHex(p.data.payload), 4, 3 + p.data.payload.length)];
  }
}
