import { mkdtempSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PresetStore } from '../../src-main/presets/store';
import WebSocket from 'ws';
import {
  MAX_CAPTURE_BYTES,
  MAX_CDB_BYTES,
  parseEnvelope,
  parseRequest,
} from '../../shared/ipc/contract';
import { MAX_PRESET_DATA_BYTES } from '../../shared/ipc/limits';
import { ok } from '../../shared/scsi/result';
import { dispatch } from '../../src-main/ipc/dispatch';
import { DeviceSessions, makeHandlers } from '../../src-main/ipc/handlers';
import { openDevice } from '../../src-main/engine/device-string';
import { startBridge } from '../../src-main/ipc/ws-bridge';
import { bridgeProtocols, MAX_REPLY_BYTES } from '../../shared/ipc/web-protocol';
import { decodeFrame, encodeFrame } from '../../shared/ipc/frame';
import { formatHex, parseHex } from '../../shared/scsi/hex';
import type { Transport } from '../../src-main/engine/transport';

/** The data folder of every session and store in this file. */
const DATA = mkdtempSync(join(tmpdir(), 'usbcdb-ipc-'));
afterAll(() => rmSync(DATA, { recursive: true, force: true }));

/** Sessions this file opens, closed after its tests (closing removes their captures folder). */
const opened: DeviceSessions[] = [];
afterAll(async () => {
  for (const s of opened.splice(0)) await s.close();
});
function session(opener?: ConstructorParameters<typeof DeviceSessions>[1]): DeviceSessions {
  const s = new DeviceSessions(DATA, opener);
  opened.push(s);
  return s;
}

function tempPresets(): PresetStore {
  return new PresetStore(join(mkdtempSync(join(DATA, 'presets-')), 'presets.json'));
}

/** Bytes written as hex pairs, as the SCSI standards print them. */
function hex(text: string): Uint8Array {
  const r = parseHex(text);
  if (!r.ok) throw new Error(`not hex: ${text}`);
  return r.value;
}

const INQUIRY = {
  device: 'emu:',
  cdb: hex('12 00 00 00 24 00'),
  lun: 0,
  direction: 'in',
  transferLength: 36,
  timeoutMs: 5000,
};

describe('the IPC contract', () => {
  it('names every wrong field of a request', () => {
    const r = parseRequest('device.execute', {
      device: '',
      cdb: '12 00',
      lun: 16,
      direction: 'sideways',
      transferLength: -1,
      timeoutMs: 0,
      extra: 1,
    });
    expect(r.ok).toBe(false);
    const message = r.ok ? '' : r.message;
    for (const f of ['device', 'cdb', 'lun', 'direction', 'transferLength', 'timeoutMs'])
      expect(message, f).toContain(`${f}:`);
    expect(message).toMatch(/Unrecognized key/);
  });

  it("bounds a preset's CDB hex by the bytes it holds, as device.execute's CDB: 1 to 260", () => {
    const preset = (bytes: number) => ({
      id: 'v',
      name: 'variable-length',
      cdb: formatHex(new Uint8Array(bytes).fill(0x7f)),
      direction: 'none',
      transferLength: 0,
    });
    expect(parseRequest('presets.save', preset(68)).ok).toBe(true);
    expect(parseRequest('presets.save', preset(MAX_CDB_BYTES)).ok).toBe(true);
    expect(parseRequest('presets.save', preset(MAX_CDB_BYTES + 1))).toEqual({
      ok: false,
      message: 'presets.save: cdb: 261 bytes, over the 260 bytes this field carries',
    });
    expect(parseRequest('presets.save', preset(0))).toEqual({
      ok: false,
      message: 'presets.save: cdb: empty',
    });
  });

  it("bounds a preset's data-out hex by the bytes it holds, 16 MiB", () => {
    const preset = (bytes: number) => ({
      id: 'w',
      name: 'write buffer',
      cdb: '3b 02 00 00 00 00 00 00 00 00',
      direction: 'out',
      transferLength: bytes,
      dataOut: `${'00 '.repeat(bytes - 1)}00`,
    });
    expect(parseRequest('presets.save', preset(MAX_PRESET_DATA_BYTES)).ok).toBe(true);
    expect(parseRequest('presets.save', preset(MAX_PRESET_DATA_BYTES + 1))).toEqual({
      ok: false,
      message: 'presets.save: dataOut: 16777217 bytes, over the 16 MiB this field carries',
    });
  });

  it('checks the envelope', () => {
    expect(parseEnvelope(null)).toMatchObject({ ok: false, id: null });
    expect(parseEnvelope({ id: 1.5, channel: 'devices.list' })).toMatchObject({
      ok: false,
      message: '"id" must be an integer',
    });
    expect(parseEnvelope({ id: 2, channel: 'nope' })).toMatchObject({
      ok: false,
      id: 2,
      message: expect.stringMatching(/"channel" must be one of devices\.list/),
    });
  });
});

