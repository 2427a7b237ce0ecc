/**
 * The ATA bridge packs of issue 11 (jmicron-ata, prolific, sunplus): each parses, each command's
 * defaults build the CDB docs/bridges.md ("Vendor ATA bridges") writes out, the answers decode, the
 * read-back sequences plan, and the probe sends the same bytes. The golden vectors are copied from
 * docs/bridges.md by hand, never computed from the packs.
 */
import { describe, expect, it } from 'vitest';
import { VENDOR_FAMILIES } from '../../../shared/probe/families';
import { dataPhaseOf } from '../../../shared/scsi/catalog';
import { resolveByName, resolveCommand } from '../../../shared/scsi/catalog/resolve';
import { buildCdb } from '../../../shared/scsi/cdb/build';
import { formatHex, parseHex } from '../../../shared/scsi/hex';
import { parseVendorSet } from '../../../shared/vendor-sets/format';
import { decodeLayout, findRow, type DecodedRow } from '../../../shared/vendor-sets/layout';
import type { VendorSet } from '../../../shared/vendor-sets/model';
import { vendorSetText } from '../../../shared/vendor-sets/registry';
import { stepCdb, type StepResult } from '../../../shared/vendor-sets/sequence';
import { command, pack } from './pack-lookup';
import { identifyVector } from '../probe/identify-vector';

const PACKS = ['jmicron-ata', 'prolific', 'sunplus'] as const;

function defaultCdb(set: VendorSet, alias: string): string {
  const built = buildCdb(command(set, alias).spec, {});
  if (!built.ok) throw new Error(built.error.message);
  return formatHex(built.value);
}

function bytes(hex: string): Uint8Array {
  const b = parseHex(hex, 'test');
  if (!b.ok) throw new Error(b.error.message);
  return b.value;
}

const value = (rows: readonly DecodedRow[], key: string): string | undefined =>
  findRow(rows, key)?.value;

/**
 * [set, alias, CDB from docs/bridges.md, data-in bytes]. Field order in the comments is docs/bridges.md's.
 */
const GOLDEN: readonly (readonly [string, string, string, number])[] = [
  // JMicron DFh: 0 DFh; 1 10h read/no data; 2 0; 3–4 transfer length BE16; 5 FEATURES; 6 COUNT;
  // 7 LBA low; 8 LBA mid; 9 LBA high; 10 DEVICE | A0h (port 0); 11 COMMAND.
  ['jmicron-ata', 'jmicron-ata.identify', 'df 10 00 02 00 00 01 00 00 00 a0 ec', 512],
  ['jmicron-ata', 'jmicron-ata.smart-status', 'df 10 00 00 01 da 00 00 4f c2 a0 b0', 1],
  ['jmicron-ata', 'jmicron-ata.smart-read-data', 'df 10 00 02 00 d0 01 00 4f c2 a0 b0', 512],
  // Bridge register read: DF 10 00 LEN16 00 ADDR16 00 00 00 FD, one byte of register 720Fh.
  ['jmicron-ata', 'jmicron-ata.read-register', 'df 10 00 00 01 00 72 0f 00 00 00 fd', 1],
  // Prolific D8h: 0 D8h; 1 15h read/no data; 2 0; 3 FEATURES; 4–5 06h 7Bh; 6–9 transfer length
  // BE32; 10 COUNT; 11 LBA low; 12 LBA mid; 13 LBA high; 14 DEVICE | A0h; 15 COMMAND.
  ['prolific', 'prolific.identify', 'd8 15 00 00 06 7b 00 00 02 00 01 00 00 00 a0 ec', 512],
  ['prolific', 'prolific.smart-status', 'd8 15 00 da 06 7b 00 00 00 00 00 00 4f c2 a0 b0', 0],
  ['prolific', 'prolific.smart-read-data', 'd8 15 00 d0 06 7b 00 00 02 00 01 00 4f c2 a0 b0', 512],
  // D7h register read-back: D7 00 00 00 06 7B + zeros, 16 bytes in.
  ['prolific', 'prolific.read-registers', 'd7 00 00 00 06 7b 00 00 00 00 00 00 00 00 00 00', 16],
  // Sunplus F8h: 0 F8h; 1 0; 2 sub-command 22h; 3 PROTO (00h none, 10h in); 4 LEN/512;
  // 5 FEATURES; 6 COUNT; 7 LBA low; 8 LBA mid; 9 LBA high; 10 DEVICE | A0h; 11 COMMAND.
  ['sunplus', 'sunplus.identify', 'f8 00 22 10 01 00 01 00 00 00 a0 ec', 512],
  ['sunplus', 'sunplus.smart-status', 'f8 00 22 00 00 da 00 00 4f c2 a0 b0', 0],
  ['sunplus', 'sunplus.smart-read-data', 'f8 00 22 10 01 d0 01 00 4f c2 a0 b0', 512],
  // Sub-command 21h: read 8 bytes of registers; 23h: load the 48-bit previous registers.
  ['sunplus', 'sunplus.read-registers', 'f8 00 21 00 00 00 00 00 00 00 00 00', 8],
  ['sunplus', 'sunplus.load-previous-registers', 'f8 00 23 00 00 00 00 00 00 00 00 00', 0],
];

