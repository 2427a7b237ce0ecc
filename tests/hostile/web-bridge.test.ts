/**
 * Web mode under attack, on loopback only: each attack reported against
 * `usbcdb serve` is replayed here, then fuzzed. Every row of the ledger
 * (tests/hostile/report.ts) counts what was sent and what went wrong:
 * crashes (the bridge stopped answering a well-behaved client), hangs (a
 * request neither answered nor closed in time) and files touched outside
 * the data folder.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CHANNELS } from '../../shared/ipc/contract';
import { bridgeProtocols } from '../../shared/ipc/web-protocol';
import { startBridge, MAX_IN_FLIGHT, type Bridge } from '../../src-main/ipc/ws-bridge';
import { recordHostile } from './report';
import { measure } from './measure';

/** What a fuzzing run may leave held in memory after a full collection. */
const HELD_BOUND_MIB = 32;

const RENDERER = join(process.cwd(), 'dist', 'renderer');
/** The user's data folder, and a folder beside it that nothing may touch. */
const ROOT = mkdtempSync(join(tmpdir(), 'usbcdb-hostile-web-'));
const DATA = join(ROOT, 'data');
const OUTSIDE = join(ROOT, 'outside');
/** How long a request may go unanswered before it counts as a hang. */
const REPLY_WAIT_MS = 5000;

let bridge: Bridge;
let origin: string;
let hostHeader: string;

beforeAll(async () => {
  if (!existsSync(join(RENDERER, 'index.html')))
    throw new Error('the renderer is not built: run npm run build (npm test does it)');
  mkdirSync(DATA);
  mkdirSync(OUTSIDE);
  writeFileSync(join(OUTSIDE, 'canary'), 'untouched');
  bridge = await startBridge({ staticDir: RENDERER, dataDir: DATA });
  origin = new URL(bridge.pageUrl).origin;
  hostHeader = new URL(bridge.pageUrl).host;
});

afterAll(async () => {
  await bridge?.close();
  rmSync(ROOT, { recursive: true, force: true });
});

function port(): number {
  return Number(new URL(bridge.pageUrl).port);
}

/** Entries of the folder outside the data folder, to check nothing appeared or changed there. */
function outsideEntries(): string[] {
  return readdirSync(OUTSIDE).sort();
}

/** Opens a WebSocket as a browser would; resolves with the socket, or the HTTP status it was refused with. */
function connect(
  options: { token?: string; origin?: string; host?: string } = {},
): Promise<WebSocket | number> {
  const headers: Record<string, string> = {};
  if (options.host !== undefined) headers['host'] = options.host;
  const ws = new WebSocket(
    bridge.url,
    options.token !== undefined ? bridgeProtocols(options.token) : [],
    { ...(options.origin !== undefined ? { origin: options.origin } : {}), headers },
  );
  return new Promise((resolve) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', () => resolve(-1));
  });
}

async function trusted(): Promise<WebSocket> {
  const ws = await connect({ token: bridge.token, origin });
  if (typeof ws === 'number') throw new Error(`the bridge refused its own page: ${ws}`);
  return ws;
}

interface Answer {
  readonly reply?: { id: number | null; ok: boolean; error?: { code: string; message: string } };
  readonly closed?: { code: number; reason: string };
}

/** Sends raw text and waits for the reply with `id` (or any reply when id is null), or the close. */
function ask(ws: WebSocket, text: string | Buffer, id: number | null): Promise<Answer | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(undefined), REPLY_WAIT_MS);
    const onMessage = (d: Buffer): void => {
      const reply = JSON.parse(d.toString()) as Answer['reply'];
      if (id === null || reply?.id === id) finish({ reply });
    };
    const onClose = (code: number, reason: Buffer): void =>
      finish({ closed: { code, reason: reason.toString() } });
    function finish(a: Answer | undefined): void {
      clearTimeout(timer);
      ws.off('message', onMessage);
      ws.off('close', onClose);
      resolve(a);
    }
    ws.on('message', onMessage);
    ws.once('close', onClose);
    ws.send(text);
  });
}

/** Whether a fresh, well-behaved client still gets the device list: the bridge is up. */
async function stillServes(): Promise<boolean> {
  const ws = await trusted();
  const a = await ask(ws, JSON.stringify({ id: 1, channel: 'devices.list', payload: {} }), 1);
  ws.close();
  return a?.reply?.ok === true;
}

function get(path: string, host = hostHeader): Promise<number> {
  return new Promise((resolve) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: port(), path, method: 'GET', headers: { host } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', () => resolve(-1));
    req.end();
  });
}

