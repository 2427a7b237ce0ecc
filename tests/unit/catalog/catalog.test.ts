import { describe, expect, it } from 'vitest';
import {
  byteContents,
  COMMANDS,
  dataPhaseOf,
  dataTransferOf,
  fieldAt,
  findByName,
  findCommand,
  layoutOf,
  opcodeGroup,
  reservedMask,
  searchCommands,
  type CommandSpec,
} from '../../../shared/scsi/catalog';
import { catalogProblems } from '../../../shared/scsi/catalog/problems';
import { BUILT_IN_SETS } from '../../../shared/vendor-sets/registry';
import { asOpcode } from '../../../shared/scsi/brand';

const REQUIRED = [
  'TEST UNIT READY',
  'REQUEST SENSE',
  'FORMAT UNIT',
  'READ(6)',
  'READ(10)',
  'READ(12)',
  'READ(16)',
  'WRITE(6)',
  'WRITE(10)',
  'WRITE(12)',
  'WRITE(16)',
  'INQUIRY',
  'MODE SELECT(6)',
  'MODE SELECT(10)',
  'MODE SENSE(6)',
  'MODE SENSE(10)',
  'START STOP UNIT',
  'SEND DIAGNOSTIC',
  'RECEIVE DIAGNOSTIC RESULTS',
  'PREVENT ALLOW MEDIUM REMOVAL',
  'READ FORMAT CAPACITIES',
  'READ CAPACITY(10)',
  'READ CAPACITY(16)',
  'VERIFY(10)',
  'VERIFY(12)',
  'VERIFY(16)',
  'SYNCHRONIZE CACHE(10)',
  'SYNCHRONIZE CACHE(16)',
  'WRITE BUFFER',
  'READ BUFFER(10)',
  'LOG SENSE',
  'LOG SELECT',
  'UNMAP',
  'REPORT LUNS',
  'REPORT SUPPORTED OPERATION CODES',
  'SECURITY PROTOCOL IN',
  'SECURITY PROTOCOL OUT',
  'ATA PASS-THROUGH(12)',
  'ATA PASS-THROUGH(16)',
  'SANITIZE',
  'WRITE SAME(10)',
  'WRITE SAME(16)',
  'WRITE AND VERIFY(10)',
  'WRITE AND VERIFY(12)',
  'WRITE AND VERIFY(16)',
  'COMPARE AND WRITE',
  'WRITE LONG(10)',
  'WRITE LONG(16)',
];

/** Commands that can overwrite or erase user data (SBC-4, SPC-5, SAT-4). */
const CHANGES_DATA = [
  'FORMAT UNIT',
  'WRITE(6)',
  'WRITE(10)',
  'WRITE(12)',
  'WRITE(16)',
  'WRITE AND VERIFY(10)',
  'WRITE AND VERIFY(12)',
  'WRITE AND VERIFY(16)',
  'COMPARE AND WRITE',
  'WRITE LONG(10)',
  'WRITE LONG(16)',
  'SANITIZE',
  'UNMAP',
  'WRITE SAME(10)',
  'WRITE SAME(16)',
  'SECURITY PROTOCOL OUT',
  'ATA PASS-THROUGH(12)',
  'ATA PASS-THROUGH(16)',
  // Without a data phase: they format, depopulate or empty zones from the CDB alone.
  'FORMAT WITH PRESET',
  'REMOVE ELEMENT AND TRUNCATE',
  'RESTORE ELEMENTS AND REBUILD',
  'REMOVE ELEMENT AND MODIFY ZONES',
  'RESET WRITE POINTER',
];