describe('ATA bridge packs', () => {
  it.each(PACKS)('%s is a built-in set whose file text parses back to the same set', (name) => {
    const set = pack(name);
    const again = parseVendorSet(vendorSetText(set), `${name}.json`);
    expect(again.ok && again.value).toEqual(set);
  });

  it.each(GOLDEN)('%s %s builds %s from its defaults', (setName, alias, hex) => {
    expect(defaultCdb(pack(setName), alias)).toBe(hex);
  });

  it.each(GOLDEN)('%s %s asks for %s… with %d bytes of data-in', (setName, alias, hex, length) => {
    const spec = command(pack(setName), alias).spec;
    const phase = dataPhaseOf(bytes(hex), spec.fields, spec.length);
    const unit = phase.rule?.unit === 'blocks512' ? 512 : 1;
    expect(phase.direction).toBe(length === 0 ? 'none' : 'in');
    expect((phase.units ?? 0) * unit).toBe(length);
  });

  it.each(GOLDEN)('%s resolves the CDB of %s back to that command', (setName, alias, hex) => {
    const r = resolveCommand(bytes(hex), [pack(setName)]);
    expect(r?.source === 'vendor' && r.spec.aliases).toEqual([alias]);
  });

  it('declares every command read-only except Sunplus 23h, which only loads bridge registers', () => {
    for (const name of PACKS)
      for (const c of pack(name).commands)
        expect(c.spec.effect, c.spec.aliases[0]).toBe(
          c.spec.aliases[0] === 'sunplus.load-previous-registers' ? 'changes-state' : 'reads',
        );
  });

  it('refuses a write through a read-only pass-through command (DIRECTION is bounded)', () => {
    const spec = command(pack('jmicron-ata'), 'jmicron-ata.identify').spec;
    expect(spec.fields.find((f) => f.key === 'direction')).toMatchObject({ min: 0x10, max: 0x10 });
  });

  it('refuses a command moved to 24h, a standard opcode, without saying why the bridge reuses it', () => {
    const file = JSON.parse(vendorSetText(pack('jmicron-ata'))) as {
      commands: { opcode: string }[];
    };
    (file.commands[0] as { opcode: string }).opcode = '24h';
    const r = parseVendorSet(JSON.stringify(file), 'cypress.json');
    expect(!r.ok && r.error.message).toMatch(/24h is a standard opcode .*"standardRangeOpcode"/);
  });
});

