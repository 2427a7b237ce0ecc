/** The reply buffers an exporter connection reuses for Bulk-IN data. */
import { describe, expect, it } from 'vitest';
import { POOLED_FREE, POOLED_SIZE, ReplyBuffers } from '../../../src-main/export/reply-buffers';

describe('ReplyBuffers', () => {
  it('hands out a buffer up to 1 MiB, and none for a larger request', () => {
    const pool = new ReplyBuffers();
    expect(pool.take(13)?.length).toBe(POOLED_SIZE);
    expect(pool.take(POOLED_SIZE)?.length).toBe(POOLED_SIZE);
    expect(pool.take(POOLED_SIZE + 1)).toBeUndefined();
  });

  it('reuses a buffer given back, and never hands one buffer out twice', () => {
    const pool = new ReplyBuffers();
    const a = pool.take(512) as Uint8Array;
    pool.give(a);
    pool.give(a);
    expect(pool.held).toBe(1);
    // Compared by identity (a 1 MiB buffer is not worth a matcher's deep diff).
    expect(pool.take(512) === a).toBe(true);
    expect(pool.take(512) === a).toBe(false);
  });

  it('keeps a bounded number of free buffers, and only its own size', () => {
    const pool = new ReplyBuffers();
    const taken = Array.from({ length: POOLED_FREE + 3 }, () => pool.take(1) as Uint8Array);
    for (const b of taken) pool.give(b);
    expect(pool.held).toBe(POOLED_FREE);
    pool.give(new Uint8Array(64));
    expect(pool.held).toBe(POOLED_FREE);
  });
});
