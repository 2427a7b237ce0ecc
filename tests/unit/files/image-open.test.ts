/**
 * Opening an emulated drive's image file: every refused open gives its file
 * descriptor back (a leak of one per attempt would, after enough attempts,
 * leave none for new connections), and only regular files are images.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ImageStore } from '../../../src-main/emulator/image-store';
import { tempDir } from './fake-io';
import { runUnderFileSizeLimit } from './file-size-limit';
import { asBlockCount, asLba } from '../../../shared/scsi/brand';

const work = tempDir('image-open');
afterAll(work.remove);

const openFds = (): number => readdirSync('/proc/self/fd').length;

/** Paths whose open must fail, and the words the error must contain. */
function refusedImages(): [string, RegExp][] {
  const small = join(work.dir, 'small.img');
  writeFileSync(small, new Uint8Array(4096));
  const dir = join(work.dir, 'a-directory');
  mkdirSync(dir, { recursive: true });
  const fifo = join(work.dir, 'fifo');
  if (!existsSync(fifo)) expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
  return [
    [small, /is 4096 bytes but the profile needs 1048576/],
    [dir, /EISDIR|is not a regular file \(it is a directory\)/],
    [fifo, /is not a regular file \(it is a FIFO\)/],
    ['/dev/zero', /is not a regular file \(it is a device\)/],
    ['/proc/self/mem', /is not a regular file \(it is a kernel file/],
  ];
}

describe('opening an image file', () => {
  it.each(refusedImages())('refuses %s, naming it', (path, words) => {
    const r = ImageStore.open(path, 512, 2048);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toContain(path);
    expect(!r.ok && r.error.message).toMatch(words);
  });

  it('gives every descriptor back over 200 refused opens', () => {
    const targets = refusedImages();
    const before = openFds();
    for (let i = 0; i < 200; i++) {
      const [path] = targets[i % targets.length] ?? [''];
      expect(ImageStore.open(path, 512, 2048).ok).toBe(false);
    }
    expect(openFds()).toBe(before);
  });

  it('creates a missing image at the profile size', () => {
    const fresh = join(work.dir, 'fresh.img');
    const r = ImageStore.open(fresh, 512, 2048);
    expect(r.ok).toBe(true);
    if (r.ok) r.value.close();
    expect(statSync(fresh).size).toBe(512 * 2048);
    expect(ImageStore.open(fresh, 512, 2048).ok).toBe(true);
  });

  it('removes an image it created but could not size (EFBIG under ulimit -f)', () => {
    const fresh = join(work.dir, 'too-big.img');
    const r = runUnderFileSizeLimit(
      work.dir,
      `import { ImageStore } from './src-main/emulator/image-store';
       const r = ImageStore.open(process.argv[2] ?? '', 512, 2048);
       process.stdout.write(JSON.stringify(r.ok ? { ok: true } : r));`,
      [fresh],
      8,
    );
    expect(JSON.parse(r.stdout)).toEqual({
      ok: false,
      error: { code: 'image', message: expect.stringMatching(/cannot size image .*EFBIG/) },
    });
    expect(existsSync(fresh)).toBe(false);
  });
});

describe("an image's blocks read when taken", () => {
  it('copies written blocks straight into the target, from any offset, and zeros past a shortened end', async () => {
    const path = join(work.dir, 'later.img');
    const opened = ImageStore.open(path, 512, 64);
    if (!opened.ok) throw new Error(opened.error.message);
    const store = opened.value;
    const data = Uint8Array.from({ length: 2048 }, (_, i) => (i * 7 + 1) & 0xff);
    await store.write(asLba(4n), data);
    const later = store.readLater(asLba(4n), asBlockCount(4));
    expect(later.length).toBe(2048);
    const target = new Uint8Array(4096).fill(0xee);
    later.copyTo(target, 100, 512, 1024);
    expect(Array.from(target.subarray(100, 1124))).toEqual(Array.from(data.subarray(512, 1536)));
    expect([target[99], target[1124]]).toEqual([0xee, 0xee]);
    // Another process cut the file short: what lies past its end reads as zeros, as `read` gives.
    truncateSync(path, 4 * 512 + 1000);
    target.fill(0xee);
    later.copyTo(target, 0, 0, 2048);
    expect(Array.from(target.subarray(0, 1000))).toEqual(Array.from(data.subarray(0, 1000)));
    expect(target.subarray(1000, 2048).every((b) => b === 0)).toBe(true);
    expect(Array.from(await store.read(asLba(4n), asBlockCount(4)))).toEqual(
      Array.from(target.subarray(0, 2048)),
    );
    store.close();
  });
});

describe("an image's I/O errors", () => {
  it('name the block they hit: a write past the file size limit (EFBIG), a read the system fails (EIO)', () => {
    const path = join(work.dir, 'failing.img');
    const opened = ImageStore.open(path, 512, 64);
    if (!opened.ok) throw new Error(opened.error.message);
    opened.value.close();
    // In a child under `ulimit -f 8` (4 KiB): block 20 lies past what it may write. Its reads are
    // made to fail with EIO before the store module loads (it binds fs.read when it loads).
    const r = runUnderFileSizeLimit(
      work.dir,
      `import fs from 'node:fs';
       import { syncBuiltinESMExports } from 'node:module';
       const eio = () => Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
       fs.readSync = () => { throw eio(); };
       fs.read = (...args) => args[args.length - 1](eio());
       syncBuiltinESMExports();
       const { ImageStore } = await import('./src-main/emulator/image-store');
       const opened = ImageStore.open(process.argv[2] ?? '', 512, 64);
       if (!opened.ok) throw new Error(opened.error.message);
       const store = opened.value;
       const caught = async (f) => { try { await f(); return 'no error'; } catch (e) { return { name: e.name, operation: e.operation, lba: e.lba, message: e.message }; } };
       const out = [
         await caught(() => store.write(20, new Uint8Array(1024))),
         await caught(() => store.readLater(6, 4).copyTo(new Uint8Array(2048), 0, 1024, 1024)),
         await caught(() => store.read(5, 2)),
       ];
       process.stdout.write(JSON.stringify(out));`,
      [path],
      8,
    );
    expect(r.status, r.stderr).toBe(0);
    const failure = (operation: string, lba: number, words: RegExp): unknown => ({
      name: 'MediumError',
      operation,
      lba,
      message: expect.stringMatching(words),
    });
    expect(JSON.parse(r.stdout)).toEqual([
      failure('write', 20, /^write of block 20 failed: image .*failing\.img: EFBIG/),
      // 1024 bytes into a read from block 6: the first block it could not read is 8.
      failure('read', 8, /^read of block 8 failed: image .*failing\.img: EIO/),
      failure('read', 5, /^read of block 5 failed: image .*failing\.img: EIO/),
    ]);
  });
});
