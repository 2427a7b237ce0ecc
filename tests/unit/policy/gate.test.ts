/**
 * Both front ends refuse, for a `usb:` device, what the confirmation policy
 * gates — the app's `device.execute` until the user confirms, the CLI until
 * --force — through one policy. WRITE AND VERIFY(10) and WRITE LONG(10) with
 * WR_UNCOR are commands the earlier, lint-keyed gates let through.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runUsbcdb as run } from '../../cli-run';
import { ok } from '../../../shared/scsi/result';
import { ACME_SET_TEXT } from '../../acme-vendor-set';
import type * as DeviceString from '../../../src-main/engine/device-string';
import type { CommandRequest, Transport } from '../../../src-main/engine/transport';

/** Every CDB the fake real device received (opcode first byte, hex), and how often it was closed. */
const sent: string[] = [];
let closes = 0;

const fakeUsb: Transport = {
  describe: () => ({
    id: 'usb:0781:5581',
    kind: 'usb',
    vendor: '0781',
    product: '5581',
    maxLun: 0,
  }),
  execute: (r: CommandRequest) => {
    sent.push(Array.from(r.cdb, (b) => b.toString(16).padStart(2, '0')).join(' '));
    return Promise.resolve({
      status: 0,
      dataIn: new Uint8Array(r.direction === 'in' ? r.transferLength : 0),
      residue: 0,
      durationMs: 1,
    });
  },
  reset: () => Promise.resolve(),
  close: () => {
    closes++;
    return Promise.resolve();
  },
};

// The CLI opens devices through the engine's openDevice: usb: strings get the fake.
vi.mock('../../../src-main/engine/device-string', async (importOriginal) => {
  const real = await importOriginal<typeof DeviceString>();
  return {
    ...real,
    openDevice: (spec: string, options?: Parameters<typeof real.openDevice>[1]) =>
      spec.startsWith('usb:') ? Promise.resolve(ok(fakeUsb)) : real.openDevice(spec, options),
  };
});

