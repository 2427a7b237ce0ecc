/**
 * Differential test: usbcdb's INQUIRY and VPD decoders (`usbcdb parse inquiry|vpd … --json`,
 * run in-process) against sg3_utils' sg_inq and sg_vpd reading the same bytes with --inhex.
 * For every field both decode, the values must agree: numbers and strings are pulled out of
 * sg3_utils' text with small regexes, so only meaning is compared, not layout.
 *
 * Where the two differ on purpose, the difference is written out below (EXCEPTIONS) with the
 * reason, and the check compares what each side means under that difference rather than
 * skipping the field.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatHex } from '../../shared/scsi/hex';
import { runUsbcdb } from '../cli-run';
import { fileTempDir } from '../temp-dir';
import { runSg3Bytes } from './peers';

/**
 * Deliberate differences between usbcdb and sg3_utils 1.46:
 * - ASCII fields (SPC-5, ASCII data field requirements: graphic codes 20h–7Eh, left-aligned,
 *   space padded, and may end in NULs): sg3_utils prints the bytes as a C string, so it stops
 *   at the first NUL and copies bytes outside 20h–7Eh as they are. usbcdb shows each byte
 *   outside 20h–7Eh as '.', a NUL followed by more text included (it does not hide bytes a
 *   device put after a NUL). Compared: sg3_utils' text with non-graphic bytes as '.', against
 *   usbcdb's text up to the field's first NUL; trailing spaces ignored on both sides.
 * - Unit serial number: usbcdb trims spaces on both sides (devices right-align it); sg3_utils
 *   prints the field as is. Compared trimmed.
 * - Version descriptors: sg_inq stops at the first 0000h descriptor; usbcdb lists every nonzero
 *   one of the eight (0000h means "no standard identified" for that slot, not the end of the
 *   list, SPC-5 standard INQUIRY data). Compared: sg_inq's list against usbcdb's up to the
 *   first empty slot.
 * - Device Identification: sg_vpd groups designators by association (logical unit, target
 *   port, target device) and prints each group in page order; usbcdb lists them in page
 *   order. Compared: usbcdb's list sorted stably by association.
 * - Block limits: sg_vpd prints FFFFFFFFh MAXIMUM UNMAP LBA COUNT / BLOCK DESCRIPTOR COUNT as
 *   "-1 [unbounded]" (a signed print); read as 4294967295.
 * - ATA Information cut before an ATA string of IDENTIFY DEVICE data: usbcdb leaves the string
 *   out; sg_vpd prints it empty (it decodes from a zero-filled buffer). Compared as empty.
 * - Block Device Characteristics shorter than SBC-4's 003Ch page length: sg_vpd refuses the
 *   page ("too short") while usbcdb reads the fields the page does hold. The test expects that
 *   refusal and checks usbcdb's values against the bytes.
 */

/** sg_lib's protocol identifier names (SPC-5, PROTOCOL IDENTIFIER values), by code. */
const TRANSPORTS: readonly string[] = [
  'Fibre Channel Protocol for SCSI',
  'SCSI Parallel Interface',
  'Serial Storage Architecture',
  'Serial Bus Protocol for IEEE 1394',
  'SCSI RDMA Protocol',
  'Internet SCSI',
  'Serial Attached SCSI Protocol',
  'Automation/Drive Interface',
  'AT Attachment Interface',
  'USB Attached SCSI',
  'SCSI over PCI Express',
  'PCIe',
];

/** sg_lib's designator type names (SPC-5, designator type table), by code. */
const SG_DESIGNATOR_TYPES: Readonly<Record<string, number>> = {
  'vendor specific [0x0]': 0,
  'T10 vendor identification': 1,
  'EUI-64 based': 2,
  NAA: 3,
  'Relative target port': 4,
  'Target port group': 5,
  'Logical unit group': 6,
  'MD5 logical unit identifier': 7,
  'SCSI name string': 8,
  'Protocol specific port identifier': 9,
  'UUID identifier': 10,
};
const SG_CODE_SETS: Readonly<Record<string, number>> = { Binary: 1, ASCII: 2, 'UTF-8': 3 };
const SG_ASSOCIATIONS: Readonly<Record<string, string>> = {
  'Addressed logical unit:': 'logical unit',
  'Target port:': 'target port',
  'Target device that contains addressed lu:': 'target device',
};
/** PRODUCT TYPE 00h–07h as sg_vpd names them (SBC-4, Block Device Characteristics VPD page). */
const SG_PRODUCT_TYPES: readonly string[] = [
  'Not specified',
  'CFast',
  'CompactFlash',
  'MemoryStick',
  'MultiMediaCard',
  'Secure Digital Card (SD)',
  'XQD',
  'Universal Flash Storage Card (UFS)',
];
/** NOMINAL FORM FACTOR as sg_vpd words it ("less then" is its spelling). */
const SG_FORM_FACTORS: Readonly<Record<string, number>> = {
  'not reported': 0,
  '5.25 inch': 1,
  '3.5 inch': 2,
  '2.5 inch': 3,
  '1.8 inch': 4,
  'less then 1.8 inch': 5,
};

// ---- building the data ----

const enc = new TextEncoder();

function bytes(...parts: (number | readonly number[] | Uint8Array | string)[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === 'number') out.push(p);
    else if (typeof p === 'string') out.push(...enc.encode(p));
    else out.push(...p);
  }
  return Uint8Array.from(out);
}

/** `text` as Latin-1 bytes (one byte per character), space padded to `n`. */
function field(text: string, n: number): number[] {
  const b = Array.from(text, (c) => c.charCodeAt(0) & 0xff).slice(0, n);
  while (b.length < n) b.push(0x20);
  return b;
}

function be(v: number | bigint, n: number): number[] {
  let x = BigInt(v);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.unshift(Number(x & 0xffn));
    x >>= 8n;
  }
  return out;
}

