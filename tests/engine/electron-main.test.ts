/**
 * The built Electron main process (dist/main/main.cjs) booted with a stand-in
 * for the `electron` module: it must open one 1280×800 window with the
 * preload, contextIsolation on, nodeIntegration off, load the built
 * renderer, and answer the contract on its one IPC channel. What only the
 * real binary can show is in tests/e2e/electron.test.ts.
 */
import { existsSync } from 'node:fs';
import { testTempDir } from '../temp-dir';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../shared/ipc/contract';
import { IPC_CHANNEL } from '../../src-main/ipc/electron-channel';

const MAIN = join(process.cwd(), 'dist', 'main', 'main.cjs');

describe('the built Electron main process', () => {
  it('opens its window safely and serves the contract on its IPC channel', async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is not built: run npm run build`);
    const windows: { options: Record<string, unknown>; loaded?: string }[] = [];
    const appEvents = new Map<string, (...args: unknown[]) => void>();
    const permission: { request?: (...a: unknown[]) => void; check?: () => boolean } = {};
    const handlers = new Map<string, (event: unknown, ...args: unknown[]) => Promise<Reply>>();
    const userData = testTempDir('main');
    const fakeElectron = {
      app: {
        getPath: (name: string) => (name === 'userData' ? userData : tmpdir()),
        whenReady: () => Promise.resolve(),
        on: (name: string, l: (...args: unknown[]) => void) => appEvents.set(name, l),
        quit: () => undefined,
        exit: () => undefined,
      },
      BrowserWindow: class {
        private readonly w: { options: Record<string, unknown>; loaded?: string };
        constructor(options: Record<string, unknown>) {
          this.w = { options };
          windows.push(this.w);
        }
        loadFile(file: string): Promise<void> {
          this.w.loaded = file;
          return Promise.resolve();
        }
      },
      session: {
        defaultSession: {
          setPermissionRequestHandler: (h: (...a: unknown[]) => void) => (permission.request = h),
          setPermissionCheckHandler: (h: () => boolean) => (permission.check = h),
        },
      },
      ipcMain: {
        handle: (channel: string, l: (event: unknown, ...args: unknown[]) => Promise<Reply>) =>
          handlers.set(channel, l),
      },
    };
    const require = createRequire(MAIN);
    const Module = require('node:module') as {
      _load: (request: string, parent: unknown, isMain: boolean) => unknown;
    };
    const original = Module._load;
    Module._load = (request, parent, isMain) =>
      request === 'electron' ? fakeElectron : original(request, parent, isMain);
    try {
      require(MAIN);
    } finally {
      Module._load = original;
    }
    await new Promise((r) => setTimeout(r, 10));
    expect(windows).toHaveLength(1);
    const w = windows[0];
    expect(w?.options).toMatchObject({ width: 1280, height: 800 });
    expect(w?.options['webPreferences']).toMatchObject({
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      preload: join(process.cwd(), 'dist', 'main', 'preload.cjs'),
    });
    expect(w?.loaded).toBe(join(process.cwd(), 'dist', 'renderer', 'index.html'));
    expect(existsSync(w?.loaded ?? '')).toBe(true);
    const invoke = handlers.get(IPC_CHANNEL);
    if (!invoke) throw new Error(`no handler on ${IPC_CHANNEL}`);
    const page = { senderFrame: { url: pathToFileURL(w?.loaded ?? '').href, parent: null } };
    expect(await invoke(page, { id: 1, channel: 'devices.list', payload: {} })).toMatchObject({
      id: 1,
      ok: true,
    });
    expect(await invoke(page, 'garbage')).toMatchObject({ ok: false });
    // A frame that is not the app page is refused.
    expect(
      await invoke(
        { senderFrame: { url: 'https://example.com/', parent: null } },
        { id: 2, channel: 'devices.list', payload: {} },
      ),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    // Every web contents is kept on the app: navigation and new windows are refused.
    const contentsEvents = new Map<string, (e: { preventDefault(): void }) => void>();
    let openHandler: (() => { action: string }) | undefined;
    appEvents.get('web-contents-created')?.(
      {},
      {
        on: (name: string, l: (e: { preventDefault(): void }) => void) =>
          contentsEvents.set(name, l),
        setWindowOpenHandler: (h: () => { action: string }) => (openHandler = h),
      },
    );
    for (const name of ['will-navigate', 'will-attach-webview']) {
      let prevented = false;
      contentsEvents.get(name)?.({ preventDefault: () => (prevented = true) });
      expect(prevented, name).toBe(true);
    }
    expect(openHandler?.()).toEqual({ action: 'deny' });
    // Every permission a page may ask for is refused.
    let granted: boolean | undefined;
    permission.request?.({}, 'media', (answer: boolean) => (granted = answer));
    expect(granted).toBe(false);
    expect(permission.check?.()).toBe(false);
  });
});
