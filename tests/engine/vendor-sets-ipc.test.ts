/**
 * The vendor-set channels through the real dispatch and handlers: a user's
 * set is saved into the data folder's vendor-sets/, listed, exported and
 * deleted; a broken one is refused naming line and field; built-in sets
 * cannot be overwritten; names that are paths and texts past the limit are
 * refused; and the saved set reaches the emulated drive, the confirmation
 * gate and the sequence runner.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_VENDOR_SET_TEXT } from '../../shared/ipc/contract';
import { formatHex, parseHex } from '../../shared/scsi/hex';
import { ok } from '../../shared/scsi/result';
import { BUILT_IN_SETS } from '../../shared/vendor-sets/registry';
import { dispatch } from '../../src-main/ipc/dispatch';
import { DeviceSessions, makeHandlers } from '../../src-main/ipc/handlers';
import { VendorSetStore } from '../../src-main/ipc/vendor-set-store';
import type { CommandRequest, Transport } from '../../src-main/engine/transport';
import { PresetStore } from '../../src-main/presets/store';
import { ACME_SET_TEXT, ACME_TEMPERATURE_ANSWER } from '../acme-vendor-set';
import { testTempDir } from '../temp-dir';

/** Bytes written as hex pairs, as the SCSI standards print them. */
function hex(text: string): Uint8Array {
  const r = parseHex(text);
  if (!r.ok) throw new Error(`not hex: ${text}`);
  return r.value;
}

type Reply = Awaited<ReturnType<typeof dispatch>>;

/** Handlers over a fresh data folder; `opener` stands in for the engine's openDevice when given. */
function app(opener?: ConstructorParameters<typeof DeviceSessions>[1]) {
  const dataDir = testTempDir('vendor-ipc');
  const sessions = new DeviceSessions(dataDir, opener);
  const handlers = makeHandlers(sessions, new PresetStore(join(dataDir, 'presets.json')));
  let id = 0;
  const call = (channel: string, payload: unknown): Promise<Reply> =>
    dispatch(handlers, { id: ++id, channel, payload });
  return { dataDir, sessions, call };
}

function value<T = unknown>(r: Reply): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .map((f) => relative(dir, join(dir, f)))
    .sort();
}

interface Summary {
  name: string;
  source: string;
  commands: { alias: string; name: string; opcode: number }[];
  sequences: { alias: string; name: string }[];
  text?: string;
}

const BUILT_IN = BUILT_IN_SETS[0]?.name ?? 'example';

/** A set's text under another name: its name, and the prefix of its aliases ("acme.read-temp"). */
function renamed(text: string, from: string, to: string): string {
  return text.replace(new RegExp(`"${from}([".])`, 'g'), `"${to}$1`);
}