describe('catalog invariants', () => {
  it('has every command the issue lists', () => {
    const names = COMMANDS.map((c) => c.name);
    for (const n of REQUIRED) expect(names, n).toContain(n);
  });

  it('is sorted by opcode then service action, with no duplicates', () => {
    for (let i = 1; i < COMMANDS.length; i++) {
      const a = COMMANDS[i - 1] as CommandSpec;
      const b = COMMANDS[i] as CommandSpec;
      expect(
        a.opcode < b.opcode ||
          (a.opcode === b.opcode && (a.serviceAction ?? -1) < (b.serviceAction ?? -1)),
        `${a.name} before ${b.name}`,
      ).toBe(true);
    }
  });

  it('declares effect "changes-data" for the data-changing commands and only those', () => {
    for (const c of COMMANDS)
      expect(c.effect === 'changes-data', c.name).toBe(CHANGES_DATA.includes(c.name));
  });

  it('declares effect "firmware" for WRITE BUFFER only (SPC-5 download microcode modes)', () => {
    expect(COMMANDS.filter((c) => c.effect === 'firmware').map((c) => c.name)).toEqual([
      'WRITE BUFFER',
    ]);
  });

  it('has unique aliases', () => {
    const all = COMMANDS.flatMap((c) => c.aliases);
    expect(new Set(all).size).toBe(all.length);
  });

  it('keeps every guarantee catalogProblems checks (fields inside the CDB, no overlaps, rules naming real fields…)', () => {
    expect(catalogProblems(COMMANDS)).toEqual([]);
  });

  for (const c of COMMANDS) {
    describe(c.name, () => {
      it('has the CDB length its opcode group defines', () => {
        const g = opcodeGroup(c.opcode);
        expect(g.vendorSpecific).toBe(false);
        expect(c.cdbLength).toBe(g.cdbLength);
      });

      it('is found from a CDB carrying its opcode (and service action)', () => {
        const cdb = new Uint8Array(c.cdbLength);
        cdb[0] = c.opcode;
        if (c.serviceAction !== undefined) cdb[1] = c.serviceAction;
        expect(findCommand(cdb)).toBe(c);
        expect(findByName(c.aliases[0] as string)).toBe(c);
      });
    });
  }
});

