// Getting the desktop window's Electron binary, and saying why when there is none.
//
// The electron package (45 and later) has no install script: `npm ci` never
// downloads the binary, whatever ELECTRON_SKIP_BINARY_DOWNLOAD says. The
// download is the package's own `install.js` (what `npx install-electron`
// runs), which scripts/setup.mjs calls for `npm start`. When it fails, the
// reason is kept beside the package (node_modules/.usbcdb-electron.json, gone
// with the next `npm ci`) so scripts/start.mjs can say it when it opens web
// mode instead. The decisions are pure functions, tested in
// tests/unit/scripts/electron-setup.test.ts.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { windowNodeProblem } from './node-support.mjs';

/** How long a failed download is believed before `npm start` tries again. */
export const RETRY_AFTER_MS = 60 * 60 * 1000;

/** The command that downloads the binary by hand, as the messages name it. */
export const DOWNLOAD_COMMAND = 'node node_modules/electron/install.js';

/** Whether an environment variable is set to something that means yes. */
function isSet(value) {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/**
 * What setup does about the Electron binary.
 * @param {{ purpose: 'window' | 'tests', binaryPresent: boolean, env: Record<string, string | undefined>,
 *           nodeVersion: string, electronVersion: string | undefined,
 *           lastFailure: { electron: string, outcome: string, reason: string, at: number } | undefined,
 *           now: number }} input
 * @returns {{ action: 'none' } | { action: 'skip', reason: string } | { action: 'download' }}
 */
export function planElectronBinary(input) {
  if (input.binaryPresent) return { action: 'none' };
  if (input.electronVersion === undefined)
    return { action: 'skip', reason: 'the electron package is not installed (run npm ci)' };
  if (input.purpose === 'tests')
    return {
      action: 'skip',
      reason:
        'npm test does not download Electron: the tests drive the app in web mode, and the Electron suite runs where a binary already is (after `npm start` got one)',
    };
  if (isSet(input.env.ELECTRON_SKIP_BINARY_DOWNLOAD))
    return {
      action: 'skip',
      reason: `ELECTRON_SKIP_BINARY_DOWNLOAD is set in the environment, so no Electron binary was downloaded (unset it and run ${DOWNLOAD_COMMAND} for the desktop window)`,
    };
  const tooOld = windowNodeProblem(input.nodeVersion);
  if (tooOld !== undefined) return { action: 'skip', reason: tooOld };
  const last = input.lastFailure;
  if (
    last !== undefined &&
    last.outcome === 'failed' &&
    last.electron === input.electronVersion &&
    input.now - last.at < RETRY_AFTER_MS
  )
    return { action: 'skip', reason: last.reason };
  return { action: 'download' };
}

/**
 * Where the binary comes from: GitHub's release downloads, or the mirror the
 * user set (the variables @electron/get reads).
 */
export function downloadHost(env) {
  const mirror =
    env.ELECTRON_MIRROR ?? env.electron_config_mirror ?? env.npm_config_electron_mirror;
  if (mirror) {
    try {
      return new URL(mirror).host;
    } catch {
      return mirror;
    }
  }
  return 'github.com';
}

/**
 * The network error code an HTTPS request to `host` meets (`ENOTFOUND`,
 * `ECONNREFUSED`, …), or undefined when the host answers. The installer
 * prints only "fetch failed"; this says what the network did.
 */
export async function probeHost(host, timeoutMs = 10_000) {
  try {
    const { fetch, AbortSignal } = globalThis;
    await fetch(`https://${host}/`, { method: 'HEAD', signal: AbortSignal.timeout(timeoutMs) });
    return undefined;
  } catch (e) {
    const code = e?.cause?.code;
    if (typeof code === 'string') return code;
    return e?.name === 'TimeoutError' ? 'ETIMEDOUT' : 'UNKNOWN';
  }
}

const NETWORK_WORDS = {
  ENOTFOUND: (host) => `${host} could not be found (no DNS answer for it from this network)`,
  EAI_AGAIN: (host) => `${host} could not be looked up (DNS did not answer)`,
  ECONNREFUSED: (host) => `${host} refused the connection`,
  ECONNRESET: (host) => `the connection to ${host} was cut`,
  ETIMEDOUT: (host) => `${host} did not answer in time`,
  UND_ERR_CONNECT_TIMEOUT: (host) => `${host} did not answer in time`,
  ENETUNREACH: (host) => `there is no route to ${host} (no network?)`,
  EHOSTUNREACH: (host) => `there is no route to ${host}`,
  CERT_HAS_EXPIRED: (host) => `${host}'s TLS certificate was not accepted`,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: (host) =>
    `${host}'s TLS certificate could not be verified (a proxy rewriting TLS?)`,
  SELF_SIGNED_CERT_IN_CHAIN: (host) =>
    `${host}'s TLS certificate could not be verified (a proxy rewriting TLS?)`,
};

/**
 * Why the download failed, in words that fit the machine it ran on: the
 * network error a probe of the download host met, else the installer's own
 * first line of error output.
 * @param {{ host: string, probeCode: string | undefined, stderr: string }} failure
 */
export function downloadFailureReason({ host, probeCode, stderr }) {
  const words = probeCode !== undefined ? NETWORK_WORDS[probeCode] : undefined;
  const first = stderr
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.length > 0);
  const why = words ? words(host) : (first ?? 'the installer stopped without saying why');
  return `Electron's binary could not be downloaded from ${host}: ${why}`;
}

/** What to do for the window after a failed download. */
export const RETRY_HINT = `For the desktop window run \`${DOWNLOAD_COMMAND}\` when the network allows, then \`npm start\` again.`;

/**
 * The lines scripts/start.mjs prints when it opens web mode instead of the
 * window: why, what would give the window (when something would), and how to stop.
 */
export function webModeNotice(reason, hint) {
  return [
    `usbcdb: starting web mode (${reason}).`,
    ...(hint ? [hint] : []),
    'The emulated drives are in the device picker; Ctrl+C stops.',
  ].join(' ');
}

const stateFile = (root) => join(root, 'node_modules', '.usbcdb-electron.json');

/** The last recorded reason there is no binary, or undefined. */
export function readElectronState(root) {
  try {
    const s = JSON.parse(readFileSync(stateFile(root), 'utf8'));
    return typeof s.reason === 'string' &&
      typeof s.electron === 'string' &&
      typeof s.at === 'number'
      ? s
      : undefined;
  } catch {
    return undefined;
  }
}

/** Records why there is no binary (`failed` is retried after RETRY_AFTER_MS, `skipped` is decided anew). */
export function writeElectronState(root, state) {
  if (existsSync(join(root, 'node_modules')))
    writeFileSync(stateFile(root), `${JSON.stringify(state)}\n`);
}

/** The installed electron package's version, or undefined. */
export function installedElectronVersion(root) {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8'))
      .version;
  } catch {
    return undefined;
  }
}
