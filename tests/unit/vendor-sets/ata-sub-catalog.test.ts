/**
 * The vendor-set format's ATA sub-catalog (`ataCommands`): what it reads,
 * every check with the line and field it names, and the round trip.
 */
import { describe, expect, it } from 'vitest';
import { checkAtaCommands } from '../../../shared/vendor-sets/checks';
import { formatVendorSet, parseVendorSet } from '../../../shared/vendor-sets/format';
import type { AtaCommandDef, VendorSet } from '../../../shared/vendor-sets/model';
import { findVendorSet } from '../../../shared/vendor-sets/registry';

/** A set holding only ATA commands: IDENTIFY DEVICE with a layout, and a SMART sub-command. */
function base(): Record<string, unknown> & { ataCommands: Record<string, unknown>[] } {
  return {
    usbcdbVendorSet: 1,
    name: 'ata-test',
    vendor: 'Test',
    description: 'ATA commands only.',
    commands: [],
    ataCommands: [
      {
        code: 'ECh',
        name: 'IDENTIFY DEVICE',
        summary: 'Describes the drive.',
        protocol: 'pio-in',
        blocks: 1,
        effect: 'reads',
        response: [
          { key: 'serial', name: 'SERIAL NUMBER', type: 'ata-string', offset: 20, length: 20 },
          { key: 'sectors28', name: 'SECTORS', type: 'uint', offset: 120, size: 4, endian: 'le' },
        ],
      },
      {
        code: 'B0h',
        features: 'DAh',
        name: 'SMART RETURN STATUS',
        summary: 'Says whether a threshold is exceeded.',
        protocol: 'non-data',
        blocks: 0,
        effect: 'reads',
        answerInRegisters: 'LBA mid/high 4Fh/C2h = good',
      },
      {
        code: '2Fh',
        name: 'READ LOG EXT',
        summary: 'Reads a log.',
        protocol: 'pio-in',
        blocks: 'count',
        effect: 'reads',
        ext: true,
        response: [{ key: 'version', name: 'VERSION', type: 'uint', offset: 0, size: 2 }],
        responseWhen: [{ register: 'lbaLow', equals: '00h' }],
      },
    ],
  };
}

const text = (file: unknown): string => JSON.stringify(file, null, 2);

/** 1-based line of the `nth` (0-based) line of `t` containing `needle`. */
function lineOf(t: string, needle: string, nth = 0): number {
  const lines = t.split('\n');
  const hits = lines.flatMap((l, i) => (l.includes(needle) ? [i + 1] : []));
  const line = hits[nth];
  if (line === undefined) throw new Error(`no ${needle} #${nth}`);
  return line;
}

function problemOf(t: string): string {
  const r = parseVendorSet(t, 'ata.json');
  if (r.ok) throw new Error('parsed');
  return r.error.message;
}

/** The file with `change` applied to ATA command `i`. */
function withRow(i: number, change: Record<string, unknown>): string {
  const f = base();
  f.ataCommands[i] = { ...f.ataCommands[i], ...change };
  return text(f);
}