describe('vendorSets channels', () => {
  it('saves a set as vendor-sets/NAME.json, lists it after the built-in sets, exports its text and deletes it', async () => {
    const { dataDir, call, sessions } = app();
    const listed = value<Summary[]>(await call('vendorSets.save', { text: ACME_SET_TEXT }));
    expect(listed.map((s) => [s.name, s.source])).toEqual([
      ...BUILT_IN_SETS.map((s) => [s.name, 'built-in']),
      ['acme', 'user'],
    ]);
    const acme = listed.find((s) => s.name === 'acme');
    expect(acme?.commands).toEqual([
      { alias: 'acme.read-temp', name: 'ACME READ TEMPERATURE', opcode: 0xd1 },
      { alias: 'acme.set-fan', name: 'ACME SET FAN', opcode: 0xd2 },
    ]);
    expect(acme?.sequences).toEqual([{ alias: 'acme.cool-down', name: 'Cool down' }]);
    expect(acme?.text).toBe(ACME_SET_TEXT);
    expect(filesUnder(dataDir)).toEqual([join('vendor-sets', 'acme.json')]);
    expect(readFileSync(join(dataDir, 'vendor-sets', 'acme.json'), 'utf8')).toBe(ACME_SET_TEXT);
    // Owner-only, like the presets.
    expect(statSync(join(dataDir, 'vendor-sets', 'acme.json')).mode & 0o077).toBe(0);

    expect(value(await call('vendorSets.export', { name: 'acme' }))).toEqual({
      text: ACME_SET_TEXT,
    });
    expect(value<Summary[]>(await call('vendorSets.list', {})).map((s) => s.name)).toContain(
      'acme',
    );

    const after = value<Summary[]>(await call('vendorSets.delete', { name: 'acme' }));
    expect(after.map((s) => s.name)).not.toContain('acme');
    expect(existsSync(join(dataDir, 'vendor-sets', 'acme.json'))).toBe(false);
    expect(await call('vendorSets.delete', { name: 'acme' })).toMatchObject({
      ok: false,
      error: { code: 'vendor-set', message: 'there is no user vendor set "acme"' },
    });
    await sessions.close();
  });

  it('lists a file whose name cannot be a set’s with why, rather than leaving it out unseen', async () => {
    const { dataDir, call, sessions } = app();
    await call('vendorSets.save', { text: ACME_SET_TEXT });
    // Copied in by hand: AUX is a device on Windows, and a space is no data-name character.
    const dir = join(dataDir, 'vendor-sets');
    writeFileSync(join(dir, 'aux.json'), renamed(ACME_SET_TEXT, 'acme', 'aux'));
    writeFileSync(join(dir, 'my set.json'), ACME_SET_TEXT);
    const listed = value<(Summary & { problem?: string })[]>(await call('vendorSets.list', {}));
    expect(listed.filter((s) => s.source === 'user').map((s) => [s.name, s.problem])).toEqual([
      ['acme', undefined],
      [
        'aux',
        'set "aux" is a device on Windows (CON, PRN, AUX, NUL, COM0–COM9 and LPT0–LPT9 are, with any extension); pick another name: this file is not used; rename it in the data folder\'s vendor-sets/ and import it again',
      ],
      [
        'my set',
        expect.stringMatching(/^set "my set" may hold only letters.*: this file is not used;/),
      ],
    ]);
    // Not used: no command of theirs is known.
    expect(listed.find((s) => s.name === 'aux')?.commands).toEqual([]);
    await sessions.close();
  });

  it('replaces a saved set when the same name is saved again (an edit)', async () => {
    const { dataDir, call, sessions } = app();
    value(await call('vendorSets.save', { text: ACME_SET_TEXT }));
    const edited = ACME_SET_TEXT.replace('ACME Storage', 'ACME Storage Inc.');
    const listed = value<Summary[]>(await call('vendorSets.save', { text: edited }));
    expect(listed.filter((s) => s.name === 'acme')).toHaveLength(1);
    expect(readFileSync(join(dataDir, 'vendor-sets', 'acme.json'), 'utf8')).toBe(edited);
    await sessions.close();
  });

  it('refuses a set that does not parse, naming the line and the field, and writes nothing', async () => {
    const { dataDir, call, sessions } = app();
    // The SENSOR field's byte, 2, becomes 20: past the 10-byte CDB.
    const broken = ACME_SET_TEXT.replace('"byte": 2,', '"byte": 20,');
    const line = broken.split('\n').findIndex((l) => l.includes('"byte": 20')) + 1;
    const r = await call('vendorSets.save', { text: broken });
    expect(r.ok).toBe(false);
    const message = r.ok ? '' : r.error.message;
    expect(message).toContain(`line ${line}: commands.0.fields.0.byte`);
    const syntax = await call('vendorSets.save', { text: '{\n  "name": "acme",\n}' });
    expect(syntax.ok ? '' : syntax.error.message).toMatch(/^the vendor set JSON line 3: /);
    expect(filesUnder(dataDir)).toEqual([]);
    await sessions.close();
  });

  it('never overwrites or deletes a built-in set, and exports it as a file that parses', async () => {
    const { dataDir, call, sessions } = app();
    const shadow = renamed(ACME_SET_TEXT, 'acme', BUILT_IN);
    const r = await call('vendorSets.save', { text: shadow });
    expect(r).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/is the name of a built-in set/) },
    });
    expect(await call('vendorSets.delete', { name: BUILT_IN })).toMatchObject({
      ok: false,
      error: { message: `"${BUILT_IN}" is a built-in set; it cannot be deleted` },
    });
    const exported = value<{ text: string }>(await call('vendorSets.export', { name: BUILT_IN }));
    // Imported under another name, the export of a built-in set becomes the user's own.
    const copy = renamed(exported.text, BUILT_IN, 'my-copy');
    expect(copy).not.toBe(exported.text);
    value(await call('vendorSets.save', { text: copy }));
    expect(filesUnder(dataDir)).toEqual([join('vendor-sets', 'my-copy.json')]);
    await sessions.close();
  });

  it('refuses names that are paths, hidden files or too long, in the contract and again in the store', async () => {
    const { dataDir, call, sessions } = app();
    const hostile = [
      '../presets',
      '/etc/passwd',
      'a/b',
      '..',
      '.hidden',
      'C:\\x',
      'x'.repeat(65),
      '',
      'acme\u0000',
    ];
    for (const name of hostile) {
      for (const channel of ['vendorSets.delete', 'vendorSets.export'])
        expect(await call(channel, { name }), `${channel} ${JSON.stringify(name)}`).toMatchObject({
          ok: false,
          error: { code: 'bad-request' },
        });
      expect(new VendorSetStore(dataDir).remove(name).ok).toBe(false);
      expect(new VendorSetStore(dataDir).text(name).ok).toBe(false);
    }
    expect(filesUnder(dataDir)).toEqual([]);
    await sessions.close();
  });

  it(`refuses a text over ${MAX_VENDOR_SET_TEXT / 1048576} MiB before parsing it`, async () => {
    const { dataDir, call, sessions } = app();
    const huge = ACME_SET_TEXT.replace(
      '"description": "',
      `"description": "${'x'.repeat(MAX_VENDOR_SET_TEXT)}`,
    );
    expect(await call('vendorSets.save', { text: huge })).toMatchObject({
      ok: false,
      error: { code: 'bad-request', message: expect.stringMatching(/at most 4 MiB/) },
    });
    expect(filesUnder(dataDir)).toEqual([]);
    await sessions.close();
  });
});

