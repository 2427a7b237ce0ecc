/**
 * Vital product data pages: SPC-5 (vital product data parameters) for 00h,
 * 80h, 83h and 86h; SBC-4 (VPD parameters) for B0h–B2h; SAT-4 (ATA
 * Information VPD page) for 89h. `parseVpd` picks the parser by the page code
 * in byte 1; pages it does not know come back raw.
 *
 * Every page starts with the same 4-byte header; PAGE LENGTH counts the bytes
 * after it. Fields the page length or the buffer does not reach are
 * `undefined` where the standard has grown the page over time, and an error
 * naming the field where every revision has it.
 */
import { ataResponseLayout } from '../ata-commands';
import { asciiText, readBounded, type ByteReader } from '../bytes';
import { formatHex, t10Hex } from '../hex';
import { printableText } from '../printable';
import { VPD_PAGE_NAMES } from '../page-names';
import { err, ok, type Result } from '../result';
import { truncation, type Truncation } from './common';

export interface VpdHeader extends Truncation {
  readonly peripheralQualifier: number;
  readonly deviceType: number;
  readonly pageCode: number;
  /** PAGE LENGTH (bytes 2–3): bytes after the header. */
  readonly pageLength: number;
}

function header(r: ByteReader): VpdHeader {
  const pageLength = r.be16(2, 'PAGE LENGTH');
  return {
    peripheralQualifier: r.bits(0, 5, 3, 'PERIPHERAL QUALIFIER'),
    deviceType: r.bits(0, 0, 5, 'PERIPHERAL DEVICE TYPE'),
    pageCode: r.u8(1, 'PAGE CODE'),
    pageLength,
    ...truncation(4 + pageLength, r.length),
  };
}

/** Offset just past the page: what both its own length and the buffer allow. */
function end(r: ByteReader, h: VpdHeader): number {
  return Math.min(r.length, 4 + h.pageLength);
}

function expectPage<T>(
  bytes: Uint8Array,
  code: number,
  name: string,
  parse: (r: ByteReader, h: VpdHeader) => T,
): Result<T> {
  return readBounded(bytes, `VPD page ${t10Hex(code)} (${name})`, (r) => {
    const h = header(r);
    if (h.pageCode !== code) {
      return err({
        code: 'wrong-page',
        message: `Byte 1 (PAGE CODE) is ${t10Hex(h.pageCode)}, not ${t10Hex(code)} (${name}); parse it with parseVpd or the parser for that page`,
        offset: 1,
      });
    }
    return ok(parse(r, h));
  });
}

// ---- 00h Supported VPD Pages (SPC-5, Supported VPD Pages VPD page) ----

export interface SupportedPages extends VpdHeader {
  readonly pages: readonly number[];
}

export const parseSupportedPages = (b: Uint8Array): Result<SupportedPages> =>
  expectPage(b, 0x00, 'Supported VPD pages', (r, h) => ({
    ...h,
    pages: Array.from(r.slice(4, end(r, h) - 4, 'supported page list')),
  }));

// ---- 80h Unit Serial Number (SPC-5, Unit Serial Number VPD page) ----

export interface UnitSerialNumber extends VpdHeader {
  readonly serial: string;
}

export const parseUnitSerialNumber = (b: Uint8Array): Result<UnitSerialNumber> =>
  expectPage(b, 0x80, 'Unit Serial Number', (r, h) => ({
    ...h,
    // PRODUCT SERIAL NUMBER is ASCII; devices pad it with spaces on either side.
    serial: r.ascii(4, end(r, h) - 4, 'PRODUCT SERIAL NUMBER').trim(),
  }));

// ---- 83h Device Identification (SPC-5, Device Identification VPD page) ----

