/** The reply buffers an exporter connection reuses for Bulk-IN data. */
import { describe, expect, it } from 'vitest';
import {
  POOLED_FREE,
  POOLED_MIN,
  POOLED_SIZE,
  ReplyBuffers,
} from '../../../src-main/export/reply-buffers';

describe('ReplyBuffers', () => {
  it('hands out a buffer for requests from 64 KiB to 1 MiB, and none for smaller or larger ones', () => {
    const pool = new ReplyBuffers();
    expect(pool.take(POOLED_MIN)?.length).toBe(POOLED_SIZE);
    expect(pool.take(POOLED_SIZE)?.length).toBe(POOLED_SIZE);
    // A CSW, or a page of USB/IP's: a pooled buffer would be held for each until written.
    expect(pool.take(13)).toBeUndefined();
    expect(pool.take(4096)).toBeUndefined();
    expect(pool.take(POOLED_SIZE + 1)).toBeUndefined();
  });

  it('reuses a buffer given back, and never hands one buffer out twice', () => {
    const pool = new ReplyBuffers();
    const a = pool.take(POOLED_MIN) as Uint8Array;
    pool.give(a);
    pool.give(a);
    expect(pool.held).toBe(1);
    // Compared by identity (a 1 MiB buffer is not worth a matcher's deep diff).
    expect(pool.take(POOLED_MIN) === a).toBe(true);
    expect(pool.take(POOLED_MIN) === a).toBe(false);
  });

  it('keeps a bounded number of free buffers, and only its own size', () => {
    const pool = new ReplyBuffers();
    const taken = Array.from(
      { length: POOLED_FREE + 3 },
      () => pool.take(POOLED_SIZE) as Uint8Array,
    );
    for (const b of taken) pool.give(b);
    expect(pool.held).toBe(POOLED_FREE);
    pool.give(new Uint8Array(64));
    expect(pool.held).toBe(POOLED_FREE);
  });
});