describe('response layouts', () => {
  it.each(['jmicron-ata.identify', 'prolific.identify', 'sunplus.identify'])(
    '%s decodes IDENTIFY DEVICE strings (byte-swapped) and sector counts',
    (alias) => {
      const set = pack(alias.split('.')[0] as string);
      const rows = decodeLayout(
        command(set, alias).response ?? [],
        identifyVector('WDC WD10EZEX-00BN5A0', 'WD-WCC3F1234567', '01.01A01'),
      );
      expect(value(rows, 'model')).toBe('WDC WD10EZEX-00BN5A0');
      expect(value(rows, 'serial')).toBe('WD-WCC3F1234567');
      expect(value(rows, 'firmware')).toBe('01.01A01');
      expect(findRow(rows, 'sectors28')?.raw).toBe(0x00100000);
      expect(value(rows, 'supported82.smart')).toBe('yes');
      expect(value(rows, 'enabled85.smart')).toBe('yes');
      expect(value(rows, 'integritySignature')).toMatch(/checksum valid/);
    },
  );

  it('decodes JMicron SMART RETURN STATUS: C2h good, 2Ch threshold exceeded', () => {
    const layout = command(pack('jmicron-ata'), 'jmicron-ata.smart-status').response ?? [];
    expect(value(decodeLayout(layout, bytes('c2')), 'lbaHigh')).toBe('good (194)');
    expect(value(decodeLayout(layout, bytes('2c')), 'lbaHigh')).toBe('threshold exceeded (44)');
  });

  it('decodes JMicron register 720Fh: bit 2 a disk on port 0, bit 6 on port 1', () => {
    const layout = command(pack('jmicron-ata'), 'jmicron-ata.read-register').response ?? [];
    const only0 = decodeLayout(layout, bytes('04'));
    expect([value(only0, 'port0Disk'), value(only0, 'port1Disk')]).toEqual(['yes', 'no']);
    const both = decodeLayout(layout, bytes('44'));
    expect([value(both, 'port0Disk'), value(both, 'port1Disk')]).toEqual(['yes', 'yes']);
  });

  it('decodes SMART READ DATA: attribute records, self-test status, checksum', () => {
    const data = new Uint8Array(512);
    data[0] = 0x10; // revision 0010h, little-endian
    // Attribute 0 at byte 2: ID 05h, flags 0033h LE, current 100, worst 99, raw 7 (LE48).
    data.set([0x05, 0x33, 0x00, 100, 99, 0x07, 0, 0, 0, 0, 0], 2);
    data[363] = 0x00; // self-test execution status: completed without error
    data[372] = 2; // short self-test polling minutes
    data[511] = 0x5a;
    const rows = decodeLayout(
      command(pack('prolific'), 'prolific.smart-read-data').response ?? [],
      data,
    );
    expect(findRow(rows, 'revision')?.raw).toBe(0x10);
    expect(findRow(rows, 'attributes.0.id')?.raw).toBe(5);
    expect(findRow(rows, 'attributes.0.flags')?.raw).toBe(0x33);
    expect(findRow(rows, 'attributes.0.current')?.raw).toBe(100);
    expect(findRow(rows, 'attributes.0.worst')?.raw).toBe(99);
    expect(findRow(rows, 'attributes.0.rawLow')?.raw).toBe(7);
    expect(findRow(rows, 'attributes.0.rawHigh')?.raw).toBe(0);
    expect(findRow(rows, 'shortPollingMinutes')?.raw).toBe(2);
    expect(findRow(rows, 'checksum')?.raw).toBe(0x5a);
  });

  it('spans the SMART attribute table to byte 361: 30 records of 12 bytes, reserved byte 11 included', () => {
    // ACS-4 SMART READ DATA: the table is bytes 2–361; off-line collection status is byte 362.
    const response = command(pack('prolific'), 'prolific.smart-read-data').response ?? [];
    const rows = decodeLayout(response, new Uint8Array(512));
    expect(findRow(rows, 'attributes')).toMatchObject({ offset: 2, length: 360 });
    expect(findRow(rows, 'attributes.29')).toMatchObject({ offset: 350, length: 12 });
  });

  it('decodes Prolific D7h registers: STATUS 0, ERROR 1, COUNT 2, LBA low 4, mid 6, high 8, DEVICE 10', () => {
    const rows = decodeLayout(
      command(pack('prolific'), 'prolific.read-registers').response ?? [],
      bytes('50 04 01 00 11 00 4f 00 c2 00 a0 00 00 00 00 00'),
    );
    const raw = (k: string): unknown => findRow(rows, k)?.raw;
    expect(['status', 'error', 'count', 'lbaLow', 'lbaMid', 'lbaHigh', 'device'].map(raw)).toEqual([
      0x50, 0x04, 0x01, 0x11, 0x4f, 0xc2, 0xa0,
    ]);
  });

  it('decodes Sunplus 21h registers: ERROR 1, COUNT 2, LBA 3–5, DEVICE 6, STATUS 7', () => {
    const rows = decodeLayout(
      command(pack('sunplus'), 'sunplus.read-registers').response ?? [],
      bytes('00 04 01 11 f4 2c a0 51'),
    );
    const raw = (k: string): unknown => findRow(rows, k)?.raw;
    expect(['error', 'count', 'lbaLow', 'lbaMid', 'lbaHigh', 'device', 'status'].map(raw)).toEqual([
      0x04, 0x01, 0x11, 0xf4, 0x2c, 0xa0, 0x51,
    ]);
  });
});

