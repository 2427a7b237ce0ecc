/**
 * A write acknowledged after SYNCHRONIZE CACHE survives the emulator's
 * process being killed: the test kills the child with SIGKILL once it says
 * "synced", then opens the image again and reads the block back.
 */
import { spawn } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDevice } from '../../src-main/engine/device-string';
import { testTempDir } from '../temp-dir';

const BUNDLE = join(process.cwd(), 'dist', 'cli', 'usbcdb.js');

describe('image-file backing store', () => {
  it('keeps a synced write across a killed emulator process', async () => {
    if (!existsSync(BUNDLE))
      throw new Error(`${BUNDLE} is missing: run npm run build (npm test does it)`);
    const dir = testTempDir('image');
    const image = join(dir, 'disk.img');
    const data = join(dir, 'block.bin');
    const block = new Uint8Array(512).map((_, i) => (i * 31 + 7) & 0xff);
    writeFileSync(data, block);
    const child = spawn(
      process.execPath,
      [join(__dirname, 'fixtures', 'synced-write-then-wait.mjs'), BUNDLE, image, data],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const said = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => resolve(c.toString().trim()));
      child.on('exit', (code) => reject(new Error(`child exited early (${code}): ${stderr}`)));
    });
    expect(said).toBe('synced');
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));

    // Sparse: the image has the profile's size but holds only what was written.
    expect(statSync(image).size).toBe(262144 * 512);
    const reopened = await openDevice(`emu:flash-stick?image=${image}`);
    if (!reopened.ok) throw new Error(reopened.error.message);
    const t = reopened.value;
    await t.execute({
      cdb: new Uint8Array(6),
      lun: 0,
      direction: 'none',
      transferLength: 0,
      timeoutMs: 1000,
    });
    const back = await t.execute({
      cdb: Uint8Array.from([0x28, 0, 0, 0, 0, 7, 0, 0, 1, 0]),
      lun: 0,
      direction: 'in',
      transferLength: 512,
      timeoutMs: 1000,
    });
    await t.close();
    expect(back.status).toBe(0);
    expect(Array.from(back.dataIn)).toEqual(Array.from(block));
  });

  it('refuses an existing image of the wrong size, naming both sizes', async () => {
    const dir = testTempDir('image');
    const image = join(dir, 'small.img');
    writeFileSync(image, new Uint8Array(4096));
    const r = await openDevice(`emu:flash-stick?image=${image}`);
    expect(!r.ok && r.error.message).toMatch(
      /is 4096 bytes but the profile needs 134217728 \(262144 × 512\)/,
    );
  });
});
