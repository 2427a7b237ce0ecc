/** Replies written in one turn of the event loop leave together (one writev), and say when they are out. */
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Backpressure, DEFAULT_LIMITS } from '../../../src-main/export/tcp-listener';

/** Records what a socket is asked to do; a write completes when `flushWrites` says so. */
class RecordingSocket extends EventEmitter {
  readonly calls: string[] = [];
  readonly pending: (() => void)[] = [];
  writableLength = 0;
  destroyed = false;
  cork(): void {
    this.calls.push('cork');
  }
  uncork(): void {
    this.calls.push('uncork');
  }
  write(bytes: Uint8Array, done?: () => void): boolean {
    this.calls.push(`write ${bytes.length}`);
    if (done) this.pending.push(done);
    return true;
  }
  pause(): this {
    return this;
  }
  resume(): this {
    return this;
  }
  flushWrites(): void {
    for (const done of this.pending.splice(0)) done();
  }
}

const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('Backpressure.write', () => {
  // This socket has no descriptor (as on Windows), so batches go through the stream, corked.
  it('gathers the writes of a turn and sends them, corked, once the turn is over', async () => {
    const socket = new RecordingSocket();
    const flow = new Backpressure(socket as unknown as Socket, DEFAULT_LIMITS, () => false);
    flow.write(new Uint8Array(26));
    // A reply produced by a promise callback of the same turn joins the batch.
    await Promise.resolve().then(() => flow.write(new Uint8Array(39)));
    flow.write(new Uint8Array(1024));
    expect(socket.calls).toEqual([]);
    await nextTurn();
    expect(socket.calls).toEqual(['cork', 'write 26', 'write 39', 'write 1024', 'uncork']);
    // The next turn starts a batch of its own.
    flow.write(new Uint8Array(13));
    await nextTurn();
    expect(socket.calls.slice(-3)).toEqual(['cork', 'write 13', 'uncork']);
  });

  it('calls `written` only when the socket is done with the bytes', async () => {
    const socket = new RecordingSocket();
    const flow = new Backpressure(socket as unknown as Socket, DEFAULT_LIMITS, () => false);
    let written = 0;
    flow.write(new Uint8Array(64), () => written++);
    await nextTurn();
    expect(written).toBe(0);
    socket.flushWrites();
    expect(written).toBe(1);
  });

  it('counts replies still held for the turn as unsent, and sends them when asked to wait for room', async () => {
    const socket = new RecordingSocket();
    const limits = { ...DEFAULT_LIMITS, outputHighWater: 100 };
    const flow = new Backpressure(socket as unknown as Socket, limits, () => false);
    flow.write(new Uint8Array(60));
    expect(flow.outputFull).toBe(false);
    flow.write(new Uint8Array(60));
    expect(flow.outputFull).toBe(true);
    // Waiting sends the batch at once (the stream here takes everything), so there is room.
    await expect(flow.writable()).resolves.toBe('ready');
    expect(socket.calls).toEqual(['cork', 'write 60', 'write 60', 'uncork']);
  });
});
