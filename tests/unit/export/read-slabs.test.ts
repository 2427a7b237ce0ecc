import { describe, expect, it } from 'vitest';
import { ByteQueue } from '../../../shared/byte-queue';
import { ReadSlabs } from '../../../src-main/export/read-slabs';

const bytes = (n: number, first: number): Uint8Array =>
  Uint8Array.from({ length: n }, (_, i) => (first + i) & 0xff);

describe('ReadSlabs', () => {
  it('copies reads one after another into one slab, so they stay contiguous', () => {
    const slabs = new ReadSlabs(64);
    const scratch = bytes(10, 1);
    const a = slabs.keep(scratch, 0);
    scratch.fill(0xee); // the scratch buffer is reused by the next read
    const b = slabs.keep(bytes(6, 50), 10);
    expect(Array.from(a)).toEqual(Array.from(bytes(10, 1)));
    expect(a.buffer).toBe(b.buffer);
    expect(b.byteOffset).toBe(a.byteOffset + a.length);
    expect(slabs.held).toBe(16);
  });

  it('writes over a slab only once the owner has released every byte in it', () => {
    const slabs = new ReadSlabs(16);
    const a = slabs.keep(bytes(8, 1), 0);
    // 4 bytes still queued: the newest region is still in use.
    slabs.release(4);
    const b = slabs.keep(bytes(8, 100), 4);
    expect(Array.from(a)).toEqual(Array.from(bytes(8, 1)));
    expect(b.buffer).toBe(a.buffer);
    // Everything dealt with: the next read starts the slab again.
    slabs.release(0);
    expect(slabs.held).toBe(0);
    const c = slabs.keep(bytes(4, 200), 0);
    expect([c.buffer === a.buffer, c.byteOffset]).toEqual([true, 0]);
  });

  it('moves to another slab when a read does not fit, and reuses the full one once released', () => {
    const slabs = new ReadSlabs(16);
    const a = slabs.keep(bytes(12, 1), 0);
    // The owner took a's bytes (nothing queued) but has not released them yet.
    const b = slabs.keep(bytes(8, 30), 0); // does not fit after a: a new slab
    expect(b.buffer).not.toBe(a.buffer);
    expect(Array.from(a)).toEqual(Array.from(bytes(12, 1)));
    // b's 8 bytes are still queued; a's slab holds nothing in use and becomes a spare.
    slabs.release(8);
    expect(slabs.held).toBe(8);
    const c = slabs.keep(bytes(10, 60), 0); // b's slab has 8 left: the spare takes it
    expect(c.buffer).toBe(a.buffer);
    expect(Array.from(b)).toEqual(Array.from(bytes(8, 30)));
  });

  it('keeps a read larger than a slab in a buffer of its own, counted until released', () => {
    const slabs = new ReadSlabs(16);
    const small = slabs.keep(bytes(4, 1), 0);
    const big = slabs.keep(bytes(40, 9), 4);
    expect(big.buffer).not.toBe(small.buffer);
    expect(Array.from(big)).toEqual(Array.from(bytes(40, 9)));
    expect(slabs.held).toBe(44);
    slabs.release(40);
    expect(slabs.held).toBe(40);
    slabs.release(0);
    expect(slabs.held).toBe(0);
  });

  it('gives a read memory of its own while a request larger than a slab accumulates', () => {
    const slabs = new ReadSlabs(16);
    const first = slabs.keep(bytes(8, 1), 0);
    // 8 bytes held unread and 12 more: together more than a slab, so not into one. The read is
    // a Buffer (the listener's scratch is), whose own slice would be a view: it must be copied.
    const scratch = Buffer.from(bytes(12, 9));
    const more = slabs.keep(scratch, 8);
    scratch.fill(0xee);
    expect(more.buffer).not.toBe(first.buffer);
    expect(Array.from(more)).toEqual(Array.from(bytes(12, 9)));
    expect(slabs.held).toBe(20);
    // Once answered, the slab starts again from its beginning.
    slabs.release(0);
    const next = slabs.keep(bytes(4, 70), 0);
    expect([next.buffer === first.buffer, next.byteOffset]).toEqual([true, 0]);
  });

  it('does not start a slab again while a later read in it is unanswered', () => {
    const slabs = new ReadSlabs(16);
    slabs.keep(bytes(6, 1), 0); // slab bytes 0–5
    slabs.keep(bytes(12, 20), 6); // a large request: memory of its own
    // The owner took both; the next read goes into the slab again, after the first.
    const c = slabs.keep(bytes(4, 40), 0);
    // c is still queued: the first two are done, but the slab is not free.
    slabs.release(4);
    slabs.keep(bytes(8, 90), 4);
    expect(Array.from(c)).toEqual(Array.from(bytes(4, 40)));
    expect(slabs.held).toBe(12);
  });

  it('never changes a byte the owner still holds, over thousands of reads of random sizes', () => {
    // A consumer that, like an exporter, answers whole messages of random sizes from a queue
    // fed with random-sized reads of one scratch buffer, holding each message until released.
    const slabs = new ReadSlabs(256);
    const queue = new ByteQueue();
    const scratch = new Uint8Array(200);
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    let sent = 0;
    let taken = 0;
    const held: { view: Uint8Array; first: number }[] = [];
    let changed = 0;
    for (let round = 0; round < 5000; round++) {
      const n = 1 + rand(200);
      for (let i = 0; i < n; i++) scratch[i] = (sent + i) & 0xff;
      sent += n;
      queue.push(slabs.keep(scratch.subarray(0, n), queue.length));
      while (queue.length > 0 && rand(3) > 0) {
        const m = Math.min(queue.length, 1 + rand(300));
        held.push({ view: queue.take(m), first: taken });
        taken += m;
      }
      for (const h of held)
        h.view.forEach((v, i) => {
          if (v !== ((h.first + i) & 0xff)) changed++;
        });
      if (rand(4) === 0) {
        held.length = 0;
        slabs.release(queue.length);
      }
    }
    expect(changed).toBe(0);
    expect(taken).toBeGreaterThan(sent / 2);
  });
});