function vpdPage(code: number, body: Uint8Array | readonly number[], pdt = 0): Uint8Array {
  return bytes(pdt, code, be(body.length, 2), body);
}

interface InquiryFields {
  byte0?: number;
  byte1?: number;
  version?: number;
  byte3?: number;
  flags?: readonly [number, number, number];
  vendor?: string;
  product?: string;
  revision?: string;
  vendorSpecific?: string;
  descriptors?: readonly number[];
  /** Total length; ADDITIONAL LENGTH follows it unless `additionalLength` says otherwise. */
  length?: number;
  additionalLength?: number;
}

function inquiry(f: InquiryFields): Uint8Array {
  const length = f.length ?? 36;
  const b = new Uint8Array(Math.max(length, 74));
  b[0] = f.byte0 ?? 0;
  b[1] = f.byte1 ?? 0;
  b[2] = f.version ?? 6;
  b[3] = f.byte3 ?? 0x02;
  b[4] = f.additionalLength ?? length - 5;
  const [b5, b6, b7] = f.flags ?? [0, 0, 0];
  b[5] = b5;
  b[6] = b6;
  b[7] = b7;
  b.set(field(f.vendor ?? 'ACME', 8), 8);
  b.set(field(f.product ?? 'Widget', 16), 16);
  b.set(field(f.revision ?? '0001', 4), 32);
  if (f.vendorSpecific !== undefined) b.set(field(f.vendorSpecific, 20), 36);
  (f.descriptors ?? []).forEach((d, i) => b.set(be(d, 2), 58 + 2 * i));
  return b.slice(0, length);
}

/** A designation descriptor (SPC-5, Device Identification VPD page). */
function designator(
  o: { codeSet: number; type: number; assoc?: number; piv?: boolean; protocol?: number },
  value: Uint8Array | readonly number[] | string,
): Uint8Array {
  const v = typeof value === 'string' ? enc.encode(value) : Uint8Array.from(value);
  return bytes(
    ((o.protocol ?? 0) << 4) | o.codeSet,
    (o.piv ? 0x80 : 0) | ((o.assoc ?? 0) << 4) | o.type,
    0,
    v.length,
    v,
  );
}

/** An ATA string (ACS: two characters a word, the first in the high byte), `words` long. */
function ataString(s: string, words: number): number[] {
  const f = field(s, words * 2);
  const out: number[] = [];
  for (let i = 0; i < f.length; i += 2) out.push(f[i + 1] as number, f[i] as number);
  return out;
}

// ---- the cases ----

interface Case {
  readonly name: string;
  readonly bytes: Uint8Array;
}

const INQUIRY_CASES: readonly Case[] = [
  {
    name: 'SPC-4 disk, 96 bytes, flags in 5–7, one descriptor',
    bytes: inquiry({
      byte1: 0x80,
      byte3: 0x12,
      flags: [0x39, 0x50, 0x02],
      vendor: 'ACME',
      product: 'SuperDisk 3000',
      revision: '1.0',
      length: 96,
      descriptors: [0x0460],
    }),
  },
  {
    name: 'USB flash drive, SPC-2, 36 bytes, removable',
    bytes: inquiry({ byte1: 0x80, version: 4, vendor: 'SanDisk', product: 'Cruzer Blade' }),
  },
  {
    name: 'SCSI-2 CD-ROM, PQ 1, NormACA',
    bytes: inquiry({ byte0: 0x25, byte1: 0x80, version: 2, byte3: 0x32, vendor: 'SONY' }),
  },
  {
    name: 'SPC-3 tape with vendor specific bytes and eight descriptors, a 0000h among them',
    bytes: inquiry({
      byte0: 0x01,
      version: 5,
      vendor: 'HP',
      product: 'Ultrium 5-SCSI',
      revision: 'Z6ED',
      vendorSpecific: 'HU1234567B',
      length: 74,
      descriptors: [0x0460, 0x0c60, 0x0a15, 0x1740, 0xffc0, 0x0000, 0x0960, 0x0021],
    }),
  },
  {
    name: 'SPC-5 enclosure, all flags of bytes 5–7 set',
    bytes: inquiry({ byte0: 0x0d, version: 7, byte3: 0x32, flags: [0xf9, 0x50, 0x02] }),
  },
  {
    name: 'no LU (PQ 3, PDT 1Fh), SPC-5',
    bytes: inquiry({ byte0: 0x7f, version: 7, vendor: '', product: '', revision: '' }),
  },
  {
    name: 'version 00h, PDT 0Eh (RBC), LU_CONG, vendor PQ 5',
    bytes: inquiry({ byte0: 0xae, byte1: 0x40, version: 0, byte3: 0x00 }),
  },
  {
    name: 'version 03h (SPC), reserved PDT 15h',
    bytes: inquiry({ byte0: 0x15, version: 3, vendor: 'OLD', product: 'Box' }),
  },
  {
    name: 'reserved version 08h, TPGS 01b, host managed zoned',
    bytes: inquiry({ byte0: 0x14, version: 8, flags: [0x10, 0x00, 0x00] }),
  },
  {
    name: 'strings with trailing spaces, non-ASCII bytes and a NUL',
    bytes: inquiry({
      vendor: 'AC\xe9ME\x00  ',
      product: 'Flash\x01Disk\xffX',
      revision: '\x00\x00\x00\x00',
    }),
  },
  {
    name: 'vendor with text after a NUL',
    bytes: inquiry({ vendor: 'AB\x00CD', product: 'P  Q', revision: ' 1 ' }),
  },
  {
    name: 'answer cut at 20 bytes (PRODUCT cut, no REVISION)',
    bytes: inquiry({
      vendor: 'VENDORXY',
      product: 'PRODUCT-NAME',
      length: 20,
      additionalLength: 31,
    }),
  },
  {
    name: 'ADDITIONAL LENGTH 3 with 36 bytes returned',
    bytes: inquiry({ version: 5, additionalLength: 3, vendor: 'SHORT', product: 'Len' }),
  },
];

