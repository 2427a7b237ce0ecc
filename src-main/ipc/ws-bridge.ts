/**
 * The WebSocket adapter of the IPC contract ("web mode"): serves the same
 * handlers to a renderer in a browser. Loopback only unless told otherwise.
 * Each connection has its own device session. A message that is not JSON
 * gets an error reply; nothing a peer sends can crash the server.
 */
import { readFile } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { dispatch } from './dispatch';
import { DeviceChanges } from './device-changes';
import { ExportManager } from '../export/manager';
import { DeviceSessions, makeHandlers } from './handlers';
import { watchUsb } from '../engine/usb';
import { PresetStore } from '../presets/store';
import { defaultPresetsFile } from '../presets/location';

export interface Bridge {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/** Largest message accepted (a 16 MiB data-out as hex is 48 MiB of text). */
const MAX_PAYLOAD = 64 * 1024 * 1024;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.map': 'application/json',
  '.png': 'image/png',
};

function notFound(res: ServerResponse, what: string): void {
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end(what);
}

/** Serves files of the renderer bundle; anything outside `dir`, or missing, is a 404. */
function serveStatic(dir: string | undefined, url: string | undefined, res: ServerResponse): void {
  const path = decodeURIComponent((url ?? '/').split('?')[0] ?? '/');
  if (!dir) return notFound(res, 'usbcdb web bridge: connect with a WebSocket to /ipc\n');
  const file = normalize(join(dir, path === '/' ? 'index.html' : path));
  if (!file.startsWith(normalize(dir) + sep)) return notFound(res, `not found: ${path}\n`);
  readFile(file, (e, data) => {
    if (e) return notFound(res, `not found: ${path}\n`);
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    });
    res.end(data);
  });
}

/**
 * @param options.staticDir the renderer bundle to serve over HTTP (web mode)
 * @param options.host loopback by default; another address exposes this machine's devices
 */
export function startBridge(
  options: {
    host?: string;
    port?: number;
    staticDir?: string;
    presetsFile?: string;
    log?: (line: string) => void;
  } = {},
): Promise<Bridge> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => undefined);
  const presets = new PresetStore(options.presetsFile ?? defaultPresetsFile());
  // One plug/unplug watcher for every connection.
  const changes = new DeviceChanges(watchUsb);
  // Exports started from the app outlive a page reload; they stop with the bridge.
  const exportsManager = new ExportManager(log);
  const server = createServer((req, res) => serveStatic(options.staticDir, req.url, res));
  const wss = new WebSocketServer({ server, path: '/ipc', maxPayload: MAX_PAYLOAD });
  wss.on('connection', (socket) => {
    const sessions = new DeviceSessions();
    const handlers = makeHandlers(sessions, presets, changes, exportsManager);
    socket.on('message', (data) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(data.toString());
      } catch {
        log('rejected a message that is not JSON');
        socket.send(
          JSON.stringify({
            id: null,
            ok: false,
            error: { code: 'bad-message', message: 'a message must be JSON' },
          }),
        );
        return;
      }
      dispatch(handlers, parsed).then(
        (reply) => socket.send(JSON.stringify(reply)),
        (e: unknown) => log(`dispatch failed: ${String(e)}`),
      );
    });
    socket.on('close', () => {
      sessions.close().catch((e: unknown) => log(`closing devices failed: ${String(e)}`));
    });
    socket.on('error', (e) => log(`connection error: ${e.message}`));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `ws://${host}:${port}/ipc`,
        server,
        close: () =>
          new Promise<void>((done) => {
            changes.stop();
            void exportsManager.stopAll();
            for (const c of wss.clients) c.terminate();
            wss.close();
            server.close(() => done());
          }),
      });
    });
  });
}
