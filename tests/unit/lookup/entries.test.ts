/** The vendor-set index by opcode, and a vendor command's declared field bounds, pinned directly. */
import { describe, expect, it } from 'vitest';
import { asOpcode } from '../../../shared/scsi/brand';
import { entriesWithOpcode, fieldOutsideBounds } from '../../../shared/scsi/catalog/resolve';
import type { CommandSpec } from '../../../shared/scsi/catalog';
import { loadAcme } from './acme';

describe('entriesWithOpcode', () => {
  it('lists a set’s commands with the opcode, none for another, none without sets', () => {
    const sets = [loadAcme()];
    expect(entriesWithOpcode(sets, asOpcode(0xd1)).map((e) => e.spec.name)).toEqual([
      'ACME READ STATUS',
    ]);
    expect(entriesWithOpcode(sets, asOpcode(0xd2))).toEqual([]);
    expect(entriesWithOpcode([], asOpcode(0xd1))).toEqual([]);
  });

  it('sees a list changed in place: the index is built again', () => {
    const sets = [loadAcme()];
    expect(entriesWithOpcode(sets, asOpcode(0xd0))).toHaveLength(1);
    sets.pop();
    expect(entriesWithOpcode(sets, asOpcode(0xd0))).toEqual([]);
  });
});

describe('fieldOutsideBounds', () => {
  // A vendor command whose byte 2 (ZONE) is declared 1–4.
  const spec: CommandSpec = {
    opcode: asOpcode(0xd0),
    name: 'T',
    aliases: [],
    cdbLength: 10,
    standard: 'test',
    summary: '',
    fields: [
      { key: 'opcode', name: 'OPERATION CODE', byte: 0, bit: 0, width: 8, meaning: '' },
      { key: 'zone', name: 'ZONE', byte: 2, bit: 0, width: 8, meaning: '', min: 1, max: 4 },
    ],
    length: [],
    effect: 'reads',
  };

  it('names the bounded field a CDB breaks, below or above', () => {
    expect(fieldOutsideBounds(spec, Uint8Array.of(0xd0, 0, 0, 0, 0, 0, 0, 0, 0, 0))?.key).toBe(
      'zone',
    );
    expect(fieldOutsideBounds(spec, Uint8Array.of(0xd0, 0, 5, 0, 0, 0, 0, 0, 0, 0))?.key).toBe(
      'zone',
    );
  });

  it('names it when the CDB is too short to hold it, and none when every bound holds', () => {
    expect(fieldOutsideBounds(spec, Uint8Array.of(0xd0, 0))?.key).toBe('zone');
    expect(
      fieldOutsideBounds(spec, Uint8Array.of(0xd0, 0, 4, 0, 0, 0, 0, 0, 0, 0)),
    ).toBeUndefined();
  });
});
