/**
 * The emulated drive as a real Linux kernel sees it, beside two peers in the same guest boot
 * (QEMU TCG, tests/e2e/guest), all three SuperSpeed disks on one xHCI:
 * - usbcdb's `fw-updatable` profile exported over usbredir by `usbcdb emulate` in a process of its
 *   own (src-main/export/usbredir.ts), its resident memory sampled throughout;
 * - the reference C peer (bench/reference-disk/peer.c), a minimal usbredir disk with the same
 *   descriptors: the fastest a usbredir device can be, so what it cannot reach is QEMU's and the
 *   socket's cost;
 * - QEMU's built-in usb-storage (no usbredir at all).
 * Rounds interleave the disks (their order rotating each round): TEST UNIT READY rate from
 * `sg_turs -n 2000 -t`, GNU dd write then read of 64 MiB (1 MiB blocks, O_DIRECT). Reported per
 * disk: median and range; ratios ours / C peer and C peer / QEMU; the host's load average before
 * and after the boot. Then libiscsi's iscsi-test-cu LINUX family on usbcdb and QEMU. Writes its
 * section of docs/performance.md. Nothing is asserted about speed: absolute numbers depend on the
 * machine and on TCG.
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { findProfile } from '../src-main/emulator/profiles';
import { ensureGuest, runGuest, type GuestRun } from '../tests/e2e/guest/guest';
import {
  blankImage,
  qemuUsbStorage,
  waitForDisks,
  xhciWithRedirs,
} from '../tests/e2e/guest/devices';
import {
  conformanceCommand,
  gapsAgainst,
  KNOWN_GAPS,
  parseConformance,
  tally,
} from '../tests/e2e/guest/iscsi-test-cu';
import { buildCPeer, C_PEER_INQUIRY, startCPeer } from './c-peer';
import { startExporter } from './exporter-process';
import { median, PERFORMANCE_DOC } from './measure';
import { replaceSection } from '../scripts/doc-sections.mjs';

const ROUNDS = 7;
const log = (l: string): void => void process.stderr.write(`${l}\n`);
// SuperSpeed like QEMU's usb-storage and the C peer, so all three get 1 MiB per command.
const found = findProfile('fw-updatable');
if (!found) throw new Error('no fw-updatable profile');
const profile = found;
const guest = ensureGuest(log);
const peerBinary = buildCPeer(log);
const qemuVersion =
  /version (\d+\.\d+\.\d+)/.exec(
    spawnSync('qemu-system-x86_64', ['--version'], { encoding: 'utf8' }).stdout,
  )?.[1] ?? '?';

/** Each disk's INQUIRY vendor (how the guest finds its nodes) and product (checked with sg_inq). */
const DISKS = {
  ours: { vendor: profile.inquiry.vendor, product: profile.inquiry.product },
  peer: C_PEER_INQUIRY,
  qemu: { vendor: 'QEMU', product: 'QEMU HARDDISK' },
} as const;
type Who = keyof typeof DISKS;
const WHO: readonly Who[] = ['ours', 'peer', 'qemu'];
const node = (who: Who, kind: 'sg' | 'sd'): string => `$(usbdisk ${DISKS[who].vendor} ${kind})`;

const identify = (who: Who): string => `sg_inq ${node(who, 'sg')}`;
const turs = (who: Who): string => `sg_turs -n 2000 -t ${node(who, 'sg')}`;
const ddWrite = (who: Who): string =>
  `/usr/bin/dd if=/dev/zero of=${node(who, 'sd')} bs=1M count=64 oflag=direct 2>&1 | tail -1`;
const ddRead = (who: Who): string =>
  `/usr/bin/dd if=${node(who, 'sd')} of=/dev/null bs=1M count=64 iflag=direct 2>&1 | tail -1`;

/** One measurement: its guest command, how to read a rate from its output, how to show it. */
interface Measure {
  readonly label: string;
  readonly command: (who: Who) => string;
  readonly rate: (output: string) => number;
  readonly digits: number;
}
const ddRate = (o: string): number => {
  const m = /^(\d+) bytes .* copied, ([\d.]+) s/m.exec(o);
  return m ? Number(m[1]) / Number(m[2]) / 1e6 : NaN;
};
// The write goes first in each round, so every read returns blocks written before (a sparse store
// answers never-written blocks with zeros it does not have to copy).
const MEASURES: readonly Measure[] = [
  {
    label: 'sg_turs -n 2000: TEST UNIT READY per second',
    command: turs,
    rate: (o) => Number(/(\d+) operations\/sec/.exec(o)?.[1] ?? NaN),
    digits: 0,
  },
  { label: 'dd write 64 MiB, bs=1M, O_DIRECT: MB/s', command: ddWrite, rate: ddRate, digits: 1 },
  { label: 'dd read 64 MiB, bs=1M, O_DIRECT: MB/s', command: ddRead, rate: ddRate, digits: 1 },
];

