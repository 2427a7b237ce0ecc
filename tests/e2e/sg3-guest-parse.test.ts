/**
 * Differential test on real answers: in the QEMU guest, sg3_utils asks two
 * disks — usbcdb's `fw-updatable` over usbredir and QEMU's own usb-storage,
 * which usbcdb did not write — for READ CAPACITY(16), MODE SENSE(10) and (6),
 * REPORT LUNS and (where the disk has it) REPORT SUPPORTED OPERATION CODES,
 * printing each answer in hex (`-H`) and then decoded. usbcdb's parsers read
 * the same bytes, and every value both name must agree. sg3_utils 1.46 cannot
 * decode these from a file (sg_opcodes, sg_readcap, sg_modes and sg_luns have
 * no --inhex there), hence the guest.
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseAllCommands,
  parseModeSense10,
  parseModeSense6,
  parseOneCommand,
  parseReadCapacity16,
  parseReportLuns,
} from '../../shared/scsi/parsers';
import { formatHex } from '../../shared/scsi/hex';
import type { Result } from '../../shared/scsi/result';
import { findProfile } from '../../src-main/emulator/profiles';
import { MemoryStore } from '../../src-main/emulator/store';
import { ExportedDrive } from '../../src-main/export/exported-drive';
import { serveUsbredir, type UsbredirExport } from '../../src-main/export/usbredir';
import { ensureGuest, resultOf, runGuest, type GuestRun } from './guest/guest';
import { blankImage, qemuUsbStorage, waitForDisks, xhciWithRedirs } from './guest/devices';

const DISKS = { usbcdb: '$(usbdisk USBCDB sg)', qemu: '$(usbdisk QEMU sg)' } as const;
type Disk = keyof typeof DISKS;

/** Each query: the sg3_utils command without its device; `-H` prints the answer, the rest decodes it. */
const QUERIES = {
  readcap: 'sg_readcap -l',
  mode10: 'sg_modes',
  mode6: 'sg_modes -6',
  luns: 'sg_luns -d',
  opcodes: 'sg_opcodes',
  opcode: 'sg_opcodes -o 0x9e -s 0x10',
} as const;
type Query = keyof typeof QUERIES;

const SEPARATOR = '@@@@';
const command = (q: Query, d: Disk): string => {
  const [tool, ...args] = QUERIES[q].split(' ');
  return `${tool} -H ${args.join(' ')} ${DISKS[d]}; echo ${SEPARATOR}; ${QUERIES[q]} ${DISKS[d]}`;
};

let exporter: UsbredirExport | undefined;
let qemuDisk: string | undefined;
let run: GuestRun;

beforeAll(async () => {
  const guest = ensureGuest();
  const fw = findProfile('fw-updatable');
  if (!fw) throw new Error('no fw-updatable profile');
  exporter = await serveUsbredir({
    drive: new ExportedDrive(fw, new MemoryStore(fw.blockSize, fw.blocks)),
    log: () => undefined,
  });
  qemuDisk = blankImage();
  const commands = [
    waitForDisks(['USBCDB', 'QEMU']),
    ...(Object.keys(QUERIES) as Query[]).flatMap((q) =>
      (Object.keys(DISKS) as Disk[]).map((d) => command(q, d)),
    ),
  ];
  run = await runGuest(
    guest,
    commands,
    [...xhciWithRedirs([exporter.port]), ...qemuUsbStorage(qemuDisk, 'xhci.0')],
    { timeoutMs: 240_000 },
  );
}, 600_000);

afterAll(async () => {
  await exporter?.close();
  if (qemuDisk !== undefined) rmSync(dirname(qemuDisk), { recursive: true, force: true });
});

/** The answer's bytes (the `-H` dump: an offset, then up to 16 hex bytes) and sg3_utils' decoding. */
function answer(q: Query, d: Disk): { bytes: Uint8Array; text: string; rc: number } {
  const r = resultOf(run, command(q, d));
  const [dump = '', text = ''] = r.output.split(`${SEPARATOR}\n`);
  const bytes = dump
    .split('\n')
    .flatMap(
      (l) => /^ *[0-9a-f]+ {2,}((?:[0-9a-f]{2} +)*[0-9a-f]{2})/.exec(l)?.[1]?.split(/ +/) ?? [],
    )
    .map((h) => parseInt(h, 16));
  return { bytes: Uint8Array.from(bytes), text, rc: r.rc };
}

function parsed<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** `name=value` pairs sg3_utils prints, e.g. "prot_en=0, p_type=0" → { prot_en: '0', p_type: '0' }. */
function pairs(text: string): Record<string, string> {
  return Object.fromEntries(
    [...text.matchAll(/([A-Za-z_ ]*[A-Za-z_])=(0x[0-9a-f]+|\d+)/g)].map((m) => [
      (m[1] ?? '').trim(),
      String(Number(m[2])),
    ]),
  );
}