/** IDENTIFY DEVICE data (ACS-4): serial at word 10, firmware at 23, model at 27. */
function identify(serial: string, firmware: string, model: string): Uint8Array {
  const id = new Uint8Array(512);
  id.set(ataString(serial, 10), 20);
  id.set(ataString(firmware, 4), 46);
  id.set(ataString(model, 20), 54);
  id[0] = 0x40;
  return id;
}

const DI = { LU: 0, PORT: 1, TARGET: 2 };

const VPD_CASES: readonly Case[] = [
  {
    name: '00h, eight pages',
    bytes: vpdPage(0x00, [0x00, 0x80, 0x83, 0x86, 0x89, 0xb0, 0xb1, 0xb2]),
  },
  { name: '00h, three pages, PDT 05h', bytes: vpdPage(0x00, [0x00, 0x80, 0x83], 0x05) },
  { name: '80h, space padded both sides', bytes: vpdPage(0x80, field('  WD-WCC4N1234567  ', 19)) },
  { name: '80h, plain', bytes: vpdPage(0x80, field('4C530001230615118173', 20)) },
  { name: '80h, NUL padded', bytes: vpdPage(0x80, bytes('AA00000000001234', 0, 0, 0, 0)) },
  {
    name: '80h, cut short of its PAGE LENGTH',
    bytes: vpdPage(0x80, field('ABCDEFGH', 8)).subarray(0, 8),
  },
  { name: '80h, a non-ASCII byte', bytes: vpdPage(0x80, bytes(0xe9, 'AB12', 0x20)) },
  {
    name: '83h, a disk: NAA 5, T10 vendor ID, EUI-64, SCSI name string, SAS port',
    bytes: vpdPage(
      0x83,
      bytes(
        designator({ codeSet: 1, type: 3 }, be(0x5000c500a1b2c3d4n, 8)),
        designator({ codeSet: 2, type: 1 }, 'ACME    SuperDisk 3000  '),
        designator({ codeSet: 1, type: 2 }, be(0x0011223344556677n, 8)),
        designator({ codeSet: 3, type: 8 }, 'naa.5000C500A1B2C3D4'),
        designator(
          { codeSet: 1, type: 3, assoc: DI.PORT, piv: true, protocol: 6 },
          be(0x5000c500a1b2c3d5n, 8),
        ),
        designator({ codeSet: 1, type: 4, assoc: DI.PORT }, [0, 0, 0, 1]),
        designator({ codeSet: 1, type: 3 }, be(0x6000c500a1b2c3d40011223344556677n, 16)),
      ),
    ),
  },
  {
    name: '83h, iSCSI: UTF-8 SCSI name strings, target device, port groups',
    bytes: vpdPage(
      0x83,
      bytes(
        designator({ codeSet: 3, type: 8 }, bytes('iqn.2001-04.com.exämple:ß', 0, 0, 0)),
        designator(
          { codeSet: 3, type: 8, assoc: DI.TARGET, piv: true, protocol: 5 },
          bytes('iqn.2001-04.com.example:tgt', 0),
        ),
        designator({ codeSet: 1, type: 5, assoc: DI.PORT }, [0, 0, 0, 2]),
        designator({ codeSet: 1, type: 6 }, [0, 0, 0, 3]),
        designator({ codeSet: 2, type: 0 }, 'VEND 123'),
      ),
    ),
  },
  {
    name: '83h, a USB bridge: T10 vendor ID, EUI-64 12 and 16 bytes, NAA 2/3/6, UUID, MD5',
    bytes: vpdPage(
      0x83,
      bytes(
        designator({ codeSet: 2, type: 1 }, 'JMicron Generic         0123456789AB'),
        designator({ codeSet: 1, type: 2 }, be(0x0102030405060708090a0b0cn, 12)),
        designator({ codeSet: 1, type: 2 }, be(0x0102030405060708090a0b0c0d0e0f10n, 16)),
        designator({ codeSet: 1, type: 3 }, be(0x2000001122334455n, 8)),
        designator({ codeSet: 1, type: 3 }, be(0x3000001122334455n, 8)),
        designator({ codeSet: 1, type: 3 }, be(0x600a0b8000112233445566778899aabbn, 16)),
        designator(
          { codeSet: 1, type: 10 },
          bytes(0x10, 0, be(0x00010203040506070809a0b0c0d0e0fn, 16)),
        ),
        designator({ codeSet: 1, type: 7 }, be(0xd41d8cd98f00b204e9800998ecf8427en, 16)),
      ),
    ),
  },
  {
    name: '83h, PIV on a logical unit designator (protocol reserved) and on ports',
    bytes: vpdPage(
      0x83,
      bytes(
        designator({ codeSet: 1, type: 3, piv: true, protocol: 9 }, be(0x5000000000000001n, 8)),
        designator(
          { codeSet: 3, type: 8, assoc: DI.PORT, piv: true, protocol: 9 },
          bytes('eui.0011', 0, 0, 0, 0),
        ),
        designator(
          { codeSet: 1, type: 3, assoc: DI.PORT, protocol: 5 },
          be(0x5000000000000002n, 8),
        ),
        designator(
          { codeSet: 1, type: 3, assoc: DI.TARGET, piv: true, protocol: 0 },
          be(0x5000000000000003n, 8),
        ),
      ),
    ),
  },
  {
    name: '86h, most flags, self-test minutes, sense length',
    bytes: vpdPage(0x86, [
      0x51,
      0x3f,
      0x0f,
      0x11,
      0,
      0,
      0x00,
      0x1e,
      0,
      0xfc,
      ...new Array(50).fill(0),
    ]),
  },
  {
    name: '86h, SPT 7, GRD_CHK and APP_CHK, activate 2, LUICLR alone',
    bytes: vpdPage(0x86, [
      0xbe,
      0x00,
      0x00,
      0x01,
      0,
      0,
      0x01,
      0x2c,
      0,
      0x60,
      ...new Array(50).fill(0),
    ]),
  },
  {
    name: '89h, a SATA SSD behind a bridge',
    bytes: vpdPage(
      0x89,
      bytes(
        0,
        0,
        0,
        0,
        field('ATA', 8),
        field('Samsung SSD 850', 16),
        field('2B6Q', 4),
        [0x34, 0, 0, 0, 1, 1, 0, 0, 0, 0xa0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        0xec,
        0,
        0,
        0,
        identify('  S3Z1NB0K123456', 'RVT02B6Q', 'Samsung SSD 850 EVO 500GB'),
      ),
    ),
  },
  {
    name: '89h, IDENTIFY PACKET DEVICE',
    bytes: vpdPage(
      0x89,
      bytes(
        0,
        0,
        0,
        0,
        field('linux', 8),
        field('libata', 16),
        field('3.00', 4),
        new Array(20).fill(0),
        0xa1,
        0,
        0,
        0,
        identify('X1', '1.02', 'HL-DT-ST DVDRAM GP65NB60'),
      ),
      0x05,
    ),
  },
  {
    name: '89h, cut at 100 bytes: serial reached, firmware and model not',
    bytes: vpdPage(
      0x89,
      bytes(
        0,
        0,
        0,
        0,
        field('ATA', 8),
        field('ST2000DM008-2FR1', 16),
        field('0001', 4),
        new Array(20).fill(0),
        0xec,
        0,
        0,
        0,
        identify('ZFL1ABCD', '0001', 'ST2000DM008-2FR102'),
      ),
    ).subarray(0, 100),
  },
  {
    name: 'B0h, SBC-3 page, UGAVALID',
    bytes: vpdPage(0xb0, [
      1,
      0x10,
      ...be(8, 2),
      ...be(0xffff, 4),
      ...be(0x1000, 4),
      ...be(0, 4),
      ...be(0x400000, 4),
      ...be(0x20, 4),
      ...be(8, 4),
      ...be(0x80000010, 4),
      ...be(0x1000, 8),
      ...new Array(16).fill(0),
    ]),
  },
  {
    name: '86h, alternate bits: UASK_SUP, PRIOR_SUP, ORDSUP, WU_SUP, NV_SUP, P_I_I_SUP',
    bytes: vpdPage(0x86, [
      0x15,
      0x2a,
      0x0a,
      0x10,
      0,
      0,
      0xff,
      0xff,
      0,
      0x12,
      ...new Array(50).fill(0),
    ]),
  },
  {
    name: 'B0h, USB bridge: 240-block transfers, no unmap',
    bytes: vpdPage(0xb0, [
      0,
      0,
      ...be(1, 2),
      ...be(240, 4),
      ...be(240, 4),
      ...new Array(48).fill(0),
    ]),
  },
  {
    name: 'B0h, all ones, UGAVALID with alignment 7FFFFFFFh',
    bytes: vpdPage(0xb0, [
      0,
      0xff,
      ...be(0xffff, 2),
      ...be(0xffffffff, 4),
      ...be(0xffffffff, 4),
      ...be(0xffffffff, 4),
      ...be(0xffffffff, 4),
      ...be(0xffffffff, 4),
      ...be(0x7fffffff, 4),
      ...be(0xffffffff, 4),
      ...be(0xffffffff00000000n, 8),
      ...new Array(16).fill(0),
    ]),
  },
  {
    name: 'B0h, SBC-2 page length 0Ch',
    bytes: vpdPage(0xb0, [0, 0, ...be(4, 2), ...be(128, 4), 0, 0, 0, 0]),
  },
  {
    name: 'B1h, 7200 rpm 2.5 inch host aware, FUAB',
    bytes: vpdPage(0xb1, [...be(7200, 2), 0, 0x03, 0x12, ...new Array(55).fill(0)]),
  },
  {
    name: 'B1h, SSD, CompactFlash, less than 1.8 inch',
    bytes: vpdPage(0xb1, [...be(1, 2), 0x02, 0x05, 0x01, ...new Array(55).fill(0)]),
  },
  {
    name: 'B1h, rate not reported, 3.5 inch, VBULS',
    bytes: vpdPage(0xb1, [...be(0, 2), 0, 0x02, 0x01, ...new Array(55).fill(0)]),
  },
  {
    name: 'B1h, 15000 rpm 5.25 inch, host managed',
    bytes: vpdPage(0xb1, [...be(15000, 2), 0, 0x01, 0x20, ...new Array(55).fill(0)]),
  },
  {
    name: 'B1h, SD card, vendor specific product type F5h, 1.8 inch',
    bytes: vpdPage(0xb1, [...be(1, 2), 0xf5, 0x04, 0, ...new Array(55).fill(0)]),
  },
  {
    name: 'B1h, reserved product type 09h, form factor not reported',
    bytes: vpdPage(0xb1, [...be(1, 2), 0x09, 0x00, 0, ...new Array(55).fill(0)]),
  },
  {
    name: 'B1h, SD card',
    bytes: vpdPage(0xb1, [...be(1, 2), 0x05, 0x05, 0, ...new Array(55).fill(0)]),
  },
  {
    name: 'B1h, reserved rate 0400h and form factor 7',
    bytes: vpdPage(0xb1, [...be(0x400, 2), 0, 0x07, 0, ...new Array(55).fill(0)]),
  },
  {
    name: 'B2h, thin: LBPU, LBPWS, LBPRZ 1, ANC_SUP',
    bytes: vpdPage(0xb2, [0x08, 0xc6, 0x02, 0x00]),
  },
  { name: 'B2h, resource provisioned, LBPWS10', bytes: vpdPage(0xb2, [0x14, 0x20, 0x01, 0x00]) },
  { name: 'B2h, fully provisioned, nothing set', bytes: vpdPage(0xb2, [0, 0, 0, 0]) },
  {
    name: 'B2h, LBPRZ 7, DP with a descriptor, reserved type 3',
    bytes: vpdPage(0xb2, [
      0,
      0x1d,
      0xfb,
      0x00,
      0x01,
      0x03,
      0x00,
      0x08,
      ...be(0x5000000000000009n, 8),
    ]),
  },
];

/** Pages sg_vpd refuses as shorter than SBC-4 lays them out (see EXCEPTIONS above). */
const SHORT_PAGE_CASES: readonly Case[] = [
  { name: 'B1h, page length 4', bytes: vpdPage(0xb1, [...be(1, 2), 0, 0x03]) },
];

// ---- reading both sides ----

const dir = fileTempDir('sg3-parse');
let fileNo = 0;

function sg(program: 'sg_inq' | 'sg_vpd', data: Uint8Array, args: readonly string[]): string {
  const file = join(dir, `data${fileNo++}.hex`);
  writeFileSync(file, formatHex(data));
  return runSg3Bytes(program, [...args, `--inhex=${file}`]);
}

async function usbcdb<T>(kind: 'inquiry' | 'vpd', data: Uint8Array): Promise<T> {
  const r = await runUsbcdb(['parse', kind, formatHex(data), '--json']);
  if (r.code !== 0) throw new Error(`usbcdb parse ${kind} failed (${r.code}): ${r.err}`);
  return JSON.parse(r.out) as T;
}

/** The first capture of `re` in sg3_utils' output; a missing line is a failure, never a skip. */
function grab(out: string, re: RegExp): string {
  const m = re.exec(out);
  if (!m || m[1] === undefined)
    throw new Error(`sg3_utils printed nothing matching ${re}:\n${out}`);
  return m[1];
}
const grabNum = (out: string, re: RegExp): number => Number(grab(out, re));

/** sg3_utils' copy of an ASCII field, bytes outside 20h–7Eh shown as usbcdb shows them. */
function sgText(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '.').trimEnd();
}

