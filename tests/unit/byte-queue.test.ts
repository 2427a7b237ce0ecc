import { describe, expect, it } from 'vitest';
import { ByteQueue } from '../../shared/byte-queue';

describe('ByteQueue', () => {
  it('hands out messages across chunk boundaries, in order, without losing a byte', () => {
    const q = new ByteQueue();
    q.push(Uint8Array.from([1, 2, 3]));
    q.push(new Uint8Array());
    q.push(Uint8Array.from([4, 5]));
    q.push(Uint8Array.from([6, 7, 8, 9]));
    expect(q.length).toBe(9);
    expect(Array.from(q.peek(4))).toEqual([1, 2, 3, 4]);
    expect(q.length).toBe(9);
    expect(Array.from(q.take(2))).toEqual([1, 2]);
    expect(Array.from(q.take(4))).toEqual([3, 4, 5, 6]);
    expect(Array.from(q.peek(1))).toEqual([7]);
    expect(Array.from(q.take(3))).toEqual([7, 8, 9]);
    expect(q.length).toBe(0);
    expect(() => q.take(1)).toThrow(/1 bytes asked of a queue holding 0/);
  });

  it('does not copy a message that sits inside one chunk', () => {
    const q = new ByteQueue();
    const chunk = Uint8Array.from([9, 8, 7, 6]);
    q.push(chunk);
    const out = q.take(2);
    expect(out.buffer).toBe(chunk.buffer);
  });

  it('says when its limit is reached, so the source can pause, and refuses a push into a full queue', () => {
    const q = new ByteQueue(8);
    expect(q.push(new Uint8Array(5))).toBe(true);
    expect(q.full).toBe(false);
    // The piece that reaches the limit is kept; the caller is told to pause.
    expect(q.push(new Uint8Array(6))).toBe(false);
    expect([q.length, q.full]).toEqual([11, true]);
    expect(() => q.push(new Uint8Array(1))).toThrow(/already holding 11 of its 8-byte limit/);
    expect(q.length).toBe(11);
    q.take(4);
    expect(q.full).toBe(false);
    expect(q.push(new Uint8Array(1))).toBe(false);
  });

  it('moves everything it holds into a buffer at an offset, or refuses when it does not fit', () => {
    const q = new ByteQueue();
    q.push(Uint8Array.from([1, 2, 3]));
    q.push(Uint8Array.from([4, 5]));
    q.take(1);
    const target = new Uint8Array(8);
    expect(() => q.moveTo(target, 5)).toThrow(/4 queued bytes do not fit in 3 from 5/);
    expect(q.moveTo(target, 2)).toBe(4);
    expect(Array.from(target)).toEqual([0, 0, 2, 3, 4, 5, 0, 0]);
    expect(q.length).toBe(0);
    expect(q.moveTo(target, 8)).toBe(0);
  });
});

describe('ByteQueue with pieces of one buffer', () => {
  it('joins a piece that continues the last one in the same memory, so a message across them is not copied', () => {
    const memory = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const q = new ByteQueue();
    q.push(memory.subarray(0, 3));
    q.push(memory.subarray(3, 6));
    const out = q.take(5);
    expect(Array.from(out)).toEqual([1, 2, 3, 4, 5]);
    expect([out.buffer === memory.buffer, out.byteOffset]).toEqual([true, 0]);
    // Not adjacent (a gap, or another buffer): kept apart and joined by copying.
    q.push(memory.subarray(7, 8));
    const other = Uint8Array.from([9]);
    q.push(other);
    expect(Array.from(q.take(3))).toEqual([6, 8, 9]);
    expect(q.length).toBe(0);
  });
});