describe('who may connect', () => {
  it('refuses a connection without the token, with a wrong token, from another origin or another host name', async () => {
    const wrongToken = bridge.token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    const attempts: [string, Parameters<typeof connect>[0]][] = [
      ['no token', { origin }],
      ['a wrong token', { token: wrongToken, origin }],
      ['a token of another length', { token: `${bridge.token}x`, origin }],
      ['no Origin', { token: bridge.token }],
      ['another origin', { token: bridge.token, origin: 'http://evil.example' }],
      ['another port', { token: bridge.token, origin: `http://127.0.0.1:${port() + 1}` }],
      ['an https origin', { token: bridge.token, origin: `https://${hostHeader}` }],
      [
        'a rebound host name',
        {
          token: bridge.token,
          origin: `http://rebind.example:${port()}`,
          host: `rebind.example:${port()}`,
        },
      ],
    ];
    let admitted = 0;
    for (const [what, options] of attempts) {
      const r = await connect(options);
      if (typeof r !== 'number') {
        admitted++;
        r.close();
      }
      expect(r, what).toBe(403);
    }
    // The page the bridge served, from either loopback name, gets in.
    for (const name of ['127.0.0.1', 'localhost']) {
      const ws = await connect({
        token: bridge.token,
        origin: `http://${name}:${port()}`,
        host: `${name}:${port()}`,
      });
      expect(typeof ws, name).not.toBe('number');
      if (typeof ws !== 'number') ws.close();
    }
    recordHostile({
      surface: 'web bridge: WebSocket upgrade',
      input: 'missing/wrong token, foreign Origin, rebound Host',
      tried: attempts.length,
      crashes: (await stillServes()) ? 0 : 1,
      hangs: 0,
      dataLost: admitted,
    });
  });

  it('serves nothing of the app to a rebound host name (DNS rebinding)', async () => {
    expect(await get('/', `rebind.example:${port()}`)).toBe(421);
    expect(await get('/app.js', `rebind.example:${port()}`)).toBe(421);
    expect(await get('/')).toBe(200);
  });

  it('has a launch token of at least 128 bits, new at every launch', async () => {
    expect(Buffer.from(bridge.token, 'base64url').length).toBeGreaterThanOrEqual(16);
    const other = await startBridge({ dataDir: DATA });
    expect(other.token).not.toBe(bridge.token);
    expect(other.pageUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{43}$/);
    await other.close();
  });
});

describe('HTTP requests', () => {
  it('answers the requests that used to end the process, and fuzzed paths, and stays up', async () => {
    const known = [
      '/%',
      '/index.html%00.png',
      '/%00',
      '/..%2f..%2fetc%2fpasswd',
      '/../../etc/passwd',
      '//etc/passwd',
      '/%c0%ae%c0%ae/',
      `/${'a'.repeat(8000)}`,
    ];
    const statuses = await Promise.all(known.map((p) => get(p)));
    for (const [i, s] of statuses.entries()) expect(s, known[i]).toBeGreaterThanOrEqual(400);
    let tried = known.length;
    let hangs = 0;
    const m = await measure(() =>
      fc.assert(
        fc.asyncProperty(fc.string({ maxLength: 200, unit: 'binary' }), async (s) => {
          tried++;
          const path = `/${encodeURIComponent(s).replace(/%2F/g, '/')}`;
          const status = await get(path);
          if (status < 0) hangs++;
          expect([200, 404]).toContain(status);
        }),
        { numRuns: 300, interruptAfterTimeLimit: 20_000 },
      ),
    );
    expect(m.uncaught).toBe(0);
    expect(m.heldBuffersMiB).toBeLessThan(HELD_BOUND_MIB);
    const up = await stillServes();
    expect(up).toBe(true);
    recordHostile({
      surface: 'web bridge: HTTP',
      input: 'GET /%, NUL bytes, traversal, fuzzed paths',
      tried,
      crashes: up ? 0 : 1,
      hangs,
      dataLost: 0,
    });
  }, 60_000);

  it('refuses other methods', async () => {
    const status = await new Promise<number>((resolve) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: port(),
          path: '/',
          method: 'POST',
          headers: { host: hostHeader },
        },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.end('x');
    });
    expect(status).toBe(405);
  });
});