/** usbcdb's text of a field up to the field's first NUL, where sg3_utils' C string stops. */
function untilNul(text: string, raw: Uint8Array, offset: number, length: number): string {
  const nul = raw.subarray(offset, offset + length).indexOf(0);
  return (nul < 0 ? text : text.slice(0, nul)).trimEnd();
}

const bit = (b: boolean | undefined): number => (b ? 1 : 0);

// ---- INQUIRY ----

interface InquiryJson {
  data: {
    peripheralQualifier: number;
    deviceType: number;
    removable?: boolean;
    luCong?: boolean;
    version?: number;
    normaca?: boolean;
    hisup?: boolean;
    responseDataFormat?: number;
    sccs?: boolean;
    acc?: boolean;
    tpgs?: number;
    thirdPartyCopy?: boolean;
    protect?: boolean;
    encserv?: boolean;
    multip?: boolean;
    cmdque?: boolean;
    vendor?: string;
    product?: string;
    revision?: string;
    versionDescriptors: { offset: number; value: number }[];
  };
}

function compareInquiry(raw: Uint8Array, d: InquiryJson['data'], out: string): string[] {
  const diffs: string[] = [];
  const same = (what: string, ours: unknown, theirs: unknown): void => {
    if (ours !== theirs) diffs.push(`${what}: usbcdb ${String(ours)}, sg_inq ${String(theirs)}`);
  };
  const n = (name: string): number => grabNum(out, new RegExp(`\\b${name}=(\\d+)`));
  same('PQual', d.peripheralQualifier, n('PQual'));
  same('PDT', d.deviceType, n('PDT'));
  same('RMB', bit(d.removable), n('RMB'));
  same('LU_CONG', bit(d.luCong), n('LU_CONG'));
  same('version', d.version, parseInt(grab(out, /\bversion=0x([0-9a-f]+)/), 16));
  same('NormACA', bit(d.normaca), n('NormACA'));
  same('HiSUP', bit(d.hisup), n('HiSUP'));
  same('Resp_data_format', d.responseDataFormat, n('Resp_data_format'));
  if (raw.length > 5) {
    same('SCCS', bit(d.sccs), n('SCCS'));
    same('ACC', bit(d.acc), n('ACC'));
    same('TPGS', d.tpgs, n('TPGS'));
    same('3PC', bit(d.thirdPartyCopy), n('3PC'));
    same('Protect', bit(d.protect), n('Protect'));
    same('EncServ', bit(d.encserv), n('EncServ'));
    same('MultiP', bit(d.multip), n('MultiP'));
    same('CmdQue', bit(d.cmdque), n('CmdQue'));
  }
  const text = (label: string, ours: string | undefined, offset: number, length: number): void => {
    const theirs = grab(out, new RegExp(`^ ${label}: (.*)$`, 'm'));
    if (ours === undefined) same(label, '<none>', theirs);
    else same(label, untilNul(ours, raw, offset, length), sgText(theirs));
  };
  text('Vendor identification', d.vendor, 8, 8);
  text('Product identification', d.product, 16, 16);
  text('Product revision level', d.revision, 32, 4);
  // Version descriptors: sg_inq's list, against usbcdb's up to the first empty slot (EXCEPTIONS).
  const listed = /Version descriptors:\n((?: {4}.*\n?)*)/.exec(out)?.[1];
  const theirs = listed === undefined ? [] : listed.split('\n').filter((l) => l.trim() !== '');
  const ours: number[] = [];
  for (const v of d.versionDescriptors) {
    if (v.offset !== 58 + 2 * ours.length) break;
    ours.push(v.value);
  }
  same('version descriptor count', ours.length, theirs.length);
  theirs.forEach((line, i) => {
    const code = /unrecognised version descriptor code: 0x([0-9a-f]+)/.exec(line)?.[1];
    if (code !== undefined) same(`version descriptor ${i + 1}`, ours[i], parseInt(code, 16));
  });
  return diffs;
}

