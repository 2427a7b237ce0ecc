/**
 * The files usbcdb keeps or is pointed at, attacked: a presets save that hits
 * a full disk or a file size limit part-way, image opens that must each give
 * their descriptor back, and named files that are FIFOs, devices or kernel
 * memory. Each attack records what it measured in the hostile-input ledger.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ImageStore } from '../../src-main/emulator/image-store';
import { readBoundedRegularFile } from '../../src-main/files/bounded-read';
import { PresetStore } from '../../src-main/presets/store';
import type { PresetData } from '../../shared/presets-file';
import { EFBIG, ENOSPC, limitedIo, tempDir, type WriteScript } from '../unit/files/fake-io';
import { runChild, runUnderFileSizeLimit } from '../unit/files/file-size-limit';
import { recordHostile } from './report';

const work = tempDir('hostile-files');
afterAll(work.remove);

const preset = (i: number, notes = ''): PresetData => ({
  id: `p${i}`,
  name: `INQUIRY ${i}`,
  folder: 'identify',
  cdb: '12 00 00 00 24 00',
  direction: 'in',
  transferLength: 36,
  lun: 0,
  notes,
});

/** A presets file holding the 21 presets of the report, and its bytes. */
function twentyOnePresets(name: string): { file: string; bytes: Buffer } {
  const file = join(work.dir, name, 'presets.json');
  const store = new PresetStore(file);
  for (let i = 1; i <= 21; i++) expect(store.save(preset(i)).ok).toBe(true);
  return { file, bytes: readFileSync(file) };
}

describe('presets file: a save that cannot be written whole', () => {
  it('keeps all 21 presets byte for byte, under short writes, ENOSPC, EFBIG and stalls', () => {
    const { file, bytes } = twentyOnePresets('injected');
    const scripts: WriteScript[] = [];
    for (const budget of [0, 1, 100, 1000, 2000, bytes.length - 1, bytes.length])
      for (const then of [ENOSPC, EFBIG, 'stall' as const])
        scripts.push({ perCall: 512, budget, then });
    let crashes = 0;
    let dataLost = 0;
    let reported = 0;
    for (const script of scripts) {
      const store = new PresetStore(file, limitedIo(script));
      try {
        const r = store.save(preset(22, 'n'.repeat(2000)));
        if (!r.ok && r.error.message.includes(file)) reported++;
      } catch {
        crashes++;
      }
      const after = readFileSync(file);
      const loaded = new PresetStore(file).load();
      if (!after.equals(bytes) || !loaded.ok || loaded.value.length !== 21) dataLost++;
    }
    recordHostile({
      surface: 'presets file',
      input: 'save cut short by ENOSPC, EFBIG or 0-byte writes at 7 points',
      tried: scripts.length,
      crashes,
      hangs: 0,
      dataLost,
    });
    expect({ crashes, dataLost, reported }).toEqual({
      crashes: 0,
      dataLost: 0,
      reported: scripts.length,
    });
    expect(readdirSync(join(file, '..'))).toEqual(['presets.json']);
  });

  it('keeps all 21 presets under a real file size limit (ulimit -f)', () => {
    const { file, bytes } = twentyOnePresets('rlimit');
    const r = runUnderFileSizeLimit(
      work.dir,
      `import { PresetStore } from './src-main/presets/store';
       const r = new PresetStore(process.argv[2] ?? '').save({
         id: 'p22', name: 'big', folder: '', cdb: '12 00 00 00 24 00', direction: 'in',
         transferLength: 36, lun: 0, notes: 'n'.repeat(10000),
       });
       process.stdout.write(JSON.stringify(r.ok ? { ok: true } : r));`,
      [file],
      8,
    );
    const after = readFileSync(file);
    const loaded = new PresetStore(file).load();
    const dataLost = !after.equals(bytes) || !loaded.ok || loaded.value.length !== 21 ? 1 : 0;
    recordHostile({
      surface: 'presets file',
      input: 'save of a 22nd preset under ulimit -f 8 (EFBIG after a short write)',
      tried: 1,
      crashes: r.status === 0 ? 0 : 1,
      hangs: 0,
      dataLost,
    });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      ok: false,
      error: {
        code: 'file-write',
        message: expect.stringMatching(new RegExp(`^cannot save ${file}: .*EFBIG`)),
      },
    });
    expect(dataLost).toBe(0);
  });
});