/** DESIGNATOR TYPE (SPC-5, designation descriptor: designator type table). */
export const DESIGNATOR_TYPES: Readonly<Record<number, string>> = {
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

/** ASSOCIATION (SPC-5, designation descriptor). */
const ASSOCIATIONS = ['logical unit', 'target port', 'target device', 'reserved'] as const;

/** CODE SET (SPC-5, designation descriptor: code set table). */
export const CODE_SETS: Readonly<Record<number, string>> = {
  1: 'binary',
  2: 'ASCII',
  3: 'UTF-8',
};

export interface Designator {
  /** Offset of the descriptor's 4-byte header in the page. */
  readonly offset: number;
  /** PROTOCOL IDENTIFIER; meaningful only when `piv` and the association is a port or target device. */
  readonly protocolIdentifier: number;
  readonly codeSet: number;
  readonly codeSetName: string;
  readonly piv: boolean;
  readonly association: (typeof ASSOCIATIONS)[number];
  readonly type: number;
  readonly typeName: string;
  /** DESIGNATOR LENGTH as the descriptor states it. */
  readonly designatorLength: number;
  /** ASCII/UTF-8 designators as text, binary ones as hex. */
  readonly value: string;
  /** The designator bytes present (fewer than `designatorLength` when `truncated`). */
  readonly bytes: Uint8Array;
  readonly truncated: boolean;
}

/**
 * A CODE SET 3h designator: UTF-8 (SPC-5, Device Identification VPD page, code set table), as a
 * SCSI name string is (SPC-5, SCSI name string designator format: a null-terminated,
 * null-padded UTF-8 string). Read as ASCII, each byte of a character past 7Fh became a '.'
 * ("exämple" showed as "ex..mple"). Trailing NULs and spaces are padding; other control codes
 * show as '.' (C1 controls and bidirectional overrides too: printable.ts), as in ASCII fields,
 * and a malformed sequence as U+FFFD.
 */
function utf8Text(bytes: Uint8Array): string {
  return printableText(new TextDecoder('utf-8').decode(bytes).replace(/[\0 ]+$/, ''));
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
      const len = r.u8(off + 3, 'DESIGNATOR LENGTH');
      const avail = Math.min(len, stop - off - 4);
      const value = r.slice(off + 4, avail, 'DESIGNATOR');
      const codeSet = r.bits(off, 0, 4, 'CODE SET');
      const type = r.bits(off + 1, 0, 4, 'DESIGNATOR TYPE');
      designators.push({
        offset: off,
        protocolIdentifier: r.bits(off, 4, 4, 'PROTOCOL IDENTIFIER'),
        codeSet,
        codeSetName: CODE_SETS[codeSet] ?? `reserved (${codeSet})`,
        piv: r.flag(off + 1, 7, 'PIV'),
        association: ASSOCIATIONS[r.bits(off + 1, 4, 2, 'ASSOCIATION')] ?? 'reserved',
        type,
        typeName: DESIGNATOR_TYPES[type] ?? `reserved (${t10Hex(type)})`,
        designatorLength: len,
        value:
          codeSet === 3 ? utf8Text(value) : codeSet === 2 ? asciiText(value) : formatHex(value, ''),
        bytes: value,
        truncated: avail < len,
      });
      off += 4 + len;
    }
    return { ...h, designators };
  });

// ---- 86h Extended INQUIRY Data (SPC-5, Extended INQUIRY Data VPD page) ----

export interface ExtendedInquiry extends VpdHeader {
  readonly activateMicrocode: number;
  readonly spt: number;
  readonly grdChk: boolean;
  readonly appChk: boolean;
  readonly refChk: boolean;
  readonly uaskSup: boolean;
  readonly groupSup: boolean;
  readonly priorSup: boolean;
  readonly headsup: boolean;
  readonly ordsup: boolean;
  readonly simpsup: boolean;
  readonly wuSup: boolean;
  readonly crdSup: boolean;
  readonly nvSup: boolean;
  readonly vSup: boolean;
  readonly luiclr: boolean;
  /** Byte 10–11: EXTENDED SELF-TEST COMPLETION MINUTES, when present. */
  readonly extendedSelfTestMinutes: number | undefined;
  /** Byte 13: MAXIMUM SUPPORTED SENSE DATA LENGTH, when present. */
  readonly maxSenseLength: number | undefined;
}

