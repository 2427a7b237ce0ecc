import { describe, expect, it } from 'vitest';
import {
  formatVendorSet,
  parseVendorSet,
  type VendorSetFile,
} from '../../../shared/vendor-sets/format';
import { BUILT_IN_SETS } from '../../../shared/vendor-sets/registry';
import { dataPhaseOf } from '../../../shared/scsi/catalog';

/** A small valid file; tests break one thing in it. */
function base(): VendorSetFile & { commands: Record<string, unknown>[] } {
  return {
    usbcdbVendorSet: 1,
    name: 'acme',
    vendor: 'ACME',
    description: 'Test set.',
    commands: [
      {
        opcode: 'C1h',
        name: 'ACME STATUS',
        aliases: ['acme.status'],
        cdbLength: 10,
        summary: 'Returns a status block.',
        effect: 'reads',
        controlByte: 9,
        fields: [
          {
            key: 'page',
            name: 'PAGE',
            byte: 2,
            bit: 0,
            width: 8,
            meaning: 'Which page.',
            max: 3,
          },
          {
            key: 'allocationLength',
            name: 'ALLOCATION LENGTH',
            byte: 7,
            bit: 0,
            width: 16,
            meaning: 'Room for the answer.',
            role: 'allocationLength',
            default: 8,
          },
        ],
        length: [{ field: 'allocationLength', kind: 'allocation', unit: 'bytes', direction: 'in' }],
        response: [
          { key: 'temp', name: 'TEMPERATURE', type: 'int', size: 1, offset: 0 },
          { key: 'hours', name: 'POWER-ON HOURS', type: 'uint', size: 4, offset: 4 },
        ],
        emulation: { data: { values: { temp: -3, hours: 1000 }, length: 8 } },
      },
    ],
    sequences: [
      {
        alias: 'acme.twice',
        name: 'Twice',
        summary: 'Reads the status twice.',
        steps: [
          { command: 'acme.status' },
          { command: 'acme.status', fields: { page: { step: 0, field: 'temp' } } },
        ],
      },
    ],
  };
}

const text = (file: unknown): string => JSON.stringify(file, null, 2);

/** The 1-based line of the first line of `t` containing `needle` (after `after`, if given). */
function lineOf(t: string, needle: string, after = ''): number {
  const start = after === '' ? 0 : t.indexOf(after);
  const at = t.indexOf(needle, start);
  if (at < 0) throw new Error(`no ${needle}`);
  return t.slice(0, at).split('\n').length;
}

function problemOf(t: string): string {
  const r = parseVendorSet(t, 'acme.json');
  if (r.ok) throw new Error('parsed');
  return r.error.message;
}

