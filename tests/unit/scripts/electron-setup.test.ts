/**
 * What scripts/setup.mjs does about the desktop window's Electron binary, and
 * the words scripts/start.mjs uses when it opens web mode instead.
 */
import { describe, expect, it } from 'vitest';
import {
  downloadFailureReason,
  downloadHost,
  planElectronBinary,
  probeHost,
  RETRY_AFTER_MS,
  RETRY_HINT,
  webModeNotice,
} from '../../../scripts/electron-setup.mjs';

const NOW = 1_800_000_000_000;
const base = {
  purpose: 'window' as const,
  binaryPresent: false,
  env: {},
  nodeVersion: 'v22.12.0',
  electronVersion: '45.4.1',
  lastFailure: undefined,
  now: NOW,
};
const failure = (electron: string, ageMs: number) => ({
  electron,
  outcome: 'failed' as const,
  reason:
    "Electron's binary could not be downloaded from github.com: github.com refused the connection",
  at: NOW - ageMs,
});

describe('planElectronBinary', () => {
  it('downloads for npm start on a supported Node with nothing in the way', () => {
    expect(planElectronBinary(base)).toEqual({ action: 'download' });
  });

  it('does nothing when the binary is already there', () => {
    expect(planElectronBinary({ ...base, binaryPresent: true, purpose: 'tests' })).toEqual({
      action: 'none',
    });
  });

  it('skips for npm test, which drives web mode', () => {
    const plan = planElectronBinary({ ...base, purpose: 'tests' });
    expect(plan).toMatchObject({ action: 'skip' });
    expect(plan.action === 'skip' && plan.reason).toMatch(/tests drive the app in web mode/);
  });

  it('honours ELECTRON_SKIP_BINARY_DOWNLOAD set by CI, and says how to undo it', () => {
    const plan = planElectronBinary({ ...base, env: { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } });
    expect(plan.action === 'skip' && plan.reason).toMatch(
      /^ELECTRON_SKIP_BINARY_DOWNLOAD is set in the environment.*node node_modules\/electron\/install\.js/,
    );
  });

  it('treats ELECTRON_SKIP_BINARY_DOWNLOAD=0 or empty as unset', () => {
    for (const v of ['0', '', 'false'])
      expect(planElectronBinary({ ...base, env: { ELECTRON_SKIP_BINARY_DOWNLOAD: v } })).toEqual({
        action: 'download',
      });
  });

  it("skips on a Node older than Electron's installer accepts", () => {
    const plan = planElectronBinary({ ...base, nodeVersion: 'v20.20.2' });
    expect(plan.action === 'skip' && plan.reason).toMatch(
      /Electron's installer needs Node\.js 22\.12 or newer and this is Node\.js v20\.20\.2/,
    );
  });

  it('believes a recent failure of the same version, with its reason', () => {
    const last = failure('45.4.1', RETRY_AFTER_MS - 1);
    expect(planElectronBinary({ ...base, lastFailure: last })).toEqual({
      action: 'skip',
      reason: last.reason,
    });
  });

  it('tries again after RETRY_AFTER_MS, or for another Electron version', () => {
    expect(planElectronBinary({ ...base, lastFailure: failure('45.4.1', RETRY_AFTER_MS) })).toEqual(
      { action: 'download' },
    );
    expect(planElectronBinary({ ...base, lastFailure: failure('44.0.0', 0) })).toEqual({
      action: 'download',
    });
  });

  it('decides anew after a skip (npm test, then npm start)', () => {
    const skipped = { ...failure('45.4.1', 0), outcome: 'skipped' as const };
    expect(planElectronBinary({ ...base, lastFailure: skipped })).toEqual({ action: 'download' });
  });

  it('skips when the electron package itself is missing', () => {
    expect(planElectronBinary({ ...base, electronVersion: undefined })).toMatchObject({
      action: 'skip',
      reason: 'the electron package is not installed (run npm ci)',
    });
  });
});

describe('downloadHost', () => {
  it("is GitHub's, or the mirror's host", () => {
    expect(downloadHost({})).toBe('github.com');
    expect(downloadHost({ ELECTRON_MIRROR: 'https://npmmirror.com/mirrors/electron/' })).toBe(
      'npmmirror.com',
    );
    expect(downloadHost({ npm_config_electron_mirror: 'https://mirror.example:8443/e/' })).toBe(
      'mirror.example:8443',
    );
  });
});

describe('downloadFailureReason', () => {
  const stderr = 'TypeError: fetch failed\n    at node:internal/deps/undici/undici:14976:13\n';

  it('names what the network did, for the host it tried', () => {
    expect(downloadFailureReason({ host: 'github.com', probeCode: 'ENOTFOUND', stderr })).toBe(
      "Electron's binary could not be downloaded from github.com: github.com could not be found (no DNS answer for it from this network)",
    );
    expect(
      downloadFailureReason({ host: 'npmmirror.com', probeCode: 'ECONNREFUSED', stderr }),
    ).toBe(
      "Electron's binary could not be downloaded from npmmirror.com: npmmirror.com refused the connection",
    );
  });

  it("falls back to the installer's first line when the host answers", () => {
    expect(
      downloadFailureReason({
        host: 'github.com',
        probeCode: undefined,
        stderr: '\nHTTPError: Response code 404 (Not Found)\n  at x\n',
      }),
    ).toBe(
      "Electron's binary could not be downloaded from github.com: HTTPError: Response code 404 (Not Found)",
    );
  });

  it('never speaks of "this machine" or of a registry it cannot know about', () => {
    const text = downloadFailureReason({ host: 'github.com', probeCode: 'ETIMEDOUT', stderr });
    expect(text).not.toMatch(/this machine|npm registry/);
  });
});

describe('probeHost', () => {
  it('reports the network error code for a name that cannot resolve (RFC 6761 .invalid)', async () => {
    expect(['ENOTFOUND', 'EAI_AGAIN']).toContain(await probeHost('usbcdb-probe.invalid', 5000));
  });
});

describe('webModeNotice', () => {
  it('says why, what would give the window, and how to stop', () => {
    expect(webModeNotice('the reason', RETRY_HINT)).toBe(
      'usbcdb: starting web mode (the reason). For the desktop window run `node node_modules/electron/install.js` when the network allows, then `npm start` again. The emulated drives are in the device picker; Ctrl+C stops.',
    );
    expect(webModeNotice('web mode was asked for')).toBe(
      'usbcdb: starting web mode (web mode was asked for). The emulated drives are in the device picker; Ctrl+C stops.',
    );
  });
});