describe('messages', () => {
  it('answers a request with megabytes of hex (the validator used to overflow the stack)', async () => {
    const ws = await trusted();
    const sizes = [4, 8, 16].map((mib) => mib * 1024 * 1024);
    let hangs = 0;
    for (const [i, n] of sizes.entries()) {
      const payload = {
        device: 'emu:flash-stick',
        cdb: '2a 00 00 00 00 00 00 00 01 00',
        lun: 0,
        direction: 'out',
        transferLength: n,
        dataOut: Array.from({ length: n }, () => 'ab').join(' '),
        timeoutMs: 5000,
      };
      const a = await ask(
        ws,
        JSON.stringify({ id: 10 + i, channel: 'device.execute', payload }),
        10 + i,
      );
      if (!a) hangs++;
      expect(a?.reply?.id, `${n} bytes`).toBe(10 + i);
    }
    // A malformed one, just as large, is refused with the character named.
    const a = await ask(
      ws,
      JSON.stringify({
        id: 20,
        channel: 'device.execute',
        payload: {
          device: 'emu:',
          cdb: '12 00 00 00 24 00',
          lun: 0,
          direction: 'out',
          transferLength: 4,
          dataOut: `${'00 '.repeat(3 * 1024 * 1024)}zz`,
          timeoutMs: 5000,
        },
      }),
      20,
    );
    expect(a?.reply?.error?.message).toMatch(/dataOut: character 9437184 breaks the form/);
    ws.close();
    recordHostile({
      surface: 'web bridge: WebSocket messages',
      input: '4–16 MiB hex data-out, 9 MiB malformed hex',
      tried: sizes.length + 1,
      crashes: (await stillServes()) ? 0 : 1,
      hangs,
      dataLost: 0,
    });
  }, 60_000);

  it('closes with a reason on a message over the size limit, and on binary frames answers in words', async () => {
    const ws = await trusted();
    const binary = await ask(ws, Buffer.from([1, 2, 3]), null);
    expect(binary?.reply?.error?.code).toBe('bad-message');
    const huge = await ask(ws, 'x'.repeat(65 * 1024 * 1024), null);
    expect(huge?.closed?.code).toBe(1009); // RFC 6455 7.4.1: message too big
    expect(await stillServes()).toBe(true);
  }, 30_000);

  it(`refuses requests beyond ${MAX_IN_FLIGHT} in flight on one connection, at once`, async () => {
    const ws = await trusted();
    const replies: { id: number; error?: { code: string } }[] = [];
    ws.on('message', (d: Buffer) => replies.push(JSON.parse(d.toString()) as (typeof replies)[0]));
    const n = MAX_IN_FLIGHT + 10;
    for (let id = 1; id <= n; id++)
      ws.send(
        JSON.stringify({
          id,
          channel: 'devices.watch',
          payload: { generation: 0, waitMs: 2000 },
        }),
      );
    await expect.poll(() => replies.length, { timeout: 1000 }).toBe(10);
    expect(replies.every((r) => r.error?.code === 'busy')).toBe(true);
    ws.close();
  });

  it('answers every fuzzed envelope, naming its id, and touches no file outside the data folder', async () => {
    const ws = await trusted();
    const before = outsideEntries();
    let id = 1000;
    let tried = 0;
    let hangs = 0;
    const channels = Object.keys(CHANNELS);
    const pathy = fc.constantFrom(
      `emu:flash-stick?image=${join(OUTSIDE, 'made')}`,
      'emu:flash-stick?image=../outside/made',
      'emu:flash-stick?image=/proc/self/mem',
      `replay:${join(OUTSIDE, 'canary')}`,
      'replay:/dev/zero',
      'replay:../../outside/canary',
      'emu:flash-stick?image=.hidden',
    );
    const payload = fc.oneof(
      fc.jsonValue(),
      fc.record({ device: fc.oneof(pathy, fc.string()) }, { requiredKeys: [] }),
      fc.record({
        device: pathy,
        cdb: fc.constant('12 00 00 00 24 00'),
        lun: fc.constant(0),
        direction: fc.constant('in'),
        transferLength: fc.constant(36),
        timeoutMs: fc.constant(1000),
      }),
      fc.record({ name: fc.oneof(fc.string(), pathy), text: fc.string() }),
    );
    const m = await measure(() =>
      fc.assert(
        fc.asyncProperty(fc.constantFrom(...channels, 'nope'), payload, async (channel, p) => {
          tried++;
          const a = await ask(
            ws,
            JSON.stringify({
              id: ++id,
              channel,
              // A long poll would only wait; keep it short.
              payload: channel === 'devices.watch' ? { generation: 0, waitMs: 0 } : p,
            }),
            id,
          );
          if (!a?.reply) hangs++;
          expect(a?.reply?.id).toBe(id);
        }),
        { numRuns: 400, interruptAfterTimeLimit: 30_000 },
      ),
    );
    ws.close();
    expect(m.uncaught).toBe(0);
    expect(m.heldBuffersMiB).toBeLessThan(HELD_BOUND_MIB);
    const after = outsideEntries();
    expect(after).toEqual(before);
    const up = await stillServes();
    expect(up).toBe(true);
    recordHostile({
      surface: 'web bridge: IPC contract',
      input: 'fuzzed envelopes; paths as image and trace names',
      tried,
      crashes: up ? 0 : 1,
      hangs,
      dataLost: after.length - before.length,
    });
  }, 60_000);
});

