import { describe, expect, it } from 'vitest';
import exampleFile from '../../../shared/vendor-sets/example/example.json';
import { parseVendorSet } from '../../../shared/vendor-sets/format';
import {
  BUILT_IN_SETS,
  findVendorSet,
  parseBuiltInSet,
  vendorSetText,
} from '../../../shared/vendor-sets/registry';
import type { VendorSet } from '../../../shared/vendor-sets/model';

describe('built-in vendor sets', () => {
  it('lists the example set and the NVMe and ATA bridge sets, parsed from their JSON files', () => {
    expect(BUILT_IN_SETS.map((s) => s.name)).toEqual([
      'example',
      'asmedia',
      'realtek',
      'jmicron-ata',
      'prolific',
      'sunplus',
      'sat',
      'cypress',
      'jmicron-nvme',
    ]);
  });

  it('declares the example commands as docs/vendor-example.md documents them (C1h–C5h)', () => {
    const example = findVendorSet('example') as VendorSet;
    // [opcode, alias, effect, data direction, [field key, byte, bit, width]…] from the doc's table.
    const documented: [number, string, string, string, [string, number, number, number][]][] = [
      [
        0xc1,
        'example.read-log',
        'reads',
        'in',
        [
          ['logPage', 2, 0, 8],
          ['allocationLength', 8, 0, 16],
        ],
      ],
      [0xc2, 'example.get-led', 'reads', 'in', [['allocationLength', 8, 0, 8]]],
      [0xc3, 'example.set-led', 'changes-state', 'none', [['state', 2, 0, 8]]],
      [0xc4, 'example.firmware-version', 'reads', 'in', [['allocationLength', 8, 0, 16]]],
      [
        0xc5,
        'example.firmware-download',
        'firmware',
        'out',
        [
          ['activate', 1, 0, 1],
          ['offset', 5, 0, 24],
          ['parameterListLength', 8, 0, 24],
        ],
      ],
    ];
    expect(example.commands).toHaveLength(documented.length);
    documented.forEach(([opcode, alias, effect, direction, fields], i) => {
      const spec = example.commands[i]?.spec;
      expect(spec?.opcode).toBe(opcode);
      expect(spec?.aliases[0]).toBe(alias);
      expect(spec?.cdbLength).toBe(10);
      expect(spec?.effect, alias).toBe(effect);
      expect(spec?.length[0]?.direction ?? 'none', alias).toBe(direction);
      for (const [key, lastByte, bit, width] of fields) {
        const f = spec?.fields.find((x) => x.key === key);
        // The catalog places a field by its first byte: last byte − (width − 1) / 8.
        expect(
          f && [f.byte + Math.floor((f.bit + f.width - 1) / 8), f.bit, f.width],
          `${alias} ${key}`,
        ).toEqual([lastByte, bit, width]);
      }
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