describe('dispatch (shared by both adapters)', () => {
  it('runs commands on the emulated drive, settled like an OS would, and keeps it open between requests', async () => {
    const handlers = makeHandlers(session(), tempPresets());
    // The power-on unit attention was absorbed when the device was opened.
    const tur = await dispatch(handlers, {
      id: 1,
      channel: 'device.execute',
      payload: { ...INQUIRY, cdb: hex('00 00 00 00 00 00'), direction: 'none', transferLength: 0 },
    });
    expect(tur).toMatchObject({ id: 1, ok: true, value: { status: 0 } });
    const block = Uint8Array.from({ length: 512 }, (_, i) => i & 0xff);
    const write = {
      ...INQUIRY,
      cdb: hex('2a 00 00 00 00 09 00 00 01 00'),
      direction: 'out',
      transferLength: 512,
      dataOut: block,
    };
    expect(
      await dispatch(handlers, { id: 2, channel: 'device.execute', payload: write }),
    ).toMatchObject({ ok: true, value: { status: 0 } });
    // The same drive answers the next request: the block written above is there.
    const read = await dispatch(handlers, {
      id: 3,
      channel: 'device.execute',
      payload: { ...INQUIRY, cdb: hex('28 00 00 00 00 09 00 00 01 00'), transferLength: 512 },
    });
    // The handlers answer Node Buffers; compared as plain bytes.
    expect(read.ok && Uint8Array.from((read.value as { dataIn: Uint8Array }).dataIn)).toEqual(
      block,
    );
    const inq = await dispatch(handlers, { id: 4, channel: 'device.execute', payload: INQUIRY });
    // PERIPHERAL DEVICE TYPE 0, RMB 1, VERSION 5 (SPC-3), RESPONSE DATA FORMAT 2, ADDITIONAL LENGTH 5Bh.
    expect(inq.ok && formatHex((inq.value as { dataIn: Uint8Array }).dataIn.subarray(0, 5))).toBe(
      '00 80 05 12 5b',
    );
  });

  it('answers malformed messages with error replies, never a throw', async () => {
    const handlers = makeHandlers(session(), tempPresets());
    expect(await dispatch(handlers, 'hello')).toMatchObject({
      ok: false,
      error: { code: 'bad-message' },
    });
    expect(
      await dispatch(handlers, {
        id: 4,
        channel: 'device.execute',
        payload: { ...INQUIRY, cdb: '12 00 00 00 24 00' },
      }),
    ).toMatchObject({
      id: 4,
      ok: false,
      // Bytes cross as bytes: hex text is refused, by the field's name.
      error: { code: 'bad-request', message: expect.stringMatching(/cdb: expected bytes/) },
    });
    expect(
      await dispatch(handlers, {
        id: 5,
        channel: 'device.execute',
        payload: { ...INQUIRY, device: 'emu:nope' },
      }),
    ).toMatchObject({
      id: 5,
      ok: false,
      error: { code: 'device', message: expect.stringMatching(/no emulated profile/) },
    });
  });

  it('answers a CDB longer than a CBW carries as not sent, naming bCBWCBLength; the device sees nothing', async () => {
    const sessions = session();
    const handlers = makeHandlers(sessions, tempPresets());
    const pcapSize = async (id: number): Promise<number> => {
      const r = await dispatch(handlers, {
        id,
        channel: 'device.capture',
        payload: { device: 'emu:' },
      });
      return r.ok ? (r.value as { pcap: Uint8Array }).pcap.length : -1;
    };
    const before = await pcapSize(1);
    // A 20-byte CDB fits the contract (variable-length CDBs reach 260 bytes) but no CBW (BOT 1.0 §5.1).
    const long = { ...INQUIRY, cdb: new Uint8Array(20).fill(0x7f, 0, 1) };
    expect(
      await dispatch(handlers, { id: 2, channel: 'device.execute', payload: long }),
    ).toMatchObject({
      ok: true,
      value: {
        status: null,
        transportError: {
          kind: 'not-sent',
          message: expect.stringMatching(
            /^nothing was sent: the CDB is 20 bytes; a Bulk-Only CBW carries 1–16 \(bCBWCBLength/,
          ),
        },
      },
    });
    // No CBW, no reset recovery: the capture of the device's traffic did not grow.
    expect(before).toBeGreaterThan(0);
    expect(await pcapSize(3)).toBe(before);
  });

  it('answers a capture as pcap bytes, and one over the bound in words', async () => {
    const sessions = session();
    const handlers = makeHandlers(sessions, tempPresets());
    const capture = await dispatch(handlers, {
      id: 1,
      channel: 'device.capture',
      payload: { device: 'emu:' },
    });
    // pcap magic 0xa1b2c3d4, written little-endian (usbmon captures, LINKTYPE_USB_LINUX_MMAPPED).
    expect(
      capture.ok && formatHex((capture.value as { pcap: Uint8Array }).pcap.subarray(0, 4)),
    ).toBe('d4 c3 b2 a1');
    // A session that moved more than the app hands over: the file made sparse past the bound.
    const file = (sessions as unknown as { captures: Map<string, string> }).captures.get('emu:');
    if (file === undefined) throw new Error('no capture file');
    truncateSync(file, MAX_CAPTURE_BYTES + 1);
    expect(
      await dispatch(handlers, { id: 2, channel: 'device.capture', payload: { device: 'emu:' } }),
    ).toMatchObject({
      id: 2,
      ok: false,
      error: { code: 'device', message: expect.stringMatching(/over the 64 MiB .*--capture FILE/) },
    });
  });

  it('asks for confirmation before a destructive command reaches a real device', async () => {
    const sent: string[] = [];
    const fake: Transport = {
      describe: () => ({
        id: 'usb:0781:5581',
        kind: 'usb',
        vendor: '0781',
        product: '5581',
        maxLun: 0,
      }),
      execute: (r) => {
        if (r.cdb[0] === 0x2a) sent.push(Array.from(r.cdb, (b) => b.toString(16)).join(' '));
        return Promise.resolve({ status: 0, dataIn: new Uint8Array(), residue: 0, durationMs: 1 });
      },
      reset: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
    const handlers = makeHandlers(
      session(() => Promise.resolve(ok(fake))),
      tempPresets(),
    );
    const write = {
      device: 'usb:0781:5581',
      cdb: hex('2a 00 00 00 00 00 00 00 01 00'),
      lun: 0,
      direction: 'out',
      transferLength: 512,
      dataOut: new Uint8Array(512),
      timeoutMs: 1000,
    };
    expect(
      await dispatch(handlers, { id: 6, channel: 'device.execute', payload: write }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'needs-confirmation',
        message: expect.stringMatching(/WRITE\(10\) can overwrite/),
      },
    });
    expect(sent).toEqual([]);
    expect(
      await dispatch(handlers, {
        id: 7,
        channel: 'device.execute',
        payload: { ...write, confirmed: true },
      }),
    ).toMatchObject({ ok: true });
    expect(sent).toHaveLength(1);
  });
});

describe('DeviceSessions', () => {
  it('opens a device once for requests that arrive together, and hands it out settled', async () => {
    let opens = 0;
    const sessions = session(async (spec, options) => {
      opens++;
      await new Promise((r) => setTimeout(r, 20));
      return openDevice(spec, options);
    });
    const handlers = makeHandlers(sessions, tempPresets());
    const block = new Uint8Array(512).fill(0xaa);
    const base = { device: 'emu:flash-stick', lun: 0, timeoutMs: 5000 };
    // A WRITE(10) and a TEST UNIT READY to a device this session has not opened yet.
    const [write, tur] = await Promise.all([
      dispatch(handlers, {
        id: 1,
        channel: 'device.execute',
        payload: {
          ...base,
          cdb: hex('2a 00 00 00 00 00 00 00 01 00'),
          direction: 'out',
          transferLength: 512,
          dataOut: block,
        },
      }),
      dispatch(handlers, {
        id: 2,
        channel: 'device.execute',
        payload: { ...base, cdb: hex('00 00 00 00 00 00'), direction: 'none', transferLength: 0 },
      }),
    ]);
    expect(opens).toBe(1);
    // Settled before it was handed out: neither command met the power-on unit attention.
    expect([write, tur]).toMatchObject([
      { ok: true, value: { status: 0 } },
      { ok: true, value: { status: 0 } },
    ]);
    const read = await dispatch(handlers, {
      id: 3,
      channel: 'device.execute',
      payload: {
        ...base,
        cdb: hex('28 00 00 00 00 00 00 00 01 00'),
        direction: 'in',
        transferLength: 512,
      },
    });
    expect(read.ok && read.value).toMatchObject({ status: 0 });
    expect(read.ok && formatHex((read.value as { dataIn: Uint8Array }).dataIn)).toBe(
      formatHex(block),
    );
  });
});

describe('DeviceSessions closing', () => {
  it('closes a device still opening when close begins, and opens nothing once it has', async () => {
    const closed: string[] = [];
    const sessions = new DeviceSessions(DATA, async (spec, options) => {
      await new Promise((r) => setTimeout(r, 20));
      const r = await openDevice(spec, options);
      if (!r.ok) return r;
      const t = r.value;
      return ok({
        ...t,
        describe: () => t.describe(),
        execute: (q, i) => t.execute(q, i),
        reset: () => t.reset(),
        close: () => (closed.push(spec), t.close()),
      });
    });
    const opening = sessions.get('emu:flash-stick');
    const closing = sessions.close();
    await expect(sessions.get('emu:card-reader')).rejects.toThrow(/closing/);
    await opening;
    await closing;
    expect(closed).toEqual(['emu:flash-stick']);
  });
});

describe('the WebSocket bridge', () => {
  it('serves the handlers on loopback and survives hostile messages', async () => {
    const bridge = await startBridge({ dataDir: DATA });
    expect(bridge.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ipc$/);
    const ws = new WebSocket(bridge.url, bridgeProtocols(bridge.token), {
      origin: new URL(bridge.pageUrl).origin,
    });
    await new Promise((resolve) => ws.once('open', resolve));
    const replies: unknown[] = [];
    // The bridge answers in binary frames only (shared/ipc/frame.ts).
    ws.on('message', (d: Buffer) => {
      const r = decodeFrame(d, MAX_REPLY_BYTES);
      replies.push(r.ok ? r.value : r.error);
    });
    const waitFor = async (n: number): Promise<void> => {
      for (let i = 0; i < 200 && replies.length < n; i++)
        await new Promise((r) => setTimeout(r, 10));
    };
    const frame = (message: unknown): Uint8Array => {
      const f = encodeFrame(message, MAX_REPLY_BYTES);
      if (!f.ok) throw new Error(f.error.message);
      return f.value;
    };
    ws.send('{"id": 1, "channel": "devices.list", "payload": {}}');
    ws.send(Buffer.from('not a frame at all'));
    ws.send(frame({ id: 'x', channel: 'devices.list' }));
    ws.send(frame({ id: 1, channel: 'devices.list', payload: {} }));
    await waitFor(4);
    expect(replies[0]).toMatchObject({
      id: null,
      ok: false,
      error: { code: 'bad-message', message: expect.stringMatching(/must be one binary frame/) },
    });
    expect(replies[1]).toMatchObject({
      id: null,
      ok: false,
      error: { code: 'bad-message', message: expect.stringMatching(/^a message frame /) },
    });
    expect(replies[2]).toMatchObject({ ok: false, error: { message: '"id" must be an integer' } });
    expect(replies[3]).toMatchObject({
      id: 1,
      ok: true,
      value: expect.arrayContaining([expect.objectContaining({ id: 'emu:flash-stick' })]),
    });
    ws.close();
    await bridge.close();
  });
});
