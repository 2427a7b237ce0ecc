/**
 * A user's vendor set answered by an emulated drive through the full
 * Bulk-Only path (openDevice → BOT host → BOT device → logical unit), in the
 * order shared/vendor-sets/model.ts gives: declared bounds, senseWhen,
 * behaviour, data.
 */
import { describe, expect, it } from 'vitest';
import { buildCdb } from '../../shared/scsi/cdb/build';
import type { CommandSpec, FieldSpec } from '../../shared/scsi/catalog';
import { decodeSense } from '../../shared/scsi/sense';
import { parseVendorSet } from '../../shared/vendor-sets/format';
import type { VendorCommandDef, VendorSet } from '../../shared/vendor-sets/model';
import { MemoryStore } from '../../src-main/emulator/store';
import { BotHost } from '../../src-main/engine/bot-host';
import { ExportedDrive } from '../../src-main/export/exported-drive';
import { runUsbcdb } from '../cli-run';
import type { CommandOutcome, CommandRequest, Transport } from '../../src-main/engine/transport';
import { openReady, profile, senseCodes } from './helpers';
import { asOpcode } from '../../shared/scsi/brand';

const field = (
  key: string,
  name: string,
  byte: number,
  bit: number,
  width: number,
  extra: Partial<FieldSpec> = {},
): FieldSpec => ({ key, name, byte, bit, width, meaning: name, ...extra });

/** A 10-byte vendor CDB with an opcode and CONTROL, plus `fields`. */
function spec(
  opcode: number,
  alias: string,
  fields: readonly FieldSpec[],
  length: CommandSpec['length'] = [],
): CommandSpec {
  return {
    opcode: asOpcode(opcode),
    name: alias.toUpperCase(),
    aliases: [alias],
    cdbLength: 10,
    standard: 'acme test set',
    summary: alias,
    fields: [
      field('opcode', 'OPERATION CODE', 0, 0, 8, { role: 'opcode' }),
      ...fields,
      field('control', 'CONTROL', 9, 0, 8, { role: 'control' }),
    ],
    length,
    effect: 'reads',
  };
}

const ALLOCATION = field('allocationLength', 'ALLOCATION LENGTH', 7, 0, 16, {
  role: 'allocationLength',
});
const DATA_IN: CommandSpec['length'] = [
  { field: 'allocationLength', kind: 'allocation', unit: 'bytes', direction: 'in' },
];

const status: VendorCommandDef = {
  spec: spec(
    0xd0,
    'acme.status',
    [field('page', 'PAGE', 2, 0, 8, { max: 3 }), field('select', 'SELECT', 1, 2, 2), ALLOCATION],
    DATA_IN,
  ),
  response: [
    { key: 'state', name: 'STATE', offset: 0, type: 'uint', size: 1, endian: 'be' },
    { key: 'busy', name: 'BUSY', offset: 1, type: 'flag', bit: 7 },
    { key: 'temperature', name: 'TEMPERATURE', offset: 2, type: 'uint', size: 2, endian: 'be' },
    { key: 'model', name: 'MODEL', offset: 4, type: 'ascii', length: 8 },
  ],
  emulation: {
    senseWhen: [
      {
        when: [{ field: 'page', equals: 2 }],
        sense: { key: 0x05, asc: 0x24, ascq: 0x00, field: 'page' },
      },
      {
        when: [{ field: 'select', equals: 3 }],
        sense: { key: 0x05, asc: 0x24, ascq: 0x00, field: 'select' },
      },
      { when: [{ field: 'page', equals: 1 }], sense: { key: 0x02, asc: 0x04, ascq: 0x01 } },
    ],
    data: { values: { state: 2, busy: true, temperature: 300, model: 'ACME' }, length: 12 },
  },
};

const serial: VendorCommandDef = {
  spec: spec(0xd1, 'acme.serial', [ALLOCATION], DATA_IN),
  emulation: { data: { hex: 'de ad be ef 01 02' } },
};