const rotated = (round: number): Who[] => WHO.map((_, i) => WHO[(i + round) % WHO.length] as Who);
const commands = [
  waitForDisks(WHO.map((w) => DISKS[w].vendor)),
  ...WHO.map(identify),
  ...Array.from({ length: ROUNDS }, (_, round) =>
    MEASURES.flatMap((m) => rotated(round).map((who) => m.command(who))),
  ).flat(),
  conformanceCommand(node('ours', 'sg')),
  conformanceCommand(node('qemu', 'sg')),
];

/** The exporter's resident memory: idle before the boot, and the most seen while the guest ran. */
interface Memory {
  readonly idle: number;
  readonly peak: number;
}

/** Boots the guest with the three disks; every server and process started here is stopped on every path. */
async function boot(): Promise<{
  run: GuestRun;
  loadBefore: number[];
  loadAfter: number[];
  memory: Memory;
}> {
  // As a user runs it: `usbcdb emulate --profile fw-updatable --usbredir`, a process of its own.
  const exporter = await startExporter(profile.name, 'usbredir');
  try {
    const peer = await startCPeer(peerBinary);
    try {
      const loadBefore = loadavg();
      const idle = exporter.rss();
      let peak = idle;
      const sampler = setInterval(() => {
        peak = Math.max(peak, exporter.rss() || 0);
      }, 100);
      log(`booting the guest (TCG), ${ROUNDS} rounds…`);
      try {
        const run = await runGuest(
          guest,
          commands,
          // Two redirs give the xHCI 4 root ports (xhciWithRedirs): the three disks and one to spare.
          [
            ...xhciWithRedirs([exporter.port, peer.port]),
            ...qemuUsbStorage(blankImage(), 'xhci.0'),
          ],
          { timeoutMs: 900_000 },
        );
        return { run, loadBefore, loadAfter: loadavg(), memory: { idle, peak } };
      } finally {
        clearInterval(sampler);
      }
    } finally {
      await peer.close();
      log(peer.stderr().trim());
    }
  } finally {
    await exporter.close();
  }
}
const { run, loadBefore, loadAfter, memory } = await boot();
if (!run.done) throw new Error(`the guest did not finish:\n${run.console.slice(-3000)}`);

const outputs = (cmd: string): string[] =>
  run.results.filter((r) => r.command === cmd).map((r) => r.output);

// Each disk must be the one its vendor names: the product too, as its own INQUIRY reports it.
for (const who of WHO) {
  const o = outputs(identify(who))[0] ?? '';
  const vendor = /Vendor identification: (.*)/.exec(o)?.[1]?.trim();
  const product = /Product identification: (.*)/.exec(o)?.[1]?.trim();
  if (vendor !== DISKS[who].vendor || product !== DISKS[who].product)
    throw new Error(
      `the guest's ${DISKS[who].vendor} disk answered INQUIRY "${vendor ?? '?'}" "${product ?? '?'}":\n${o || run.console.slice(-3000)}`,
    );
}

const range = (xs: readonly number[]): readonly [number, number] => [
  Math.min(...xs),
  Math.max(...xs),
];
/** The rates of one measurement on one disk, round by round (NaN where a run printed no rate). */
const rates = (m: Measure, who: Who): number[] => outputs(m.command(who)).map(m.rate);
const valid = (xs: readonly number[]): number[] => xs.filter((x) => Number.isFinite(x));
const cell = (xs: readonly number[], digits: number): string => {
  const v = valid(xs);
  if (v.length === 0) return 'no result';
  const [lo, hi] = range(v);
  const missing = v.length < ROUNDS ? `, ${v.length} of ${ROUNDS} runs` : '';
  return `${median(v).toFixed(digits)} (${lo.toFixed(digits)}–${hi.toFixed(digits)}${missing})`;
};
/** The ratio of the medians, with the range of the ratios within each round. */
const ratio = (a: readonly number[], b: readonly number[]): string => {
  const perRound = valid(a.map((x, i) => x / (b[i] ?? NaN)));
  if (perRound.length === 0) return 'no result';
  const [lo, hi] = range(perRound);
  return `${(median(valid(a)) / median(valid(b))).toFixed(3)} (${lo.toFixed(3)}–${hi.toFixed(3)})`;
};
const rows = MEASURES.map((m) => {
  const [ours, cPeer, qemu] = WHO.map((who) => rates(m, who)) as [number[], number[], number[]];
  return `| ${m.label} | ${cell(ours, m.digits)} | ${cell(cPeer, m.digits)} | ${cell(qemu, m.digits)} | ${ratio(ours, cPeer)} | ${ratio(cPeer, qemu)} |`;
});
const load = (l: readonly number[]): string => l.map((x) => x.toFixed(2)).join(' / ');
const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
/** What the dd writes leave in the exporter's memory store: 64 MiB, the same blocks every round. */
const STORED = 64 * 1024 * 1024;

