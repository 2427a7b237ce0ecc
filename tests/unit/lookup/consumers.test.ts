/**
 * Every consumer of the lookup understands a vendor opcode from a user's set
 * file that usbcdb has never seen (tests/fixtures/vendor-sets/acme.json):
 * lint, the CDB decoder, the doctor, sense explanations, the exports, the
 * confirmation policy and the response decoder.
 */
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../shared/doctor/doctor';
import { driverKitSnippet, jsonPreset } from '../../../shared/export/formats';
import { lintCdb } from '../../../shared/lint/lint';
import { decodeCdb, formatDecodedCdb } from '../../../shared/scsi/cdb/decode';
import { confirmationNeeded } from '../../../shared/scsi/confirm-policy';
import { decodeResponse, responseParserFor } from '../../../shared/scsi/parsers/for-command';
import { decodeSense, explainSense } from '../../../shared/scsi/sense';
import { eraseCdb, loadAcme, STATUS_DATA, statusCdb } from './acme';

const acme = loadAcme();
const sets = [acme];

/** Fixed-format sense, ILLEGAL REQUEST 24h/00h, field pointer at CDB byte 8 (SPC-5, sense key specific). */
const FIELD_POINTER_SENSE = Uint8Array.from([
  0x70, 0, 0x05, 0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0x24, 0x00, 0, 0xc0, 0x00, 0x08,
]);

describe('lint', () => {
  it("checks a vendor command's length field against the host buffer", () => {
    const ids = (vendorSets?: typeof sets): string[] =>
      lintCdb({
        cdb: statusCdb(8),
        dataIn: 512,
        ...(vendorSets ? { vendorSets } : {}),
      }).findings.map((f) => f.id);
    expect(ids(sets)).toContain('length-vs-buffer');
    // Without the set the opcode's fields are unknown: nothing to compare.
    expect(ids()).not.toContain('length-vs-buffer');
  });

  it('says which set declares the opcode, as info rather than a warning', () => {
    const declared = lintCdb({ cdb: statusCdb(), vendorSets: sets }).findings.find(
      (f) => f.id === 'vendor-opcode',
    );
    expect(declared).toMatchObject({ severity: 'info' });
    expect(declared?.message).toMatch(/ACME READ STATUS, declared by vendor set acme/);
    const unknown = lintCdb({ cdb: statusCdb() }).findings.find((f) => f.id === 'vendor-opcode');
    expect(unknown?.severity).toBe('warning');
  });

  it('pads a short vendor CDB to the length its set declares', () => {
    const f = lintCdb({ cdb: statusCdb().subarray(0, 6), vendorSets: sets }).findings.find(
      (x) => x.id === 'cdb-length',
    );
    expect(f?.message).toMatch(/ACME READ STATUS is a 10-byte CDB but only 6 bytes/);
    expect(f?.fix?.cdb).toHaveLength(10);
  });

  it("flags a vendor command's reserved bits and declared destruction", () => {
    const cdb = eraseCdb();
    cdb[3] = 0x01;
    const ids = lintCdb({ cdb, vendorSets: sets }).findings.map((f) => f.id);
    expect(ids).toEqual(expect.arrayContaining(['reserved-bits', 'destructive']));
    expect(lintCdb({ cdb }).findings.map((f) => f.id)).not.toContain('destructive');
  });
});

describe('CDB decoder', () => {
  it('decodes a vendor CDB field by field with its data phase', () => {
    const d = decodeCdb(statusCdb(8), { vendorSets: sets });
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.value.spec?.name).toBe('ACME READ STATUS');
    expect(d.value.fields.find((f) => f.field.key === 'allocationLength')?.value).toBe(8n);
    expect(d.value.dataPhase).toMatchObject({ direction: 'in', units: 8 });
    expect(formatDecodedCdb(d.value)).toMatch(
      /ACME READ STATUS \(vendor set acme, Acme Storage\), 10 bytes/,
    );
    const unknown = decodeCdb(statusCdb());
    expect(unknown.ok && unknown.value.spec).toBeUndefined();
  });
});

describe('doctor and sense explanations', () => {
  it('names the vendor command in the outcome', () => {
    const r = diagnose({
      cdb: statusCdb(),
      status: 2,
      sense: FIELD_POINTER_SENSE,
      vendorSets: sets,
    });
    expect(r.outcome[0]).toMatch(/ACME READ STATUS \(vendor set acme, Acme Storage\)/);
    expect(diagnose({ cdb: statusCdb() }).outcome[0]).toMatch(/not in the catalog/);
  });

  it('names the field a sense field pointer points at in a vendor CDB', () => {
    const s = decodeSense(FIELD_POINTER_SENSE);
    if (!s.ok) throw new Error(s.error.message);
    expect(explainSense(s.value, { cdb: statusCdb(), vendorSets: sets }).pointer).toMatchObject({
      byte: 8,
      fieldName: 'ALLOCATION LENGTH',
    });
    expect(explainSense(s.value, { cdb: statusCdb() }).pointer?.fieldName).toBeUndefined();
  });
});

