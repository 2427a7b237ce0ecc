import { describe, expect, it } from 'vitest';
import exampleFile from '../../../shared/vendor-sets/example/example.json';
import { EXAMPLE_SET } from '../../../shared/vendor-sets/example';
import { parseVendorSet } from '../../../shared/vendor-sets/format';
import {
  BUILT_IN_SETS,
  findVendorSet,
  parseBuiltInSet,
  vendorSetText,
} from '../../../shared/vendor-sets/sets';
import type { VendorSet } from '../../../shared/vendor-sets/model';

describe('built-in vendor sets', () => {
  it('lists the example set, parsed from its JSON file', () => {
    expect(BUILT_IN_SETS.map((s) => s.name)).toEqual(['example']);
  });

  it('declares the example commands exactly as the code-driven set did (C1h–C5h)', () => {
    const example = findVendorSet('example') as VendorSet;
    expect(example.commands.map((c) => c.spec.opcode)).toEqual([0xc1, 0xc2, 0xc3, 0xc4, 0xc5]);
    example.commands.forEach((c, i) => {
      const old = EXAMPLE_SET.commands[i]?.spec;
      // Only the layout's standard name differs: it names the set.
      expect({ ...c.spec, standard: '' }).toEqual({ ...old, standard: '' });
    });
  });

  it('gives every example command its behaviour and a response layout where it returns data', () => {
    const example = findVendorSet('EXAMPLE') as VendorSet;
    expect(example.commands.map((c) => c.emulation?.behaviour)).toEqual([
      'event-log',
      'led-get',
      'led-set',
      'firmware-revision',
      'microcode-download',
    ]);
    expect(example.commands.map((c) => c.response?.map((f) => f.type))).toEqual([
      ['ascii'],
      ['uint'],
      undefined,
      ['ascii'],
      undefined,
    ]);
    expect(example.sequences.map((s) => s.alias)).toEqual(['example.set-led-and-check']);
  });

  it('throws at load, naming the file, when a built-in set breaks a check', () => {
    const broken = { ...exampleFile, name: 'Not A Name' };
    expect(() => parseBuiltInSet(broken, 'shared/vendor-sets/broken.json')).toThrow(
      /built-in vendor set shared\/vendor-sets\/broken\.json is broken:\n.*line \d+: name: must be lowercase/,
    );
  });
});

describe('findVendorSet', () => {
  const user = (name: string): VendorSet => ({
    name,
    vendor: 'me',
    description: 'mine',
    commands: [],
    sequences: [],
  });

  it('finds a user set among the extra ones, and never lets one stand in for a built-in', () => {
    const mine = user('mine');
    expect(findVendorSet('mine', [mine])).toBe(mine);
    expect(findVendorSet('example', [user('example')])).toBe(BUILT_IN_SETS[0]);
    expect(findVendorSet('nothing', [mine])).toBeUndefined();
  });
});

describe('vendorSetText', () => {
  it('gives a built-in set’s file text, which parses back to the same set', () => {
    const set = BUILT_IN_SETS[0] as VendorSet;
    const t = vendorSetText(set);
    expect(JSON.parse(t)).toEqual(exampleFile);
    const again = parseVendorSet(t, 'example.json');
    expect(again.ok && again.value).toEqual(set);
  });
});
