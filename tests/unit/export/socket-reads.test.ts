/** Accepted connections whose reads land where the connection says (src-main/export/socket-reads.ts). */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  acceptIntoOwnBuffers,
  type ByteSink,
  type ReadInto,
} from '../../../src-main/export/socket-reads';
import { listenTcp, type ExportServer } from '../../../src-main/export/tcp-listener';

const servers: { close(): unknown }[] = [];
const logs: string[] = [];
afterEach(async () => {
  logs.length = 0;
  for (const s of servers.splice(0)) await s.close();
});

async function listening(accepted: (socket: Socket, readInto: ReadInto) => void): Promise<{
  server: Server;
  port: number;
  own: boolean;
  connections: Socket[];
}> {
  const server = createServer();
  servers.push({ close: () => new Promise((r) => server.close(r)) });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const connections: Socket[] = [];
  server.on('connection', (s: Socket) => connections.push(s));
  const own = acceptIntoOwnBuffers(server, accepted, (line) => logs.push(line));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { server, port, own, connections };
}

function client(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const c = connect(port, '127.0.0.1', () => resolve(c));
    c.once('error', reject);
    servers.push({ close: () => c.destroy() });
  });
}

const once = (s: Socket, event: string): Promise<void> =>
  new Promise((r) => s.once(event, () => r()));

/**
 * A message as the usbredir reader joins one: a 16-byte header naming the body's length, then
 * the body, which may land in place once the header is in. Whatever else arrives is collected.
 */
class Joiner implements ByteSink {
  readonly header = new Uint8Array(16);
  headerHave = 0;
  body = new Uint8Array(0);
  bodyHave = 0;
  landedBytes = 0;
  readonly others: number[] = [];
  readonly owned: boolean[] = [];
  constructor(private readonly onHeader: () => void = () => undefined) {}

  landing(): Uint8Array | undefined {
    if (this.headerHave < 16 || this.bodyHave === this.body.length) return undefined;
    return this.body.subarray(this.bodyHave);
  }
  landed(n: number): void {
    this.bodyHave += n;
    this.landedBytes += n;
  }
  received(bytes: Uint8Array, owned: boolean): void {
    this.owned.push(owned);
    let at = 0;
    if (this.headerHave < 16) {
      const n = Math.min(16 - this.headerHave, bytes.length);
      this.header.set(bytes.subarray(0, n), this.headerHave);
      this.headerHave += n;
      at = n;
      if (this.headerHave === 16) {
        this.body = new Uint8Array(new DataView(this.header.buffer).getUint32(0, true));
        this.onHeader();
      }
    }
    const n = Math.min(this.body.length - this.bodyHave, bytes.length - at);
    this.body.set(bytes.subarray(at, at + n), this.bodyHave);
    this.bodyHave += n;
    this.others.push(...bytes.subarray(at + n));
  }
}

const headerFor = (length: number): Uint8Array => {
  const h = new Uint8Array(16);
  new DataView(h.buffer).setUint32(0, length, true);
  return h;
};
const pattern = (n: number): Uint8Array =>
  Uint8Array.from({ length: n }, (_, i) => (i * 31) & 0xff);

describe('acceptIntoOwnBuffers', () => {
  it('reads a body straight into the place the sink offers, and the rest into a scratch buffer it copies from', async () => {
    let joiner: Joiner | undefined;
    let server: Socket | undefined;
    const l = await listening((socket, readInto) => {
      server = socket;
      joiner = new Joiner(() => socket.write('k'));
      readInto(joiner);
    });
    expect(l.own).toBe(true);
    const c = await client(l.port);
    const body = pattern(300 * 1024);
    const acknowledged = once(c, 'data');
    c.write(headerFor(body.length));
    await acknowledged;
    // In pieces, as a usb-guest's large packet arrives; then bytes past the body.
    for (let at = 0; at < body.length; at += 70_000) c.write(body.subarray(at, at + 70_000));
    c.write(Uint8Array.from([1, 2, 3]));
    await new Promise<void>((r) => {
      const poll = (): unknown => ((joiner?.others.length ?? 0) >= 3 ? r() : setTimeout(poll, 5));
      poll();
    });
    expect(l.connections).toEqual([server]);
    expect(joiner?.landedBytes).toBe(body.length);
    expect(Buffer.compare(joiner?.body ?? new Uint8Array(), body)).toBe(0);
    expect(joiner?.others).toEqual([1, 2, 3]);
    expect(joiner?.owned.every((o) => !o)).toBe(true);
  });

  it('never reads into an empty place (that would look like the end of the stream)', async () => {
    const got: number[] = [];
    const l = await listening((_socket, readInto) =>
      readInto({
        landing: () => new Uint8Array(0),
        landed: () => {
          throw new Error('nothing may land in an empty place');
        },
        received: (bytes) => got.push(...bytes),
      }),
    );
    const c = await client(l.port);
    const sent = pattern(5000);
    c.write(sent);
    await new Promise<void>((r) => {
      const poll = (): unknown => (got.length >= sent.length ? r() : setTimeout(poll, 5));
      poll();
    });
    expect(Uint8Array.from(got)).toEqual(sent);
  });

  it('closes a connection whose bytes arrive before it said where they go', async () => {
    const l = await listening(() => undefined);
    const c = await client(l.port);
    const closed = once(c, 'close');
    c.write('x');
    await closed;
    expect(l.connections[0]?.destroyed).toBe(true);
    expect(logs).toEqual(['closing a connection: bytes arrived before it named where they go']);
  });

  it('leaves a server that is not listening as it is', () => {
    expect(
      acceptIntoOwnBuffers(
        createServer(),
        () => undefined,
        () => undefined,
      ),
    ).toBe(false);
  });
});

describe('listenTcp', () => {
  it('reads into own buffers on this Node, and through data events when told to', async () => {
    const seen: { mode: string; owned: boolean[]; bytes: number[] }[] = [];
    for (const reads of [undefined, 'node-buffers'] as const) {
      const record = { mode: '', owned: [] as boolean[], bytes: [] as number[] };
      const s: ExportServer = await listenTcp(
        '127.0.0.1',
        0,
        (_socket, readInto) =>
          readInto({
            landing: () => undefined,
            landed: () => undefined,
            received: (b, owned) => {
              record.owned.push(owned);
              record.bytes.push(...b);
            },
          }),
        { name: 'test', maxConnections: 2, log: () => undefined, ...(reads ? { reads } : {}) },
      );
      servers.push(s);
      record.mode = s.reads;
      const c = await client(s.port);
      c.write(Uint8Array.from([7, 8, 9]));
      await new Promise<void>((r) => {
        const poll = (): unknown => (record.bytes.length >= 3 ? r() : setTimeout(poll, 5));
        poll();
      });
      seen.push(record);
    }
    expect(seen.map((r) => [r.mode, r.owned[0], r.bytes])).toEqual([
      ['own-buffers', false, [7, 8, 9]],
      ['node-buffers', true, [7, 8, 9]],
    ]);
  });
});