const DIR = mkdtempSync(join(tmpdir(), 'usbcdb-gate-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

beforeEach(() => {
  sent.length = 0;
  closes = 0;
});

const WRITE_AND_VERIFY_10 = '2e 00 00 00 00 00 00 00 01 00';
const WRITE_LONG_10_WR_UNCOR = '3f 40 00 00 00 00 00 00 00 00';
const sentOpcodes = (): string[] => sent.map((c) => c.slice(0, 2));

describe('the CLI (--force)', () => {
  const block = join(DIR, 'block.bin');
  writeFileSync(block, new Uint8Array(512));

  it('raw refuses WRITE AND VERIFY(10) to a usb: device without --force, sends nothing, closes it', async () => {
    const r = await run(['raw', WRITE_AND_VERIFY_10, '--out', block, '--device', 'usb:0781:5581']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^raw: WRITE AND VERIFY\(10\) can overwrite or erase user data on the medium \(opcode 2Eh\)\. It was not sent to usb:0781:5581: add --force to send it\./,
    );
    expect(sent).toEqual([]);
    expect(closes).toBe(1);
  });

  it('raw refuses WRITE LONG(10) with WR_UNCOR although it has no data-out', async () => {
    const r = await run(['raw', WRITE_LONG_10_WR_UNCOR, '--device', 'usb:0781:5581']);
    expect(r.err).toMatch(/WRITE LONG\(10\) can overwrite/);
    expect(sent).toEqual([]);
  });

  it('raw sends it with --force, and sends reads without asking', async () => {
    await run(['raw', WRITE_AND_VERIFY_10, '--out', block, '--device', 'usb:0781:5581', '--force']);
    expect(sentOpcodes()).toContain('2e');
    sent.length = 0;
    const r = await run(['raw', '12 00 00 00 24 00', '--in', '36', '--device', 'usb:0781:5581']);
    expect(r.code).toBe(0);
    expect(sentOpcodes()).toEqual(['00', '12', '12']);
  });

  it('write-buffer and a vendor firmware download are refused by the same policy', async () => {
    const wb = await run([
      'write-buffer',
      '--file',
      block,
      '--mode',
      '0x05',
      '--device',
      'usb:0781:5581',
    ]);
    expect(wb.err).toMatch(
      /^write-buffer: WRITE BUFFER can replace or activate the device's firmware/,
    );
    const fw = await run([
      'vendor',
      'example.firmware-download',
      '--file',
      block,
      '--device',
      'usb:0781:5581',
    ]);
    expect(fw.err).toMatch(
      /^vendor: EXAMPLE FIRMWARE DOWNLOAD can replace or activate the device's firmware \(opcode C5h of vendor set example\)/,
    );
    expect(sent).toEqual([]);
    expect(closes).toBe(2);
  });

  it("raw asks every shipped set: C5h with no data-out is still the example set's firmware download", async () => {
    const r = await run(['raw', 'c5 00 00 00 00 00 00 00 00 00', '--device', 'usb:0781:5581']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^raw: EXAMPLE FIRMWARE DOWNLOAD can replace or activate the device's firmware/,
    );
    expect(sent).toEqual([]);
  });

  it("raw asks about an ATA command a shipped bridge set does not declare, carried on that bridge's opcode", async () => {
    // WRITE UNCORRECTABLE EXT (ACS-4, 45h; no data phase) through JMicron's DFh pass-through.
    const r = await run([
      'raw',
      'df 10 00 00 00 55 01 00 00 00 e0 45',
      '--device',
      'usb:0781:5581',
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^raw: Opcode DFh is vendor set jmicron-ata's, but this CDB is none of the commands declared for it: usbcdb cannot say what it does/,
    );
    expect(sent).toEqual([]);
  });

  it("raw asks about data-out to a shipped set's command that declares none, as for an unknown opcode", async () => {
    // C1h is the example set's READ DEVICE LOG (data-in), D7h Prolific's READ ATA REGISTERS.
    for (const cdb of ['c1 00 00 00 00 00 00 00 00 00', 'd7 00 00 00 00 00 00 00 00 00 00 00']) {
      const r = await run(['raw', cdb, '--out', block, '--device', 'usb:0781:5581']);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(
        /declares no data-out \(opcode (C1|D7)h of vendor set (example|prolific)\); sent with 512 bytes of data-out, usbcdb cannot say what it does/,
      );
    }
    expect(sent).toEqual([]);
  });

  it('sequence gates each step with every set, as raw does', async () => {
    // The user's set calls C5h a state change; the shipped example set says it downloads firmware.
    const file = join(DIR, 'acme-c5.json');
    writeFileSync(file, ACME_SET_TEXT.replace(/"D2h"/, '"C5h"'));
    const r = await run([
      'sequence',
      'acme.cool-down',
      '--vendor-set',
      file,
      '--device',
      'usb:0781:5581',
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^sequence: acme\.cool-down step 1: EXAMPLE FIRMWARE DOWNLOAD can replace or activate/,
    );
    expect(r.out).not.toMatch(/can replace or activate/);
    // Asked before the run: not even step 0 (READ TEMPERATURE, D1h) went.
    expect(sentOpcodes().filter((op) => /^[c-f]/.test(op))).toEqual([]);
  });
});

describe('the app (device.execute)', () => {
  async function handlers() {
    const { DeviceSessions, makeHandlers } = await import('../../../src-main/ipc/handlers');
    const { PresetStore } = await import('../../../src-main/presets/store');
    const { dispatch } = await import('../../../src-main/ipc/dispatch');
    const sessions = new DeviceSessions(DIR, () => Promise.resolve(ok(fakeUsb)));
    const h = makeHandlers(sessions, new PresetStore(join(DIR, 'presets.json')));
    return {
      sessions,
      execute: (payload: Record<string, unknown>) =>
        dispatch(h, { id: 1, channel: 'device.execute', payload }),
    };
  }
  const request = (cdb: string, dataOut?: number): Record<string, unknown> => ({
    device: 'usb:0781:5581',
    cdb: Uint8Array.from(cdb.split(' '), (b) => parseInt(b, 16)),
    lun: 0,
    direction: dataOut ? 'out' : 'none',
    transferLength: dataOut ?? 0,
    ...(dataOut ? { dataOut: new Uint8Array(dataOut) } : {}),
    timeoutMs: 1000,
  });

  it('asks for confirmation of WRITE AND VERIFY(10) and WRITE LONG(10) and sends neither until given', async () => {
    const { sessions, execute } = await handlers();
    for (const [cdb, dataOut, name] of [
      [WRITE_AND_VERIFY_10, 512, /WRITE AND VERIFY\(10\) can overwrite/],
      [WRITE_LONG_10_WR_UNCOR, 0, /WRITE LONG\(10\) can overwrite/],
    ] as const) {
      expect(await execute(request(cdb, dataOut))).toMatchObject({
        ok: false,
        error: { code: 'needs-confirmation', message: expect.stringMatching(name) },
      });
    }
    expect(sentOpcodes().filter((op) => op === '2e' || op === '3f')).toEqual([]);
    expect(await execute({ ...request(WRITE_AND_VERIFY_10, 512), confirmed: true })).toMatchObject({
      ok: true,
    });
    expect(sentOpcodes()).toContain('2e');
    await sessions.close();
  });
});
