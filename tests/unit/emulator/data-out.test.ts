/** A command's data-out joined from the transfers it came in (src-main/emulator/data-out.ts). */
import { describe, expect, it } from 'vitest';
import { DataOutJoin, JoinSpare, SPARE_BYTES } from '../../../src-main/emulator/data-out';

const bytes = (length: number, seed: number): Uint8Array =>
  Uint8Array.from({ length }, (_, i) => (i + seed) & 0xff);

describe('DataOutJoin', () => {
  it('uses a data phase that came whole as it came', () => {
    const join = new DataOutJoin(4096, new JoinSpare());
    const whole = bytes(4096, 1);
    join.add(whole, true);
    expect(join.take()).toBe(whole);
    expect(join.length).toBe(4096);
  });

  it("copies pieces into the device's spare, so the transfers' buffers may be reused at once", () => {
    const spare = new JoinSpare();
    const join = new DataOutJoin(3 * 512, spare);
    const transfer = new Uint8Array(512);
    for (let i = 0; i < 3; i++) {
      transfer.set(bytes(512, i * 512));
      join.add(transfer, false);
      transfer.fill(0xee);
    }
    expect(Array.from(join.take())).toEqual(Array.from(bytes(1536, 0)));
    // The spare is lent until the command ends: another command meanwhile gets a buffer of its own.
    const other = new DataOutJoin(512, spare);
    other.add(bytes(512, 9), false);
    expect(other.take().buffer).not.toBe(join.take().buffer);
    join.release();
    const next = new DataOutJoin(512, spare);
    next.add(bytes(512, 7), false);
    expect(next.take().buffer).toBe(join.take().buffer);
  });

  it('joins more than the spare holds in a buffer of its own, leaving the spare free', () => {
    const spare = new JoinSpare();
    const big = new DataOutJoin(SPARE_BYTES + 512, spare);
    big.add(bytes(512, 3), false);
    expect(big.take().length).toBe(512);
    expect(spare.lend(512)).toBeDefined();
  });

  it('takes nothing for an empty piece and gives an empty data-out when nothing came', () => {
    const join = new DataOutJoin(512, new JoinSpare());
    join.add(new Uint8Array(), false);
    expect(join.length).toBe(0);
    expect(join.take().length).toBe(0);
  });
});
