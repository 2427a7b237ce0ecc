/**
 * Paths the CLI still takes (data-out files, --record, --capture, read
 * --file): only regular files, never a wait on a FIFO, never a partial file
 * reported as success. Each case is a row of the hostile-input ledger.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runUsbcdb as run } from '../cli-run';
import { EXIT } from '../../src-main/cli/exit-codes';
import { testTempDir } from '../temp-dir';
import { recordHostile } from './report';

const WRITE1 = '2a 00 00 00 00 00 00 00 01 00';

describe('the CLI with hostile paths', () => {
  it('sends data-out only from a regular file: FIFOs, devices, /proc and directories are refused at once', async () => {
    const dir = testTempDir('cli-files');
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const cases = [fifo, '/dev/zero', '/proc/self/mem', dir];
    for (const path of cases) {
      const r = await run(['raw', WRITE1, '--out', path]);
      expect(r.code, path).toBe(EXIT.fileError);
      expect(r.err, path).toMatch(/raw: .*(not a regular file|kernel)/);
    }
    for (const command of [
      ['write', '--lba', '0', '--force', '--file', fifo],
      ['write-buffer', '--mode', '2', '--file', '/dev/zero', '--device', 'emu:fw-updatable'],
    ]) {
      const r = await run(command);
      expect(r.code, command[0]).toBe(EXIT.fileError);
    }
    recordHostile({
      surface: 'trace/data files (CLI)',
      input: 'FIFO, /dev/zero, /proc/self/mem, a folder as data-out',
      tried: cases.length + 2,
      crashes: 0,
      hangs: 0,
      dataLost: 0,
    });
  });

  it('takes "-" for no file: read --file - wrote the blocks to a file called "-"', async () => {
    const why =
      '"-" is no file name here: only decode-sense and parse read standard input (./- names a file called "-")';
    try {
      for (const [argv, err] of [
        [
          ['read', '--file', '-'],
          `read: ${why}: name a file to write the blocks to; nothing was read`,
        ],
        [['tur', '--record', '-'], `tur: --record: ${why}; nothing was sent`],
        [['tur', '--capture', '-'], `tur: --capture: ${why}; nothing was sent`],
        [['raw', WRITE1, '--out', '-'], `raw: ${why}`],
        [['write', '--lba', '0', '--force', '--file', '-'], `write: ${why}`],
      ] as const) {
        const r = await run([...argv]);
        expect({ code: r.code, out: r.out, err: r.err }).toEqual({
          code: EXIT.fileError,
          out: '',
          err: `${err}\n`,
        });
        expect(existsSync('-'), argv.join(' ')).toBe(false);
      }
    } finally {
      rmSync('-', { force: true });
    }
  });

  it('fails a command whose --record trace cannot be written, and keeps the trace a whole prefix', async () => {
    const dir = testTempDir('cli-files');
    const blocked = join(dir, 'a-folder');
    mkdirSync(blocked);
    const r = await run(['tur', '--record', blocked]);
    expect(r.code).toBe(EXIT.fileError);
    expect(r.err).toMatch(/a-folder/);
    // A trace that works is whole lines only.
    const trace = join(dir, 't.jsonl');
    expect((await run(['tur', '--record', trace])).code).toBe(EXIT.ok);
    expect(readFileSync(trace, 'utf8').endsWith('\n')).toBe(true);
  });

  it('refuses a capture that is not a regular file, and a read --file it cannot write leaves no part behind', async () => {
    const dir = testTempDir('cli-files');
    const capture = await run(['tur', '--capture', '/dev/null']);
    expect(capture.code).not.toBe(EXIT.ok);
    expect(capture.err).toMatch(/\/dev\/null is not a regular file/);

    const target = join(dir, 'blocks.bin');
    writeFileSync(target, 'earlier contents');
    const missingDir = join(dir, 'no-such-folder', 'blocks.bin');
    const bad = await run(['read', '--lba', '0', '--count', '1', '--file', missingDir]);
    expect(bad.code).toBe(EXIT.fileError);
    expect(bad.err).toMatch(/no-such-folder\/blocks\.bin/);
    expect(existsSync(missingDir)).toBe(false);
    const good = await run(['read', '--lba', '0', '--count', '1', '--file', target]);
    expect(good.code).toBe(EXIT.ok);
    expect(readFileSync(target)).toHaveLength(512);
  });
});