describe('files through the contract', () => {
  it('names no server path: images and traces are names in the data folder or the session', async () => {
    const ws = await trusted();
    const execute = (device: string, id: number): Promise<Answer | undefined> =>
      ask(
        ws,
        JSON.stringify({
          id,
          channel: 'device.execute',
          payload: {
            device,
            cdb: '12 00 00 00 24 00',
            lun: 0,
            direction: 'in',
            transferLength: 36,
            timeoutMs: 1000,
          },
        }),
        id,
      );
    const attacks = [
      `emu:flash-stick?image=${join(OUTSIDE, 'planted')}`,
      'emu:flash-stick?image=/proc/self/mem',
      'emu:flash-stick?image=../outside/planted',
      `replay:${join(OUTSIDE, 'canary')}`,
      'replay:/dev/zero',
    ];
    for (const [i, device] of attacks.entries()) {
      const a = await execute(device, i + 1);
      expect(a?.reply?.ok, device).toBe(false);
      expect(a?.reply?.error?.code, device).toBe('bad-request');
      // The refusal does not say whether such a file exists.
      expect(a?.reply?.error?.message, device).not.toMatch(/ENOENT|no such file|exists/i);
    }
    expect(outsideEntries()).toEqual(['canary']);

    // A name is a file in the data folder's images/, created there.
    expect((await execute('emu:flash-stick?image=lab-disk', 10))?.reply?.ok).toBe(true);
    expect(readdirSync(join(DATA, 'images'))).toEqual(['lab-disk']);
    const list = await ask(ws, JSON.stringify({ id: 11, channel: 'images.list', payload: {} }), 11);
    expect(list?.reply).toMatchObject({ ok: true, value: [{ name: 'lab-disk' }] });

    // A trace is uploaded as its text, then replayed by name.
    const trace = [
      JSON.stringify({
        usbcdbTrace: 1,
        device: { id: 'emu:x', kind: 'emu', vendor: 'v', product: 'p', maxLun: 0 },
      }),
    ].join('\n');
    const loaded = await ask(
      ws,
      JSON.stringify({
        id: 12,
        channel: 'traces.load',
        payload: { name: 'run-1.jsonl', text: trace },
      }),
      12,
    );
    expect(loaded?.reply, JSON.stringify(loaded)).toMatchObject({
      ok: true,
      value: { device: 'replay:run-1.jsonl' },
    });
    const bad = await ask(
      ws,
      JSON.stringify({ id: 13, channel: 'traces.load', payload: { name: '../x', text: trace } }),
      13,
    );
    expect(bad?.reply?.error?.message).toMatch(/not a path/);
    ws.close();
    recordHostile({
      surface: 'web bridge: file access',
      input: 'absolute, relative and /proc, /dev paths as image and trace names',
      tried: attacks.length + 1,
      crashes: (await stillServes()) ? 0 : 1,
      hangs: 0,
      dataLost: outsideEntries().length - 1,
    });
  });
});

describe('listening', () => {
  let holder: Server;
  beforeAll(async () => {
    holder = createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
  });
  afterAll(() => new Promise<void>((r) => holder.close(() => r())));

  it('says "cannot listen" for a port in use or an address this machine lacks, and keeps running', async () => {
    const used = (holder.address() as { port: number }).port;
    await expect(startBridge({ port: used, dataDir: DATA })).rejects.toThrow(
      new RegExp(`cannot listen on 127\\.0\\.0\\.1:${used}: the port is in use`),
    );
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this machine.
    await expect(startBridge({ host: '192.0.2.1', dataDir: DATA })).rejects.toThrow(
      /cannot listen on 192\.0\.2\.1:0: this machine has no such address/,
    );
  });

  it('usbcdb serve warns before listening beyond loopback, and exits with a sentence when it cannot', () => {
    const r = spawnSync(
      process.execPath,
      ['bin/usbcdb.js', 'serve', '--host', '192.0.2.1', '--port', '0'],
      { encoding: 'utf8', timeout: 20_000, env: { ...process.env, XDG_CONFIG_HOME: DATA } },
    );
    expect(r.stderr).toMatch(/warning: --host 192\.0\.2\.1 is not a loopback address/);
    expect(r.stderr).toMatch(/whoever has the printed address/);
    expect(r.stderr).toMatch(
      /serve: cannot listen on 192\.0\.2\.1:0: this machine has no such address/,
    );
    expect(r.status).not.toBe(0);
    expect(r.signal).toBeNull();
  });
});