describe('presets file: not a file', () => {
  it('refuses a FIFO, a device or kernel memory in place of the presets file, without hanging', () => {
    const cases = [
      ['fifo', (f: string) => expect(spawnSync('mkfifo', [f]).status).toBe(0)],
      ['dev-zero', (f: string) => symlinkSync('/dev/zero', f)],
      ['proc-mem', (f: string) => symlinkSync('/proc/self/mem', f)],
    ] as const;
    let crashes = 0;
    let hangs = 0;
    let refused = 0;
    for (const [name, make] of cases) {
      const dir = join(work.dir, `presets-${name}`);
      mkdirSync(dir);
      const file = join(dir, 'presets.json');
      make(file);
      // A child process: a synchronous open of a FIFO would block this worker for good.
      const r = runChild(
        dir,
        `import { PresetStore } from './src-main/presets/store';
         const s = new PresetStore(process.argv[2] ?? '');
         process.stdout.write(JSON.stringify([s.load(), s.save({ id: 'p', name: 'n', folder: '',
           cdb: '00 00 00 00 00 00', direction: 'none', transferLength: 0, lun: 0, notes: '' })]));`,
        [file],
        { timeoutMs: 5000 },
      );
      if (r.timedOut) hangs++;
      else if (r.status !== 0) crashes++;
      else {
        const [load, save] = JSON.parse(r.stdout) as { ok: boolean; error?: { message: string } }[];
        if (
          load?.ok === false &&
          save?.ok === false &&
          load.error?.message ===
            `${file} is not a regular file (it is ${name === 'fifo' ? 'a FIFO' : name === 'dev-zero' ? 'a device' : 'a kernel file in /proc or /sys'})`
        )
          refused++;
      }
    }
    recordHostile({
      surface: 'presets file',
      input: 'presets.json is a FIFO, or a symlink to /dev/zero or /proc/self/mem',
      tried: cases.length,
      crashes,
      hangs,
      dataLost: 0,
    });
    expect({ crashes, hangs, refused }).toEqual({ crashes: 0, hangs: 0, refused: cases.length });
  });
});

describe('image files: refused opens', () => {
  it('gives back every descriptor over 200 refused opens', () => {
    const small = join(work.dir, 'small.img');
    writeFileSync(small, new Uint8Array(4096));
    const dir = join(work.dir, 'dir.img');
    mkdirSync(dir);
    const fifo = join(work.dir, 'fifo.img');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const targets = [small, dir, fifo, '/dev/zero', '/proc/self/mem'];
    const fds = (): number => readdirSync('/proc/self/fd').length;
    const before = fds();
    let crashes = 0;
    let opened = 0;
    for (let i = 0; i < 200; i++) {
      try {
        const r = ImageStore.open(targets[i % targets.length] ?? '', 512, 2048);
        if (r.ok) {
          opened++;
          r.value.close();
        }
      } catch {
        crashes++;
      }
    }
    const leaked = fds() - before;
    recordHostile({
      surface: 'image files',
      input: 'wrong size, directory, FIFO, /dev/zero, /proc/self/mem as image (200 opens)',
      tried: 200,
      crashes,
      hangs: 0,
      // An image opened on /proc/self/mem would write the process's own memory.
      dataLost: opened,
    });
    expect({ crashes, opened, leaked }).toEqual({ crashes: 0, opened: 0, leaked: 0 });
  });
});

describe('trace/data files (CLI): named files that are not files', () => {
  it('refuses FIFOs, devices, kernel files, directories and oversized files without hanging', async () => {
    const fifo = join(work.dir, 'trace.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const big = join(work.dir, 'big.jsonl');
    writeFileSync(big, new Uint8Array(64 * 1024 + 1));
    const targets = [fifo, '/dev/zero', '/dev/urandom', '/proc/self/mem', '/proc/self/environ'];
    targets.push(work.dir, big);
    let crashes = 0;
    let hangs = 0;
    let accepted = 0;
    for (const path of targets) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'hang'>((resolve) => {
        timer = setTimeout(() => resolve('hang'), 2000);
      });
      try {
        const r = await Promise.race([readBoundedRegularFile(path, 64 * 1024), late]);
        if (r === 'hang') hangs++;
        else if (r.ok) accepted++;
        else expect(r.error.message).toContain(path);
      } catch {
        crashes++;
      } finally {
        clearTimeout(timer);
      }
    }
    recordHostile({
      surface: 'trace/data files (CLI)',
      input:
        'FIFO, /dev/zero, /dev/urandom, /proc/self/mem, /proc/self/environ, directory, 64 KiB + 1',
      tried: targets.length,
      crashes,
      hangs,
      dataLost: 0,
    });
    expect({ crashes, hangs, accepted }).toEqual({ crashes: 0, hangs: 0, accepted: 0 });
  });
});
