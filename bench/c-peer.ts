/**
 * The reference usbredir disk (bench/reference-disk/peer.c) for `npm run bench:guest`: built with
 * gcc against Debian's libusbredirparser, cached under .guest-cache/reference-disk/<key>/ (the key
 * covers the source, the compiler's version and the library's flags and version, so a changed
 * peer.c is rebuilt), and started on a free loopback port for one guest boot.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startListening } from './listening-process';

const ROOT = process.cwd();
const SOURCE = join(ROOT, 'bench', 'reference-disk', 'peer.c');
const CACHE = join(ROOT, '.guest-cache', 'reference-disk');
const PKG = 'libusbredirparser-0.5';
/** What the peer's INQUIRY answers (peer.c, `scsi()`), to find it in the guest. */
export const C_PEER_INQUIRY = { vendor: 'LIMIT', product: 'C Peer RAM Disk' } as const;

const MISSING =
  'the benchmark builds its reference peer with gcc and libusbredirparser: apt-get install gcc pkg-config libusbredirparser-dev (npm run bench and npm run bench:guest do it as root)';

function tool(cmd: string, args: readonly string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')}: ${r.error?.message ?? r.stderr.trim()}; ${MISSING}`);
  return r.stdout.trim();
}

/** Path of the peer's binary, compiled when the cache has none for this source and toolchain. */
export function buildCPeer(log: (line: string) => void = () => undefined): string {
  const flags = tool('pkg-config', ['--cflags', '--libs', PKG]).split(/\s+/).filter(Boolean);
  const key = createHash('sha256')
    .update(readFileSync(SOURCE))
    .update(tool('gcc', ['-dumpfullversion']))
    .update(tool('pkg-config', ['--modversion', PKG]))
    .update(flags.join(' '))
    .digest('hex')
    .slice(0, 16);
  const dir = join(CACHE, key);
  const binary = join(dir, 'peer');
  if (existsSync(binary)) return binary;
  log(`building the C usbredir peer in ${dir}`);
  // Older builds are for another source or toolchain: nothing will use them again.
  rmSync(CACHE, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // Compiled beside its final name and renamed, so an interrupted build leaves no binary behind.
  tool('gcc', ['-O2', '-Wall', '-o', `${binary}.tmp`, SOURCE, ...flags]);
  renameSync(`${binary}.tmp`, binary);
  return binary;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface RunningCPeer {
  readonly port: number;
  /** What the peer printed (its counters after each disconnect). */
  readonly stderr: () => string;
  /** Stops the peer; resolves once it has exited. */
  readonly close: () => Promise<void>;
}

/**
 * Starts the peer on a free loopback port; resolves once it listens (QEMU connects to it).
 * `spinUs` > 0 keeps it busy that long after every send (peer.c's SPIN_US).
 */
export async function startCPeer(binary: string, spinUs = 0): Promise<RunningCPeer> {
  const port = await freePort();
  const args = spinUs > 0 ? [String(port), String(spinUs)] : [String(port)];
  const peer = await startListening('the C peer', binary, args, (text) =>
    text.includes('peer: listening') ? true : undefined,
  );
  return { port, stderr: peer.output, close: peer.close };
}
