/**
 * The two packs on standard opcodes: cypress (ATACB, 24h) and jmicron-nvme (A1h, three phases).
 * Golden CDBs are the bytes smartctl sends (-d usbcypress, -d sntjmicron; smartmontools'
 * lib/scsiata.cpp and lib/scsinvme.cpp read as a fact source), written out by hand here, never
 * computed from the packs. The JMicron sequences also run against emu:jmicron-nvme and decode to
 * the values of the profile that defines the drive.
 */
import { describe, expect, it } from 'vitest';
import { VENDOR_FAMILIES } from '../../../shared/probe/families';
import { putLe32 } from '../../../shared/scsi/bytes';
import { buildCdb } from '../../../shared/scsi/cdb/build';
import { dataPhaseOf } from '../../../shared/scsi/catalog';
import { formatHex, parseHex } from '../../../shared/scsi/hex';
import { parseVendorSet } from '../../../shared/vendor-sets/format';
import { decodeLayout, findRow, type DecodedRow } from '../../../shared/vendor-sets/layout';
import type { VendorSet } from '../../../shared/vendor-sets/model';
import { vendorSetText } from '../../../shared/vendor-sets/registry';
import { stepCdb, type StepResult } from '../../../shared/vendor-sets/sequence';
import { command, pack } from './pack-lookup';
import { runSequence } from '../../../src-main/engine/sequence';
import { BUILT_IN_PROFILES } from '../../../src-main/emulator/profiles';
import { openReady } from '../../engine/helpers';

function bytes(hex: string): Uint8Array {
  const b = parseHex(hex, 'test');
  if (!b.ok) throw new Error(b.error.message);
  return b.value;
}

/** The CDB the command's defaults build and the bytes of its data phase. */
function defaults(set: VendorSet, alias: string): [string, string, number] {
  const spec = command(set, alias).spec;
  const built = buildCdb(spec, {});
  if (!built.ok) throw new Error(built.error.message);
  const phase = dataPhaseOf(built.value, spec.fields, spec.length);
  return [formatHex(built.value), phase.direction, phase.units ?? 0];
}

const raw = (rows: readonly DecodedRow[], key: string): unknown => {
  const r = findRow(rows, key)?.raw;
  return typeof r === 'bigint' ? Number(r) : r;
};

const cypress = pack('cypress');
const jmicron = pack('jmicron-nvme');

describe('cypress (ATACB, 24h)', () => {
  it('is a built-in set whose file text parses back to the same set', () => {
    const again = parseVendorSet(vendorSetText(cypress), 'cypress.json');
    expect(again.ok && again.value).toEqual(cypress);
  });

  // smartctl -d usbcypress: 0 signature 24h; 1 24h ATACB; 2 80h for IDENTIFY, else 0; 3 BEh;
  // 4 1 (TransferBlockCount); 6 FEATURES; 7 COUNT; 8 LBA low; 9 mid; 10 high; 12 COMMAND.
  it.each([
    ['cypress.identify', '24 24 80 be 01 00 00 01 00 00 00 00 ec 00 00 00', 'in', 512],
    ['cypress.smart-read-data', '24 24 00 be 01 00 d0 01 00 4f c2 00 b0 00 00 00', 'in', 512],
    ['cypress.smart-status', '24 24 00 be 01 00 da 00 00 4f c2 00 b0 00 00 00', 'none', 0],
  ] as const)('%s builds smartctl’s CDB %s', (alias, hex, direction, length) => {
    expect(defaults(cypress, alias)).toEqual([hex, direction, length]);
  });

  it('plans SMART RETURN STATUS as smartctl does: non-data, then the same CDB with byte 2 = 01h, 8 bytes in', () => {
    const seq = cypress.sequences.find((s) => s.alias === 'cypress.smart-return-status');
    if (!seq) throw new Error('no sequence');
    const first = stepCdb(cypress, seq, 0, []);
    if (!first.ok) throw new Error(first.error.message);
    expect([formatHex(first.value.cdb), first.value.direction]).toEqual([
      '24 24 00 be 01 00 da 00 00 4f c2 00 b0 00 00 00',
      'none',
    ]);
    const second = stepCdb(cypress, seq, 1, [{ dataIn: new Uint8Array(), decoded: [] }]);
    if (!second.ok) throw new Error(second.error.message);
    expect([
      formatHex(second.value.cdb),
      second.value.direction,
      second.value.transferLength,
    ]).toEqual(['24 24 01 be 01 00 da 00 00 4f c2 00 b0 00 00 00', 'in', 8]);
  });

  it('decodes the 8 register bytes: COUNT 2, LBA 3–5, DEVICE 6, STATUS 7', () => {
    const layout = command(cypress, 'cypress.read-registers').response ?? [];
    const good = decodeLayout(layout, bytes('00 00 00 00 4f c2 a0 50'));
    expect(findRow(good, 'lbaMid')?.value).toBe('SMART good (79)');
    expect(findRow(good, 'lbaHigh')?.value).toBe('SMART good (194)');
    expect(raw(good, 'status')).toBe(0x50);
    const failing = decodeLayout(layout, bytes('00 04 ff 01 f4 2c e0 51'));
    expect(findRow(failing, 'lbaMid')?.value).toBe('SMART threshold exceeded (244)');
    expect([raw(failing, 'error'), raw(failing, 'count'), raw(failing, 'device')]).toEqual([
      4, 0xff, 0xe0,
    ]);
  });

  it('lets the probe send smartctl’s IDENTIFY CDB, built from the pack', () => {
    const family = VENDOR_FAMILIES.find((f) => f.id === 'cypress-atacb');
    expect(family && [formatHex(Uint8Array.from(family.cdb)), family.transferLength]).toEqual([
      '24 24 80 be 01 00 00 01 00 00 00 00 ec 00 00 00',
      512,
    ]);
  });
});

