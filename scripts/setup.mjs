// Makes a fresh clone ready: installs npm dependencies when missing or stale,
// (with --window) the desktop window's Electron binary, (with --for-tests) the
// Debian test peers, then generates and builds. Used by `npm start` and
// `npm test` so each works on a fresh machine by itself. With --for-c-peer, also
// what `npm run bench` and `npm run bench:guest` alone need: gcc and
// libusbredirparser to build their reference usbredir disk (bench/reference-disk/);
// the tests never need them.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary } from './electron-binary.mjs';
import {
  downloadFailureReason,
  downloadHost,
  installedElectronVersion,
  planElectronBinary,
  probeHost,
  readElectronState,
  writeElectronState,
} from './electron-setup.mjs';
import { nodeProblem } from './node-support.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const forTests = process.argv.includes('--for-tests');
const forWindow = process.argv.includes('--window');
const forCPeer = process.argv.includes('--for-c-peer');
const env = process.env;

const tooOld = nodeProblem(process.version);
if (tooOld !== undefined) {
  process.stderr.write(`setup: ${tooOld}\n`);
  process.exit(1);
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) {
    process.stderr.write(
      `setup: "${cmd} ${args.join(' ')}" failed (exit ${r.status ?? r.signal})\n`,
    );
    process.exit(r.status ?? 1);
  }
}

function installed(deb) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', deb], { encoding: 'utf8' });
  // Without dpkg (not Debian) say nothing here: the tests name what they miss.
  return r.error !== undefined || r.stdout.includes('install ok installed');
}

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

// npm dependencies: `npm ci` when node_modules is missing or older than the lock file.
const marker = join(root, 'node_modules', '.package-lock.json');
const lock = join(root, 'package-lock.json');
if (!existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs) {
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

// The desktop window's Electron binary (`npm start` only). `npm ci` does not fetch it:
// the electron package's own install.js does, and when it cannot, the reason is
// recorded for scripts/start.mjs to say when it opens web mode instead.
if (forWindow || forTests) {
  const electronVersion = installedElectronVersion(root);
  const plan = planElectronBinary({
    purpose: forWindow ? 'window' : 'tests',
    binaryPresent: 'path' in electronBinary(root),
    env,
    nodeVersion: process.version,
    electronVersion,
    lastFailure: readElectronState(root),
    now: Date.now(),
  });
  // Only `npm start`'s decision is kept: it is what scripts/start.mjs explains.
  if (forWindow && plan.action === 'skip' && electronVersion !== undefined)
    writeElectronState(root, {
      electron: electronVersion,
      outcome: 'skipped',
      reason: plan.reason,
      at: Date.now(),
    });
  if (plan.action === 'download' && electronVersion !== undefined) {
    process.stdout.write(
      `setup: downloading Electron ${electronVersion} for the desktop window…\n`,
    );
    const r = spawnSync(process.execPath, [join(root, 'node_modules', 'electron', 'install.js')], {
      cwd: root,
      env,
      stdio: ['ignore', 'inherit', 'pipe'],
      encoding: 'utf8',
    });
    if (r.status !== 0) {
      const host = downloadHost(env);
      const reason = downloadFailureReason({
        host,
        probeCode: await probeHost(host),
        stderr: r.stderr ?? String(r.error ?? ''),
      });
      writeElectronState(root, {
        electron: electronVersion,
        outcome: 'failed',
        reason,
        at: Date.now(),
      });
      process.stderr.write(`setup: ${reason}; npm start opens web mode instead.\n`);
    }
  }
}

/** Installs the Debian packages not yet installed (as root, with apt-get); otherwise says who needs them. */
function installDebs(wanted, purpose) {
  const debs = wanted.filter((deb) => !installed(deb));
  if (debs.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && has('apt-get')) {
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...debs]);
  } else {
    process.stderr.write(
      `setup: ${purpose} fail without Debian packages ${debs.join(', ')}; install them (sudo apt-get install ${debs.join(' ')}).\n`,
    );
  }
}

// Test peers from Debian: sg3-utils (differential tests against sg_decode_sense and friends),
// sdparm (mode pages) and hdparm (IDENTIFY DEVICE data) for differential tests too, chromium (the
// end-to-end tests drive web mode in it through playwright-core) and tshark (it decodes usbcdb's
// USB captures).
if (forTests) {
  installDebs(
    [
      'sg3-utils',
      'sdparm',
      'chromium',
      'tshark',
      // The QEMU guest of the end-to-end tests (tests/e2e/guest): QEMU, a static busybox, usbip,
      // libiscsi's test suite, lsusb; smartctl and hdparm, the ATA clients of the emulated SAT bridge.
      'qemu-system-x86',
      'busybox-static',
      'usbip',
      'libiscsi-bin',
      'usbutils',
      'smartmontools',
      'hdparm',
    ],
    'the differential and end-to-end tests',
  );
}

// The benchmarks' reference peer, a C usbredir disk built on the host (bench/c-peer.ts).
if (forCPeer) {
  installDebs(
    ['gcc', 'pkg-config', 'libusbredirparser-dev'],
    'npm run bench / bench:guest and their C peer build',
  );
}

run(process.execPath, [join(root, 'scripts', 'gen-asc-table.mjs')]);
run(process.execPath, [join(root, 'scripts', 'build.mjs')]);