const ours = parseConformance(outputs(conformanceCommand(node('ours', 'sg')))[0] ?? '');
const qemu = parseConformance(outputs(conformanceCommand(node('qemu', 'sg')))[0] ?? '');
const gaps = gapsAgainst(ours, qemu);
const weWin = gapsAgainst(qemu, ours);
// CUnit counts a test that only printed [SKIPPED] as passed; the split below is from each test's own line.
const counts = (c: typeof ours): string => {
  const t = tally(c);
  return `${c.summary?.total ?? 0} tests: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped (command not implemented or not applicable); CUnit's summary, which counts skips as passed: ${c.summary?.passed ?? '?'} passed, ${c.summary?.failed ?? '?'} failed`;
};
const failedNames = (c: typeof ours): string =>
  [...c.tests]
    .filter(([, o]) => o === 'failed')
    .map(([n]) => n)
    .join(', ') || 'none';

const text = [
  `## A real kernel: the emulated drive over usbredir, the C reference peer and QEMU's usb-storage (${new Date().toISOString().slice(0, 10)}, QEMU ${qemuVersion} TCG guest, Linux ${guest.kernelVersion})`,
  '',
  'Measured by `npm run bench:guest` (bench/guest.ts) in one guest boot holding three disks on one xHCI, all SuperSpeed',
  '(Linux sends up to 1 MiB a command to each):',
  '',
  '- usbcdb: `emu:fw-updatable` exported over usbredir by `usbcdb emulate --usbredir`, a process of its own;',
  '- C peer: `bench/reference-disk/peer.c`, a minimal single-threaded C usbredir disk on libusbredirparser with the same',
  '  descriptors, on a RAM buffer. It is the fastest a usbredir device can be: what it cannot reach is the cost of QEMU',
  "  and the socket, not of the device. The benchmark builds it with gcc against Debian's libusbredirparser;",
  `- QEMU: QEMU's built-in \`usb-storage\` on a raw image file, with no usbredir in between.`,
  '',
  `The guest finds each disk by its INQUIRY vendor and checks its product with \`sg_inq\`. ${ROUNDS} rounds; in each, every`,
  "measurement runs once on every disk, the disks' order rotating from round to round, so a change in the host's load",
  "falls on all three. Timings are the guest's own (`sg_turs -t`, GNU dd). Cells: median (lowest–highest) of the rounds;",
  'ratios: of the medians (lowest–highest of the ratios within each round). Higher is faster everywhere.',
  '',
  `Host: ${cpus().length} CPUs; load average (1 / 5 / 15 min) ${load(loadBefore)} before the boot, ${load(loadAfter)} after it`,
  "(the guest's TCG vCPU keeps one CPU busy, and usbcdb and the C peer run beside it).",
  '',
  '| measured | usbcdb (usbredir) | C peer (usbredir) | QEMU usb-storage | usbcdb / C peer | C peer / QEMU |',
  '|---|---|---|---|---|---|',
  ...rows,
  '',
  `Memory of \`usbcdb emulate\` (its resident set, sampled every 100 ms): ${mib(memory.idle)} MiB idle before the boot,`,
  `${mib(memory.peak)} MiB at most while the guest ran (${(memory.peak / memory.idle).toFixed(2)}× idle; target: within 2×).`,
  `The 64 MiB the dd writes put in its memory store stay there, so ${mib(memory.peak - STORED)} MiB of the peak is the`,
  'exporter itself: buffers, queues and garbage not yet collected.',
  '',
  '### Conformance: libiscsi iscsi-test-cu, LINUX family (SG_IO), same boot',
  '',
  `- usbcdb emulated drive: ${counts(ours)}. Failed: ${failedNames(ours)}.`,
  `- QEMU usb-storage: ${counts(qemu)}.`,
  '',
  `Tests QEMU passes that usbcdb fails or skips (${gaps.length}), each a known gap with its reason (tests/e2e/guest/iscsi-test-cu.ts; the conformance test fails on any other):`,
  '',
  ...(gaps.length === 0
    ? ['- none']
    : gaps.map((g) => `- ${g}: ${KNOWN_GAPS[g] ?? 'not yet explained'}`)),
  '',
  `Tests usbcdb passes that QEMU fails or skips (${weWin.length}): ${weWin.join(', ') || 'none'}.`,
  '',
].join('\n');
process.stdout.write(text);
replaceSection(PERFORMANCE_DOC, 'bench:guest', text, '# Performance');