export const parseExtendedInquiry = (b: Uint8Array): Result<ExtendedInquiry> =>
  expectPage(b, 0x86, 'Extended INQUIRY Data', (r, h) => ({
    ...h,
    activateMicrocode: r.bits(4, 6, 2, 'ACTIVATE MICROCODE'),
    spt: r.bits(4, 3, 3, 'SPT'),
    grdChk: r.flag(4, 2, 'GRD_CHK'),
    appChk: r.flag(4, 1, 'APP_CHK'),
    refChk: r.flag(4, 0, 'REF_CHK'),
    uaskSup: r.flag(5, 5, 'UASK_SUP'),
    groupSup: r.flag(5, 4, 'GROUP_SUP'),
    priorSup: r.flag(5, 3, 'PRIOR_SUP'),
    headsup: r.flag(5, 2, 'HEADSUP'),
    ordsup: r.flag(5, 1, 'ORDSUP'),
    simpsup: r.flag(5, 0, 'SIMPSUP'),
    wuSup: r.flag(6, 3, 'WU_SUP'),
    crdSup: r.flag(6, 2, 'CRD_SUP'),
    nvSup: r.flag(6, 1, 'NV_SUP'),
    vSup: r.flag(6, 0, 'V_SUP'),
    luiclr: r.flag(7, 0, 'LUICLR'),
    extendedSelfTestMinutes: end(r, h) >= 12 ? r.be16(10) : undefined,
    maxSenseLength: end(r, h) >= 14 ? r.u8(13) : undefined,
  }));

// ---- 89h ATA Information (SAT-4, ATA Information VPD page) ----

/** IDENTIFY DEVICE data starts at byte 60 of page 89h and is 512 bytes long (SAT-4). */
export const ATA_IDENTIFY_OFFSET = 60;

/** Where the `sat` set's IDENTIFY DEVICE layout puts one of its ATA strings, in 16-bit words. */
function stringPlace(key: 'serial' | 'firmware' | 'model'): { word: number; words: number } {
  const f = ataResponseLayout('IDENTIFY DEVICE').find((x) => x.key === key);
  if (f?.type !== 'ata-string')
    throw new Error(`the sat set's IDENTIFY DEVICE has no ${key} string`);
  return { word: f.offset / 2, words: f.length / 2 };
}

/**
 * An ATA string's place in IDENTIFY DEVICE data (ACS-4, IDENTIFY DEVICE data), as the one
 * IDENTIFY layout declares it.
 */
export const ATA_STRINGS = {
  serial: stringPlace('serial'),
  firmware: stringPlace('firmware'),
  model: stringPlace('model'),
} as const;

/**
 * ATA strings are sequences of 16-bit little-endian words whose high byte
 * holds the first character (ACS-3, ATA string convention), so each byte pair
 * is swapped. Undefined when the page does not reach the whole string.
 */
function ataString(
  r: ByteReader,
  stop: number,
  at: { word: number; words: number },
): string | undefined {
  const offset = ATA_IDENTIFY_OFFSET + at.word * 2;
  if (offset + at.words * 2 > stop) return undefined;
  const raw = r.slice(offset, at.words * 2, 'ATA string');
  const swapped = new Uint8Array(raw.length);
  for (let i = 0; i + 1 < raw.length; i += 2) {
    swapped[i] = raw[i + 1] as number;
    swapped[i + 1] = raw[i] as number;
  }
  return asciiText(swapped).trim();
}

export interface AtaInformation extends VpdHeader {
  readonly satVendor: string;
  readonly satProduct: string;
  readonly satRevision: string;
  /** ATA DEVICE SIGNATURE, bytes 36–55: the register values the device returned at reset. */
  readonly deviceSignature: Uint8Array;
  /** COMMAND CODE: ECh IDENTIFY DEVICE, A1h IDENTIFY PACKET DEVICE, 00h none. */
  readonly commandCode: number;
  /** IDENTIFY data bytes present (up to 512). */
  readonly identifyLength: number;
  /** From the IDENTIFY data, each when the page reaches it. */
  readonly serial: string | undefined;
  readonly firmware: string | undefined;
  readonly model: string | undefined;
}

