// Which Node.js versions usbcdb supports, checked at start by scripts/setup.mjs,
// scripts/start.mjs and bin/usbcdb.js. Written for old Nodes too: it must be
// able to say "too old" on the versions it refuses.

/** Web mode, the CLI and the tests: package.json's `engines.node`. */
export const NODE_MIN = '20.19';
/**
 * The desktop window: Electron's own installer (the electron package and
 * @electron/get) declares `engines.node >= 22.12.0`. The binary it downloads
 * carries its own Node, so this bounds only the download.
 */
export const WINDOW_NODE_MIN = '22.12';

/** `v20.20.2` or `20.20` → [20, 20, 2]; undefined for anything else. */
export function parseNodeVersion(text) {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(String(text).trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

/** Whether `version` is `min` or newer (both as parseNodeVersion reads them). */
export function atLeast(version, min) {
  const v = parseNodeVersion(version);
  const m = parseNodeVersion(min);
  if (!v || !m) return false;
  for (let i = 0; i < 3; i++) if (v[i] !== m[i]) return v[i] > m[i];
  return true;
}

/** Why usbcdb cannot run on this Node at all, or undefined when it can. */
export function nodeProblem(version) {
  if (atLeast(version, NODE_MIN)) return undefined;
  return (
    `usbcdb needs Node.js ${NODE_MIN} or newer (${WINDOW_NODE_MIN} or newer for the desktop window); ` +
    `this is Node.js ${version}. Install a current Node.js LTS (https://nodejs.org/ or your package manager) and run the command again.`
  );
}

/** Why the desktop window's Electron cannot be downloaded with this Node, or undefined when it can. */
export function windowNodeProblem(version) {
  if (atLeast(version, WINDOW_NODE_MIN)) return undefined;
  return `Electron's installer needs Node.js ${WINDOW_NODE_MIN} or newer and this is Node.js ${version}; install Node.js ${WINDOW_NODE_MIN}+ for the desktop window`;
}
