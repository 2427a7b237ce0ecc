import { execFileSync } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../src-main/files/atomic-write';
import { notRegularTarget } from '../../../src-main/files/regular-file';
import { EFBIG, ENOSPC, fsError, limitedIo, tempDir } from './fake-io';
import { NODE_FILE_IO, type FileIo } from '../../../src-main/files/file-io';
import { runUnderFileSizeLimit } from './file-size-limit';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A directory holding `target` with known previous contents. */
function withPrevious(): { dir: string; target: string; previous: Buffer } {
  const t = tempDir('atomic');
  cleanups.push(t.remove);
  const target = join(t.dir, 'presets.json');
  const previous = Buffer.from('{"usbcdbPresets":1,"presets":[]}\n');
  writeFileSync(target, previous);
  return { dir: t.dir, target, previous };
}

const NEW = new Uint8Array(10_000).map((_, i) => (i * 7) & 0xff);

describe('writeFileAtomic', () => {
  it('refuses to put a file in place of a FIFO or a directory, leaving it as it was', () => {
    const t = tempDir('atomic-kinds');
    cleanups.push(t.remove);
    const fifo = join(t.dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const r = writeFileAtomic(fifo, NEW);
    expect(!r.ok && r.error.message).toBe(
      `cannot save ${fifo}: ${fifo} is not a regular file (it is a FIFO); it is unchanged`,
    );
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    const folder = join(t.dir, 'folder');
    mkdirSync(folder);
    expect(notRegularTarget(folder)?.message).toBe(
      `${folder} is not a regular file (it is a directory)`,
    );
    // A link is followed: to a FIFO it is refused, to a regular file (or nowhere yet) it is not.
    symlinkSync(fifo, join(t.dir, 'to-fifo'));
    expect(notRegularTarget(join(t.dir, 'to-fifo'))?.message).toMatch(/it is a FIFO/);
    const file = join(t.dir, 'file');
    writeFileSync(file, 'x');
    symlinkSync(file, join(t.dir, 'link'));
    symlinkSync(join(t.dir, 'later'), join(t.dir, 'dangling'));
    for (const p of [file, join(t.dir, 'link'), join(t.dir, 'dangling'), join(t.dir, 'none')])
      expect(notRegularTarget(p), p).toBeUndefined();
    expect(readdirSync(t.dir).sort()).toEqual([
      'dangling',
      'fifo',
      'file',
      'folder',
      'link',
      'to-fifo',
    ]);
  });

  it('writes every byte even when each write(2) takes only a few', () => {
    const { dir, target } = withPrevious();
    const io = limitedIo({ perCall: 333, budget: Infinity, then: ENOSPC });
    expect(writeFileAtomic(target, NEW, { io })).toEqual({ ok: true, value: undefined });
    expect(new Uint8Array(readFileSync(target))).toEqual(NEW);
    expect(io.calls).toBe(Math.ceil(NEW.length / 333));
    expect(readdirSync(dir)).toEqual(['presets.json']);
  });

  it('makes a missing folder (owner-only, 0700) only when asked: a data folder, not a path the user named', () => {
    const { dir } = withPrevious();
    const target = join(dir, 'fresh', 'nested', 'web-token');
    const refused = writeFileAtomic(target, 'x');
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toMatch(/creating the temporary file .*ENOENT/);
    expect(writeFileAtomic(target, 'x', { createFolder: true })).toEqual({
      ok: true,
      value: undefined,
    });
    expect(readFileSync(target, 'utf8')).toBe('x');
    expect(statSync(join(dir, 'fresh')).mode & 0o777).toBe(0o700);
    expect(statSync(dirname(target)).mode & 0o777).toBe(0o700);
  });

  it('says the folder could not be made, and where, when a file stands in its way', () => {
    const { target } = withPrevious();
    const r = writeFileAtomic(join(target, 'inside'), 'x', { createFolder: true });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain(`creating the folder ${target} failed`);
  });

  it('creates the file owner-only (0600) by default', () => {
    const { target } = withPrevious();
    expect(writeFileAtomic(target, 'x').ok).toBe(true);
    expect(statSync(target).mode & 0o777).toBe(0o600);
  });

  it.each([
    ['a full disk (ENOSPC)', ENOSPC, /ENOSPC/],
    ['a file size limit (EFBIG)', EFBIG, /EFBIG/],
  ])('keeps the previous file byte for byte on %s after a short write', (_, error, code) => {
    const { dir, target, previous } = withPrevious();
    const io = limitedIo({ perCall: 4096, budget: 5000, then: error });
    const r = writeFileAtomic(target, NEW, { io });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toContain(`cannot save ${target}`);
    expect(r.error.message).toMatch(code);
    expect(r.error.message).toMatch(/after 5000 of 10000 bytes/);
    expect(r.error.message).toContain(`${target} is unchanged`);
    expect(readFileSync(target)).toEqual(previous);
    expect(readdirSync(dir)).toEqual(['presets.json']);
  });

  it('gives up on writes that accept no byte, instead of retrying forever', () => {
    const { dir, target, previous } = withPrevious();
    const io = limitedIo({ perCall: 100, budget: 300, then: 'stall' });
    const r = writeFileAtomic(target, NEW, { io });
    expect(!r.ok && r.error.message).toMatch(/accepted no bytes 16 times in a row after 300/);
    expect(io.calls).toBe(3 + 16);
    expect(readFileSync(target)).toEqual(previous);
    expect(readdirSync(dir)).toEqual(['presets.json']);
  });

  it('keeps the previous file when fsync fails (EIO), and says which step failed', () => {
    const { dir, target, previous } = withPrevious();
    const io = limitedIo(
      { perCall: Infinity, budget: Infinity, then: ENOSPC },
      {
        fsyncSync: () => {
          throw fsError('EIO', 'i/o error', 'fsync');
        },
      },
    );
    const r = writeFileAtomic(target, NEW, { io });
    expect(!r.ok && r.error.message).toMatch(/fsync of .*\.tmp failed \(EIO/);
    expect(readFileSync(target)).toEqual(previous);
    expect(readdirSync(dir)).toEqual(['presets.json']);
  });

  it('removes the temporary file when the rename fails, and keeps the previous file', () => {
    const { dir, target, previous } = withPrevious();
    const io: FileIo = {
      ...NODE_FILE_IO,
      renameSync: () => {
        throw fsError('EXDEV', 'cross-device link not permitted', 'rename');
      },
    };
    const r = writeFileAtomic(target, NEW, { io });
    expect(!r.ok && r.error.message).toMatch(/renaming .* over it failed \(EXDEV/);
    expect(readFileSync(target)).toEqual(previous);
    // The temporary file was beside the target.
    expect(readdirSync(dir)).toEqual([basename(target)]);
  });

  it('fails with EFBIG under a real file size limit (ulimit -f) and keeps the previous file', () => {
    const { dir, target, previous } = withPrevious();
    const r = runUnderFileSizeLimit(
      dir,
      `import { writeFileAtomic } from './src-main/files/atomic-write';
       const r = writeFileAtomic(process.argv[2] ?? '', new Uint8Array(1 << 20).fill(0x41));
       process.stdout.write(JSON.stringify(r));`,
      [target],
      8,
    );
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout) as { ok: boolean; error?: { message: string } };
    expect(result.ok).toBe(false);
    expect(result.error?.message).toContain(`cannot save ${target}`);
    expect(result.error?.message).toMatch(/EFBIG/);
    expect(readFileSync(target)).toEqual(previous);
    expect(readdirSync(dir).sort()).toEqual(['child.mjs', 'presets.json']);
  });
});
