/** The token kept for a bridge on a fixed port (src-main/ipc/web-token.ts), and planted token files. */
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keptToken, webTokenFileIn } from '../../../src-main/ipc/web-token';
import { recordHostile } from '../../hostile/report';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'usbcdb-token-'));
  dirs.push(d);
  return d;
}
function value(r: ReturnType<typeof keptToken>): string {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('keptToken', () => {
  it('makes a 256-bit token once, owner-only, and gives the same one back after', () => {
    const d = dataDir();
    const first = value(keptToken(d));
    expect(Buffer.from(first, 'base64url')).toHaveLength(32);
    expect(statSync(webTokenFileIn(d)).mode & 0o777).toBe(0o600);
    expect(value(keptToken(d))).toBe(first);
  });

  it('makes the data folder when a fresh machine has none yet (usbcdb serve --port N)', () => {
    const d = join(dataDir(), 'usbcdb');
    const token = value(keptToken(d));
    expect(statSync(d).mode & 0o777).toBe(0o700);
    expect(readFileSync(webTokenFileIn(d), 'utf8')).toBe(`${token}\n`);
  });

  it('replaces it when asked (--new-token)', () => {
    const d = dataDir();
    const first = value(keptToken(d));
    const renewed = value(keptToken(d, true));
    expect(renewed).not.toBe(first);
    expect(value(keptToken(d))).toBe(renewed);
  });

  it.skipIf(process.platform === 'win32')(
    'replaces a token others could read (a copy or restore that lost its mode), never keeping it',
    () => {
      for (const mode of [0o644, 0o640, 0o604]) {
        const d = dataDir();
        const file = webTokenFileIn(d);
        writeFileSync(file, `${'A'.repeat(43)}\n`);
        chmodSync(file, mode);
        const t = value(keptToken(d));
        expect(t, mode.toString(8)).not.toBe('A'.repeat(43));
        expect(statSync(file).mode & 0o777, mode.toString(8)).toBe(0o600);
        expect(value(keptToken(d)), mode.toString(8)).toBe(t);
      }
    },
  );

  it('replaces a planted or damaged file with a new token instead of trusting it', () => {
    const planted: [string, (file: string) => void][] = [
      ['a short guessable token', (f) => writeFileSync(f, 'abc')],
      ['44 characters', (f) => writeFileSync(f, 'A'.repeat(44))],
      [
        'a token with a space in it',
        (f) => writeFileSync(f, `${'A'.repeat(21)} ${'A'.repeat(21)}`),
      ],
      ['a megabyte', (f) => writeFileSync(f, 'A'.repeat(1 << 20))],
      ['a directory', (f) => mkdirSync(f)],
      ['a FIFO', (f) => execFileSync('mkfifo', [f])],
      ['a link to /dev/zero', (f) => symlinkSync('/dev/zero', f)],
    ];
    let kept = 0;
    for (const [what, plant] of planted) {
      const d = dataDir();
      const file = webTokenFileIn(d);
      plant(file);
      const r = keptToken(d);
      // A directory cannot be replaced by a file: that is an error in words, never a token from it.
      if (what === 'a directory') {
        expect(r.ok, what).toBe(false);
        continue;
      }
      const t = value(r);
      expect(t, what).toMatch(/^[\w-]{43}$/);
      expect(readFileSync(file, 'utf8').trim(), what).toBe(t);
      if (t === 'A'.repeat(43)) kept++;
    }
    recordHostile({
      surface: 'web bridge: kept token file',
      input: 'short, long, spaced, 1 MiB, directory, FIFO, /dev/zero link',
      tried: planted.length,
      crashes: 0,
      hangs: 0,
      dataLost: kept,
    });
  });
});