describe('parse inquiry vs sg_inq', () => {
  for (const c of INQUIRY_CASES) {
    it(c.name, async () => {
      const ours = await usbcdb<InquiryJson>('inquiry', c.bytes);
      // -p sinq: read the bytes as standard INQUIRY data; without it sg_inq guesses from
      // VERSION and byte 1, and takes a VERSION of 02h or less without RMB for a VPD page.
      const out = sg('sg_inq', c.bytes, ['-p', 'sinq', '-d']);
      expect(compareInquiry(c.bytes, ours.data, out), out).toEqual([]);
    });
  }
});

// ---- VPD ----

interface DesignatorJson {
  protocolIdentifier: number;
  codeSet: number;
  piv: boolean;
  association: string;
  type: number;
  value: string;
  bytes: string;
}

interface RowJson {
  label: string;
  value: string;
}

interface VpdJson {
  data: { page: number | 'other'; data: Record<string, unknown> };
  rows: RowJson[];
}

interface SgDesignator {
  association: string;
  type: number;
  codeSet: number;
  transport: number | undefined;
  lines: string[];
}

/** sg_vpd's Device Identification output, one entry per designator. */
function sgDesignators(out: string): SgDesignator[] {
  const list: SgDesignator[] = [];
  let association = '';
  for (const line of out.split('\n')) {
    const heading = SG_ASSOCIATIONS[line.trim()];
    if (heading !== undefined) {
      association = heading;
      continue;
    }
    const m = /^\s+designator type: (.*),\s+code set: (.*)$/.exec(line);
    if (m) {
      list.push({
        association,
        type: SG_DESIGNATOR_TYPES[m[1] as string] ?? -1,
        codeSet: SG_CODE_SETS[m[2] as string] ?? -1,
        transport: undefined,
        lines: [],
      });
      continue;
    }
    const last = list[list.length - 1];
    if (!last) continue;
    const t = /^\s+transport: (.*)$/.exec(line);
    if (t) last.transport = TRANSPORTS.findIndex((name) => (t[1] as string).startsWith(name));
    else if (line.trim() !== '') last.lines.push(line);
  }
  return list;
}

