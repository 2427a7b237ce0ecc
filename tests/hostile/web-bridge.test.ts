/**
 * Web mode under attack, on loopback only: each attack reported against
 * `usbcdb serve` is replayed here, then fuzzed. Every row of the ledger
 * (tests/hostile/report.ts) counts what was sent and what went wrong:
 * crashes (the bridge stopped answering a well-behaved client), hangs (a
 * request neither answered nor closed in time) and files touched outside
 * the data folder.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect as tcpConnect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CHANNELS, MAX_CDB_BYTES, MAX_DATA_BYTES } from '../../shared/ipc/contract';
import { MAX_PRESET_DATA_BYTES, MAX_PRESETS_FILE } from '../../shared/ipc/limits';
import {
  decodeFrame,
  encodeFrame,
  MAX_ATTACHMENTS,
  MAX_MESSAGE_DEPTH,
} from '../../shared/ipc/frame';
import { bridgeProtocols, MAX_REPLY_BYTES, MAX_REQUEST_BYTES } from '../../shared/ipc/web-protocol';
import {
  startBridge,
  MAX_CONNECTIONS,
  MAX_IN_FLIGHT,
  MAX_IN_FLIGHT_BYTES,
  type Bridge,
} from '../../src-main/ipc/ws-bridge';
import { recordHostile } from './report';
import { presetsJson } from '../../shared/presets-file';
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
/** The same for a presets request on a file of up to 64 MiB (see "presets through the contract"). */
const PRESETS_WAIT_MS = 30_000;

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

/** A message in the bridge's framing (shared/ipc/frame.ts). */
function frame(message: unknown): Buffer {
  const f = encodeFrame(message, MAX_REQUEST_BYTES);
  if (!f.ok) throw new Error(f.error.message);
  return Buffer.from(f.value.buffer, f.value.byteOffset, f.value.byteLength);
}

/** A reply frame, decoded; a reply that is not one fails the test. */
function replyOf(d: Buffer): Answer['reply'] {
  const r = decodeFrame(d, MAX_REPLY_BYTES);
  if (!r.ok) throw new Error(`the bridge sent a frame that does not decode: ${r.error.message}`);
  return r.value as Answer['reply'];
}

/** A hand-made frame: header fields as given (they may lie), then the JSON text and the tail. */
function rawFrame(
  jsonLength: number,
  lengths: readonly number[],
  json: string,
  tail: Uint8Array = new Uint8Array(),
  count = lengths.length,
): Buffer {
  const head = Buffer.alloc(8 + 4 * lengths.length);
  head.writeUInt32BE(jsonLength >>> 0, 0);
  head.writeUInt32BE(count >>> 0, 4);
  lengths.forEach((n, i) => head.writeUInt32BE(n >>> 0, 8 + 4 * i));
  return Buffer.concat([head, Buffer.from(json), tail]);
}

/**
 * Sends raw bytes and waits for the reply with `id` (or any reply when id is null), or the close;
 * `waitMs` longer than REPLY_WAIT_MS only for requests that move tens of MiB through a file.
 */