const reset: VendorCommandDef = { spec: spec(0xd2, 'acme.reset', []) };

const ACME: VendorSet = {
  name: 'acme',
  vendor: 'Acme',
  description: 'A test set.',
  commands: [status, serial, reset],
  sequences: [],
};

function cdb(command: VendorCommandDef, values: Record<string, number> = {}): Uint8Array {
  const b = buildCdb(command.spec, values);
  if (!b.ok) throw new Error(b.error.message);
  return b.value;
}

const open = (name: string, sets: readonly VendorSet[]): Promise<Transport> =>
  openReady(name, { vendorSets: sets });

function send(
  t: Transport,
  bytes: Uint8Array,
  extra: Partial<CommandRequest> = {},
): Promise<CommandOutcome> {
  const n = extra.transferLength ?? 0;
  return t.execute({
    cdb: bytes,
    lun: 0,
    direction: extra.dataOut ? 'out' : n > 0 ? 'in' : 'none',
    transferLength: n,
    timeoutMs: 5000,
    ...extra,
  });
}

function pointer(o: CommandOutcome): unknown {
  const s = o.sense ? decodeSense(o.sense) : undefined;
  return s?.ok ? s.value.senseKeySpecific : undefined;
}

describe('a user vendor set on an emulated drive', () => {
  it('answers data.values encoded into the response layout, cut to the allocation length', async () => {
    const t = await open('flash-stick', [ACME]);
    const full = await send(t, cdb(status, { allocationLength: 64 }), { transferLength: 64 });
    expect(full.status).toBe(0);
    // STATE 2, BUSY (byte 1 bit 7), TEMPERATURE 300 big-endian, MODEL "ACME" space-padded.
    expect(Array.from(full.dataIn)).toEqual([
      0x02, 0x80, 0x01, 0x2c, 0x41, 0x43, 0x4d, 0x45, 0x20, 0x20, 0x20, 0x20,
    ]);
    const cut = await send(t, cdb(status, { allocationLength: 3 }), { transferLength: 3 });
    expect(Array.from(cut.dataIn)).toEqual([0x02, 0x80, 0x01]);
  });

  it('answers fixed hex, cut to the allocation length', async () => {
    const t = await open('flash-stick', [ACME]);
    const o = await send(t, cdb(serial, { allocationLength: 4 }), { transferLength: 4 });
    expect(Array.from(o.dataIn)).toEqual([0xde, 0xad, 0xbe, 0xef]);
  });

  it('gives the senseWhen sense with a field pointer from the field’s declared byte and bit', async () => {
    const t = await open('flash-stick', [ACME]);
    const page = await send(t, cdb(status, { page: 2, allocationLength: 12 }), {
      transferLength: 12,
    });
    expect(senseCodes(page)).toBe('5/24/00');
    expect(pointer(page)).toMatchObject({
      kind: 'field-pointer',
      inCdb: true,
      bitPointerValid: false,
      fieldPointer: 2,
    });
    const select = await send(t, cdb(status, { select: 3, allocationLength: 12 }), {
      transferLength: 12,
    });
    // SELECT is byte 1 bits 3:2: the pointer names its left-most bit (SPC-5, field pointer).
    expect(pointer(select)).toMatchObject({
      bitPointerValid: true,
      bitPointer: 3,
      fieldPointer: 1,
    });
    const notReady = await send(t, cdb(status, { page: 1, allocationLength: 12 }), {
      transferLength: 12,
    });
    expect(senseCodes(notReady)).toBe('2/04/01');
    expect(pointer(notReady)).toBeUndefined();
  });

  it('refuses a field outside its declared bounds with 05/24/00 at that field', async () => {
    const t = await open('flash-stick', [ACME]);
    const bytes = cdb(status, { allocationLength: 12 });
    bytes[2] = 9; // PAGE: declared 0–3
    const o = await send(t, bytes, { transferLength: 12 });
    expect(senseCodes(o)).toBe('5/24/00');
    expect(pointer(o)).toMatchObject({ fieldPointer: 2, bitPointerValid: false });
  });

  it('answers GOOD without data when a command declares no emulation', async () => {
    const t = await open('flash-stick', [ACME]);
    const o = await send(t, cdb(reset));
    expect(o.status).toBe(0);
    expect(o.dataIn).toHaveLength(0);
  });

  it('is not heard behind a bridge that filters vendor opcodes, nor without the set', async () => {
    const bridge = await open('sata-bridge', [ACME]);
    expect(senseCodes(await send(bridge, cdb(reset)))).toBe('5/20/00');
    const plain = await open('flash-stick', []);
    expect(senseCodes(await send(plain, cdb(reset)))).toBe('5/20/00');
  });

  it('sits beside the profile’s built-in sets: fw-updatable speaks both', async () => {
    const t = await open('fw-updatable', [ACME]);
    expect((await send(t, cdb(reset))).status).toBe(0);
    const led = Uint8Array.from([0xc2, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
    expect(Array.from((await send(t, led, { transferLength: 1 })).dataIn)).toEqual([0]);
  });

  it('answers a set read from a vendor-set JSON file', async () => {
    const parsed = parseVendorSet(
      JSON.stringify({
        usbcdbVendorSet: 1,
        name: 'acme',
        vendor: 'Acme',
        description: 'A test set.',
        commands: [
          {
            opcode: 'D3h',
            name: 'ACME GET VERSION',
            aliases: ['acme.version'],
            cdbLength: 10,
            summary: 'Returns the version.',
            effect: 'reads',
            fields: [
              {
                key: 'allocationLength',
                name: 'ALLOCATION LENGTH',
                byte: 8,
                bit: 0,
                width: 8,
                meaning: 'Room for the answer.',
                role: 'allocationLength',
              },
            ],
            length: [
              { field: 'allocationLength', kind: 'allocation', unit: 'bytes', direction: 'in' },
            ],
            response: [
              { key: 'major', name: 'MAJOR', offset: 0, type: 'uint', size: 1 },
              { key: 'minor', name: 'MINOR', offset: 1, type: 'uint', size: 2, endian: 'le' },
            ],
            emulation: { data: { values: { major: 3, minor: 0x0102 }, length: 4 } },
          },
        ],
      }),
      'acme.json',
    );
    if (!parsed.ok) throw new Error(parsed.error.message);
    const t = await open('flash-stick', [parsed.value]);
    const o = await send(t, Uint8Array.from([0xd3, 0, 0, 0, 0, 0, 0, 0, 8, 0]), {
      transferLength: 8,
    });
    expect(Array.from(o.dataIn)).toEqual([3, 0x02, 0x01, 0]);
  });
});

describe('an exported drive with a user vendor set', () => {
  it('answers the set’s commands on every connection', async () => {
    const drive = new ExportedDrive(profile('flash-stick'), new MemoryStore(512, 64), [ACME]);
    const host = new BotHost(drive.attach());
    const request = (bytes: Uint8Array, transferLength: number): CommandRequest => ({
      cdb: bytes,
      lun: 0,
      direction: transferLength > 0 ? 'in' : 'none',
      transferLength,
      timeoutMs: 5000,
    });
    await host.execute(request(new Uint8Array(6), 0)); // the power-on unit attention
    const o = await host.execute(request(cdb(serial, { allocationLength: 6 }), 6));
    expect(Array.from(o.dataIn)).toEqual([0xde, 0xad, 0xbe, 0xef, 0x01, 0x02]);
    drive.close();
  });

  it('is not exported when a --vendor-set file cannot be read, and the message names it', async () => {
    const r = await runUsbcdb([
      'emulate',
      '--vendor-set',
      '/nonexistent/acme.json',
      '--usbip',
      '127.0.0.1:0',
    ]);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/^emulate: .*\/nonexistent\/acme\.json/m);
    expect(r.out).toBe('');
  });
});
