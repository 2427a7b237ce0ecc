// Where the Electron binary is, or why there is none. Reads the electron
// package's path.txt itself: requiring the package would start a download
// (electron 45's index.js fetches a missing binary on first use).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOWNLOAD_COMMAND, RETRY_HINT, readElectronState } from './electron-setup.mjs';

/** @returns {{ path: string } | { reason: string, hint?: string }} */
export function electronBinary(root) {
  const dir = join(root, 'node_modules', 'electron');
  if (!existsSync(join(dir, 'package.json')))
    return { reason: 'the electron package is not installed (run npm ci)' };
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = join(dir, 'path.txt');
  if (!override && !existsSync(pathFile)) {
    // scripts/setup.mjs recorded why it did not download one, or could not.
    const state = readElectronState(root);
    if (state === undefined)
      return { reason: `no Electron binary has been downloaded (run \`${DOWNLOAD_COMMAND}\`)` };
    return state.outcome === 'failed'
      ? { reason: state.reason, hint: RETRY_HINT }
      : { reason: state.reason };
  }
  const exe = override
    ? join(override, process.platform === 'win32' ? 'electron.exe' : 'electron')
    : join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(exe) ? { path: exe } : { reason: `the Electron binary ${exe} is missing` };
}

/** Why a window cannot open here, or undefined when it can. */
export function displayProblem() {
  if (process.platform !== 'linux') return undefined;
  return process.env.DISPLAY || process.env.WAYLAND_DISPLAY
    ? undefined
    : 'no display (neither DISPLAY nor WAYLAND_DISPLAY is set)';
}
