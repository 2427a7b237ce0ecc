/**
 * The Electron adapter without an Electron binary: the ipcMain handler it
 * registers, fed malformed messages; the preload's bridge against a mocked
 * `electron` module; the renderer's Electron client paired with the adapter;
 * and the renderer's WebSocket client when the bridge goes away.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { WebSocket as WsWebSocket } from 'ws';
import type { Reply } from '../../shared/ipc/contract';
import {
  fromPage,
  registerElectronIpc,
  type IpcMainLike,
} from '../../src-main/ipc/electron-adapter';
import { IPC_CHANNEL } from '../../src-main/ipc/electron-channel';
import { DeviceSessions, makeHandlers } from '../../src-main/ipc/handlers';
import { startBridge } from '../../src-main/ipc/ws-bridge';
import { PresetStore } from '../../src-main/presets/store';
import { recordHostile } from '../hostile/report';
import { electronClient, IpcError, webSocketClient } from '../../src-renderer/ipc/client';
import { createStore } from '../../src-renderer/store/store';
import { formatHex } from '../../shared/scsi/hex';

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoked: [] as unknown[][],
}));
vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api),
  },
  ipcRenderer: {
    invoke: (...args: unknown[]) => {
      electron.invoked.push(args);
      return Promise.resolve({ id: 1, ok: true, value: [] });
    },
  },
}));

/** The data folder of the adapters this file makes. */
const ADAPTER_DATA = mkdtempSync(join(tmpdir(), 'usbcdb-el-'));
afterAll(() => rmSync(ADAPTER_DATA, { recursive: true, force: true }));
/** Their sessions, closed after the tests (closing removes their captures folder). */
const ADAPTER_SESSIONS: DeviceSessions[] = [];
afterAll(async () => {
  for (const s of ADAPTER_SESSIONS.splice(0)) await s.close();
});

function adapter(): (envelope: unknown, ...extra: unknown[]) => Promise<Reply> {
  let listener: ((event: unknown, ...args: unknown[]) => Promise<Reply>) | undefined;
  const ipc: IpcMainLike = {
    handle(channel, l) {
      expect(channel).toBe(IPC_CHANNEL);
      listener = l;
    },
  };
  const presets = new PresetStore(join(ADAPTER_DATA, 'p.json'));
  const sessions = new DeviceSessions(ADAPTER_DATA);
  ADAPTER_SESSIONS.push(sessions);
  registerElectronIpc(ipc, makeHandlers(sessions, presets), fromPage(PAGE));
  if (!listener) throw new Error('the adapter registered no handler');
  const l = listener;
  return (envelope, ...extra) => l(FROM_PAGE, envelope, ...extra);
}

/** The app page's file URL, and an IPC event from its top frame. */
const PAGE = 'file:///opt/usbcdb/resources/renderer/index.html';
const FROM_PAGE = { senderFrame: { url: PAGE, parent: null } };

