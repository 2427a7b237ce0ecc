import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../shared/scsi/catalog';
import type { Ctx, Handler } from '../../../src-main/emulator/handlers/context';
import { HANDLERS, implementedBy } from '../../../src-main/emulator/handlers/index';
import { findProfile } from '../../../src-main/emulator/profiles';

describe('the handler table', () => {
  it('is keyed by catalog names, so a misspelt name does not compile', () => {
    // @ts-expect-error 'INQURY' is not a catalog command name.
    const misspelt: Handler | undefined = HANDLERS.INQURY;
    expect(misspelt).toBeUndefined();
    // @ts-expect-error a handler table entry must name a catalog command.
    const table: typeof HANDLERS = { 'READ CAPACITY': HANDLERS['READ CAPACITY(10)'] };
    expect(Object.keys(table)).toEqual(['READ CAPACITY']);
  });

  it("reads fields by the command's own keys, so a misspelt or foreign key does not compile", () => {
    const keysOf = (ctx: Ctx<'INQUIRY'>, shared: Ctx<'READ(6)' | 'READ(10)'>): unknown[] => [
      ctx.get('allocationLength'),
      ctx.get('evpd'),
      // @ts-expect-error 'alocationLength' is not a field of INQUIRY.
      ctx.get('alocationLength'),
      // @ts-expect-error 'lba' belongs to READ(10), not to INQUIRY.
      ctx.invalid('lba'),
      shared.get('transferLength'),
      // @ts-expect-error READ(6) has no FUA bit, so code shared with READ(10) cannot read it.
      shared.get('fua'),
      // …but may ask for it where it exists, by a key the catalog declares somewhere.
      shared.optional('fua'),
      // @ts-expect-error no catalog command has a field 'fuaa'.
      shared.optional('fuaa'),
    ];
    expect(keysOf).toBeTypeOf('function');
  });

  it('names only catalog rows, and a drive with every feature implements exactly those rows in catalog order', () => {
    const sat = findProfile('sata-bridge') ?? expect.fail('no sata-bridge');
    // The SAT bridge with log pages as well: every row NEEDS asks a feature for is answered.
    const IMPLEMENTED = implementedBy({
      ...sat,
      logPages: { temperature: 30, referenceTemperature: 60 },
    });
    const names = new Set(COMMANDS.map((c) => c.name));
    for (const name of Object.keys(HANDLERS)) expect(names.has(name), name).toBe(true);
    expect(IMPLEMENTED.map((c) => c.name).sort()).toEqual(Object.keys(HANDLERS).sort());
    expect(IMPLEMENTED).toEqual(COMMANDS.filter((c) => c.name in HANDLERS));
    // A drive without an ATA device neither answers nor lists ATA PASS-THROUGH; one without
    // log pages, LOG SENSE.
    const stick = implementedBy(findProfile('flash-stick') ?? expect.fail('no flash-stick'));
    expect(stick.map((c) => c.opcode)).not.toContain(0x85);
    expect(stick.map((c) => c.opcode)).not.toContain(0x4d);
    expect(stick.length).toBe(IMPLEMENTED.length - 3);
    const fw = implementedBy(findProfile('fw-updatable') ?? expect.fail('no fw-updatable'));
    expect(fw.map((c) => c.opcode)).toContain(0x4d);
  });
});