describe('ataCommands in a vendor-set file', () => {
  it('reads codes and FEATURES as numbers, block counts, flags and the response layout', () => {
    const r = parseVendorSet(text(base()), 'ata.json');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [identify, status, log] = r.value.ataCommands ?? [];
    expect(identify).toMatchObject({ code: 0xec, protocol: 'pio-in', blocks: 1 });
    expect(identify?.features).toBeUndefined();
    // A layout's endian defaults as in a command's response.
    expect(identify?.response?.[0]).toMatchObject({ type: 'ata-string', offset: 20 });
    expect(status).toMatchObject({ code: 0xb0, features: 0xda, blocks: 0 });
    expect(status?.answerInRegisters).toMatch(/4Fh\/C2h/);
    expect(log).toMatchObject({ ext: true, blocks: 'count' });
    expect(log?.responseWhen).toEqual([{ register: 'lbaLow', equals: 0 }]);
  });

  it('refuses a file with neither commands nor ATA commands, at commands', () => {
    const f = { ...base(), ataCommands: [] };
    const t = text(f);
    expect(problemOf(t)).toBe(
      `ata.json line ${lineOf(t, '"commands"')}: commands: needs at least one command or ATA command`,
    );
  });

  it('refuses two rows for one COMMAND and FEATURES, naming the second row’s line', () => {
    const t = withRow(2, { code: 'B0h', features: 'DAh', name: 'OTHER', responseWhen: undefined });
    expect(problemOf(t)).toContain(
      `ata.json line ${lineOf(t, '"features": "DAh"', 1)}: ataCommands.2.features: B0h/DAh is already declared by ataCommands.1; one row per COMMAND and FEATURES`,
    );
  });

  it('refuses a COMMAND declared twice without FEATURES, at code', () => {
    const t = withRow(2, { code: 'ECh', name: 'OTHER' });
    expect(problemOf(t)).toBe(
      `ata.json line ${lineOf(t, '"code": "ECh"', 1)}: ataCommands.2.code: ECh is already declared by ataCommands.0; one row per COMMAND and FEATURES`,
    );
  });

  it('refuses a name used twice', () => {
    const t = withRow(2, { name: 'IDENTIFY DEVICE' });
    expect(problemOf(t)).toBe(
      `ata.json line ${lineOf(t, '"name": "IDENTIFY DEVICE"', 1)}: ataCommands.2.name: "IDENTIFY DEVICE" is already the name of ataCommands.0`,
    );
  });

  it('needs blocks when the protocol moves data, and none when it does not', () => {
    const none = withRow(0, { blocks: 0 });
    expect(problemOf(none)).toBe(
      `ata.json line ${lineOf(none, '"blocks": 0')}: ataCommands.0.blocks: must be more than 0 or "count": a pio-in command moves data`,
    );
    const some = withRow(1, { blocks: 1 });
    expect(problemOf(some)).toBe(
      `ata.json line ${lineOf(some, '"blocks": 1', 1)}: ataCommands.1.blocks: must be 0: a non-data command moves no data`,
    );
  });

  it('refuses a data-out command declared reads', () => {
    const t = withRow(2, { protocol: 'dma-out', response: undefined, responseWhen: undefined });
    expect(problemOf(t)).toBe(
      `ata.json line ${lineOf(t, '"effect": "reads"', 2)}: ataCommands.2.effect: cannot be reads: a dma-out command sends data to the drive`,
    );
  });

  it('refuses a response layout on a command without data-in, and responseWhen without a layout', () => {
    const layout = withRow(1, {
      response: [{ key: 'x', name: 'X', type: 'uint', offset: 0, size: 1 }],
    });
    expect(problemOf(layout)).toBe(
      `ata.json line ${lineOf(layout, '"response"', 1)}: ataCommands.1.response: a non-data command returns no data for a response layout to read`,
    );
    const when = withRow(2, { response: undefined });
    expect(problemOf(when)).toBe(
      `ata.json line ${lineOf(when, '"responseWhen"')}: ataCommands.2.responseWhen: says when the response layout applies, but the command declares none`,
    );
  });

  it('checks an ATA command’s layout as a command’s: a key used twice', () => {
    const t = withRow(0, {
      response: [
        { key: 'serial', name: 'A', type: 'uint', offset: 0, size: 1 },
        { key: 'serial', name: 'B', type: 'uint', offset: 1, size: 1 },
      ],
    });
    expect(problemOf(t)).toBe(
      `ata.json line ${lineOf(t, '"key": "serial"', 1)}: ataCommands.0.response.1.key: "serial" is used twice`,
    );
  });

  it('names schema problems at their line: an unknown protocol, a register no condition may name', () => {
    const protocol = withRow(0, { protocol: 'pio' });
    expect(problemOf(protocol)).toBe(
      `ata.json line ${lineOf(protocol, '"protocol": "pio"')}: ataCommands.0.protocol: must be one of non-data, pio-in, pio-out, dma-in, dma-out`,
    );
    const register = withRow(2, { responseWhen: [{ register: 'status', equals: 0 }] });
    expect(problemOf(register)).toBe(
      `ata.json line ${lineOf(register, '"register": "status"')}: ataCommands.2.responseWhen.0.register: must be one of features, count, lbaLow, lbaMid, lbaHigh, device`,
    );
  });

  it('formatVendorSet writes the ATA commands back, codes as hex text, parsing to an equal set', () => {
    const r = parseVendorSet(text(base()), 'ata.json');
    if (!r.ok) throw new Error(r.error.message);
    const written = formatVendorSet(r.value);
    expect(written).toContain('"features": "DAh"');
    expect(written).toContain('"equals": "00h"');
    const again = parseVendorSet(written, 'again.json');
    expect(again.ok && again.value).toEqual(r.value);
  });
});

describe('checkAtaCommands', () => {
  const row: AtaCommandDef = {
    code: 0xe5,
    name: 'CHECK POWER MODE',
    summary: 'Says the power mode.',
    protocol: 'non-data',
    blocks: 0,
    effect: 'reads',
  };

  it('finds nothing wrong with the built-in sat set', () => {
    expect(checkAtaCommands(findVendorSet('sat')?.ataCommands ?? [])).toEqual([]);
  });

  it('gives each problem the path under the prefix it is given', () => {
    expect(checkAtaCommands([row, row], ['x'])).toEqual([
      {
        path: ['x', 1, 'code'],
        message: 'E5h is already declared by x.0; one row per COMMAND and FEATURES',
      },
      { path: ['x', 1, 'name'], message: '"CHECK POWER MODE" is already the name of x.0' },
    ]);
  });
});