describe('sequences', () => {
  const done = (dataIn: Uint8Array): StepResult => ({ dataIn, decoded: [] });

  /** [set, sequence, the non-data command's CDB, the register read-back's CDB and length] (docs/bridges.md). */
  const registerReads = [
    [
      'prolific',
      'prolific.smart-return-status',
      'd8 15 00 da 06 7b 00 00 00 00 00 00 4f c2 a0 b0',
      'd7 00 00 00 06 7b 00 00 00 00 00 00 00 00 00 00',
      16,
    ],
    [
      'sunplus',
      'sunplus.smart-return-status',
      'f8 00 22 00 00 da 00 00 4f c2 a0 b0',
      'f8 00 21 00 00 00 00 00 00 00 00 00',
      8,
    ],
  ] as const;
  for (const [name, alias, command, readBack, length] of registerReads)
    it(`plans ${alias} as the non-data command, then the ${length}-byte register read-back`, () => {
      const set = pack(name);
      const seq = set.sequences.find((s) => s.alias === alias);
      if (!seq) throw new Error(`no sequence ${alias}`);
      const first = stepCdb(set, seq, 0, []);
      expect(first.ok && [formatHex(first.value.cdb), first.value.direction]).toEqual([
        command,
        'none',
      ]);
      const second = stepCdb(set, seq, 1, [done(new Uint8Array(0))]);
      expect(
        second.ok && [
          formatHex(second.value.cdb),
          second.value.direction,
          second.value.transferLength,
        ],
      ).toEqual([readBack, 'in', length]);
    });

  it('plans Prolific IDENTIFY with read-back: 512 bytes in, then D7h', () => {
    const set = pack('prolific');
    const seq = set.sequences.find((s) => s.alias === 'prolific.identify-and-registers');
    if (!seq) throw new Error('no sequence');
    const first = stepCdb(set, seq, 0, []);
    expect(first.ok && first.value.transferLength).toBe(512);
    const second = stepCdb(set, seq, 1, [done(new Uint8Array(512))]);
    expect(second.ok && second.value.spec.opcode).toBe(0xd7);
  });
});

describe('the probe builds its vendor-family CDBs from the packs', () => {
  const cdbOf = (id: string): string => {
    const f = VENDOR_FAMILIES.find((x) => x.id === id);
    return f ? formatHex(Uint8Array.from(f.cdb)) : '';
  };

  it.each([
    ['jmicron-ata', 'jmicron-ata.identify', 'df 10 00 02 00 00 01 00 00 00 a0 ec'],
    ['prolific-ata', 'prolific.identify', 'd8 15 00 00 06 7b 00 00 02 00 01 00 00 00 a0 ec'],
    ['sunplus-ata', 'sunplus.identify', 'f8 00 22 10 01 00 01 00 00 00 a0 ec'],
    // NVMe Identify Controller: ASMedia 1 admin opcode 06h, 3 CNS 01h; Realtek 1–2 length LE
    // 4096 (00h 10h), 3 admin opcode 06h, 4 CNS 01h.
    [
      'asmedia-nvme',
      'asmedia.identify-controller',
      'e6 06 00 01 00 00 00 00 00 00 00 00 00 00 00 00',
    ],
    [
      'realtek-nvme',
      'realtek.identify-controller',
      'e4 00 10 06 01 00 00 00 00 00 00 00 00 00 00 00',
    ],
  ])('family %s sends %s’s CDB: %s', (id, alias, hex) => {
    expect(cdbOf(id)).toBe(hex);
    const set = pack(alias.split('.')[0] as string);
    expect(resolveByName(alias, [set])?.spec.aliases).toEqual([alias]);
  });

  it('keeps the data-in lengths: 512 for ATA IDENTIFY, 4096 for NVMe Identify', () => {
    expect(Object.fromEntries(VENDOR_FAMILIES.map((f) => [f.id, f.transferLength]))).toEqual({
      'jmicron-ata': 512,
      'asmedia-nvme': 4096,
      'realtek-nvme': 4096,
      'cypress-atacb': 512,
      'prolific-ata': 512,
      'sunplus-ata': 512,
    });
  });
});