function ask(
  ws: WebSocket,
  text: string | Buffer,
  id: number | null,
  waitMs = REPLY_WAIT_MS,
): Promise<Answer | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(undefined), waitMs);
    const onMessage = (d: Buffer): void => {
      const reply = replyOf(d);
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
  const a = await ask(ws, frame({ id: 1, channel: 'devices.list', payload: {} }), 1);
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

  it(`serves at most ${MAX_CONNECTIONS} pages at once, and tells the next why`, async () => {
    // Each connection has its own session (devices, traces, requests in flight) with its own
    // bounds; without a bound on connections, those bounds bound nothing.
    const own = await startBridge({ dataDir: DATA });
    const page = new URL(own.pageUrl).origin;
    const open = (): Promise<WebSocket | { status: number; body: string }> =>
      new Promise((resolve) => {
        const ws = new WebSocket(own.url, bridgeProtocols(own.token), { origin: page });
        ws.once('open', () => resolve(ws));
        ws.once('unexpected-response', (_req, res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        ws.once('error', () => resolve({ status: -1, body: '' }));
      });
    const pages: WebSocket[] = [];
    for (let i = 0; i < MAX_CONNECTIONS; i++) {
      const ws = await open();
      if (!(ws instanceof WebSocket)) throw new Error(`page ${i + 1} was refused: ${ws.status}`);
      pages.push(ws);
    }
    const extra = [];
    for (let i = 0; i < 8; i++) extra.push(await open());
    const admitted = extra.filter((x) => x instanceof WebSocket);
    for (const ws of admitted) ws.close();
    expect(admitted).toHaveLength(0);
    const refused = extra[0] as { status: number; body: string };
    expect(refused.status).toBe(503);
    expect(refused.body).toMatch(new RegExp(`${MAX_CONNECTIONS} pages`));
    // One page closed, another may come.
    const gone = pages.pop();
    await new Promise((r) => {
      gone?.once('close', r);
      gone?.close();
    });
    await expect
      .poll(async () => {
        const again = await open();
        if (again instanceof WebSocket) pages.push(again);
        return again instanceof WebSocket;
      })
      .toBe(true);
    for (const ws of pages) ws.terminate();
    await own.close();
    recordHostile({
      surface: 'web bridge: WebSocket upgrade',
      input: `${MAX_CONNECTIONS} pages at once, then ${extra.length} more`,
      tried: MAX_CONNECTIONS + extra.length,
      crashes: 0,
      hangs: extra.filter((x) => !(x instanceof WebSocket) && x.status < 0).length,
      dataLost: admitted.length,
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
  it('carries 4–64 MiB of data-out as bytes, and refuses a field over its bound by name', async () => {
    const ws = await trusted();
    const sizes = [4, 16, 64].map((mib) => mib * 1024 * 1024);
    let hangs = 0;
    const write = (id: number, dataOut: Uint8Array | string, cdb: Uint8Array | string) =>
      ask(
        ws,
        frame({
          id,
          channel: 'device.execute',
          payload: {
            device: 'emu:flash-stick',
            cdb,
            lun: 0,
            direction: 'out',
            transferLength: typeof dataOut === 'string' ? 4 : dataOut.length,
            dataOut,
            timeoutMs: 5000,
          },
        }),
        id,
      );
    const writeOne = Uint8Array.from([0x2a, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
    for (const [i, n] of sizes.entries()) {
      const a = await write(10 + i, new Uint8Array(n).fill(0xab), writeOne);
      if (!a) hangs++;
      expect(a?.reply?.ok, `${n} bytes: ${JSON.stringify(a?.reply?.error)}`).toBe(true);
    }
    // Over a field's bound: refused with the field named, before any device is opened.
    const tooMuch = await write(20, new Uint8Array(MAX_DATA_BYTES + 1), writeOne);
    expect(tooMuch?.reply?.error?.message).toMatch(
      /dataOut: 67108865 bytes, over the 64 MiB this field carries/,
    );
    const longCdb = await write(21, new Uint8Array(4), new Uint8Array(MAX_CDB_BYTES + 1));
    expect(longCdb?.reply?.error?.message).toMatch(/cdb: 261 bytes, over the 260 bytes/);
    const noCdb = await write(22, new Uint8Array(4), new Uint8Array());
    expect(noCdb?.reply?.error?.message).toMatch(/cdb: empty/);
    // Numbers or a JSON array where bytes belong are not bytes.
    const asArray = await ask(
      ws,
      frame({
        id: 23,
        channel: 'device.execute',
        payload: {
          device: 'emu:flash-stick',
          cdb: [0x12, 0, 0, 0, 36, 0],
          lun: 0,
          direction: 'in',
          transferLength: 36,
          timeoutMs: 5000,
        },
      }),
      23,
    );
    expect(asArray?.reply?.error?.message).toMatch(/cdb: expected bytes/);
    // Hex text where bytes belong is refused too, each field by name: bytes cross as bytes.
    const asHex = await write(24, `${'00 '.repeat(3 * 1024 * 1024)}00`, '12 00 00 00 24 00');
    expect(asHex?.reply?.error?.message).toMatch(/cdb: expected bytes/);
    expect(asHex?.reply?.error?.message).toMatch(/dataOut: expected bytes/);
    ws.close();
    recordHostile({
      surface: 'web bridge: WebSocket messages',
      input: '4–64 MiB data-out as bytes; fields over their bound; arrays and hex text as bytes',
      tried: sizes.length + 5,
      crashes: (await stillServes()) ? 0 : 1,
      hangs,
      dataLost: 0,
    });
  }, 60_000);

  it('closes with a reason on a message over the size limit, and answers a text frame in words', async () => {
    const ws = await trusted();
    const text = await ask(
      ws,
      JSON.stringify({ id: 1, channel: 'devices.list', payload: {} }),
      null,
    );
    expect(text?.reply?.error?.code).toBe('bad-message');
    expect(text?.reply?.error?.message).toMatch(/one binary frame/);
    const huge = await ask(ws, Buffer.alloc(MAX_REQUEST_BYTES + 1), null);
    expect(huge?.closed?.code).toBe(1009); // RFC 6455 7.4.1: message too big
    expect(await stillServes()).toBe(true);
  }, 30_000);

  it('refuses frames that lie about their lengths or references, naming what is wrong, and allocates nothing for them', async () => {
    const ws = await trusted();
    const env = (payload: string): string =>
      `{"id":7,"channel":"device.execute","payload":${payload}}`;
    const execute = (cdbRef: string): string =>
      env(
        `{"device":"emu:flash-stick","cdb":${cdbRef},"lun":0,"direction":"in","transferLength":36,"timeoutMs":1000}`,
      );
    const inquiry = Uint8Array.from([0x12, 0, 0, 0, 36, 0]);
    const deep = `{"id":8,"channel":"devices.list","payload":${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
    const good = execute('{"$bytes":0}');
    const j = Buffer.byteLength(good);
    const attacks: [string, Buffer, RegExp][] = [
      ['3 bytes', Buffer.from([1, 2, 3]), /shorter than its 8-byte header/],
      ['JSON length past the end', rawFrame(j + 100, [6], good, inquiry), /declares .* but holds/],
      ['JSON length 4 GiB', rawFrame(0xffffffff, [6], good, inquiry), /declares .* but holds/],
      ['attachment longer than sent', rawFrame(j, [600], good, inquiry), /declares .* but holds/],
      ['attachment 4 GiB', rawFrame(j, [0xffffffff], good, inquiry), /declares .* but holds/],
      [
        'trailing bytes',
        rawFrame(j, [6], good, new Uint8Array([...inquiry, 9, 9])),
        /declares .* but holds/,
      ],
      [
        '4 billion attachments',
        rawFrame(j, [6], good, inquiry, 0xffffffff),
        /declares 4294967295 attachments, over the 4096/,
      ],
      [
        'a table cut short',
        rawFrame(0, [], '', new Uint8Array(), MAX_ATTACHMENTS),
        /ends inside its table of 4096 attachment lengths/,
      ],
      [
        'reference out of range',
        rawFrame(Buffer.byteLength(execute('{"$bytes":5}')), [6], execute('{"$bytes":5}'), inquiry),
        /refers to attachment 5, but holds 1/,
      ],
      [
        'negative reference',
        rawFrame(
          Buffer.byteLength(execute('{"$bytes":-1}')),
          [6],
          execute('{"$bytes":-1}'),
          inquiry,
        ),
        /refers to attachment -1/,
      ],
      [
        'reference with another key',
        rawFrame(
          Buffer.byteLength(execute('{"$bytes":0,"x":1}')),
          [6],
          execute('{"$bytes":0,"x":1}'),
          inquiry,
        ),
        /malformed reference/,
      ],
      [
        'reference that is text',
        rawFrame(
          Buffer.byteLength(execute('{"$bytes":"0"}')),
          [6],
          execute('{"$bytes":"0"}'),
          inquiry,
        ),
        /malformed reference/,
      ],
      [
        // Quoted back and logged: a C1 CSI and a bidi override would reach the server's terminal.
        'reference holding terminal controls',
        rawFrame(
          Buffer.byteLength(execute('{"$bytes":"\u009b2J\u202e"}')),
          [6],
          execute('{"$bytes":"\u009b2J\u202e"}'),
          inquiry,
        ),
        /malformed reference \{"\$bytes":"\.2J\."\}; /,
      ],
      [
        'an attachment nothing refers to',
        rawFrame(j, [6, 2], good, new Uint8Array([...inquiry, 1, 2])),
        /carries attachment 1, which nothing refers to/,
      ],
      [
        'one attachment referred to twice',
        rawFrame(
          Buffer.byteLength(env('{"cdb":{"$bytes":0},"dataOut":{"$bytes":0}}')),
          [6],
          env('{"cdb":{"$bytes":0},"dataOut":{"$bytes":0}}'),
          inquiry,
        ),
        /refers to attachment 0 twice/,
      ],
      ['JSON that is not UTF-8', rawFrame(2, [], '', new Uint8Array([0xc3, 0x28])), /not UTF-8/],
      ['text that is not JSON', rawFrame(5, [], '{"id"'), /not JSON/],
      [
        // Well-formed JSON, deeper than JSON.parse's reviver can recurse.
        'JSON nested 200,000 deep',
        rawFrame(Buffer.byteLength(deep), [], deep),
        new RegExp(`holds JSON nested deeper than ${MAX_MESSAGE_DEPTH} levels$`),
      ],
    ];
    let tried = 0;
    let hangs = 0;
    const m = await measure(async () => {
      for (const [what, bytes, expected] of attacks) {
        tried++;
        const a = await ask(ws, bytes, null);
        if (!a) hangs++;
        expect(a?.reply?.error?.code, what).toBe('bad-message');
        expect(a?.reply?.error?.message, what).toMatch(expected);
      }
      // The honest frame gets its answer on the same connection.
      const ok = await ask(ws, rawFrame(j, [6], good, inquiry), 7);
      expect(ok?.reply?.ok).toBe(true);
    });
    expect(m.uncaught).toBe(0);
    expect(m.heldBuffersMiB).toBeLessThan(HELD_BOUND_MIB);
    ws.close();
    recordHostile({
      surface: 'web bridge: binary framing',
      input:
        'lying lengths, 4 GiB declared sizes, references out of range or reused, truncated frames, deep nesting',
      tried,
      crashes: (await stillServes()) ? 0 : 1,
      hangs,
      dataLost: 0,
    });
  }, 30_000);

  it('answers every fuzzed frame: random bytes and honest frames with bytes changed', async () => {
    const ws = await trusted();
    const honest = frame({
      id: 5,
      channel: 'device.execute',
      payload: {
        device: 'emu:flash-stick',
        cdb: Uint8Array.from([0x12, 0, 0, 0, 36, 0]),
        lun: 0,
        direction: 'in',
        transferLength: 36,
        timeoutMs: 1000,
      },
    });
    let tried = 0;
    let hangs = 0;
    const mutated = fc
      .array(fc.tuple(fc.nat(honest.length - 1), fc.integer({ min: 0, max: 255 })), {
        minLength: 1,
        maxLength: 4,
      })
      .map((edits) => {
        const b = Buffer.from(honest);
        for (const [at, v] of edits) b[at] = v;
        return b;
      });
    const m = await measure(() =>
      fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.uint8Array({ maxLength: 64 }).map((u) => Buffer.from(u)),
            mutated,
          ),
          async (bytes) => {
            tried++;
            const a = await ask(ws, bytes, null);
            if (!a?.reply) hangs++;
            expect(a?.reply).toBeDefined();
          },
        ),
        { numRuns: 300, interruptAfterTimeLimit: 20_000 },
      ),
    );
    ws.close();
    expect(m.uncaught).toBe(0);
    const up = await stillServes();
    expect(up).toBe(true);
    recordHostile({
      surface: 'web bridge: binary framing',
      input: 'random frames; an honest frame with 1–4 bytes changed',
      tried,
      crashes: up ? 0 : 1,
      hangs,
      dataLost: 0,
    });
  }, 60_000);

  it(`refuses requests beyond ${MAX_IN_FLIGHT} in flight on one connection, at once`, async () => {
    const ws = await trusted();
    const replies: { id: number; error?: { code: string } }[] = [];
    ws.on('message', (d: Buffer) => replies.push(replyOf(d) as (typeof replies)[0]));
    const n = MAX_IN_FLIGHT + 10;
    for (let id = 1; id <= n; id++)
      ws.send(
        frame({
          id,
          channel: 'devices.watch',
          payload: { generation: 0, waitMs: 2000 },
        }),
      );
    await expect.poll(() => replies.length, { timeout: 1000 }).toBe(10);
    expect(replies.every((r) => r.error?.code === 'busy')).toBe(true);
    ws.close();
  });

  it(`holds at most ${MAX_IN_FLIGHT_BYTES / 1048576} MiB of requests in flight on one connection, refusing more at once`, async () => {
    const ws = await trusted();
    const replies: { id: number; error?: { code: string; message: string } }[] = [];
    ws.on('message', (d: Buffer) => replies.push(replyOf(d) as (typeof replies)[0]));
    // A long poll keeps its request, and so the frame it came in, until it answers: sent in a
    // 16 MiB frame (bytes beside the payload that nothing reads), each one holds 16 MiB.
    const pad = new Uint8Array(16 * 1048576);
    const fit = Math.floor(MAX_IN_FLIGHT_BYTES / (pad.length + 1024));
    const m = await measure(async () => {
      for (let id = 1; id <= MAX_IN_FLIGHT; id++) {
        const f = frame({
          id,
          channel: 'devices.watch',
          payload: { generation: 0, waitMs: 20_000 },
          pad,
        });
        await new Promise<void>((sent) => ws.send(f, () => sent()));
      }
      await expect.poll(() => replies.length, { timeout: REPLY_WAIT_MS }).toBe(MAX_IN_FLIGHT - fit);
    });
    expect(replies.every((r) => r.error?.code === 'busy')).toBe(true);
    expect(replies[0]?.error?.message).toMatch(/MiB/);
    expect(m.heldBuffersMiB).toBeLessThan(MAX_IN_FLIGHT_BYTES / 1048576 + HELD_BOUND_MIB);
    ws.close();
    const up = await stillServes();
    expect(up).toBe(true);
    recordHostile({
      surface: 'web bridge: WebSocket messages',
      input: `${MAX_IN_FLIGHT} long polls, each sent in a 16 MiB frame`,
      tried: MAX_IN_FLIGHT,
      crashes: up ? 0 : 1,
      hangs: 0,
      dataLost: 0,
    });
  }, 60_000);

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
        cdb: fc.constant(Uint8Array.from([0x12, 0, 0, 0, 36, 0])),
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
            frame({
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
        frame({
          id,
          channel: 'device.execute',
          payload: {
            device,
            cdb: Uint8Array.from([0x12, 0, 0, 0, 36, 0]),
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
    const list = await ask(ws, frame({ id: 11, channel: 'images.list', payload: {} }), 11);
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
      frame({
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
      frame({ id: 13, channel: 'traces.load', payload: { name: '../x', text: trace } }),
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

describe('a hostile trace', () => {
  it('cannot make the device list too large to carry with a device name of 30 MiB', async () => {
    const ws = await trusted();
    // A trace whose header names its device with 30 MiB of letters: three of them would make
    // the session's device list (each trace's label is vendor and product) over the reply bound.
    const huge = 'A'.repeat(30 * 1048576);
    const trace = JSON.stringify({
      usbcdbTrace: 1,
      device: { id: 'emu:x', kind: 'emu', vendor: huge, product: 'p', maxLun: 0 },
    });
    let refused = 0;
    for (let i = 1; i <= 3; i++) {
      const loaded = await ask(
        ws,
        frame({ id: i, channel: 'traces.load', payload: { name: `big-${i}.jsonl`, text: trace } }),
        i,
        PRESETS_WAIT_MS,
      );
      if (loaded?.reply?.ok === false) {
        refused++;
        expect(loaded.reply.error?.message).toMatch(/vendor/);
      }
    }
    const list = await ask(ws, frame({ id: 9, channel: 'devices.list', payload: {} }), 9);
    ws.close();
    recordHostile({
      surface: 'web bridge: IPC contract',
      input: 'three traces naming their device with 30 MiB, then the device list',
      tried: 4,
      crashes: (await stillServes()) ? 0 : 1,
      hangs: list ? 0 : 1,
      dataLost: 0,
    });
    expect(list?.reply?.ok, JSON.stringify(list?.reply?.error)).toBe(true);
    expect(refused).toBe(3);
  }, 60_000);
});

describe('presets through the contract', () => {
  /**
   * presets.save; the reply, or undefined on a hang. A save reads and checks the whole file
   * twice, and these grow it to 64 MiB: each may take seconds on a loaded machine.
   */
  const save = (ws: WebSocket, id: number, preset: Record<string, unknown>) =>
    ask(
      ws,
      frame({
        id,
        channel: 'presets.save',
        payload: { name: String(preset['id']), direction: 'none', transferLength: 0, ...preset },
      }),
      id,
      PRESETS_WAIT_MS,
    );
  const names = (a: Answer | undefined): unknown =>
    (a?.reply as { value?: { id: string }[] } | undefined)?.value?.map((p) => p.id);

  it('keeps variable-length CDBs up to 260 bytes and refuses a longer one by name, every preset still readable', async () => {
    const ws = await trusted();
    const file = join(DATA, 'presets.json');
    const sevenF = (n: number): string => ['7f', ...Array<string>(n - 1).fill('00')].join(' ');
    let hangs = 0;
    const answers = [
      await save(ws, 1, {
        id: 'keep',
        cdb: '12 00 00 00 24 00',
        direction: 'in',
        transferLength: 36,
      }),
      await save(ws, 2, { id: 'long', cdb: sevenF(68) }),
      await save(ws, 3, { id: 'longest', cdb: sevenF(MAX_CDB_BYTES) }),
    ];
    hangs += answers.filter((a) => !a).length;
    expect(names(answers[2])).toEqual(['keep', 'long', 'longest']);
    const before = readFileSync(file);
    const tooLong = await save(ws, 4, { id: 'too-long', cdb: sevenF(MAX_CDB_BYTES + 1) });
    if (!tooLong) hangs++;
    expect(tooLong?.reply?.error?.message).toBe(
      'presets.save: cdb: 261 bytes, over the 260 bytes this field carries',
    );
    expect(readFileSync(file)).toEqual(before);
    const list = await ask(ws, frame({ id: 5, channel: 'presets.list', payload: {} }), 5);
    expect(names(list)).toEqual(['keep', 'long', 'longest']);
    const deleted = await ask(
      ws,
      frame({ id: 6, channel: 'presets.delete', payload: { id: 'long' } }),
      6,
    );
    expect(names(deleted)).toEqual(['keep', 'longest']);
    ws.close();
    recordHostile({
      surface: 'web bridge: presets',
      input: 'CDBs of 68, 260 and 261 bytes saved, then list and delete',
      tried: 4,
      crashes: (await stillServes()) ? 0 : 1,
      hangs,
      dataLost: JSON.stringify(names(list)) === '["keep","long","longest"]' ? 0 : 1,
    });
  });

  it('refuses data-out over its bound and a save past the 64 MiB file by name, and carries the list of a full file', async () => {
    const ws = await trusted();
    const file = join(DATA, 'presets.json');
    // As text: formatting 16 MiB byte by byte is slow, and the contract carries the text.
    const zeros = (n: number): string => `${'00 '.repeat(n - 1)}00`;
    const writeBuffer = (id: string, n: number) => ({
      id,
      cdb: '3b 02 00 00 00 00 00 00 00 00',
      direction: 'out',
      transferLength: n,
      dataOut: zeros(n),
    });
    let hangs = 0;
    const saved = await save(ws, 10, writeBuffer('big1', MAX_PRESET_DATA_BYTES));
    if (!saved) hangs++;
    expect(saved?.reply?.ok, JSON.stringify(saved?.reply?.error)).toBe(true);
    const before = readFileSync(file);
    const over = await save(ws, 11, writeBuffer('over', MAX_PRESET_DATA_BYTES + 1));
    if (!over) hangs++;
    expect(over?.reply?.error?.message).toBe(
      'presets.save: dataOut: 16777217 bytes, over the 16 MiB this field carries',
    );
    const second = await save(ws, 12, writeBuffer('big2', MAX_PRESET_DATA_BYTES));
    if (!second) hangs++;
    expect(second?.reply?.error).toMatchObject({
      code: 'presets',
      message: expect.stringMatching(
        /over the limit of 67108864 bytes the app reads back; the file is unchanged/,
      ),
    });
    const unchanged = readFileSync(file).equals(before);
    expect(unchanged).toBe(true);
    // Fill the file to within 1 KiB of its bound: the save's reply, the whole list, still arrives.
    const room = Math.floor((MAX_PRESETS_FILE - before.length) / 3) - 200;
    const fill = await save(ws, 13, writeBuffer('fill', room));
    if (!fill) hangs++;
    expect(fill?.reply?.ok, JSON.stringify(fill?.reply?.error)).toBe(true);
    const full = readFileSync(file).length;
    expect(full).toBeLessThanOrEqual(MAX_PRESETS_FILE);
    expect(full).toBeGreaterThan(MAX_PRESETS_FILE - 1024);
    const list = await ask(
      ws,
      frame({ id: 14, channel: 'presets.list', payload: {} }),
      14,
      PRESETS_WAIT_MS,
    );
    if (!list) hangs++;
    expect(names(list)).toEqual([...(names(saved) as string[]), 'fill']);
    ws.close();
    recordHostile({
      surface: 'web bridge: presets',
      input: '16 MiB data-out presets until the 64 MiB file is full; 16 MiB + 1',
      tried: 5,
      crashes: (await stillServes()) ? 0 : 1,
      hangs,
      dataLost: unchanged ? 0 : 1,
    });
  }, 120_000);

  it('exports and imports a near-full file of quote-heavy notes as its bytes, within the bounds', async () => {
    const ws = await trusted();
    const file = join(DATA, 'presets.json');
    // A note of 10,000 quotes is 20,000 bytes in the file (each one escaped); the file as a JSON
    // string inside a JSON message would escape each again, twice the file: over either bound.
    const quoted = Array.from({ length: 3000 }, (_, i) => ({
      id: `q${i}`,
      name: `q${i}`,
      folder: '',
      cdb: '00 00 00 00 00 00',
      direction: 'none' as const,
      transferLength: 0,
      lun: 0,
      notes: '"'.repeat(10_000),
    }));
    writeFileSync(file, presetsJson(quoted));
    const written = readFileSync(file);
    expect(written.length).toBeLessThanOrEqual(MAX_PRESETS_FILE);
    expect(written.length * 2).toBeGreaterThan(MAX_REPLY_BYTES);
    let hangs = 0;
    const exported = await ask(
      ws,
      frame({ id: 20, channel: 'presets.export', payload: {} }),
      20,
      PRESETS_WAIT_MS,
    );
    if (!exported) hangs++;
    const bytes = (exported?.reply as { value?: { file?: Uint8Array } } | undefined)?.value?.file;
    expect(bytes && Buffer.from(bytes).equals(written)).toBe(true);
    writeFileSync(file, presetsJson([]));
    const imported = await ask(
      ws,
      frame({ id: 21, channel: 'presets.import', payload: { file: bytes } }),
      21,
      PRESETS_WAIT_MS,
    );
    if (!imported) hangs++;
    expect(names(imported)).toEqual(quoted.map((p) => p.id));
    const same = readFileSync(file).equals(written);
    expect(same).toBe(true);
    ws.close();
    recordHostile({
      surface: 'web bridge: presets',
      input: 'export and import of a 60 MB presets file of notes made of quotes',
      tried: 2,
      crashes: (await stillServes()) ? 0 : 1,
      hangs,
      dataLost: same ? 0 : 1,
    });
  }, 120_000);
});

describe('a peer that is gone', () => {
  /** A raw client admitted to `to`: the upgrade done, nothing sent after it; answers no ping. */
  async function rawConnection(to: Bridge): Promise<Socket> {
    const page = new URL(to.pageUrl);
    const raw = tcpConnect(Number(page.port), '127.0.0.1');
    await new Promise((r) => raw.once('connect', r));
    raw.write(
      [
        'GET /ipc HTTP/1.1',
        `Host: ${page.host}`,
        `Origin: ${page.origin}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
        'Sec-WebSocket-Version: 13',
        `Sec-WebSocket-Protocol: ${bridgeProtocols(to.token).join(', ')}`,
        '',
        '',
      ].join('\r\n'),
    );
    const status = await new Promise<string>((r) =>
      raw.once('data', (d: Buffer) => r(d.toString('latin1').split('\r\n')[0] ?? '')),
    );
    expect(status).toBe('HTTP/1.1 101 Switching Protocols');
    return raw;
  }

  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

  it('keeps a connection that reads a long answer slowly, sending nothing meanwhile', async () => {
    const heartbeatMs = 200;
    const beat = await startBridge({ dataDir: DATA, heartbeatMs });
    const raw = await rawConnection(beat);
    raw.pause();
    let ended = false;
    raw.once('close', () => (ended = true));
    // READ(10) of 8 MiB from an emulated drive: an answer larger than the sockets' buffers.
    const request = frame({
      id: 1,
      channel: 'device.execute',
      payload: {
        device: 'emu:',
        cdb: Uint8Array.from([0x28, 0, 0, 0, 0, 0, 0, 0x40, 0, 0]),
        lun: 0,
        direction: 'in',
        transferLength: 16384 * 512,
        timeoutMs: 10_000,
      },
    });
    const head = Buffer.alloc(14);
    head[0] = 0x82; // FIN, binary (RFC 6455 5.2)
    head[1] = 0xff; // masked, 64-bit length; the mask, bytes 10–13, is zero
    head.writeBigUInt64BE(BigInt(request.length), 2);
    raw.write(Buffer.concat([head, request]));
    // Alive while the drive opens and reads, as a browser answering pings is: an unsolicited Pong
    // (RFC 6455 5.5.3; masked, empty) until the answer begins.
    let received = 0;
    while (received === 0 && !ended) {
      raw.write(Buffer.from([0x8a, 0x80, 0, 0, 0, 0]));
      await sleep(heartbeatMs / 4);
      received += (raw.read(16384) as Buffer | null)?.length ?? 0;
    }
    // Then read it at 5 MiB/s, over many heartbeats, sending nothing: the bridge's Ping
    // waits behind the answer, so no Pong can come until it is read.
    const want = 8 * 1048576;
    while (received < want && !ended) {
      await sleep(heartbeatMs / 4);
      for (let i = 0; i < 16; i++) received += (raw.read(16384) as Buffer | null)?.length ?? 0;
    }
    const endedEarly = ended;
    raw.destroy();
    await beat.close();
    expect(endedEarly).toBe(false);
    expect(received).toBeGreaterThanOrEqual(want);
  }, 30_000);

  it('ends a connection that sends nothing, not even the answer to a ping; a live page or a slow upload stays', async () => {
    const heartbeatMs = 200;
    const beat = await startBridge({ dataDir: DATA, heartbeatMs });
    // Silent, as a machine gone off the network is: it sends no FIN either.
    const silent = await rawConnection(beat);
    let silentEnded = false;
    silent.once('close', () => (silentEnded = true));
    // An upload too slow to finish in an interval, during which a browser sends no Pong: the
    // header of a 1 MiB binary frame (masked, RFC 6455 5.2), then its bytes one at a time.
    const slow = await rawConnection(beat);
    let slowEnded = false;
    slow.once('close', () => (slowEnded = true));
    slow.write(Buffer.from([0x82, 0xff, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0]));
    const trickle = setInterval(() => slow.write(Buffer.from([0])), heartbeatMs / 4);
    // A page whose WebSocket answers pings, as every browser's does, idle all the while.
    const page = new URL(beat.pageUrl);
    const live = new WebSocket(beat.url, bridgeProtocols(beat.token), { origin: page.origin });
    await new Promise((r) => live.once('open', r));
    await sleep(10 * heartbeatMs);
    clearInterval(trickle);
    expect(silentEnded).toBe(true);
    expect(slowEnded).toBe(false);
    expect(live.readyState).toBe(WebSocket.OPEN);
    live.close();
    slow.destroy();
    silent.destroy();
    await beat.close();
    recordHostile({
      surface: 'web bridge: WebSocket upgrade',
      input: 'an admitted connection that then sends nothing',
      tried: 1,
      crashes: 0,
      hangs: silentEnded ? 0 : 1,
      dataLost: 0,
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