describe('exports', () => {
  const crafted = { cdb: eraseCdb(), direction: 'none' as const, transferLength: 0, lun: 0 };
  it('name a vendor command after its declaration', () => {
    expect(driverKitSnippet(crafted, sets).split('\n')[0]).toMatch(
      /^\/\/ ACME QUICK ERASE: d0 00 01/,
    );
    expect(JSON.parse(jsonPreset(crafted, sets)).presets[0].name).toBe('ACME QUICK ERASE');
    expect(JSON.parse(jsonPreset(crafted)).presets[0].name).toBe('opcode 0xd0');
  });
});

describe('confirmation policy', () => {
  it("gates a user's vendor command by its declared effect", () => {
    expect(confirmationNeeded(eraseCdb(), { dataOutLength: 0, vendorSets: sets })).toEqual({
      needed: true,
      reason:
        'ACME QUICK ERASE can overwrite or erase user data on the medium (opcode D0h of vendor set acme).',
    });
    expect(confirmationNeeded(statusCdb(), { dataOutLength: 0, vendorSets: sets })).toEqual({
      needed: false,
    });
    // A read sent with data-out it does not declare is not the command the set describes.
    expect(confirmationNeeded(statusCdb(), { dataOutLength: 64, vendorSets: sets })).toMatchObject({
      needed: true,
      reason: expect.stringMatching(/^ACME READ STATUS declares no data-out/),
    });
    expect(confirmationNeeded(eraseCdb(), { dataOutLength: 0 }).needed).toBe(false);
  });
});

describe('response decoder', () => {
  it("reads a vendor answer by the set's response layout, with byte ranges", () => {
    const d = decodeResponse(statusCdb(), STATUS_DATA, sets);
    expect(d?.title).toBe('ACME READ STATUS');
    expect(d?.rows.ok && d.rows.value.map((r) => [r.label, r.value, r.bytes])).toEqual([
      ['TEMPERATURE', '42 (0x002a)', [0, 1]],
      ['LOCKED', 'yes', [2, 2]],
      ['SERIAL', 'AC01', [4, 7]],
    ]);
    expect(d?.tree?.map((r) => r.key)).toEqual(['temperature', 'locked', 'serial']);
  });

  it('leaves out fields a short answer does not reach', () => {
    const d = decodeResponse(statusCdb(3), STATUS_DATA.subarray(0, 3), sets);
    expect(d?.rows.ok && d.rows.value.map((r) => r.label)).toEqual(['TEMPERATURE', 'LOCKED']);
  });

  it('picks the standard parser by command and CDB fields', () => {
    const cap = decodeResponse(
      Uint8Array.from([0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
      Uint8Array.from([0, 0, 0x0f, 0xff, 0, 0, 0x10, 0]),
    );
    expect(cap?.title).toBe('READ CAPACITY(10)');
    expect(cap?.rows.ok && cap.rows.value.find((r) => r.label === 'Block length')?.value).toBe(
      '4096 bytes',
    );
    // INQUIRY with EVPD=1 reads a VPD page: page 80h is the unit serial number.
    const vpd = decodeResponse(
      Uint8Array.from([0x12, 0x01, 0x80, 0, 0xfc, 0]),
      Uint8Array.from([0, 0x80, 0, 4, 0x53, 0x4e, 0x30, 0x31]),
    );
    expect(vpd?.rows.ok && vpd.rows.value.some((r) => r.value.includes('SN01'))).toBe(true);
    expect(vpd?.notes).toEqual([]);
  });

  it('notes a VPD page other than the one the CDB asked for, and reads the one returned', () => {
    const d = decodeResponse(
      Uint8Array.from([0x12, 0x01, 0x80, 0, 0xfc, 0]),
      Uint8Array.from([0, 0xb0, 0, 0]),
    );
    expect(d?.notes).toEqual([
      'The device returned VPD page B0h (Block Limits), but the CDB asked for page 80h (Unit Serial Number): the rows read the page it returned.',
    ]);
    // Byte 1 of 80h may be standard data's RMB from a device that ignored EVPD: the note says so.
    const rmb = decodeResponse(
      Uint8Array.from([0x12, 0x01, 0x83, 0, 0xfc, 0]),
      Uint8Array.from([0, 0x80, 0, 0]),
    );
    expect(rmb?.notes[0]).toMatch(
      /^The device returned VPD page 80h \(Unit Serial Number\) \(or, if it ignored EVPD, standard INQUIRY data\), but the CDB asked for page 83h/,
    );
    // Standard INQUIRY data has no page code to echo: byte 1 is RMB.
    const std = decodeResponse(
      Uint8Array.from([0x12, 0, 0, 0, 0x24, 0]),
      new Uint8Array(36).fill(0x80, 1, 2),
    );
    expect(std?.notes).toEqual([]);
  });

  it('has nothing for unknown commands, commands without a parser, or no data', () => {
    expect(responseParserFor(statusCdb())).toBeUndefined();
    expect(responseParserFor(eraseCdb(), sets)).toBeUndefined();
    expect(responseParserFor(Uint8Array.from([0, 0, 0, 0, 0, 0]))).toBeUndefined();
    expect(decodeResponse(statusCdb(), new Uint8Array(), sets)).toBeUndefined();
  });
});
