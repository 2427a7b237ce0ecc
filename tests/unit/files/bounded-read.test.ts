import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  readBoundedRegularFile,
  readBoundedRegularFileSync,
} from '../../../src-main/files/bounded-read';
import { tempDir } from './fake-io';

const work = tempDir('bounded');
afterAll(work.remove);

/** Fails the test instead of hanging it when `p` does not settle in time. */
function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not settle in ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

describe('readBoundedRegularFile', () => {
  it('reads a normal file whole, and one exactly at the limit', async () => {
    const file = join(work.dir, 'trace.jsonl');
    const bytes = new Uint8Array(3 * 1024 * 1024 + 5).map((_, i) => i & 0xff);
    writeFileSync(file, bytes);
    const r = await readBoundedRegularFile(file, bytes.length);
    // Buffer.equals: a deep toEqual over 3 MiB element by element takes seconds.
    expect(r.ok && Buffer.from(r.value).equals(bytes)).toBe(true);
    writeFileSync(file, '');
    expect(await readBoundedRegularFile(file, 0)).toEqual({ ok: true, value: new Uint8Array() });
  });

  it('refuses a file over the limit, naming the file and the limit', async () => {
    const file = join(work.dir, 'big.bin');
    writeFileSync(file, new Uint8Array(1001));
    expect(await readBoundedRegularFile(file, 1000)).toEqual({
      ok: false,
      error: {
        code: 'file-too-large',
        message: `${file} is 1001 bytes, over the limit of 1000 bytes`,
      },
    });
  });

  it('refuses a FIFO without waiting for a writer', async () => {
    const fifo = join(work.dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const r = await within(2000, readBoundedRegularFile(fifo, 1 << 20));
    expect(!r.ok && r.error.message).toBe(`${fifo} is not a regular file (it is a FIFO)`);
  });

  it('refuses /dev/zero, which never ends', async () => {
    const r = await within(2000, readBoundedRegularFile('/dev/zero', 1 << 20));
    expect(!r.ok && r.error.message).toBe('/dev/zero is not a regular file (it is a device)');
  });

  it('refuses a directory', async () => {
    const dir = join(work.dir, 'sub');
    mkdirSync(dir);
    const r = await readBoundedRegularFile(dir, 1 << 20);
    expect(!r.ok && r.error.message).toBe(`${dir} is not a regular file (it is a directory)`);
  });

  it.each(['/proc/self/mem', '/proc/self/status'])(
    'refuses %s, a kernel file that claims to be regular',
    async (path) => {
      const r = await readBoundedRegularFile(path, 1 << 20);
      expect(!r.ok && r.error.message).toBe(
        `${path} is not a regular file (it is a kernel file in /proc or /sys)`,
      );
    },
  );

  it('names the file it cannot open', async () => {
    const missing = join(work.dir, 'missing.jsonl');
    const r = await readBoundedRegularFile(missing, 10);
    expect(!r.ok && r.error.message).toMatch(new RegExp(`^cannot open ${missing}: ENOENT`));
  });
});

describe('readBoundedRegularFileSync', () => {
  it('reads a normal file, and refuses what the async reader refuses, without blocking', () => {
    const file = join(work.dir, 'presets.json');
    writeFileSync(file, '{"usbcdbPresets":1,"presets":[]}');
    const r = readBoundedRegularFileSync(file, 100);
    expect(r.ok && new TextDecoder().decode(r.value)).toBe('{"usbcdbPresets":1,"presets":[]}');
    expect(readBoundedRegularFileSync(file, 10)).toMatchObject({
      ok: false,
      error: { message: `${file} is 32 bytes, over the limit of 10 bytes` },
    });
    const fifo = join(work.dir, 'sync-pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    for (const [path, kind] of [
      [fifo, 'a FIFO'],
      ['/dev/zero', 'a device'],
      [work.dir, 'a directory'],
      ['/proc/self/mem', 'a kernel file in /proc or /sys'],
    ])
      expect(readBoundedRegularFileSync(path ?? '', 1 << 20)).toMatchObject({
        ok: false,
        error: { message: `${path} is not a regular file (it is ${kind})` },
      });
  });
});