describe('look-ups', () => {
  it('names the opcode groups, vendor ones included', () => {
    expect(opcodeGroup(asOpcode(0x12)).cdbLength).toBe(6);
    expect(opcodeGroup(asOpcode(0x28)).cdbLength).toBe(10);
    expect(opcodeGroup(asOpcode(0x55)).cdbLength).toBe(10);
    expect(opcodeGroup(asOpcode(0x7f)).cdbLength).toBeUndefined();
    expect(opcodeGroup(asOpcode(0x88)).cdbLength).toBe(16);
    expect(opcodeGroup(asOpcode(0xa0)).cdbLength).toBe(12);
    expect(opcodeGroup(asOpcode(0xc0)).vendorSpecific).toBe(true);
    expect(opcodeGroup(asOpcode(0xff)).vendorSpecific).toBe(true);
  });

  it('finds commands by alias, full name and opcode text', () => {
    expect(findByName('inquiry')?.opcode).toBe(0x12);
    expect(findByName('READ(10)')?.opcode).toBe(0x28);
    expect(findByName('12h')?.name).toBe('INQUIRY');
    expect(findByName('0x9e/0x10')?.name).toBe('READ CAPACITY(16)');
    expect(findByName('nonsense')).toBeUndefined();
  });

  it('does not match a service-action row for another service action', () => {
    expect(
      findCommand(Uint8Array.from([0x9e, 0x11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])),
    ).toBeUndefined();
  });

  it("computes INQUIRY's reserved bits differently under SPC-2 and SPC-3+", () => {
    const inq = findByName('inquiry') as CommandSpec;
    expect(reservedMask(layoutOf(inq).fields, 3)).toBe(0);
    expect(reservedMask(layoutOf(inq, 'SPC-2').fields, 3)).toBe(0xff);
    expect(reservedMask(layoutOf(inq).fields, 1)).toBe(0x1c);
  });

  it('names the field at a byte and bit', () => {
    const inq = findByName('inquiry') as CommandSpec;
    expect(fieldAt(inq.fields, 3)?.name).toBe('ALLOCATION LENGTH');
    expect(fieldAt(inq.fields, 1, 0)?.name).toBe('EVPD');
    expect(fieldAt(inq.fields, 1, 3)).toBeUndefined();
  });

  it('lists what a byte holds, highest bits first, with its reserved bits', () => {
    const inq = findByName('inquiry') as CommandSpec;
    const control = byteContents(inq.fields, 5);
    expect(control.fields.map((f) => f.name)).toEqual([
      'VENDOR SPECIFIC (CONTROL)',
      'NACA',
      'FLAG',
      'LINK',
    ]);
    expect(control.reserved).toBe(0x38);
    expect(byteContents(inq.fields, 4)).toEqual({ fields: [fieldAt(inq.fields, 4)], reserved: 0 });
  });

  it('derives data phases from length rules, conditions and fixed sizes', () => {
    const phase = (name: string, bytes: number[]): ReturnType<typeof dataPhaseOf> => {
      const c = findByName(name) as CommandSpec;
      return dataPhaseOf(Uint8Array.from(bytes), c.fields, c.length);
    };
    expect(phase('read6', [0x08, 0, 0, 0, 0, 0])).toMatchObject({ direction: 'in', units: 256 });
    expect(phase('readcap', [0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0])).toMatchObject({
      direction: 'in',
      units: 8,
    });
    expect(phase('verify10', [0x2f, 0, 0, 0, 0, 0, 0, 0, 4, 0]).direction).toBe('none');
    expect(phase('verify10', [0x2f, 0x02, 0, 0, 0, 0, 0, 0, 4, 0])).toMatchObject({
      direction: 'out',
      units: 4,
    });
    expect(phase('security-in', [0xa2, 0, 0, 0, 0x80, 0, 0, 0, 0, 2, 0, 0]).rule?.unit).toBe(
      'blocks512',
    );
    // ATA PASS-THROUGH(16) IDENTIFY DEVICE: PIO data-in, T_DIR=1, BYT_BLOK=1, T_LENGTH=2, COUNT=1 → one 512-byte block in.
    const identify = phase('ata16', [0x85, 0x08, 0x0e, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0xec, 0]);
    expect(identify).toMatchObject({ direction: 'in', units: 1 });
    expect(identify.rule?.unit).toBe('blocks512');
    // COMPARE AND WRITE, NUMBER OF LOGICAL BLOCKS 3: 3 blocks to compare, then 3 to write (SBC-4).
    const caw = findByName('caw') as CommandSpec;
    const cawCdb = Uint8Array.from([0x89, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 3, 0, 0]);
    expect(phase('caw', [...cawCdb])).toMatchObject({ direction: 'out', units: 6 });
    expect(dataTransferOf(cawCdb, caw, 4096)).toMatchObject({
      bytes: 6 * 4096,
      unitBytes: 4096,
    });
    expect(phase('format', [0x04, 0x10, 0, 0, 0, 0])).toMatchObject({
      direction: 'out',
      units: undefined,
    });
  });
});

describe('catalog search', () => {
  const names = (q: string): string[] => searchCommands(q).map((c) => c.name);
  it('finds by opcode in any of the usual spellings, opcode matches first', () => {
    for (const q of ['12', '12h', '0x12', ' 12H ']) expect(names(q)[0]).toBe('INQUIRY');
    expect(names('9e')).toEqual(expect.arrayContaining(['READ CAPACITY(16)']));
  });
  it('finds by name or alias ignoring case, spaces and punctuation', () => {
    expect(names('readcap16')).toEqual(['READ CAPACITY(16)']);
    expect(names('read capacity')).toEqual(['READ CAPACITY(10)', 'READ CAPACITY(16)']);
    expect(names('Test Unit')).toEqual(['TEST UNIT READY']);
    expect(names('no such command')).toEqual([]);
    expect(searchCommands('')).toBe(COMMANDS);
  });
});