describe('a saved set in use', () => {
  const READ_TEMP = {
    device: 'emu:flash-stick',
    cdb: hex('d1 00 00 00 00 00 00 00 08 00'),
    lun: 0,
    direction: 'in',
    transferLength: 8,
    timeoutMs: 5000,
  };

  it('is answered by an emulated drive opened after the save (its emulation block)', async () => {
    const { call, sessions } = app();
    value(await call('vendorSets.save', { text: ACME_SET_TEXT }));
    const o = value<{ status: number; dataIn: Uint8Array }>(
      await call('device.execute', READ_TEMP),
    );
    expect(o.status).toBe(0);
    expect(formatHex(o.dataIn)).toBe(ACME_TEMPERATURE_ANSWER);
    await sessions.close();
  });

  it('reaches a drive already open: saving closes it, and the next command opens it speaking the set', async () => {
    const { call, sessions } = app();
    const before = value<{ status: number; sense: string }>(
      await call('device.execute', READ_TEMP),
    );
    // Unknown vendor opcode: CHECK CONDITION, ILLEGAL REQUEST, INVALID COMMAND OPERATION CODE.
    expect(before.status).toBe(2);
    value(await call('vendorSets.save', { text: ACME_SET_TEXT }));
    const after = value<{ status: number; dataIn: Uint8Array }>(
      await call('device.execute', READ_TEMP),
    );
    expect(after.status).toBe(0);
    expect(formatHex(after.dataIn)).toBe(ACME_TEMPERATURE_ANSWER);
    await sessions.close();
  });

  it('runs its sequence as one action: each step with its CDB, outcome and decoded rows', async () => {
    const { call, sessions } = app();
    value(await call('vendorSets.save', { text: ACME_SET_TEXT }));
    const run = value<{
      completed: boolean;
      steps: {
        command: string;
        cdb: Uint8Array;
        outcome: { status: number };
        rows: { key: string; value: string; offset: number; length: number }[];
      }[];
    }>(
      await call('sequence.run', {
        device: 'emu:flash-stick',
        set: 'acme',
        sequence: 'acme.cool-down',
        lun: 0,
        timeoutMs: 5000,
      }),
    );
    expect(run.completed).toBe(true);
    expect(run.steps.map((s) => [s.command, s.outcome.status])).toEqual([
      ['acme.read-temp', 0],
      ['acme.set-fan', 0],
    ]);
    const rows = run.steps[0]?.rows ?? [];
    expect(rows.map((r) => [r.key, r.offset, r.length])).toEqual([
      ['celsius', 0, 2],
      ['limit', 2, 2],
      ['overheated', 4, 1],
      ['model', 5, 3],
    ]);
    expect(rows[0]?.value).toMatch(/^41\b/);
    expect(rows[3]?.value).toMatch(/TMP/);
    // Step 2's FAN SPEED (byte 2) is step 1's TEMPERATURE: 41 = 29h.
    expect(run.steps[1] && formatHex(run.steps[1].cdb)).toBe('d2 00 29 00 00 00');
    expect(
      await call('sequence.run', {
        device: 'emu:flash-stick',
        set: 'acme',
        sequence: 'acme.nope',
        lun: 0,
        timeoutMs: 5000,
      }),
    ).toMatchObject({
      ok: false,
      error: { message: 'the set acme has no sequence "acme.nope"; it has acme.cool-down' },
    });
    await sessions.close();
  });

  it("gates a real device on the set's declared effect: a command it declares as changing data needs confirmation", async () => {
    const sent: string[] = [];
    const fakeUsb: Transport = {
      describe: () => ({ id: 'usb:0781:5581', kind: 'usb', vendor: '', product: '', maxLun: 0 }),
      execute: (r: CommandRequest) => {
        sent.push(Array.from(r.cdb, (b) => b.toString(16).padStart(2, '0')).join(' '));
        return Promise.resolve({ status: 0, dataIn: new Uint8Array(), residue: 0, durationMs: 1 });
      },
      reset: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
    const { call, sessions } = app(() => Promise.resolve(ok(fakeUsb)));
    const wiping = ACME_SET_TEXT.replace('"effect": "changes-state"', '"effect": "changes-data"');
    const fan = {
      device: 'usb:0781:5581',
      cdb: hex('d2 00 32 00 00 00'),
      lun: 0,
      direction: 'none',
      transferLength: 0,
      timeoutMs: 1000,
    };
    // Without the set, an unknown vendor opcode with no data-out is not gated (confirm-policy.ts).
    expect(value(await call('device.execute', fan))).toMatchObject({ status: 0 });
    value(await call('vendorSets.save', { text: wiping }));
    expect(await call('device.execute', fan)).toMatchObject({
      ok: false,
      error: {
        code: 'needs-confirmation',
        message: expect.stringMatching(/ACME SET FAN can overwrite or erase user data/),
      },
    });
    expect(
      await call('sequence.run', {
        device: 'usb:0781:5581',
        set: 'acme',
        sequence: 'acme.cool-down',
        lun: 0,
        timeoutMs: 1000,
      }),
    ).toMatchObject({ ok: false, error: { code: 'needs-confirmation' } });
    // Opening the device settled it (TEST UNIT READY, INQUIRY); of the fan commands only the first went.
    expect(sent.filter((c) => c.startsWith('d2'))).toEqual(['d2 00 32 00 00 00']);
    expect(value(await call('device.execute', { ...fan, confirmed: true }))).toMatchObject({
      status: 0,
    });
    await sessions.close();
  });
});

/** A CDB of opcode C0h–FFh (settle's TEST UNIT READY and INQUIRY are not). */
const vendorCdb = (cdb: string): boolean => /^[c-f]/.test(cdb);

/** A fake real device: every CDB that reaches it, and an answer of `answer(cdb)` bytes (GOOD). */
function recordingUsb(answer: (cdb: Uint8Array) => Uint8Array = () => new Uint8Array()) {
  const sent: string[] = [];
  const t: Transport = {
    describe: () => ({ id: 'usb:1234:5678', kind: 'usb', vendor: '', product: '', maxLun: 0 }),
    execute: (r: CommandRequest) => {
      sent.push(formatHex(r.cdb));
      return Promise.resolve({ status: 0, dataIn: answer(r.cdb), residue: 0, durationMs: 1 });
    },
    reset: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
  return { t, sent };
}

interface TestCommand {
  alias: string;
  effect: string;
  /** The selector's value, in byte `selectorByte`. */
  serviceAction: number;
  direction: 'in' | 'out';
}

/**
 * A user set of 10-byte commands on `opcode`, told apart by a selector in byte
 * `selectorByte`; byte 2 or 3 (whichever is not the selector) is a plain ARG field, bytes
 * 6–8 the length. A data-in command answers a one-byte NEXT.
 */
function testSet(
  name: string,
  opcode: string,
  selectorByte: number,
  commands: TestCommand[],
  steps: unknown[] = [],
): string {
  const field = (key: string, byte: number, width: number, extra = {}) => ({
    key,
    name: key.toUpperCase(),
    byte,
    bit: 0,
    width,
    meaning: key,
    ...extra,
  });
  return JSON.stringify({
    usbcdbVendorSet: 1,
    name,
    vendor: `${name} Inc.`,
    description: 'A test set.',
    commands: commands.map((c) => ({
      opcode,
      name: c.alias.toUpperCase().replace('.', ' '),
      aliases: [c.alias],
      cdbLength: 10,
      summary: c.alias,
      effect: c.effect,
      support: 'optional',
      controlByte: 9,
      serviceActionField: 'selector',
      serviceAction: c.serviceAction,
      fields: [
        field('selector', selectorByte, 8),
        field('arg', selectorByte === 2 ? 3 : 2, 8),
        field('length', 6, 24, {
          role: c.direction === 'in' ? 'allocationLength' : 'parameterListLength',
        }),
      ],
      length: [
        {
          field: 'length',
          kind: c.direction === 'in' ? 'allocation' : 'parameterList',
          unit: 'bytes',
          direction: c.direction,
        },
      ],
      ...(c.direction === 'in'
        ? { response: [{ key: 'next', name: 'NEXT', offset: 0, type: 'uint', size: 1 }] }
        : {}),
    })),
    sequences:
      steps.length > 0 ? [{ alias: `${name}.go`, name: 'Go', summary: 'Goes.', steps }] : [],
  });
}

const TUNER: TestCommand[] = [
  { alias: 'tuner.config', effect: 'changes-state', serviceAction: 0, direction: 'out' },
  { alias: 'tuner.firmware', effect: 'firmware', serviceAction: 1, direction: 'out' },
  { alias: 'tuner.status', effect: 'reads', serviceAction: 2, direction: 'in' },
];

describe('sequence.run asks about each step as it will be sent, with every set known', () => {
  const run = {
    device: 'usb:1234:5678',
    set: 'tuner',
    sequence: 'tuner.go',
    lun: 0,
    timeoutMs: 1000,
  };

  it('refuses a set whose step sets the selector, which would make it send another command', async () => {
    const { call, sessions } = app();
    const stepSetsSelector = testSet('tuner', 'C6h', 1, TUNER, [
      { command: 'tuner.config', fields: { selector: 1 }, dataOut: { hex: 'de ad be ef' } },
    ]);
    expect(await call('vendorSets.save', { text: stepSetsSelector })).toMatchObject({
      ok: false,
      error: {
        message: expect.stringMatching(
          /sequences\.0\.steps\.0\.fields\.selector: SELECTOR selects the command \(TUNER CONFIG is service action 00h\); a step cannot set it/,
        ),
      },
    });
    await sessions.close();
  });

  it("gates a command another set declares destructive, and a set's reuse of WRITE(10)", async () => {
    const { t, sent } = recordingUsb();
    const { call, sessions } = app(() => Promise.resolve(ok(t)));
    // C5h is the shipped example set's FIRMWARE DOWNLOAD; this set calls it a state change.
    const mine = ACME_SET_TEXT.replace(/"D2h"/, '"C5h"');
    expect(mine).not.toBe(ACME_SET_TEXT);
    value(await call('vendorSets.save', { text: mine }));
    expect(
      await call('sequence.run', { ...run, set: 'acme', sequence: 'acme.cool-down' }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'needs-confirmation',
        message: expect.stringMatching(/EXAMPLE FIRMWARE DOWNLOAD/),
      },
    });
    expect(sent.filter(vendorCdb)).toEqual([]);
    // A bridge set that reuses WRITE(10) (selector byte 1 = 00h) and calls it a read.
    const reuse = JSON.stringify({
      usbcdbVendorSet: 1,
      name: 'reuse',
      vendor: 'Reuse Inc.',
      description: 'Reuses WRITE(10).',
      commands: [
        {
          opcode: '2Ah',
          standardRangeOpcode: 'The bridge reads a table with it.',
          name: 'REUSE READ TABLE',
          aliases: ['reuse.table'],
          cdbLength: 10,
          summary: 'Reads a table.',
          effect: 'reads',
          support: 'optional',
          controlByte: 9,
          serviceActionField: 'selector',
          serviceAction: 0,
          fields: [
            { key: 'selector', name: 'SELECTOR', byte: 1, bit: 0, width: 8, meaning: 'selector' },
            {
              key: 'length',
              name: 'LENGTH',
              byte: 7,
              bit: 0,
              width: 16,
              meaning: 'length',
              role: 'parameterListLength',
            },
          ],
          length: [{ field: 'length', kind: 'parameterList', unit: 'bytes', direction: 'out' }],
        },
      ],
      sequences: [
        {
          alias: 'reuse.go',
          name: 'Go',
          summary: 'Goes.',
          steps: [{ command: 'reuse.table', dataOut: { hex: '00 '.repeat(512) } }],
        },
      ],
    });
    value(await call('vendorSets.save', { text: reuse }));
    expect(
      await call('sequence.run', { ...run, set: 'reuse', sequence: 'reuse.go' }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'needs-confirmation',
        message: expect.stringMatching(/WRITE\(10\) can overwrite/),
      },
    });
    expect(sent.filter((c) => c.startsWith('2a'))).toEqual([]);
    await sessions.close();
  });

  it('asks again as each step is built from earlier answers, before sending it', async () => {
    // Set "other" reads C7h with byte 2 = 01h as a firmware download. Tuner's C7h CONFIG
    // takes its ARG (byte 2) from the status it read first: 01h here, 00h before the run.
    const { t, sent } = recordingUsb((cdb) => (cdb[1] === 2 ? Uint8Array.of(1) : new Uint8Array()));
    const { call, sessions } = app(() => Promise.resolve(ok(t)));
    value(
      await call('vendorSets.save', {
        text: testSet('other', 'C7h', 2, [
          { alias: 'other.firmware', effect: 'firmware', serviceAction: 1, direction: 'out' },
        ]),
      }),
    );
    value(
      await call('vendorSets.save', {
        text: testSet('tuner', 'C7h', 1, TUNER, [
          { command: 'tuner.status', fields: { length: 1 } },
          {
            command: 'tuner.config',
            fields: { arg: { step: 0, field: 'next' } },
            dataOut: { hex: '00' },
          },
        ]),
      }),
    );
    expect(await call('sequence.run', run)).toMatchObject({
      ok: false,
      error: {
        code: 'needs-confirmation',
        message: expect.stringMatching(
          /^tuner\.go step 1: OTHER FIRMWARE can replace .* The step before it ran, none needing confirmation\. Confirm to run the sequence from the start on usb:1234:5678\.$/,
        ),
      },
    });
    // The status read went; the command the other set calls a firmware download did not.
    expect(sent.filter(vendorCdb)).toEqual(['c7 02 00 00 00 00 00 00 01 00']);
    value(await call('sequence.run', { ...run, confirmed: true }));
    expect(sent.filter(vendorCdb).at(-1)).toBe('c7 00 01 00 00 00 00 00 01 00');
    await sessions.close();
  });
});