export const parseAtaInformation = (b: Uint8Array): Result<AtaInformation> =>
  expectPage(b, 0x89, 'ATA Information', (r, h) => {
    const stop = end(r, h);
    return {
      ...h,
      satVendor: r.ascii(8, 8, 'SAT VENDOR IDENTIFICATION'),
      satProduct: r.ascii(16, 16, 'SAT PRODUCT IDENTIFICATION'),
      satRevision: r.ascii(32, 4, 'SAT PRODUCT REVISION LEVEL'),
      deviceSignature: r.slice(36, 20, 'ATA DEVICE SIGNATURE'),
      commandCode: r.u8(56, 'COMMAND CODE'),
      identifyLength: Math.max(0, Math.min(512, stop - ATA_IDENTIFY_OFFSET)),
      serial: ataString(r, stop, ATA_STRINGS.serial),
      firmware: ataString(r, stop, ATA_STRINGS.firmware),
      model: ataString(r, stop, ATA_STRINGS.model),
    };
  });

// ---- B0h Block Limits (SBC-4, Block Limits VPD page) ----

export interface BlockLimits extends VpdHeader {
  readonly wsnz: boolean;
  readonly maxCompareAndWriteLength: number;
  /** In logical blocks; 0 = not reported (so are the other lengths here). */
  readonly optimalTransferLengthGranularity: number;
  readonly maxTransferLength: number;
  readonly optimalTransferLength: number;
  /** Bytes 16 onward were added after SBC-2 (page length 000Ch); undefined when absent. */
  readonly maxPrefetchLength: number | undefined;
  readonly maxUnmapLbaCount: number | undefined;
  readonly maxUnmapDescriptorCount: number | undefined;
  readonly optimalUnmapGranularity: number | undefined;
  /** Only when UGAVALID (byte 32 bit 7) is set. */
  readonly unmapGranularityAlignment: number | undefined;
  readonly maxWriteSameLength: bigint | undefined;
}

export const parseBlockLimits = (b: Uint8Array): Result<BlockLimits> =>
  expectPage(b, 0xb0, 'Block Limits', (r, h) => {
    const e = end(r, h);
    const ugaValid = e >= 36 && r.flag(32, 7, 'UGAVALID');
    return {
      ...h,
      wsnz: r.flag(4, 0, 'WSNZ'),
      maxCompareAndWriteLength: r.u8(5, 'MAXIMUM COMPARE AND WRITE LENGTH'),
      optimalTransferLengthGranularity: r.be16(6, 'OPTIMAL TRANSFER LENGTH GRANULARITY'),
      maxTransferLength: r.be32(8, 'MAXIMUM TRANSFER LENGTH'),
      optimalTransferLength: r.be32(12, 'OPTIMAL TRANSFER LENGTH'),
      maxPrefetchLength: e >= 20 ? r.be32(16) : undefined,
      maxUnmapLbaCount: e >= 24 ? r.be32(20) : undefined,
      maxUnmapDescriptorCount: e >= 28 ? r.be32(24) : undefined,
      optimalUnmapGranularity: e >= 32 ? r.be32(28) : undefined,
      unmapGranularityAlignment: ugaValid ? r.be32(32) & 0x7fffffff : undefined,
      maxWriteSameLength: e >= 44 ? r.be64(36) : undefined,
    };
  });

// ---- B1h Block Device Characteristics (SBC-4, Block Device Characteristics VPD page) ----

/** NOMINAL FORM FACTOR (SBC-4, Block Device Characteristics VPD page). */
const FORM_FACTORS = [
  'not reported',
  '5.25 inch',
  '3.5 inch',
  '2.5 inch',
  '1.8 inch',
  'less than 1.8 inch',
];

export interface BlockDeviceCharacteristics extends VpdHeader {
  /** MEDIUM ROTATION RATE: 0 not reported, 1 non-rotating (solid state), 0401h–FFFEh rpm. */
  readonly rotationRate: number;
  readonly rotationText: string;
  readonly nonRotating: boolean;
  readonly productType: number;
  readonly formFactorCode: number;
  readonly formFactor: string;
  /** Byte 8, when present. */
  readonly zoned: number | undefined;
  readonly fuab: boolean | undefined;
  readonly vbuls: boolean | undefined;
}