describe('the Electron adapter: who may send', () => {
  it('refuses messages from any frame but the app page itself', async () => {
    let listener: ((event: unknown, ...args: unknown[]) => Promise<Reply>) | undefined;
    const dataDir = mkdtempSync(join(tmpdir(), 'usbcdb-el-'));
    try {
      registerElectronIpc(
        { handle: (_c, l) => (listener = l) },
        makeHandlers(new DeviceSessions(dataDir), new PresetStore(join(dataDir, 'p.json'))),
        fromPage(PAGE),
      );
      const list = { id: 1, channel: 'devices.list', payload: {} };
      const send = (event: unknown): Promise<Reply> | undefined => listener?.(event, list);
      expect(await send(FROM_PAGE)).toMatchObject({ id: 1, ok: true });
      // The same page with a fragment is still the page.
      expect(await send({ senderFrame: { url: `${PAGE}#x`, parent: null } })).toMatchObject({
        ok: true,
      });
      const strangers: unknown[] = [
        { senderFrame: { url: 'https://example.com/', parent: null } },
        { senderFrame: { url: PAGE, parent: { url: PAGE } } }, // an iframe showing the page
        { senderFrame: { url: 'file:///tmp/evil.html', parent: null } },
        { senderFrame: null }, // the frame is gone (navigated or destroyed)
        {},
        null,
      ];
      let admitted = 0;
      for (const event of strangers) {
        const reply = await send(event);
        if (reply?.ok) admitted++;
        expect(reply, JSON.stringify(event)).toMatchObject({
          ok: false,
          error: { code: 'forbidden' },
        });
      }
      recordHostile({
        surface: 'Electron IPC',
        input: 'messages from other origins, an iframe, a gone frame',
        tried: strangers.length,
        crashes: 0,
        hangs: 0,
        dataLost: admitted,
      });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the Electron adapter', () => {
  it('answers malformed messages with error replies that name what is wrong, never a throw', async () => {
    const send = adapter();
    const cases: [unknown, RegExp][] = [
      [undefined, /must be a JSON object/],
      ['12 00 00 00 24 00', /must be a JSON object/],
      [{ channel: 'devices.list' }, /"id" must be an integer/],
      [{ id: 1.5, channel: 'devices.list' }, /"id" must be an integer/],
      [{ id: 1, channel: 'rm -rf' }, /"channel" must be one of devices\.list/],
      [{ id: 2, channel: 'device.execute', payload: null }, /device\.execute/],
      [
        {
          id: 3,
          channel: 'device.execute',
          payload: { device: 'emu:flash-stick', cdb: '12 zz', direction: 'sideways' },
        },
        /cdb.*direction|direction.*cdb/s,
      ],
      [
        { id: 4, channel: 'presets.import', payload: { file: new TextEncoder().encode('{') } },
        /not JSON/,
      ],
      // The file travels as bytes: text where they belong is refused by name.
      [{ id: 6, channel: 'presets.import', payload: { file: '{}' } }, /file: expected bytes/],
      [{ id: 5, channel: 'devices.list', payload: { extra: 1 } }, /extra|unrecognized/i],
    ];
    for (const [message, why] of cases) {
      const reply = await send(message);
      expect(reply.ok, JSON.stringify(message)).toBe(false);
      if (!reply.ok) expect(reply.error.message).toMatch(why);
    }
    // Extra arguments after the envelope are ignored, and a good request still works.
    const good = await send({ id: 9, channel: 'devices.list', payload: {} }, 'junk', 42);
    expect(good).toMatchObject({ id: 9, ok: true });
  });

  it('carries the renderer store end to end: the Electron client over the adapter', async () => {
    const send = adapter();
    const store = createStore(electronClient({ invoke: (e) => send(e) }));
    await store.getState().loadDevices();
    expect(store.getState().devices.map((d) => d.id)).toContain('emu:flash-stick');
    await store.getState().send();
    expect(store.getState().outcome?.status).toBe(0);
    // The answer reaches the store as bytes: INQUIRY's PERIPHERAL DEVICE TYPE 0, RMB 1, VERSION 5.
    const dataIn = store.getState().outcome?.dataIn;
    expect(dataIn && formatHex(dataIn.subarray(0, 3))).toBe('00 80 05');
  });

  it('refuses a malformed reply on the renderer side with a clear error', async () => {
    const client = electronClient({ invoke: () => Promise.resolve({ surprise: true }) });
    await expect(client.invoke('devices.list', {})).rejects.toThrow(
      /reply from the main process is malformed/,
    );
    const wrongShape = electronClient({
      invoke: () => Promise.resolve({ id: 1, ok: true, value: [{ id: 3 }] }),
    });
    await expect(wrongShape.invoke('devices.list', {})).rejects.toBeInstanceOf(IpcError);
  });

  it('preload: exposes exactly one invoke function that forwards to the one channel', async () => {
    await import('../../src-main/electron/preload');
    expect([...electron.exposed.keys()]).toEqual(['usbcdb']);
    const api = electron.exposed.get('usbcdb') as Record<string, unknown>;
    expect(Object.keys(api)).toEqual(['invoke']);
    const invoke = api['invoke'] as (e: unknown) => Promise<unknown>;
    await invoke({ id: 1, channel: 'devices.list', payload: {} });
    expect(electron.invoked).toEqual([
      [IPC_CHANNEL, { id: 1, channel: 'devices.list', payload: {} }],
    ]);
  });
});

describe("the renderer's WebSocket client", () => {
  it('fails waiting and later requests with "disconnected" when the bridge goes away', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'usbcdb-ws-'));
    const bridge = await startBridge({ dataDir });
    const saved = globalThis.WebSocket;
    // Node 20 has no WebSocket global; the ws package's client speaks the same DOM-style API,
    // and here sends the Origin a browser would for the page the bridge served.
    const origin = new URL(bridge.pageUrl).origin;
    globalThis.WebSocket = class extends WsWebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { origin });
      }
    } as unknown as typeof globalThis.WebSocket;
    try {
      const client = webSocketClient(bridge.url, bridge.token);
      expect((await client.invoke('devices.list', {})).length).toBeGreaterThan(0);
      await bridge.close();
      await expect(client.invoke('devices.list', {})).rejects.toMatchObject({
        code: 'disconnected',
      });
    } finally {
      globalThis.WebSocket = saved;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
