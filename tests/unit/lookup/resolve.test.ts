/**
 * One lookup for every command: a CDB, a name or a search resolves across the
 * standard catalog, the built-in vendor sets and a user's own set file.
 */
import { describe, expect, it } from 'vitest';
import {
  COMMANDS,
  dataTransferOf,
  fieldValue,
  findByName,
  type CommandSpec,
} from '../../../shared/scsi/catalog';
import { resolveByName, resolveCommand, searchAll } from '../../../shared/scsi/catalog/resolve';
import type { VendorSet } from '../../../shared/vendor-sets/model';
import { BUILT_IN_SETS } from '../../../shared/vendor-sets/registry';
import { eraseCdb, loadAcme, statusCdb } from './acme';
import { asOpcode, asServiceAction } from '../../../shared/scsi/brand';

const acme = loadAcme();

/** A set of one command, built from a catalog-shaped spec. */
function setOf(name: string, ...specs: CommandSpec[]): VendorSet {
  return {
    name,
    vendor: name,
    description: 'a test set',
    commands: specs.map((spec) => ({ spec })),
    sequences: [],
  };
}

const statusSpec = acme.commands[1]?.spec as CommandSpec;

describe('resolveCommand', () => {
  it("resolves a vendor opcode from a user's set, naming the set and command", () => {
    const r = resolveCommand(statusCdb(), [acme]);
    expect(r?.source).toBe('vendor');
    expect(r?.spec.name).toBe('ACME READ STATUS');
    expect(r?.source === 'vendor' && r.set.name).toBe('acme');
    expect(r?.source === 'vendor' && r.command.response?.map((f) => f.key)).toEqual([
      'temperature',
      'locked',
      'serial',
    ]);
  });

  it('knows nothing of a vendor opcode without the set that declares it', () => {
    expect(resolveCommand(statusCdb())).toBeUndefined();
    expect(resolveCommand(new Uint8Array())).toBeUndefined();
  });

  it('resolves standard opcodes from the catalog', () => {
    const r = resolveCommand(Uint8Array.from([0x12, 0, 0, 0, 36, 0]), [acme]);
    expect(r).toEqual({ source: 'standard', spec: findByName('inquiry') });
  });

  it('ignores a set that declares a standard opcode: the catalog keeps READ(10)', () => {
    const fake = setOf('rogue', { ...statusSpec, opcode: asOpcode(0x28), name: 'ROGUE READ' });
    const r = resolveCommand(Uint8Array.from([0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0]), [fake]);
    expect(r?.source).toBe('standard');
    expect(r?.spec.name).toBe('READ(10)');
  });

  it('lets the first set declaring an opcode win', () => {
    const other = setOf('other', { ...statusSpec, name: 'OTHER STATUS', aliases: ['other.st'] });
    expect(resolveCommand(statusCdb(), [other, acme])?.spec.name).toBe('OTHER STATUS');
    expect(resolveCommand(statusCdb(), [acme, other])?.spec.name).toBe('ACME READ STATUS');
  });

  it('tells vendor commands of one opcode apart by service action', () => {
    const sa = {
      key: 'serviceAction',
      name: 'SERVICE ACTION',
      byte: 1,
      bit: 0,
      width: 5,
      meaning: 'Selects the command.',
      role: 'serviceAction' as const,
    };
    const withSa = (serviceAction: number, name: string): CommandSpec => ({
      ...statusSpec,
      name,
      aliases: [name.toLowerCase()],
      serviceAction: asServiceAction(serviceAction),
      serviceActionField: 'serviceAction',
      fields: [...statusSpec.fields, sa],
    });
    const set = setOf('sa', withSa(1, 'ONE'), withSa(2, 'TWO'));
    const cdb = statusCdb();
    cdb[1] = 2;
    expect(resolveCommand(cdb, [set])?.spec.name).toBe('TWO');
    cdb[1] = 3;
    expect(resolveCommand(cdb, [set])).toBeUndefined();
  });
});

describe('resolveCommand with the same list of sets again', () => {
  it('answers from the list as it is now, when it was changed in place since', () => {
    const other = setOf('other', { ...statusSpec, name: 'OTHER STATUS', aliases: ['other.st'] });
    const sets: VendorSet[] = [acme];
    expect(resolveCommand(statusCdb(), sets)?.spec.name).toBe('ACME READ STATUS');
    // The same array, another set in front: its command wins now.
    sets.unshift(other);
    expect(resolveCommand(statusCdb(), sets)?.spec.name).toBe('OTHER STATUS');
    // An element replaced, the length the same.
    sets[0] = setOf('empty');
    expect(resolveCommand(statusCdb(), sets)?.spec.name).toBe('ACME READ STATUS');
    sets.length = 0;
    expect(resolveCommand(statusCdb(), sets)).toBeUndefined();
  });
});