/** Phase 1's block as smartctl writes it: dw0 "NVME", dw2 opcode, dw3 NSID, dw12 CDW10. */
function commandBlock(opcode: number, nsid: number, cdw10: number): Uint8Array {
  const b = new Uint8Array(512);
  putLe32(b, 0, 0x454d564e);
  putLe32(b, 8, opcode);
  putLe32(b, 12, nsid);
  putLe32(b, 48, cdw10);
  return b;
}

describe('jmicron-nvme (A1h, three phases)', () => {
  it('is a built-in set whose file text parses back to the same set', () => {
    const again = parseVendorSet(vendorSetText(jmicron), 'jmicron-nvme.json');
    expect(again.ok && again.value).toEqual(jmicron);
  });

  // smartctl -d sntjmicron: 0 A1h; 1 80h | PROTOCOL; 3–5 parameter length BE24; the rest 0.
  it.each([
    ['jmicron-nvme.command-block', 'a1 80 00 00 02 00 00 00 00 00 00 00', 'out', 512],
    ['jmicron-nvme.run-no-data', 'a1 81 00 00 00 00 00 00 00 00 00 00', 'none', 0],
    ['jmicron-nvme.run-data-in', 'a1 82 00 00 10 00 00 00 00 00 00 00', 'in', 4096],
    ['jmicron-nvme.completion', 'a1 8f 00 00 02 00 00 00 00 00 00 00', 'in', 512],
  ] as const)('%s builds smartctl’s CDB %s', (alias, hex, direction, length) => {
    expect(defaults(jmicron, alias)).toEqual([hex, direction, length]);
  });

  it.each([
    // [sequence, admin opcode, NSID, CDW10, phase 2 CDB]
    ['jmicron-nvme.identify-controller', 0x06, 0, 0x01, 'a1 82 00 00 10 00 00 00 00 00 00 00'],
    ['jmicron-nvme.identify-namespace', 0x06, 1, 0x00, 'a1 82 00 00 10 00 00 00 00 00 00 00'],
    // Get Log Page: CDW10 = log id | (dwords − 1) << 16.
    ['jmicron-nvme.smart-log', 0x02, 0xffffffff, 0x007f0002, 'a1 82 00 00 02 00 00 00 00 00 00 00'],
    ['jmicron-nvme.error-log', 0x02, 0xffffffff, 0x00ff0001, 'a1 82 00 00 04 00 00 00 00 00 00 00'],
  ] as const)('%s plans smartctl’s three CDBs and command block', (alias, op, nsid, cdw10, two) => {
    const seq = jmicron.sequences.find((s) => s.alias === alias);
    if (!seq) throw new Error(`no ${alias}`);
    const previous: StepResult[] = [];
    const planned = [0, 1, 2].map((i) => {
      const p = stepCdb(jmicron, seq, i, previous);
      if (!p.ok) throw new Error(p.error.message);
      previous.push({ dataIn: new Uint8Array(), decoded: [] });
      return p.value;
    });
    expect(planned.map((p) => formatHex(p.cdb))).toEqual([
      'a1 80 00 00 02 00 00 00 00 00 00 00',
      two,
      'a1 8f 00 00 02 00 00 00 00 00 00 00',
    ]);
    expect(Array.from(planned[0]?.dataOut ?? [])).toEqual(
      Array.from(commandBlock(op, nsid, cdw10)),
    );
  });

  it('decodes a completion block: signature, DW0, status = dw5 >> 17', () => {
    const layout = command(jmicron, 'jmicron-nvme.completion').response ?? [];
    const block = new Uint8Array(512);
    putLe32(block, 0, 0x454d564e);
    putLe32(block, 8, 0x12345678);
    // Invalid Field in Command (02h), DNR, phase tag: status 4002h << 17 | 1 << 16.
    putLe32(block, 20, ((0x4002 << 17) | 0x10000) >>> 0);
    const rows = decodeLayout(layout, block);
    expect(findRow(rows, 'signature')?.value).toBe('NVME (1162696270)');
    expect(raw(rows, 'completionDw0')).toBe(0x12345678);
    expect(raw(rows, 'status')).toBe((0x4002 << 1) | 1);
    expect([raw(rows, 'doNotRetry'), raw(rows, 'more'), raw(rows, 'phaseTag')]).toEqual([
      true,
      false,
      true,
    ]);
    expect(raw(rows, 'statusCodeType')).toBe(0);
  });
});

