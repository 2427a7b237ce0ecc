/**
 * Throughput of decode-sense and lint, each as a ratio against a peer run
 * in the same process (numbers vary by machine; ratios travel). Writes the
 * table to docs/performance.md. Not a test: nothing is asserted.
 *
 * Peers: decodeSense against the bare minimum any decoder does (reading
 * key/ASC/ASCQ from fixed offsets); lintCdb against decodeCdb (field
 * decoding alone), so the ratios show what full checking costs; formatHex
 * against Node's native hex encoding; the
 * emulated drive's READ against a buffer copy; the usbredir exporter against
 * the C reference disk (bench/host-peers.ts).
 */
import { closeSync, mkdtempSync, openSync, read, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeCdb } from '../shared/scsi/cdb/decode';
import { lintCdb } from '../shared/lint/lint';
import { decodeSense, explainSense } from '../shared/scsi/sense';
import { formatHex } from '../shared/scsi/hex';
import { asLba } from '../shared/scsi/brand';
import { ImageStore } from '../src-main/emulator/image-store';
import { BUILT_IN_PROFILES } from '../src-main/emulator/profiles';
import { EmulatedTransport } from '../src-main/engine/emu';
import { echoTwice, usbredirTur } from './loopback';
import { hostPeerRows, measureHostPeers } from './host-peers';
import { formatRate, measure, measureAsync, PERFORMANCE_DOC, type Measurement } from './measure';
import { replaceSection } from '../scripts/doc-sections.mjs';