describe('resolveByName', () => {
  it('finds a vendor command by alias, full name or opcode text', () => {
    for (const n of ['acme.status', 'ACME READ STATUS', 'd1h', '0xD1', 'D1'])
      expect(resolveByName(n, [acme])?.spec.name, n).toBe('ACME READ STATUS');
  });

  it('finds catalog commands first, and nothing for an unknown name', () => {
    expect(resolveByName('inquiry', [acme])).toEqual({
      source: 'standard',
      spec: findByName('inquiry'),
    });
    expect(resolveByName('acme.status')).toBeUndefined();
    expect(resolveByName('acme.nope', [acme])).toBeUndefined();
  });

  it('finds the built-in example set by its aliases', () => {
    expect(resolveByName('example.read-log', BUILT_IN_SETS)?.spec.opcode).toBe(0xc1);
  });
});

describe('searchAll (the editor’s Find)', () => {
  const names = (q: string, sets: readonly VendorSet[] = [acme]): string[] =>
    searchAll(q, sets).map((r) => r.spec.name);

  it('finds a vendor command by opcode in any spelling', () => {
    for (const q of ['d1', 'D1h', '0xd1']) expect(names(q)[0], q).toBe('ACME READ STATUS');
    expect(names('C1h', BUILT_IN_SETS)).toEqual(['EXAMPLE READ DEVICE LOG']);
  });

  it('finds by name, alias, set name or vendor, after the catalog matches', () => {
    expect(names('quick erase')).toEqual(['ACME QUICK ERASE']);
    expect(names('acme.status')).toEqual(['ACME READ STATUS']);
    expect(names('Acme Storage')).toEqual(['ACME QUICK ERASE', 'ACME READ STATUS']);
    const read = names('read status');
    expect(read.at(-1)).toBe('ACME READ STATUS');
    expect(names('nothing like it')).toEqual([]);
  });

  it('lists the catalog then every vendor command for an empty query', () => {
    const all = searchAll('', [acme]);
    expect(all).toHaveLength(COMMANDS.length + 2);
    expect(all.slice(-2).map((r) => r.source)).toEqual(['vendor', 'vendor']);
  });
});

describe('one home for the facts', () => {
  const read10 = findByName('read10') as CommandSpec;
  const cdb10 = Uint8Array.from([0x28, 0, 0, 0, 0, 0x10, 0, 0, 4, 0]);

  it("reads a field's value by key, undefined for a key the layout lacks", () => {
    expect(fieldValue(cdb10, read10, 'transferLength')).toBe(4);
    expect(fieldValue(cdb10, read10, 'lba')).toBe(0x10);
    expect(fieldValue(cdb10, read10, 'allocationLength')).toBeUndefined();
    expect(fieldValue(statusCdb(200), statusSpec, 'allocationLength')).toBe(200);
  });

  it('sizes the data phase as length × unit × block size', () => {
    expect(dataTransferOf(cdb10, read10)).toMatchObject({ direction: 'in', bytes: 4 * 512 });
    expect(dataTransferOf(cdb10, read10, 4096)).toMatchObject({ bytes: 4 * 4096, unitBytes: 4096 });
    // ATA PASS-THROUGH(16) IDENTIFY DEVICE counts 512-byte blocks whatever the medium's (SAT-4).
    const ata16 = findByName('ata16') as CommandSpec;
    const identify = Uint8Array.from([0x85, 0x08, 0x0e, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0xec, 0]);
    expect(dataTransferOf(identify, ata16, 4096).bytes).toBe(512);
    // FORMAT UNIT's length is in its parameter header, not the CDB.
    const format = findByName('format') as CommandSpec;
    expect(dataTransferOf(Uint8Array.from([0x04, 0x10, 0, 0, 0, 0]), format).bytes).toBeUndefined();
    expect(dataTransferOf(statusCdb(8), statusSpec)).toMatchObject({ direction: 'in', bytes: 8 });
    expect(dataTransferOf(eraseCdb(), acme.commands[0]?.spec as CommandSpec).direction).toBe(
      'none',
    );
  });
});