describe('the jmicron-nvme sequences on emu:jmicron-nvme', () => {
  const profile = BUILT_IN_PROFILES.find((p) => p.name === 'jmicron-nvme');
  const nvme = profile?.nvme;
  if (!profile || !nvme) throw new Error('no jmicron-nvme profile');

  async function run(alias: string): Promise<readonly (readonly DecodedRow[])[]> {
    const seq = jmicron.sequences.find((s) => s.alias === alias);
    if (!seq) throw new Error(`no ${alias}`);
    const t = await openReady('jmicron-nvme');
    try {
      const r = await runSequence(t, jmicron, seq, 0, 5000);
      expect(r.completed).toBe(true);
      const completion = r.steps[2]?.rows ?? [];
      expect(findRow(completion, 'signature')?.value).toBe('NVME (1162696270)');
      expect(findRow(completion, 'status')?.value).toBe('success (phase tag set) (1)');
      return r.steps.map((s) => s.rows);
    } finally {
      await t.close();
    }
  }

  it('Identify Controller decodes to the profile’s model, serial, firmware and PCI vendor', async () => {
    const rows = (await run('jmicron-nvme.identify-controller'))[1] ?? [];
    expect(raw(rows, 'model')).toBe(nvme.model);
    expect(raw(rows, 'serial')).toBe(nvme.serial);
    expect(raw(rows, 'firmware')).toBe(nvme.firmware);
    expect(raw(rows, 'pciVendorId')).toBe(nvme.pciVendorId);
    expect(raw(rows, 'version')).toBe(nvme.version);
  });

  it('Identify Namespace decodes to the drive’s size in blocks and block size', async () => {
    const rows = (await run('jmicron-nvme.identify-namespace'))[1] ?? [];
    expect(raw(rows, 'nsze')).toBe(profile.blocks);
    expect(2 ** Number(raw(rows, 'lbaFormats.0.lbads'))).toBe(profile.blockSize);
  });

  it('the SMART / Health log decodes to the profile’s values', async () => {
    const rows = (await run('jmicron-nvme.smart-log'))[1] ?? [];
    const s = nvme.smart;
    expect(raw(rows, 'compositeTemperature')).toBe(s.temperatureKelvin);
    expect(raw(rows, 'availableSpare')).toBe(s.availableSpare);
    expect(raw(rows, 'percentageUsed')).toBe(s.percentageUsed);
    expect(raw(rows, 'powerOnHours')).toBe(s.powerOnHours);
    expect(raw(rows, 'powerCycles')).toBe(s.powerCycles);
    expect(raw(rows, 'unsafeShutdowns')).toBe(s.unsafeShutdowns);
  });

  it('the Error Information log decodes 16 entries, empty on this drive', async () => {
    const rows = (await run('jmicron-nvme.error-log'))[1] ?? [];
    expect(findRow(rows, 'entries')?.value).toBe('16 of 64 records (the data ends)');
    expect(raw(rows, 'entries.15.errorCount')).toBe(0);
  });
});
