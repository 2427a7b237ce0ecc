// Where the Electron binary is, or why there is none. Reads the electron
// package's path.txt itself: requiring the package would try to download the
// binary, which these machines cannot do.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** @returns {{ path: string } | { reason: string }} */
export function electronBinary(root) {
  const dir = join(root, 'node_modules', 'electron');
  if (!existsSync(join(dir, 'package.json')))
    return { reason: 'the electron package is not installed (run npm ci)' };
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = join(dir, 'path.txt');
  if (!override && !existsSync(pathFile))
    return {
      reason:
        'no Electron binary: the electron package was installed without it (ELECTRON_SKIP_BINARY_DOWNLOAD=1; this machine reaches only the npm registry)',
    };
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