describe.each(Object.keys(DISKS) as Disk[])(
  'sg3_utils and usbcdb read the answers of %s alike',
  (disk) => {
    it('the guest ran every query', () => {
      expect(run.done, run.console.slice(-4000)).toBe(true);
    });

    it('READ CAPACITY(16): last LBA, block length, protection, provisioning, exponent, alignment', () => {
      const { bytes, text } = answer('readcap', disk);
      const c = parsed(parseReadCapacity16(bytes));
      const sg = pairs(text);
      expect({
        'Last LBA': String(c.lastLba),
        'Logical block length': String(c.blockLength),
        prot_en: String(Number(c.protEn)),
        p_type: String(c.pType),
        p_i_exponent: String(c.pIExponent),
        lbpme: String(Number(c.lbpme)),
        lbprz: String(Number(c.lbprz)),
        'Logical blocks per physical block exponent': String(c.logicalPerPhysicalExponent),
        'Lowest aligned LBA': String(c.lowestAlignedLba),
      }).toEqual({
        'Last LBA': sg['Last LBA'],
        'Logical block length': sg['Logical block length'],
        prot_en: sg['prot_en'],
        p_type: sg['p_type'],
        p_i_exponent: sg['p_i_exponent'],
        lbpme: sg['lbpme'],
        lbprz: sg['lbprz'],
        'Logical blocks per physical block exponent':
          sg['Logical blocks per physical block exponent'],
        'Lowest aligned LBA': sg['Lowest aligned LBA'],
      });
    });

    it.each(['mode10', 'mode6'] as const)('%s: the header and the pages in order', (q) => {
      const { bytes, text } = answer(q, disk);
      const m = parsed((q === 'mode10' ? parseModeSense10 : parseModeSense6)(bytes));
      const sg = pairs(/Mode data length=.*$/m.exec(text)?.[0] ?? '');
      // sg_modes gives MODE DATA LENGTH as the bytes of the whole list (the field plus itself).
      expect({
        'Mode data length': String(m.modeDataLength + (q === 'mode10' ? 2 : 1)),
        'medium type': String(m.mediumType),
        WP: String(Number(m.writeProtected)),
        DpoFua: String(Number(m.dpofua)),
        longlba: String(Number(m.longLba)),
        'Block descriptor length': String(m.blockDescriptorLength),
      }).toEqual({
        'Mode data length': sg['Mode data length'],
        'medium type': sg['medium type'],
        WP: sg['WP'],
        DpoFua: sg['DpoFua'],
        longlba: sg['longlba'],
        'Block descriptor length': pairs(text)['Block descriptor length'],
      });
      // Each page sg_modes shows (">> name") is followed by its bytes; the first holds its code.
      const sgPages = [...text.matchAll(/^>> .*\n +0+ +([0-9a-f]{2})/gm)].map(
        (x) => parseInt(x[1] ?? '', 16) & 0x3f,
      );
      expect(m.pages.map((p) => p.pageCode)).toEqual(sgPages);
      expect(sgPages.length).toBeGreaterThan(0);
    });

    it('REPORT LUNS: the LUNs and how they are addressed', () => {
      const { bytes, text } = answer('luns', disk);
      const l = parsed(parseReportLuns(bytes));
      const sgLuns = [
        ...text.matchAll(/^ +([0-9a-f]{16})\n +Peripheral device addressing: lun=(\d+)/gm),
      ];
      expect(l.luns.map((x) => [formatHex(x.raw).replaceAll(' ', ''), x.lun])).toEqual(
        sgLuns.map((x) => [x[1], Number(x[2])]),
      );
      expect(sgLuns.length).toBeGreaterThan(0);
    });
  },
);

describe('REPORT SUPPORTED OPERATION CODES of usbcdb’s drive (QEMU’s usb-storage has none)', () => {
  it('QEMU’s disk refuses it, so there is nothing to compare there', () => {
    expect(answer('opcodes', 'qemu').rc).not.toBe(0);
  });

  it('all commands: the same opcodes, service actions and CDB sizes in the same order', () => {
    const { bytes, text } = answer('opcodes', 'usbcdb');
    const all = parsed(parseAllCommands(bytes));
    const sg = [...text.matchAll(/^ ([0-9a-f]{2}) {2,}(?:([0-9a-f]+) +)?(\d+) +\d+,\d+ +\S/gm)].map(
      (x) => [
        parseInt(x[1] ?? '', 16),
        x[2] === undefined ? undefined : parseInt(x[2], 16),
        Number(x[3]),
      ],
    );
    expect(all.commands.map((c) => [c.opcode, c.serviceAction, c.cdbLength])).toEqual(sg);
    expect(sg.length).toBeGreaterThan(20);
  });

  it('one command: whether it is supported and its CDB usage data', () => {
    const { bytes, text } = answer('opcode', 'usbcdb');
    const one = parsed(parseOneCommand(bytes));
    expect(text).toMatch(/Command is supported \[conforming to SCSI standard\]/);
    expect(one.supportText).toBe('supported, conforming to a standard');
    expect(formatHex(one.usage)).toBe(/Usage data: ((?:[0-9a-f]{2} )+)/.exec(text)?.[1]?.trim());
  });
});