describe('parseVendorSet', () => {
  it('reads a valid file into the model, adding the opcode and CONTROL fields', () => {
    const r = parseVendorSet(text(base()), 'acme.json');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const spec = r.value.commands[0]?.spec;
    expect(spec?.opcode).toBe(0xc1);
    expect(spec?.standard).toBe('acme vendor set');
    expect(spec?.fields.map((f) => f.key)).toEqual([
      'opcode',
      'page',
      'allocationLength',
      'controlVendor',
      'naca',
      'flag',
      'link',
    ]);
    expect(r.value.commands[0]?.response?.[1]).toMatchObject({ type: 'uint', endian: 'be' });
    expect(r.value.sequences[0]?.steps[1]?.fields).toEqual({ page: { step: 0, field: 'temp' } });
  });

  it('takes opcodes as numbers, "C1h" or "0xC1"', () => {
    for (const opcode of [0xc1, 'C1h', 'c1h', '0xC1']) {
      const f = base();
      (f.commands[0] as { opcode: unknown }).opcode = opcode;
      const r = parseVendorSet(text(f), 'acme.json');
      expect(r.ok && r.value.commands[0]?.spec.opcode, String(opcode)).toBe(0xc1);
    }
  });

  it('names the line and field path of a value out of range', () => {
    const f = base();
    const fields = (f.commands[0] as { fields: { byte: number }[] }).fields;
    (fields[1] as { byte: number }).byte = 17;
    const t = text(f);
    expect(problemOf(t)).toBe(
      `acme.json line ${lineOf(t, '"byte": 17')}: commands.0.fields.1.byte: must be an integer 0–15`,
    );
  });

  it('reports JSON syntax errors with their line: trailing commas, comments, duplicate keys', () => {
    const t = text(base());
    const trailing = t.replace('"acme.status"\n', '"acme.status",\n');
    expect(problemOf(trailing)).toBe(
      `acme.json line ${lineOf(t, '"acme.status"') + 1}: a trailing comma is not allowed in JSON`,
    );
    const comment = t.replace('"cdbLength": 10,', '"cdbLength": 10, // ten');
    expect(problemOf(comment)).toMatch(
      new RegExp(`^acme\\.json line ${lineOf(t, '"cdbLength"')}: comments are not allowed`),
    );
    const dup = t.replace('"cdbLength": 10,', '"cdbLength": 10, "cdbLength": 12,');
    expect(problemOf(dup)).toBe(
      `acme.json line ${lineOf(t, '"cdbLength"')}: "cdbLength" appears twice in the same object`,
    );
  });

  it('names unknown and missing keys', () => {
    const f = base();
    const cmd = f.commands[0] as Record<string, unknown>;
    cmd.colour = 'red';
    delete cmd.summary;
    const t = text(f);
    const message = problemOf(t);
    expect(message).toContain(
      `acme.json line ${lineOf(t, '"opcode"') - 1}: commands.0: unknown key "colour"`,
    );
    expect(message).toContain('commands.0.summary: is required');
  });

  it('refuses a standard opcode, with the catalog check’s reason', () => {
    const f = base();
    (f.commands[0] as { opcode: unknown }).opcode = '28h';
    const t = text(f);
    expect(problemOf(t)).toMatch(
      new RegExp(
        `^acme\\.json line ${lineOf(t, '"opcode"')}: commands\\.0\\.opcode: .*28h is a standard opcode`,
      ),
    );
  });

  it('refuses overlapping fields and length rules naming missing fields, at their lines', () => {
    const f = base();
    const cmd = f.commands[0] as { fields: { byte: number }[]; length: { field: string }[] };
    (cmd.fields[0] as { byte: number }).byte = 8; // PAGE on ALLOCATION LENGTH's second byte
    (cmd.length[0] as { field: string }).field = 'allocLen';
    const t = text(f);
    const message = problemOf(t);
    expect(message).toMatch(/commands\.0\.fields\.1: .*overlaps another field at byte 8/);
    expect(message).toContain(
      `acme.json line ${lineOf(t, '"field": "allocLen"')}: commands.0.length.0.field:`,
    );
  });

  it('reads a length rule that moves several units per count (times), and refuses one without a field or out of range', () => {
    const f = base();
    const cmd = f.commands[0] as { length: Record<string, unknown>[] };
    // A vendor WRITE-like command whose data-out is two blocks per count, as COMPARE AND WRITE's.
    cmd.length = [
      { field: 'allocationLength', kind: 'transfer', unit: 'bytes', direction: 'in', times: 2 },
    ];
    const r = parseVendorSet(text(f), 'acme.json');
    if (!r.ok) throw new Error(r.error.message);
    const spec = r.value.commands[0]?.spec;
    expect(spec?.length[0]?.times).toBe(2);
    // The data phase every user of the catalog computes doubles the field: 8 → 16 bytes.
    const cdb = Uint8Array.from([0xc1, 0, 0, 0, 0, 0, 0, 0, 8, 0]);
    expect(spec && dataPhaseOf(cdb, spec.fields, spec.length).units).toBe(16);
    // And a written file keeps it.
    const again = parseVendorSet(formatVendorSet(r.value), 'again.json');
    expect(again.ok && again.value.commands[0]?.spec.length[0]?.times).toBe(2);

    cmd.length = [{ fixedUnits: 4, kind: 'transfer', unit: 'bytes', direction: 'in', times: 2 }];
    expect(problemOf(text(f))).toMatch(
      /commands\.0\.length\.0\.times: ACME STATUS \(acme vendor set\): a length rule multiplies the count of its field \(times\), but names no field/,
    );
    cmd.length = [
      { field: 'allocationLength', kind: 'transfer', unit: 'bytes', direction: 'in', times: 0 },
    ];
    expect(problemOf(text(f))).toMatch(/commands\.0\.length\.0\.times/);
  });

  it('points a problem of the added CONTROL fields at controlByte', () => {
    const f = base();
    (f.commands[0] as { controlByte: number }).controlByte = 7; // ALLOCATION LENGTH's first byte
    const t = text(f);
    expect(problemOf(t)).toContain(
      `acme.json line ${lineOf(t, '"controlByte"')}: commands.0.controlByte:`,
    );
  });

  it('checks aliases, emulated answers, behaviours and sequences', () => {
    const cases: [(f: ReturnType<typeof base>) => void, RegExp][] = [
      [
        (f) => ((f.commands[0] as { aliases: string[] }).aliases = ['status']),
        /commands\.0\.aliases\.0: must start with the set's name and a dot/,
      ],
      [
        (f) =>
          ((f.commands[0] as { emulation: unknown }).emulation = {
            data: { values: { temp: 200 }, length: 8 },
          }),
        /commands\.0\.emulation\.data\.values: temp: must be -128–127/,
      ],
      [
        (f) =>
          ((f.commands[0] as { emulation: unknown }).emulation = {
            behaviour: 'microcode-download',
          }),
        /microcode-download reads CDB fields offset, activate/,
      ],
      [
        (f) =>
          ((f.commands[0] as { emulation: unknown }).emulation = {
            senseWhen: [
              { when: [{ field: 'pg', equals: 1 }], sense: { key: 5, asc: '24h', ascq: 0 } },
            ],
          }),
        /commands\.0\.emulation\.senseWhen\.0\.when\.0\.field: names no field of the CDB \("pg"\)/,
      ],
      [
        (f) => {
          const s = f.sequences?.[0] as { steps: { command: string }[] };
          (s.steps[1] as { command: string }).command = 'acme.nope';
        },
        /sequences\.0\.steps\.1\.command: names no command of the set \("acme\.nope"\)/,
      ],
      [
        (f) => {
          const s = f.sequences?.[0] as { steps: { fields?: unknown }[] };
          (s.steps[1] as { fields: unknown }).fields = { page: { step: 1, field: 'temp' } };
        },
        /sequences\.0\.steps\.1\.fields\.page\.step: must name an earlier step \(0–0\)/,
      ],
      [
        (f) => {
          const s = f.sequences?.[0] as { steps: { fields?: unknown }[] };
          (s.steps[1] as { fields: unknown }).fields = { page: { step: 0, field: 'fan' } };
        },
        /step 0 \(acme\.status\) has no response field "fan"/,
      ],
    ];
    for (const [breakIt, expected] of cases) {
      const f = base();
      breakIt(f);
      expect(problemOf(text(f))).toMatch(expected);
    }
  });

  it('refuses another format version and says which it reads', () => {
    expect(problemOf(text({ ...base(), usbcdbVendorSet: 2 }))).toBe(
      'acme.json line 2: usbcdbVendorSet: must be 1 (the only version of the format)',
    );
  });

  it('refuses a line break, ESC or a bidirectional override in a text field, naming the field and the character', () => {
    const f = base();
    const cmd = f.commands[0] as Record<string, unknown>;
    cmd.name = 'ACME READ LOG\nIOLog("pwned"); /*';
    const fields = cmd.fields as Record<string, unknown>[];
    (fields[1] as Record<string, unknown>).name = 'ALLOCATION LENGTH */\u0085kr = 0; //';
    (fields[0] as Record<string, unknown>).values = [{ value: 0, name: 'log', note: 'a\u009bb' }];
    f.vendor = 'ACME \u001b[31mRED';
    (f.sequences?.[0] as Record<string, unknown>).summary = 'Reads \u202etwice';
    const t = text(f);
    const why = 'must be one line of text without control or bidirectional-override characters';
    const at = (needle: string, path: string, character: string): string =>
      `acme.json line ${lineOf(t, needle)}: ${path}: ${why} (U+${character})`;
    expect(problemOf(t)).toBe(
      [
        at('"vendor"', 'vendor', '001B at character 6'),
        at('"name": "ACME READ LOG', 'commands.0.name', '000A at character 14'),
        at('"note"', 'commands.0.fields.0.values.0.note', '009B at character 2'),
        at('"name": "ALLOCATION', 'commands.0.fields.1.name', '0085 at character 21'),
        at('"summary": "Reads', 'sequences.0.summary', '202E at character 7'),
      ].join('\n'),
    );
  });

  it('shows a key it quotes with its control characters as dots', () => {
    const t = text({ ...base(), '\u001b]0;title\u0007': 1 });
    expect(problemOf(t)).toBe(`acme.json line 1: unknown key ".]0;title."`);
  });

  it('returns an error, not an exception, for nesting deeper than any set needs', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    const r = parseVendorSet(deep, 'deep.json');
    expect(!r.ok && r.error.message).toBe('deep.json line 1: nested deeper than 256 levels');
  });
});

describe('formatVendorSet', () => {
  it('writes a file that parses back to an equal set', () => {
    for (const set of [...BUILT_IN_SETS]) {
      const again = parseVendorSet(formatVendorSet(set), 'again.json');
      expect(again.ok && again.value).toEqual(set);
    }
    const acme = parseVendorSet(text(base()), 'acme.json');
    expect(acme.ok).toBe(true);
    if (!acme.ok) return;
    const again = parseVendorSet(formatVendorSet(acme.value), 'again.json');
    expect(again.ok && again.value).toEqual(acme.value);
  });
});
