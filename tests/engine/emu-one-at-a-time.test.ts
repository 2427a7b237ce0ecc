/**
 * Two commands sent at once to an emulated drive kept in an image file (whose
 * reads and writes yield): each must run whole before the next, as BOT allows
 * one command in flight (BOT 1.0 §5). Interleaved, the second CBW was taken as
 * the first's data-out and written to the image.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatHex } from '../../shared/scsi/hex';
import { ImageStore } from '../../src-main/emulator/image-store';
import { EmulatedTransport } from '../../src-main/engine/emu';
import { testTempDir } from '../temp-dir';
import { hex, profile } from './helpers';

const TUR = {
  cdb: hex('00 00 00 00 00 00'),
  lun: 0,
  direction: 'none' as const,
  transferLength: 0,
  timeoutMs: 5000,
};

/** The flash stick kept in a new image file, past its power-on unit attention. */
async function imageDrive(name: string) {
  const p = profile('flash-stick');
  const path = join(testTempDir(name), 'disk.img');
  const store = ImageStore.open(path, p.blockSize, p.blocks);
  if (!store.ok) throw new Error(store.error.message);
  const t = new EmulatedTransport(p, store.value);
  await t.execute(TUR);
  return { t, path, blockSize: p.blockSize };
}

/** WRITE(10) of one block of `fill` at LBA 0. */
function writeBlock(blockSize: number, fill: number) {
  const block = new Uint8Array(blockSize).fill(fill);
  return {
    cdb: hex('2a 00 00 00 00 00 00 00 01 00'),
    lun: 0,
    direction: 'out' as const,
    transferLength: block.length,
    dataOut: block,
    timeoutMs: 5000,
  };
}

describe('an image-backed emulated drive', () => {
  it('runs overlapping commands one at a time: the WRITE lands whole, both complete GOOD', async () => {
    const { t, path, blockSize } = await imageDrive('one-at-a-time');
    const [write, ready] = await Promise.all([
      t.execute(writeBlock(blockSize, 0x11)),
      t.execute(TUR),
    ]);
    expect([write.status, write.transportError, ready.status, ready.transportError]).toEqual([
      0,
      undefined,
      0,
      undefined,
    ]);
    await t.close();
    expect(formatHex(readFileSync(path).subarray(0, 8))).toBe('11 11 11 11 11 11 11 11');
  });

  it('lets a WRITE in flight land before close closes the image', async () => {
    const { t, path, blockSize } = await imageDrive('close-during-write');
    const write = t.execute(writeBlock(blockSize, 0x22));
    await t.close();
    expect((await write).status).toBe(0);
    expect(formatHex(readFileSync(path).subarray(0, 4))).toBe('22 22 22 22');
  });
});