/** The designator's value as sg_vpd prints it, in usbcdb's form (hex for binary, text otherwise). */
function sgDesignatorValue(d: SgDesignator, ours: DesignatorJson): string {
  const body = d.lines.join('\n');
  const utf8 = (s: string): string => Buffer.from(s, 'latin1').toString('utf8');
  const hexDump = (): string =>
    d.lines
      .filter((l) => /^(\s*[0-9a-f]{2})+\s*$/.test(l))
      .join(' ')
      .replace(/\s+/g, '');
  switch (d.type) {
    case 1: {
      // "vendor id: %.8s" then "vendor specific: …": usbcdb shows the two as one string.
      const id = grab(body, /vendor id: (.*)$/m);
      const rest = /vendor specific: (.*)$/m.exec(body)?.[1] ?? '';
      return rest === '' ? sgText(id) : `${id.padEnd(8, ' ')}${sgText(rest)}`;
    }
    case 2:
    case 3: {
      const hex = /^\s+0x([0-9a-f]+)$/m.exec(body)?.[1];
      return hex ?? hexDump();
    }
    // Relative target port, target port group, logical unit group: sg_vpd prints the 16-bit
    // identifier in bytes 2–3; bytes 0–1 are reserved, so usbcdb's own are put in front.
    case 4:
      return (
        ours.value.slice(0, 4) + grab(body, /Relative target port: 0x([0-9a-f]+)/).padStart(4, '0')
      );
    case 5:
      return (
        ours.value.slice(0, 4) + grab(body, /Target port group: 0x([0-9a-f]+)/).padStart(4, '0')
      );
    case 6:
      return (
        ours.value.slice(0, 4) + grab(body, /Logical unit group: 0x([0-9a-f]+)/).padStart(4, '0')
      );
    case 8:
      return utf8(grab(body, /SCSI name string:\n\s+(.*)$/m));
    case 10:
      // T10's UUID designator: byte 0 (UUID type 1h: locally assigned), byte 1 reserved, then the UUID.
      return (
        ours.value.slice(0, 4) + grab(body, /Locally assigned UUID: ([0-9a-f-]+)/).replace(/-/g, '')
      );
    case 0:
      return d.codeSet === 1 ? hexDump() : sgText(grab(body, /vendor specific: (.*)$/m));
    default:
      return hexDump();
  }
}

const ASSOCIATION_ORDER = ['logical unit', 'target port', 'target device'];

