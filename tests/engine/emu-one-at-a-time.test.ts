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

describe('an image-backed emulated drive', () => {
  it('runs overlapping commands one at a time: the WRITE lands whole, both complete GOOD', async () => {
    const p = profile('flash-stick');
    const path = join(testTempDir('one-at-a-time'), 'disk.img');
    const store = ImageStore.open(path, p.blockSize, p.blocks);
    if (!store.ok) throw new Error(store.error.message);
    const t = new EmulatedTransport(p, store.value);
    const tur = {
      cdb: hex('00 00 00 00 00 00'),
      lun: 0,
      direction: 'none' as const,
      transferLength: 0,
      timeoutMs: 5000,
    };
    await t.execute(tur); // the power-on unit attention
    const block = new Uint8Array(p.blockSize).fill(0x11);
    const [write, ready] = await Promise.all([
      t.execute({
        cdb: hex('2a 00 00 00 00 00 00 00 01 00'),
        lun: 0,
        direction: 'out',
        transferLength: block.length,
        dataOut: block,
        timeoutMs: 5000,
      }),
      t.execute(tur),
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
});
