/** Replies written straight to a socket's descriptor while its stream is empty (src-main/export/socket-writes.ts). */
import { connect, createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { descriptorOf, ReplyBatch } from '../../../src-main/export/socket-writes';

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A connected loopback pair: `local` is the side replies are written on, `peer` reads them. */
async function pair(): Promise<{ local: Socket; peer: Socket }> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const accepted = new Promise<Socket>((r) => server.once('connection', r));
  const peer = await new Promise<Socket>((resolve, reject) => {
    const c = connect(port, '127.0.0.1', () => resolve(c));
    c.once('error', reject);
  });
  const local = await accepted;
  closers.push(() => {
    local.destroy();
    peer.destroy();
    return new Promise((r) => server.close(r));
  });
  return { local, peer };
}

/** Collects what the peer reads until `total` bytes are in. */
function receive(peer: Socket, total: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let have = 0;
  return new Promise((resolve) => {
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      have += chunk.length;
      if (have >= total) {
        peer.off('data', onData);
        resolve(Buffer.concat(chunks));
      }
    };
    peer.on('data', onData);
  });
}

function pattern(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 7 + seed) & 0xff;
  return bytes;
}

const posix = process.platform !== 'win32';

describe('descriptorOf', () => {
  it.runIf(posix)(
    'gives the descriptor of a connected socket, and nothing once it is closed',
    async () => {
      const { local } = await pair();
      expect(descriptorOf(local)).toBeGreaterThanOrEqual(0);
      local.destroy();
      expect(descriptorOf(local)).toBeUndefined();
    },
  );
});

describe('ReplyBatch', () => {
  it.runIf(posix)(
    'writes a batch to the descriptor in one go, not through the stream, and says so at once',
    async () => {
      const { local, peer } = await pair();
      const write = vi.spyOn(local, 'write');
      const batch = new ReplyBatch(local, 'direct');
      const parts = [pattern(16, 1), pattern(13, 2), pattern(0, 3), pattern(4096, 4)];
      const written: number[] = [];
      parts.forEach((p, i) => batch.add(p, () => written.push(i)));
      expect(batch.size).toBe(16 + 13 + 4096);
      const got = receive(peer, batch.size);
      batch.flush();
      expect(batch.size).toBe(0);
      expect(written).toEqual([0, 1, 2, 3]);
      expect(write).not.toHaveBeenCalled();
      expect(Buffer.compare(await got, Buffer.concat(parts))).toBe(0);
    },
  );

  it('through the stream in stream mode: `written` waits for the stream', async () => {
    const { local, peer } = await pair();
    const write = vi.spyOn(local, 'write');
    const batch = new ReplyBatch(local, 'stream');
    const parts = [pattern(26, 5), pattern(39, 6)];
    const written: number[] = [];
    parts.forEach((p, i) => batch.add(p, () => written.push(i)));
    const got = receive(peer, 65);
    batch.flush();
    expect(write).toHaveBeenCalledTimes(2);
    expect(Buffer.compare(await got, Buffer.concat(parts))).toBe(0);
    await vi.waitFor(() => expect(written).toEqual([0, 1]));
  });

  it('sends what the kernel does not take through the stream, and nothing overtakes it', async () => {
    const { local, peer } = await pair();
    peer.pause();
    const batch = new ReplyBatch(local, 'direct');
    // Far more than loopback buffers hold while the peer reads nothing.
    const big = pattern(48 * 1024 * 1024, 7);
    const small = pattern(13, 8);
    const written: string[] = [];
    batch.add(big, () => written.push('big'));
    batch.add(small, () => written.push('small'));
    batch.flush();
    // The kernel took part of the big reply; the stream holds its rest and the small one.
    expect(local.writableLength).toBeGreaterThan(0);
    expect(local.writableLength).toBeLessThan(big.length + small.length);
    expect(written).toEqual([]);
    // A later batch must queue behind them, not go to the descriptor first.
    const later = pattern(26, 9);
    batch.add(later, () => written.push('later'));
    batch.flush();
    const got = receive(peer, big.length + small.length + later.length);
    peer.resume();
    expect(Buffer.compare(await got, Buffer.concat([big, small, later]))).toBe(0);
    await vi.waitFor(() => expect(written).toEqual(['big', 'small', 'later']));
  });

  it('hands a batch to the stream when the connection is already gone, and still says when it is done', async () => {
    const { local } = await pair();
    local.destroy();
    const batch = new ReplyBatch(local, 'direct');
    let written = 0;
    batch.add(pattern(26, 10), () => written++);
    expect(() => batch.flush()).not.toThrow();
    await vi.waitFor(() => expect(written).toBe(1));
  });
});