function compareDeviceIdentification(v: VpdJson, out: string): string[] {
  const diffs: string[] = [];
  const designators = v.data.data['designators'] as DesignatorJson[];
  const rows = v.rows.slice(3);
  // sg_vpd groups by association (EXCEPTIONS): sort usbcdb's list the same way, stably.
  const ours = designators
    .map((d, i) => ({ d, row: rows[i] as RowJson }))
    .sort(
      (a, b) =>
        ASSOCIATION_ORDER.indexOf(a.d.association) - ASSOCIATION_ORDER.indexOf(b.d.association),
    );
  const theirs = sgDesignators(out);
  if (ours.length !== theirs.length)
    diffs.push(`designator count: usbcdb ${ours.length}, sg_vpd ${theirs.length}`);
  ours.forEach(({ d, row }, i) => {
    const t = theirs[i];
    if (!t) return;
    const at = `designator ${i + 1}`;
    const same = (what: string, a: unknown, b: unknown): void => {
      if (a !== b) diffs.push(`${at} ${what}: usbcdb ${String(a)}, sg_vpd ${String(b)}`);
    };
    same('association', d.association, t.association);
    same('type', d.type, t.type);
    same('code set', d.codeSet, t.codeSet);
    // The protocol usbcdb shows (in the row) against the transport sg_vpd names.
    const shown = /protocol ([0-9A-F]{2})h/.exec(row.label)?.[1];
    same('protocol', shown === undefined ? undefined : parseInt(shown, 16), t.transport);
    same('value', d.value, sgDesignatorValue(t, d));
  });
  return diffs;
}

type Checks = Record<string, [ours: unknown, theirs: unknown]>;

function pageChecks(v: VpdJson, raw: Uint8Array, out: string): Checks {
  const d = v.data.data;
  const n = (re: RegExp): number => grabNum(out, re);
  const flag = (name: string): number => n(new RegExp(`\\b${name}=(\\d)`));
  switch (v.data.page) {
    case 0x00:
      return {
        pages: [
          (d['pages'] as number[]).join(','),
          [...out.matchAll(/^\s+0x([0-9a-f]{2})\s/gm)]
            .map((m) => parseInt(m[1] as string, 16))
            .join(','),
        ],
      };
    case 0x80:
      // usbcdb trims both ends (EXCEPTIONS); sg_vpd prints the C string.
      return {
        serial: [
          untilNul(d['serial'] as string, raw, 4, raw.length - 4).trim(),
          sgText(grab(out, /Unit serial number: (.*)$/m)).trim(),
        ],
      };
    case 0x86:
      return {
        ACTIVATE_MICROCODE: [d['activateMicrocode'], flag('ACTIVATE_MICROCODE')],
        SPT: [d['spt'], flag('SPT')],
        GRD_CHK: [bit(d['grdChk'] as boolean), flag('GRD_CHK')],
        APP_CHK: [bit(d['appChk'] as boolean), flag('APP_CHK')],
        REF_CHK: [bit(d['refChk'] as boolean), flag('REF_CHK')],
        UASK_SUP: [bit(d['uaskSup'] as boolean), flag('UASK_SUP')],
        GROUP_SUP: [bit(d['groupSup'] as boolean), flag('GROUP_SUP')],
        PRIOR_SUP: [bit(d['priorSup'] as boolean), flag('PRIOR_SUP')],
        HEADSUP: [bit(d['headsup'] as boolean), flag('HEADSUP')],
        ORDSUP: [bit(d['ordsup'] as boolean), flag('ORDSUP')],
        SIMPSUP: [bit(d['simpsup'] as boolean), flag('SIMPSUP')],
        WU_SUP: [bit(d['wuSup'] as boolean), flag('WU_SUP')],
        CRD_SUP: [bit(d['crdSup'] as boolean), flag('CRD_SUP')],
        NV_SUP: [bit(d['nvSup'] as boolean), flag('NV_SUP')],
        V_SUP: [bit(d['vSup'] as boolean), flag('V_SUP')],
        LUICLR: [bit(d['luiclr'] as boolean), flag('LUICLR')],
        selfTestMinutes: [
          d['extendedSelfTestMinutes'],
          n(/Extended self-test completion minutes=(\d+)/),
        ],
        maxSenseLength: [d['maxSenseLength'], n(/Maximum supported sense data length=(\d+)/)],
      };
    case 0x89: {
      const s = (re: RegExp): string => sgText(grab(out, re)).trim();
      // An ATA string the page stops short of: usbcdb leaves it out, sg_vpd prints it empty
      // (EXCEPTIONS); the check also holds usbcdb to leaving out exactly the strings not reached.
      const reached = (word: number, words: number): boolean =>
        raw.length >= 60 + 2 * (word + words);
      const ata = (key: string, word: number, words: number, re: RegExp): [unknown, unknown] => [
        d[key] ?? (reached(word, words) ? 'present but not decoded' : ''),
        s(re),
      ];
      return {
        satVendor: [d['satVendor'], s(/SAT Vendor identification: (.*)$/m)],
        satProduct: [d['satProduct'], s(/SAT Product identification: (.*)$/m)],
        satRevision: [d['satRevision'], s(/SAT Product revision level: (.*)$/m)],
        commandCode: [d['commandCode'], parseInt(grab(out, /Command code: 0x([0-9a-f]+)/), 16)],
        model: ata('model', 27, 20, /^\s+model: (.*)$/m),
        serial: ata('serial', 10, 10, /^\s+serial number: (.*)$/m),
        firmware: ata('firmware', 23, 4, /^\s+firmware revision: (.*)$/m),
      };
    }
    case 0xb0: {
      // "-1 [unbounded]" is sg_vpd's signed print of FFFFFFFFh (EXCEPTIONS).
      const count = (re: RegExp): number => {
        const x = n(re);
        return x === -1 ? 0xffffffff : x;
      };
      const long = d['maxPrefetchLength'] !== undefined;
      const checks: Checks = {
        WSNZ: [bit(d['wsnz'] as boolean), n(/\(WSNZ\): (\d)/)],
        maxCompareAndWrite: [d['maxCompareAndWriteLength'], n(/compare and write length: (\d+)/)],
        optimalGranularity: [
          d['optimalTransferLengthGranularity'],
          n(/Optimal transfer length granularity: (\d+)/),
        ],
        maxTransferLength: [d['maxTransferLength'], n(/Maximum transfer length: (\d+)/)],
        optimalTransferLength: [d['optimalTransferLength'], n(/Optimal transfer length: (\d+)/)],
        prefetchPrinted: [long, /Maximum prefetch/.test(out)],
      };
      if (!long) return checks;
      return {
        ...checks,
        maxPrefetch: [d['maxPrefetchLength'], n(/Maximum prefetch transfer length: (\d+)/)],
        maxUnmapLbaCount: [d['maxUnmapLbaCount'], count(/Maximum unmap LBA count: (-?\d+)/)],
        maxUnmapDescriptors: [
          d['maxUnmapDescriptorCount'],
          count(/Maximum unmap block descriptor count: (-?\d+)/),
        ],
        optimalUnmapGranularity: [
          d['optimalUnmapGranularity'],
          n(/Optimal unmap granularity: (\d+)/),
        ],
        ugaValid: [
          d['unmapGranularityAlignment'] !== undefined,
          grab(out, /Unmap granularity alignment valid: (\w+)/) === 'true',
        ],
        ...(d['unmapGranularityAlignment'] !== undefined
          ? {
              alignment: [d['unmapGranularityAlignment'], n(/Unmap granularity alignment: (\d+)/)],
            }
          : {}),
        maxWriteSame: [
          BigInt(String(d['maxWriteSameLength'])),
          BigInt(grab(out, /Maximum write same length: (0x[0-9a-f]+|\d+)/)),
        ],
      };
    }
    case 0xb1: {
      const rate = d['rotationRate'] as number;
      const theirRate = /Nominal rotation rate: (\d+) rpm/.exec(out)?.[1];
      // "Nominal form factor: 3.5 inch", but "Nominal form factor not reported" for 0.
      const ff = grab(out, /Nominal form factor:? (.*)$/m).trim();
      // Product type: a name for 00h–07h, "Reserved [0x9]" / "Vendor specific [0xf5]" past them.
      const pt = grab(out, /Product type: (.*)$/m).trim();
      const productType = SG_PRODUCT_TYPES.includes(pt)
        ? SG_PRODUCT_TYPES.indexOf(pt)
        : parseInt(grab(pt, /\[0x([0-9a-f]+)\]/), 16);
      return {
        rotation: [
          rate,
          theirRate !== undefined
            ? Number(theirRate)
            : /Non-rotating medium/.test(out)
              ? 1
              : /rotation rate is not reported/.test(out)
                ? 0
                : parseInt(grab(out, /Reserved \[0x([0-9a-f]+)\]/), 16),
        ],
        // Codes 6h–Fh are reserved (SBC-4); sg_vpd says "reserved" without the number.
        formFactor: [
          (d['formFactorCode'] as number) <= 5 ? d['formFactorCode'] : 'reserved',
          SG_FORM_FACTORS[ff] ?? ff,
        ],
        productType: [d['productType'], productType],
        ZONED: [d['zoned'], flag('ZONED')],
        FUAB: [bit(d['fuab'] as boolean), flag('FUAB')],
        VBULS: [bit(d['vbuls'] as boolean), flag('VBULS')],
      };
    }
    case 0xb2:
      return {
        LBPU: [bit(d['lbpu'] as boolean), n(/\(LBPU\): (\d)/)],
        LBPWS: [bit(d['lbpws'] as boolean), n(/\(LBPWS\): (\d)/)],
        LBPWS10: [bit(d['lbpws10'] as boolean), n(/\(LBPWS10\): (\d)/)],
        LBPRZ: [d['lbprz'], n(/\(LBPRZ\): (\d)/)],
        ANC_SUP: [bit(d['ancSup'] as boolean), n(/\(ANC_SUP\): (\d)/)],
        DP: [bit(d['dp'] as boolean), n(/\(DP\): (\d)/)],
        thresholdExponent: [d['thresholdExponent'], n(/Threshold exponent: (\d+)/)],
        provisioningType: [d['provisioningTypeCode'], n(/Provisioning type: (\d+)/)],
      };
    default:
      throw new Error(`no comparison written for page ${String(v.data.page)}`);
  }
}

