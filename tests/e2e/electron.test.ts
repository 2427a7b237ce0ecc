/**
 * The real Electron app: launched through playwright-core's Electron driver
 * where an Electron binary and a display exist. Elsewhere the suite is
 * reported as not run, with the reason in its name (the test summary lists it).
 * `npm start` itself is tested too: without a window it falls back to web mode.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { displayProblem, electronBinary } from '../../scripts/electron-binary.mjs';
import { testTempDir } from '../temp-dir';

const root = process.cwd();
const found = electronBinary(root);
const why = 'reason' in found ? found.reason : displayProblem();

describe.skipIf(why !== undefined)(
  `the Electron app${why !== undefined ? ` (${why})` : ''}`,
  () => {
    it('opens its window with the preload bridge only, lists the drives and sends INQUIRY', async () => {
      if (!('path' in found)) throw new Error('unreachable: suite runs only with a binary');
      const app = await _electron.launch({
        executablePath: found.path,
        args: [
          join(root, 'dist', 'main', 'main.cjs'),
          `--user-data-dir=${testTempDir('electron')}`,
        ],
      });
      try {
        const page = await app.firstWindow();
        expect(await page.title()).toBe('usbcdb');
        // contextIsolation on, nodeIntegration off: the page sees the bridge and nothing of Node.
        expect(
          await page.evaluate(() => ({
            bridge: typeof (window as { usbcdb?: { invoke?: unknown } }).usbcdb?.invoke,
            require: typeof (window as { require?: unknown }).require,
            process: typeof (window as { process?: unknown }).process,
          })),
        ).toEqual({ bridge: 'function', require: 'undefined', process: 'undefined' });
        await page.getByText('emu:flash-stick').waitFor();
        await page.getByRole('button', { name: 'Send', exact: true }).click();
        await expect.poll(() => page.getByTestId('status').textContent()).toBe('GOOD');
        const shots = join(root, 'tests', 'e2e', 'screenshots');
        mkdirSync(shots, { recursive: true });
        await page.screenshot({ path: join(shots, 'electron-window.png') });
      } finally {
        await app.close();
      }
    });
  },
);

describe('npm start', () => {
  it('falls back to web mode, says why, and serves the app', async () => {
    const child = spawn(process.execPath, ['scripts/start.mjs', '--port', '0'], {
      cwd: root,
      // A binary path that cannot exist: the fallback must happen whatever this machine has.
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: join(tmpdir(), 'no-electron-here') },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await expect.poll(() => /open (http:\S+)/.exec(out)?.[1], { timeout: 20_000 }).toBeDefined();
      expect(out).toMatch(
        /starting web mode \(the Electron binary .*no-electron-here.* is missing\)/,
      );
      const url = /open (http:\S+)/.exec(out)?.[1] ?? '';
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<div id="root">/);
    } finally {
      child.kill('SIGTERM');
    }
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(0);
  });
});