const SENSES = [
  Uint8Array.from([0x70, 0, 0x05, 0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0x20, 0, 0, 0, 0, 0]),
  Uint8Array.from([0x70, 0, 0x05, 0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0x24, 0, 0, 0xc8, 0, 0x03]),
  Uint8Array.from([0x72, 0x06, 0x29, 0x00, 0, 0, 0, 0]),
  Uint8Array.from([
    0x72, 0x01, 0x00, 0x1d, 0, 0, 0, 0x0e, 0x09, 0x0c, 0x00, 0x00, 0, 0x01, 0, 0, 0, 0x4f, 0, 0xc2,
    0xa0, 0x50,
  ]),
];
const CDBS = [
  Uint8Array.from([0x12, 0, 0, 0x24, 0, 0]),
  Uint8Array.from([0x28, 0, 0, 0, 0, 0, 0, 0, 8, 0]),
  Uint8Array.from([0x9e, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20, 0, 0]),
  Uint8Array.from([0xc0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
];

const HEX_SOURCE = Uint8Array.from({ length: 1024 * 1024 }, (_, n) => (n * 7) & 0xff);

let i = 0;
const next = <T>(xs: readonly T[]): T => xs[i++ % xs.length] as T;

function baselineSense(b: Uint8Array): number {
  const descriptor = ((b[0] ?? 0) & 0x7f) >= 0x72;
  return descriptor
    ? ((b[1] ?? 0) << 16) | ((b[2] ?? 0) << 8) | (b[3] ?? 0)
    : ((b[2] ?? 0) << 16) | ((b[12] ?? 0) << 8) | (b[13] ?? 0);
}

const pairs: [Measurement, Measurement][] = [
  [
    measure('decodeSense', () => decodeSense(next(SENSES))),
    measure('peer: key/ASC/ASCQ from fixed offsets', () => baselineSense(next(SENSES))),
  ],
  [
    measure('decodeSense + explainSense', () => {
      const d = decodeSense(next(SENSES));
      return d.ok ? explainSense(d.value) : d;
    }),
    measure('peer: decodeSense alone', () => decodeSense(next(SENSES))),
  ],
  [
    measure('lintCdb (with a 512-byte buffer)', () => lintCdb({ cdb: next(CDBS), dataIn: 512 })),
    measure('peer: decodeCdb', () => decodeCdb(next(CDBS))),
  ],
  // How a preset's data-out and the hex view's copy become text.
  [
    measure('formatHex of 1 MiB ("12 00 24")', () => formatHex(HEX_SOURCE)),
    measure("peer: Node's Buffer toString('hex') of 1 MiB (no spaces)", () =>
      Buffer.from(HEX_SOURCE.buffer).toString('hex'),
    ),
  ],
];

// The emulated drive through full BOT framing (CBW → device → CSW), in-process.
const emu = new EmulatedTransport(BUILT_IN_PROFILES[0] as (typeof BUILT_IN_PROFILES)[number]);
const tur = {
  cdb: new Uint8Array(6),
  lun: 0,
  direction: 'none' as const,
  transferLength: 0,
  timeoutMs: 5000,
};
await emu.execute(tur); // absorb the power-on unit attention
const MIB = 1024 * 1024;
const read1m = {
  cdb: Uint8Array.from([0x28, 0, 0, 0, 0, 0, 0, (MIB / 512) >> 8, (MIB / 512) & 0xff, 0]),
  lun: 0,
  direction: 'in' as const,
  transferLength: MIB,
  timeoutMs: 5000,
};
const source = new Uint8Array(MIB).fill(0xa5);
const sink = new Uint8Array(MIB);
// Fill the first MiB so the reads copy real data, not never-written (zero) chunks.
await emu.execute({
  cdb: Uint8Array.from([0x2a, 0, 0, 0, 0, 0, 0, (MIB / 512) >> 8, (MIB / 512) & 0xff, 0]),
  lun: 0,
  direction: 'out',
  transferLength: MIB,
  dataOut: source,
  timeoutMs: 5000,
});
const turRate = await measureAsync('BOT TEST UNIT READY round trip (emu:)', () => emu.execute(tur));
const readRate = await measureAsync('BOT READ(10) of 1 MiB (emu:), a new buffer each', () =>
  emu.execute(read1m),
);
// As SG_IO and sg_dd do: the caller's one buffer, which the blocks are copied into (the one copy).
const readInto = new Uint8Array(MIB);
const readIntoRate = await measureAsync(
  "BOT READ(10) of 1 MiB (emu:) into the caller's buffer",
  () => emu.execute(read1m, readInto),
);
const copyRate = measure('peer: copy of a 1 MiB buffer', () => sink.set(source));
// An image file's blocks (the file is in the page cache after its first read): through libuv's
// thread pool into a new buffer or into one reused buffer, against a synchronous pread straight
// into a reused buffer (ImageStore.readLater and ImageStore.read, what the drive uses).
const imageDir = mkdtempSync(join(tmpdir(), 'usbcdb-bench-'));
const image = ImageStore.open(join(imageDir, 'bench.img'), 512, 4096);
if (!image.ok) throw new Error(image.error.message);
await image.value.write(asLba(0n), source);
const imageFd = openSync(join(imageDir, 'bench.img'), 'r');
const readAt = promisify(read);
const imageAsync = await measureAsync(
  'image file: 1 MiB through the thread pool, a new buffer each',
  () => readAt(imageFd, new Uint8Array(MIB), 0, MIB, 0),
);
const imagePool = await measureAsync(
  'image file: 1 MiB through the thread pool into one buffer',
  () => readAt(imageFd, sink, 0, MIB, 0),
);
const imageSync = measure('image file: 1 MiB by a synchronous pread into one buffer', () =>
  readSync(imageFd, sink, 0, MIB, 0),
);
closeSync(imageFd);
image.value.close();
rmSync(imageDir, { recursive: true, force: true });
const promiseRate = await measureAsync('peer: an empty awaited promise', () => Promise.resolve());
// The usbredir exporter over loopback, against two echo round trips.
const redir = await usbredirTur();
const echo = await echoTwice();
const redirRate = await measureAsync(
  'usbredir exporter: TEST UNIT READY from a usb-guest over loopback',
  redir.tur,
);
const echoRate = await measureAsync('peer: two round trips to a TCP echo server', echo.tur);
await redir.close();
await echo.close();
// usbcdb's exporter and the C reference disk, each in a process of its own, driven by one client.
const hostRows = hostPeerRows(await measureHostPeers((l) => void process.stderr.write(`${l}\n`)));

const emuRows = [
  `| ${turRate.name} | ${formatRate(turRate.opsPerSecond)} | ${promiseRate.name} | ${formatRate(promiseRate.opsPerSecond)} | ${(turRate.opsPerSecond / promiseRate.opsPerSecond).toFixed(3)} |`,
  ...[imageAsync, imagePool].map(
    (r) =>
      `| ${r.name} | ${r.opsPerSecond.toFixed(0)} MiB/s | ${imageSync.name} | ${imageSync.opsPerSecond.toFixed(0)} MiB/s | ${(r.opsPerSecond / imageSync.opsPerSecond).toFixed(3)} |`,
  ),
  ...[readRate, readIntoRate].map(
    (r) =>
      `| ${r.name} | ${r.opsPerSecond.toFixed(0)} MiB/s | ${copyRate.name} | ${copyRate.opsPerSecond.toFixed(0)} MiB/s | ${(r.opsPerSecond / copyRate.opsPerSecond).toFixed(3)} |`,
  ),
  `| ${redirRate.name} | ${formatRate(redirRate.opsPerSecond)} | ${echoRate.name} | ${formatRate(echoRate.opsPerSecond)} | ${(redirRate.opsPerSecond / echoRate.opsPerSecond).toFixed(3)} |`,
];

const rows = pairs.map(
  ([m, peer]) =>
    `| ${m.name} | ${formatRate(m.opsPerSecond)} | ${peer.name} | ${formatRate(peer.opsPerSecond)} | ${(m.opsPerSecond / peer.opsPerSecond).toFixed(3)} |`,
);
const text = [
  'Measured by `npm run bench` (bench/bench.ts): each line runs a function for one second after a warm-up,',
  'beside a peer measured in the same process. Ratios matter; absolute rates depend on the machine.',
  '',
  `## Sense decoding, lint and hex text (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${process.arch})`,
  '',
  '| measured | rate | peer | peer rate | ratio |',
  '|---|---|---|---|---|',
  ...rows,
  '',
  '## The emulated drive through Bulk-Only Transport (in-process)',
  '',
  'Targets (issues 3 and 13): at least 200,000 TEST UNIT READY round trips per second, and READ(10) at no less than 25 % of the copy bandwidth.',
  "READ(10) is measured twice: handing back a new 1 MiB buffer per answer (it then pays for new pages, which varies a lot between runs and machines), and into the caller's buffer as SG_IO and sg_dd read, where the store's blocks are copied straight into it: the one copy a READ costs, beside the peer's copy into a buffer it reuses.",
  "A new buffer's rate is the C library's more than ours: whether malloc hands back pages it kept or fresh ones the kernel must fault in depends on when V8 frees the buffers before it, and glibc returns the top of its heap to the kernel once that is past its trim threshold. On 2026-12-03, read back to back in a script of their own, that rate fell from 1323 to 184–258 MiB/s (page faults per READ from 29 to 238) when TEST UNIT READY stopped leaving garbage, which moved V8's collections; with MALLOC_TRIM_THRESHOLD_=268435456 the two versions read 7875 and 5362 MiB/s. The thread pool's new-buffer row is the same allocator at work.",
  'The usbredir row is the exporter alone (bench/loopback.ts): a usb-guest in this process sends CBW and CSW requests as QEMU does; in a real guest the rate is bounded by QEMU (docs below).',
  '',
  '| measured | rate | peer | peer rate | ratio |',
  '|---|---|---|---|---|',
  ...emuRows,
  '',
  "## usbcdb's usbredir exporter against the C reference disk, on the host",
  '',
  'Both as a user runs them, each in a process of its own: `usbcdb emulate --profile fw-updatable --usbredir`, and',
  '`bench/reference-disk/peer.c` (a minimal single-threaded usbredir disk on libusbredirparser, answering from RAM: the',
  'fastest a usbredir device can be). One client (bench/usb-guest.ts) drives both over loopback as QEMU forwards a',
  "guest's requests: CBW, data and CSW requests in one write, every answer's length and CSW status checked, reads",
  'landing in one reused buffer so the client costs little beside either peer. 5 rounds alternating the two, 0.7 s',
  'per measurement; cells are medians, the ratio is of the medians (lowest–highest of the ratios within each round).',
  'Targets from issue 13: TEST UNIT READY at least 0.7×, READ(10) of 1 MiB at least 0.6× the C peer.',
  '',
  '| measured | usbcdb | C peer | usbcdb / C peer |',
  '|---|---|---|---|',
  ...hostRows,
  '',
].join('\n');
process.stdout.write(text);
replaceSection(PERFORMANCE_DOC, 'bench:in-process', text, '# Performance');