export const parseBlockDeviceCharacteristics = (
  b: Uint8Array,
): Result<BlockDeviceCharacteristics> =>
  expectPage(b, 0xb1, 'Block Device Characteristics', (r, h) => {
    const rate = r.be16(4, 'MEDIUM ROTATION RATE');
    const ff = r.bits(7, 0, 4, 'NOMINAL FORM FACTOR');
    const has8 = end(r, h) >= 9;
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
              : `reserved (${t10Hex(rate, 4)})`,
      nonRotating: rate === 1,
      productType: r.u8(6, 'PRODUCT TYPE'),
      formFactorCode: ff,
      formFactor: FORM_FACTORS[ff] ?? `reserved (${ff})`,
      zoned: has8 ? r.bits(8, 4, 2) : undefined,
      fuab: has8 ? r.flag(8, 1) : undefined,
      vbuls: has8 ? r.flag(8, 0) : undefined,
    };
  });

// ---- B2h Logical Block Provisioning (SBC-4, Logical Block Provisioning VPD page) ----

/** PROVISIONING TYPE (SBC-4, Logical Block Provisioning VPD page). */
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
  /** LBPRZ is 3 bits wide in SBC-4 (one bit in SBC-3). */
  readonly lbprz: number;
  readonly ancSup: boolean;
  readonly dp: boolean;
  readonly provisioningTypeCode: number;
  readonly provisioningType: string;
}

export const parseLogicalBlockProvisioning = (b: Uint8Array): Result<LogicalBlockProvisioning> =>
  expectPage(b, 0xb2, 'Logical Block Provisioning', (r, h) => {
    const pt = r.bits(6, 0, 3, 'PROVISIONING TYPE');
    return {
      ...h,
      thresholdExponent: r.u8(4, 'THRESHOLD EXPONENT'),
      lbpu: r.flag(5, 7, 'LBPU'),
      lbpws: r.flag(5, 6, 'LBPWS'),
      lbpws10: r.flag(5, 5, 'LBPWS10'),
      lbprz: r.bits(5, 2, 3, 'LBPRZ'),
      ancSup: r.flag(5, 1, 'ANC_SUP'),
      dp: r.flag(5, 0, 'DP'),
      provisioningTypeCode: pt,
      provisioningType: PROVISIONING_TYPES[pt] ?? `reserved (${pt})`,
    };
  });

// ---- Any page ----

export interface OtherVpdPage extends VpdHeader {
  /** The page's bytes after the header, as far as the buffer goes. */
  readonly payload: Uint8Array;
}

export type VpdPage =
  | { readonly page: 0x00; readonly data: SupportedPages }
  | { readonly page: 0x80; readonly data: UnitSerialNumber }
  | { readonly page: 0x83; readonly data: DeviceIdentification }
  | { readonly page: 0x86; readonly data: ExtendedInquiry }
  | { readonly page: 0x89; readonly data: AtaInformation }
  | { readonly page: 0xb0; readonly data: BlockLimits }
  | { readonly page: 0xb1; readonly data: BlockDeviceCharacteristics }
  | { readonly page: 0xb2; readonly data: LogicalBlockProvisioning }
  | { readonly page: 'other'; readonly data: OtherVpdPage };

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

/** Any VPD page as a header and raw payload. */
export const parseOtherVpdPage = (b: Uint8Array): Result<OtherVpdPage> =>
  readBounded(b, 'VPD page', (r) => {
    const h = header(r);
    return ok({ ...h, payload: r.slice(4, end(r, h) - 4, 'page payload') });
  });

/** Parses any VPD page, choosing the parser by the page code in byte 1. */
export function parseVpd(bytes: Uint8Array): Result<VpdPage> {
  const code = readBounded(bytes, 'VPD data', (r) => ok(r.u8(1, 'PAGE CODE')));
  if (!code.ok) return code;
  const parse = VPD_PARSERS[code.value];
  if (parse) {
    const r = parse(bytes);
    // The table pairs each code with the parser of that page, so the union member matches.
    return r.ok ? ok({ page: code.value, data: r.value } as VpdPage) : r;
  }
  const other = parseOtherVpdPage(bytes);
  return other.ok ? ok({ page: 'other', data: other.value }) : other;
}
