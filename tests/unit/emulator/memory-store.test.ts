/**
 * The memory store's map of written blocks (what GET LBA STATUS reports, SBC-4 5.8): marked and
 * cleared a byte and a bitmap page at a time, it must agree block for block with a plain model.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src-main/emulator/store';
import { asBlockCount, asLba } from '../../../shared/scsi/brand';

/** Two bitmap pages and a part (the store keeps 32768 blocks per page). */
const BLOCKS = 70_000;
const BLOCK = 512;

/** Ranges that start and end on and off byte and page edges. */
const start = fc.oneof(
  fc.integer({ min: 0, max: BLOCKS - 1 }),
  fc.integer({ min: 32_760, max: 32_780 }),
  fc.integer({ min: 65_530, max: 65_545 }),
);
const op = fc.record({
  write: fc.boolean(),
  lba: start,
  count: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40_000 })),
});

/** The run of blocks from `lba` the model says share its state, up to `most`. */
function modelRun(
  model: Uint8Array,
  lba: number,
  most: number,
): { mapped: boolean; count: number } {
  const mapped = model[lba] === 1;
  let n = 1;
  while (n < most && (model[lba + n] === 1) === mapped) n++;
  return { mapped, count: n };
}

describe('MemoryStore', () => {
  it('reports written and deallocated blocks as a block-by-block model does', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), async (ops) => {
        const store = new MemoryStore(BLOCK, BLOCKS);
        const model = new Uint8Array(BLOCKS);
        for (const o of ops) {
          const count = Math.min(o.count, BLOCKS - o.lba);
          // Writes stay small (each block written costs memory); deallocations may be long.
          if (o.write) {
            const n = Math.min(count, 40);
            await store.write(asLba(BigInt(o.lba)), new Uint8Array(n * BLOCK).fill(1));
            model.fill(1, o.lba, o.lba + n);
          } else {
            await store.deallocate(asLba(BigInt(o.lba)), asBlockCount(count));
            model.fill(0, o.lba, o.lba + count);
          }
        }
        for (let lba = 0; lba < BLOCKS;) {
          const got = store.provisioning(asLba(BigInt(lba)), asBlockCount(BLOCKS - lba));
          expect(got, `from LBA ${lba}`).toEqual(modelRun(model, lba, BLOCKS - lba));
          lba += got.count;
        }
      }),
      { numRuns: 150, seed: 13 },
    );
  });

  it('keeps the written bytes of a 1 MiB write across its 64 KiB chunks', async () => {
    const store = new MemoryStore(BLOCK, BLOCKS);
    const data = Uint8Array.from({ length: 1 << 20 }, (_, i) => (i * 7 + 3) & 0xff);
    await store.write(asLba(100n), data);
    expect(Buffer.compare(await store.read(asLba(100n), asBlockCount(2048)), data)).toBe(0);
    expect(store.provisioning(asLba(99n), asBlockCount(3000))).toEqual({ mapped: false, count: 1 });
    expect(store.provisioning(asLba(100n), asBlockCount(3000))).toEqual({
      mapped: true,
      count: 2048,
    });
  });
});