describe('catalogProblems', () => {
  const inquiry = findByName('inquiry') as CommandSpec;
  const messages = (specs: CommandSpec[], vendor = false): string[] =>
    catalogProblems(specs, { vendor }).map((p) => p.message);
  /** A vendor-range copy of INQUIRY: a valid vendor row to break one way at a time. */
  const vendorRow = (over: Partial<CommandSpec> = {}): CommandSpec => ({
    ...inquiry,
    opcode: asOpcode(0xd5),
    name: 'TEST VENDOR',
    aliases: ['test.vendor'],
    legacy: [],
    ...over,
  });

  it('passes the built-in vendor sets, checked as vendor declarations', () => {
    expect(BUILT_IN_SETS.length).toBeGreaterThan(0);
    for (const set of BUILT_IN_SETS)
      expect(
        catalogProblems(
          set.commands.map((c) => c.spec),
          { vendor: true },
        ),
        set.name,
      ).toEqual([]);
    expect(messages([vendorRow()], true)).toEqual([]);
  });

  it('reports a field outside the CDB, with the path of the field', () => {
    const fields = inquiry.fields.map((f) => (f.key === 'naca' ? { ...f, byte: 6 } : f));
    expect(catalogProblems([vendorRow({ fields })], { vendor: true })).toEqual([
      {
        path: [0, 'fields', fields.findIndex((f) => f.key === 'naca')],
        message: expect.stringMatching(
          /TEST VENDOR \(SPC-5\): field naca .* outside the 6-byte CDB/,
        ),
      },
    ]);
  });

  it('reports overlapping fields, duplicate keys and rules naming missing fields', () => {
    const evpd = inquiry.fields.find((f) => f.key === 'evpd');
    const clash = { ...(evpd as (typeof inquiry.fields)[number]), key: 'clash' };
    expect(messages([vendorRow({ fields: [...inquiry.fields, clash] })], true)).toEqual([
      expect.stringMatching(/field clash \(byte 1 bit 0\) overlaps another field at byte 1/),
    ]);
    expect(
      messages([vendorRow({ fields: [...inquiry.fields, { ...clash, key: 'evpd' }] })], true),
    ).toEqual(expect.arrayContaining([expect.stringMatching(/field key "evpd" is used twice/)]));
    expect(
      messages(
        [
          vendorRow({
            length: [{ kind: 'allocation', unit: 'bytes', direction: 'in', field: 'nowhere' }],
          }),
        ],
        true,
      ),
    ).toEqual([expect.stringMatching(/length rule names field "nowhere"/)]);
  });

  it('reports a length rule whose high field is missing or does not sit just before its field', () => {
    const rule = (highField: string, field?: string) =>
      vendorRow({
        length: [
          {
            kind: 'allocation',
            unit: 'bytes',
            direction: 'in',
            highField,
            ...(field !== undefined ? { field } : {}),
          },
        ],
      });
    // INQUIRY: ALLOCATION LENGTH is bytes 3–4, PAGE CODE byte 2, EVPD byte 1 bit 0.
    expect(messages([rule('pageCode', 'allocationLength')], true)).toEqual([]);
    expect(messages([rule('nowhere', 'allocationLength')], true)).toEqual([
      expect.stringMatching(/length rule names high field "nowhere"/),
    ]);
    expect(messages([rule('evpd', 'allocationLength')], true)).toEqual([
      expect.stringMatching(
        /high field evpd \(byte 1 bit 0\) does not end just before allocationLength \(bytes 3–4\)/,
      ),
    ]);
    expect(messages([rule('pageCode')], true)).toEqual([
      expect.stringMatching(/has a high field but no field below it/),
    ]);
  });

  it('reports values that do not fit and a missing opcode field', () => {
    const fields = inquiry.fields.map((f) => (f.key === 'evpd' ? { ...f, default: 2 } : f));
    expect(messages([vendorRow({ fields })], true)).toEqual([
      expect.stringMatching(/field evpd is 1 bit wide; its default 2 does not fit/),
    ]);
    expect(
      messages([vendorRow({ fields: inquiry.fields.filter((f) => f.role !== 'opcode') })], true),
    ).toEqual([expect.stringMatching(/needs an OPERATION CODE field/)]);
  });

  it('reports duplicate opcodes and aliases across rows', () => {
    expect(messages([vendorRow(), vendorRow({ name: 'TWIN' })], true)).toEqual([
      'TWIN: opcode D5h is already declared by TEST VENDOR',
      'TWIN: alias "test.vendor" is already used by TEST VENDOR',
    ]);
  });

  it('refuses, for vendor sets, standard opcodes and catalog aliases; for the catalog, wrong group lengths', () => {
    expect(messages([vendorRow({ opcode: asOpcode(0x28) })], true)).toEqual([
      expect.stringMatching(/28h is a standard opcode .* only C0h–FFh/),
    ]);
    expect(messages([vendorRow({ aliases: ['inquiry'] })], true)).toEqual([
      'TEST VENDOR: alias "inquiry" is already used by the catalog\'s INQUIRY',
    ]);
    expect(messages([vendorRow({ cdbLength: 17 })], true)).toEqual(
      expect.arrayContaining([expect.stringMatching(/a CDB is 1–16 bytes over USB/)]),
    );
    expect(messages([{ ...inquiry, cdbLength: 10 }])).toEqual([
      expect.stringMatching(/INQUIRY: group 0 .* fixes the CDB length at 6, not 10/),
    ]);
  });
});