function compareVpd(raw: Uint8Array, v: VpdJson, out: string): string[] {
  if (v.data.page === 0x83) return compareDeviceIdentification(v, out);
  return Object.entries(pageChecks(v, raw, out))
    .filter(([, [ours, theirs]]) => ours !== theirs)
    .map(([what, [ours, theirs]]) => `${what}: usbcdb ${String(ours)}, sg_vpd ${String(theirs)}`);
}

describe('parse vpd vs sg_vpd', () => {
  const seen = new Set<number>();
  for (const c of VPD_CASES) {
    it(c.name, async () => {
      const ours = await usbcdb<VpdJson>('vpd', c.bytes);
      expect(ours.data.page).toBe(c.bytes[1]);
      seen.add(c.bytes[1] as number);
      // -l: the supported pages list with codes; the default layout for the other pages.
      const out = sg('sg_vpd', c.bytes, c.bytes[1] === 0 ? ['-l'] : []);
      expect(compareVpd(c.bytes, ours, out), out).toEqual([]);
    });
  }
  it('covered every page usbcdb decodes', () => {
    expect([...seen].sort((a, b) => a - b)).toEqual([
      0x00, 0x80, 0x83, 0x86, 0x89, 0xb0, 0xb1, 0xb2,
    ]);
  });
  for (const c of SHORT_PAGE_CASES) {
    it(`${c.name}: sg_vpd refuses it, usbcdb reads the fields present`, async () => {
      const out = sg('sg_vpd', c.bytes, []);
      expect(out).toMatch(/too short/);
      const ours = await usbcdb<VpdJson>('vpd', c.bytes);
      expect(ours.data.data).toMatchObject({ rotationRate: 1, formFactorCode: 3 });
      expect(ours.data.data['zoned']).toBeUndefined();
    });
  }
});