describe('a command’s response naming an ATA command', () => {
  /** `base()` with one vendor command moving 512 bytes in, whose response is `response`. */
  function withResponse(response: unknown): string {
    const f = base();
    f.commands = [
      {
        opcode: 'D0h',
        name: 'TEST ATA COMMAND',
        aliases: ['ata-test.command'],
        cdbLength: 12,
        summary: 'Carries an ATA command.',
        effect: 'reads',
        fields: [],
        length: [{ fixedUnits: 512, kind: 'allocation', unit: 'bytes', direction: 'in' }],
        response,
      },
    ];
    return text(f);
  }

  function parsed(t: string): VendorSet {
    const r = parseVendorSet(t, 'ata.json');
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  }

  it('takes the layout of the file’s own row of that name', () => {
    const set = parsed(withResponse({ ataCommand: 'IDENTIFY DEVICE' }));
    expect(set.commands[0]?.response).toEqual(set.ataCommands?.[0]?.response);
    expect(set.commands[0]?.responseFrom).toEqual({ ataCommand: 'IDENTIFY DEVICE' });
  });

  it('takes the built-in sat set’s row when the file has none of that name', () => {
    const sat = findVendorSet('sat')?.ataCommands?.find((a) => a.name === 'SMART READ THRESHOLDS');
    const set = parsed(withResponse({ ataCommand: 'SMART READ THRESHOLDS' }));
    expect(sat?.response).toBeDefined();
    expect(set.commands[0]?.response).toEqual(sat?.response);
  });

  it('refuses a name no row has, at the reference’s line', () => {
    const t = withResponse({ ataCommand: 'IDENTIFY DEVCE' });
    expect(problemOf(t)).toBe(
      `ata.json line ${lineOf(t, '"ataCommand"')}: commands.0.response.ataCommand: names no ATA command of this set or of the built-in sat set ("IDENTIFY DEVCE")`,
    );
  });

  it('refuses a row without a response layout', () => {
    const t = withResponse({ ataCommand: 'SMART RETURN STATUS' });
    expect(problemOf(t)).toBe(
      `ata.json line ${lineOf(t, '"ataCommand"')}: commands.0.response.ataCommand: ATA command "SMART RETURN STATUS" (this set) declares no response layout`,
    );
  });

  it('still names the field of a layout written out, and the key of a malformed reference', () => {
    const layout = withResponse([{ key: 'x', name: 'X', type: 'uint', offset: 0, size: 3 }]);
    expect(problemOf(layout)).toBe(
      `ata.json line ${lineOf(layout, '"size": 3')}: commands.0.response.0.size: must be 1, 2, 4 or 8 (bytes)`,
    );
    const reference = withResponse({ ataCommand: '' });
    expect(problemOf(reference)).toMatch(
      new RegExp(
        `^ata\\.json line ${lineOf(reference, '"ataCommand"')}: commands\\.0\\.response\\.ataCommand: must not be empty`,
      ),
    );
    const neither = withResponse('IDENTIFY DEVICE');
    expect(problemOf(neither)).toBe(
      `ata.json line ${lineOf(neither, '"response"')}: commands.0.response: must be a layout (an array of fields) or {"ataCommand": NAME}`,
    );
  });

  it('lets a sequence step take a field of the referenced layout, and no other', () => {
    const f = JSON.parse(withResponse({ ataCommand: 'IDENTIFY DEVICE' })) as {
      commands: { fields: unknown[] }[];
      sequences?: unknown;
    };
    f.commands[0]?.fields.push({
      key: 'count',
      name: 'COUNT',
      byte: 2,
      bit: 0,
      width: 8,
      meaning: 'The ATA COUNT register.',
    });
    const sequence = (field: string): string =>
      text({
        ...f,
        sequences: [
          {
            alias: 'ata-test.twice',
            name: 'Twice',
            summary: 'Sends it twice.',
            steps: [
              { command: 'ata-test.command' },
              { command: 'ata-test.command', fields: { count: { step: 0, field } } },
            ],
          },
        ],
      });
    expect(parseVendorSet(sequence('sectors28'), 'ata.json').ok).toBe(true);
    expect(problemOf(sequence('model'))).toMatch(
      /sequences\.0\.steps\.1\.fields\.count\.field: step 0 \(ata-test\.command\) has no response field "model"/,
    );
  });

  it('formatVendorSet writes the reference back, parsing to an equal set', () => {
    const set = parsed(withResponse({ ataCommand: 'SMART READ DATA' }));
    const written = formatVendorSet(set);
    expect(written).toContain('"response": {\n        "ataCommand": "SMART READ DATA"\n      }');
    expect(parseVendorSet(written, 'again.json')).toEqual({ ok: true, value: set });
  });
});