describe('zeroUnlessBroken', () => {
  it('names a nonzero field whose condition field does not hold its value, only where the CDB holds both', async () => {
    const { zeroUnlessBroken } = await import('../../../shared/scsi/catalog/fields');
    const inquiry = findByName('inquiry');
    if (!inquiry) throw new Error('INQUIRY is in the catalog');
    const fields = layoutOf(inquiry).fields;
    const broken = zeroUnlessBroken(Uint8Array.from([0x12, 0, 0x80, 0, 36, 0]), fields);
    expect(
      broken.map((b) => [b.field.key, b.conditions.map((c) => [c.needs.key, c.equals])]),
    ).toEqual([['pageCode', [['evpd', 1]]]]);
    expect(zeroUnlessBroken(Uint8Array.from([0x12, 1, 0x80, 0, 36, 0]), fields)).toEqual([]);
    expect(zeroUnlessBroken(Uint8Array.from([0x12, 0, 0, 0, 36, 0]), fields)).toEqual([]);
    // A CDB cut before PAGE CODE holds nothing to check.
    expect(zeroUnlessBroken(Uint8Array.from([0x12, 0]), fields)).toEqual([]);
  });

  it('allows the field with any one of its conditions: SPC-2 INQUIRY takes a PAGE CODE with EVPD or CMDDT', async () => {
    const { zeroUnlessBroken } = await import('../../../shared/scsi/catalog/fields');
    const inquiry = findByName('inquiry');
    if (!inquiry) throw new Error('INQUIRY is in the catalog');
    const fields = layoutOf(inquiry, 'SPC-2').fields;
    const broken = zeroUnlessBroken(Uint8Array.from([0x12, 0, 0x80, 0, 36, 0]), fields);
    expect(
      broken.map((b) => [b.field.key, b.conditions.map((c) => [c.needs.key, c.equals])]),
    ).toEqual([
      [
        'pageCode',
        [
          ['evpd', 1],
          ['cmdDt', 1],
        ],
      ],
    ]);
    expect(zeroUnlessBroken(Uint8Array.from([0x12, 1, 0x80, 0, 36, 0]), fields)).toEqual([]);
    expect(zeroUnlessBroken(Uint8Array.from([0x12, 2, 0x12, 0, 36, 0]), fields)).toEqual([]);
  });

  it('fieldApplies: a zeroUnless field means something only with its condition held', async () => {
    const { fieldApplies } = await import('../../../shared/scsi/catalog/fields');
    const inquiry = findByName('inquiry');
    if (!inquiry) throw new Error('INQUIRY is in the catalog');
    const fields = layoutOf(inquiry).fields;
    const field = (key: string) => fields.find((f) => f.key === key) as (typeof fields)[number];
    expect(fieldApplies(Uint8Array.from([0x12, 0, 0, 0, 36, 0]), fields, field('pageCode'))).toBe(
      false,
    );
    expect(fieldApplies(Uint8Array.from([0x12, 1, 0, 0, 36, 0]), fields, field('pageCode'))).toBe(
      true,
    );
    // A field with no condition always applies.
    expect(
      fieldApplies(Uint8Array.from([0x12, 0, 0, 0, 36, 0]), fields, field('allocationLength')),
    ).toBe(true);
  });
});
