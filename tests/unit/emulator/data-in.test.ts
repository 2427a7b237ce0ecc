/** Deferred data-in: a READ's blocks copied once, into the buffer they leave in. */
import { describe, expect, it } from 'vitest';
import {
  bytesOf,
  headOf,
  paddedTo,
  takeData,
  type DeferredData,
} from '../../../src-main/emulator/data-in';
import { MemoryStore } from '../../../src-main/emulator/store';
import { asBlockCount, asLba } from '../../../shared/scsi/brand';

/** Bytes 0, 1, 2, … of a given length, copied on demand, counting the copies. */
function counting(length: number): DeferredData & { copies: number } {
  const d = {
    length,
    copies: 0,
    copyTo(target: Uint8Array, at: number, from: number, n: number) {
      d.copies++;
      for (let i = 0; i < n; i++) target[at + i] = (from + i) & 0xff;
    },
  };
  return d;
}

describe('takeData', () => {
  it('gives bytes already made as a view, copying nothing', () => {
    const bytes = Uint8Array.from([1, 2, 3, 4, 5]);
    const into = new Uint8Array(8);
    const t = takeData(bytes, 1, 3, into);
    expect(Array.from(t)).toEqual([2, 3, 4]);
    expect(t.buffer).toBe(bytes.buffer);
    expect(into.every((b) => b === 0)).toBe(true);
  });

  it('copies deferred data into the given buffer once, the result a view of it', () => {
    const d = counting(600);
    const into = new Uint8Array(1024);
    const t = takeData(d, 300, 200, into);
    expect(t.buffer).toBe(into.buffer);
    expect(t.length).toBe(200);
    expect([t[0], t[199]]).toEqual([300 & 0xff, 499 & 0xff]);
    expect(d.copies).toBe(1);
  });

  it('makes a buffer of its own when none is given or the given one is too small', () => {
    const d = counting(64);
    const small = new Uint8Array(8);
    const t = takeData(d, 0, 64, small);
    expect(t.buffer).not.toBe(small.buffer);
    expect(Array.from(t.subarray(60))).toEqual([60, 61, 62, 63]);
    expect(takeData(d, 10, 4).length).toBe(4);
  });
});

describe('headOf and bytesOf', () => {
  it('cut deferred data without copying until it is taken', () => {
    const d = counting(100);
    const head = headOf(d, 10);
    expect(head.length).toBe(10);
    expect(d.copies).toBe(0);
    expect(Array.from(bytesOf(head))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(headOf(d, 500).length).toBe(100);
    expect(Array.from(headOf(Uint8Array.from([7, 8, 9]), 2) as Uint8Array)).toEqual([7, 8]);
  });
});

describe('MemoryStore.readLater', () => {
  it('reads written blocks and zeros for never-written ones, across its 64 KiB chunks, from any offset', async () => {
    const store = new MemoryStore(512, 1024);
    // Block 127 ends the first 64 KiB chunk; 128 starts the second; 200 is never written.
    const written = Uint8Array.from({ length: 1024 }, (_, i) => (i * 3 + 1) & 0xff);
    await store.write(asLba(127n), written);
    const later = store.readLater(asLba(127n), asBlockCount(80));
    expect(later.length).toBe(80 * 512);
    const into = new Uint8Array(80 * 512).fill(0xee);
    later.copyTo(into, 0, 0, later.length);
    expect(Array.from(into.subarray(0, 1024))).toEqual(Array.from(written));
    expect(into.subarray(1024).every((b) => b === 0)).toBe(true);
    // A part from an offset, placed at an offset of the target.
    const part = new Uint8Array(16).fill(0xee);
    later.copyTo(part, 4, 510, 8);
    expect(Array.from(part.subarray(4, 12))).toEqual(Array.from(written.subarray(510, 518)));
    expect([part[3], part[12]]).toEqual([0xee, 0xee]);
    // read() is the same bytes, in a buffer of its own.
    expect(Array.from(await store.read(asLba(127n), asBlockCount(2)))).toEqual(Array.from(written));
  });
});

describe('paddedTo', () => {
  it.each([
    ['deferred data', counting(6)],
    ['bytes already made', Uint8Array.from([0, 1, 2, 3, 4, 5])],
  ] as const)('follows %s with zeros, copying only when taken', (_, d) => {
    const padded = paddedTo(d, 10);
    expect(padded.length).toBe(10);
    if ('copies' in d) expect(d.copies).toBe(0);
    // A piece across the end of the data, and one wholly in the padding.
    expect(Array.from(takeData(padded, 4, 4))).toEqual([4, 5, 0, 0]);
    expect(Array.from(takeData(padded, 7, 3, new Uint8Array(8).fill(9)))).toEqual([0, 0, 0]);
    expect(Array.from(bytesOf(padded))).toEqual([0, 1, 2, 3, 4, 5, 0, 0, 0, 0]);
  });
});
