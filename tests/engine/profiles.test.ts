import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSense } from '../../shared/scsi/sense';
import { BUILT_IN_PROFILES, validateProfile } from '../../src-main/emulator/profiles';
import { emu, send, senseCodes as codes } from './helpers';

describe('profile files', () => {
  it('ships at least four valid, uniquely named profiles', () => {
    expect(BUILT_IN_PROFILES.length).toBeGreaterThanOrEqual(4);
    expect(new Set(BUILT_IN_PROFILES.map((p) => p.name)).size).toBe(BUILT_IN_PROFILES.length);
  });

  it('names every wrong field', () => {
    const bad = validateProfile(
      {
        name: 'Bad Name',
        description: '',
        usb: {
          vendorId: 70000,
          productId: 1,
          manufacturer: 'm',
          product: 'p',
          serial: '000000000000',
        },
        inquiry: {
          vendor: 'TOO LONG VENDOR',
          product: 'p',
          revision: 'r',
          version: 9,
          removable: false,
        },
        blockSize: 513,
        blocks: 0,
        extra: 1,
      },
      'bad.json',
    );
    expect(bad.ok).toBe(false);
    const message = bad.ok ? '' : bad.error.message;
    for (const field of [
      'name',
      'description',
      'usb.vendorId',
      'usb.serial',
      'inquiry.vendor',
      'inquiry.version',
      'blockSize',
      'blocks',
    ])
      expect(message, field).toContain(`${field}:`);
    expect(message).toMatch(/^bad\.json is not a valid profile/);
    expect(message).toMatch(/last 12 digits must not all be 0/);
  });

  it('fills quirk defaults', () => {
    const p = BUILT_IN_PROFILES[0];
    const r = validateProfile({ ...p, quirks: undefined }, 'x');
    expect(r.ok && r.value.quirks).toEqual({
      spc2Strict: false,
      stallShortDataIn: false,
      truncateExcessDataIn: false,
      zeroResidue: false,
      needsTestUnitReady: false,
      rejectVendorOpcodes: false,
      latency: { perCommandMs: 0, perMiBMs: 0 },
    });
  });

  it('never throws on arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => void validateProfile(v, 'fuzz')),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.record({ name: fc.string(), blocks: fc.integer(), usb: fc.object() }), (v) => {
        expect(validateProfile(v, 'fuzz').ok).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

describe('quirks', () => {
  it('card reader: no medium until START STOP UNIT loads one; NOT READY until a TEST UNIT READY', async () => {
    const t = emu('card-reader');
    await send(t, '12 00 00 00 24 00', { transferLength: 36 });
    expect(codes(await send(t, '25 00 00 00 00 00 00 00 00 00', { transferLength: 8 }))).toBe(
      '6/29/00',
    );
    expect(codes(await send(t, '25 00 00 00 00 00 00 00 00 00', { transferLength: 8 }))).toBe(
      '2/04/01',
    );
    expect(codes(await send(t, '00 00 00 00 00 00'))).toBe('2/3a/00');
    expect((await send(t, '1b 00 00 00 03 00')).status).toBe(0);
    expect((await send(t, '25 00 00 00 00 00 00 00 00 00', { transferLength: 8 })).status).toBe(0);
  });

  it('SATA bridge: 4096-byte blocks and a CSW residue of 0 even for short data', async () => {
    const t = emu('sata-bridge');
    await send(t, '00 00 00 00 00 00');
    const o = await send(t, '12 00 00 00 24 00', { transferLength: 512 });
    expect(o).toMatchObject({ status: 0, residue: 0 });
    // The host cannot tell padding from data when the residue lies: all 512 bytes look relevant.
    expect(o.dataIn).toHaveLength(512);
    const cap = await send(t, '25 00 00 00 00 00 00 00 00 00', { transferLength: 8 });
    expect(Array.from(cap.dataIn.subarray(4))).toEqual([0, 0, 0x10, 0]);
  });

  it('latency: a command takes at least the per-command time', async () => {
    const t = emu('sata-bridge');
    const o = await send(t, '00 00 00 00 00 00');
    expect(o.durationMs).toBeGreaterThanOrEqual(0.2);
  });
});

describe('more than one logical unit', () => {
  it('the two-slot card reader reports LUNs 0 and 1, answers on LUN 1, and refuses LUN 2', async () => {
    const t = emu('card-reader');
    expect(t.describe().maxLun).toBe(1);
    const luns = await send(t, 'a0 00 00 00 00 00 00 00 00 20 00 00', { transferLength: 32 });
    expect(Array.from(luns.dataIn.subarray(0, 24))).toEqual([
      0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0,
    ]);
    // SELECT REPORT (SPC-5): 02h and 11h list them too; 01h (well-known) and 10h (administrative) none,
    // the drive having neither; a reserved 03h and a vendor-specific F0h are refused at byte 2.
    const select = (v: string) =>
      send(t, `a0 00 ${v} 00 00 00 00 00 00 20 00 00`, { transferLength: 32 });
    expect(Array.from((await select('02')).dataIn.subarray(0, 4))).toEqual([0, 0, 0, 16]);
    expect(Array.from((await select('11')).dataIn.subarray(0, 4))).toEqual([0, 0, 0, 16]);
    expect(Array.from((await select('01')).dataIn)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from((await select('10')).dataIn)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    for (const v of ['03', 'f0']) {
      const refused = await select(v);
      const s = refused.sense ? decodeSense(refused.sense) : undefined;
      expect(s?.ok && [s.value.senseKey, s.value.asc, s.value.senseKeySpecific]).toEqual([
        5,
        0x24,
        {
          kind: 'field-pointer',
          inCdb: true,
          bitPointerValid: false,
          bitPointer: 0,
          fieldPointer: 2,
        },
      ]);
    }
    const lun1 = await send(t, '12 00 00 00 24 00', { transferLength: 36, lun: 1 });
    expect(lun1.status).toBe(0);
    // Each LUN keeps its own state: loading a medium in slot 1 leaves slot 0 empty.
    await send(t, '00 00 00 00 00 00', { lun: 1 });
    await send(t, '00 00 00 00 00 00', { lun: 1 });
    expect((await send(t, '1b 00 00 00 03 00', { lun: 1 })).status).toBe(0);
    expect((await send(t, '00 00 00 00 00 00', { lun: 1 })).status).toBe(0);
    await send(t, '00 00 00 00 00 00');
    expect(codes(await send(t, '00 00 00 00 00 00'))).toBe('2/3a/00');
    // bCBWLUN above Get Max LUN makes the CBW not meaningful: a phase error.
    expect((await send(t, '00 00 00 00 00 00', { lun: 2 })).transportError?.kind).toBe(
      'phase-error',
    );
  });
});
