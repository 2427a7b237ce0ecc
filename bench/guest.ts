/**
 * The emulated drive as a real Linux kernel sees it, beside two peers in the same guest boot
 * (QEMU TCG, tests/e2e/guest), four SuperSpeed disks, three of them on one xHCI:
 * - usbcdb's `fw-updatable` profile exported over usbredir by `usbcdb emulate` in a process of its
 *   own (src-main/export/usbredir.ts), its resident memory sampled throughout;
 * - the same over USB/IP (src-main/export/usbip.ts), imported by the guest's usbip tool and
 *   vhci-hcd across QEMU's user network;
 * - the reference C peer (bench/reference-disk/peer.c), a minimal usbredir disk with the same
 *   descriptors: the fastest a usbredir device can be, so what it cannot reach is QEMU's and the
 *   socket's cost;
 * - QEMU's built-in usb-storage (no usbredir at all).
 * Rounds interleave the disks (their order rotating each round): TEST UNIT READY rate from
 * `sg_turs -n 2000 -t`, GNU dd write then read of 64 MiB (1 MiB blocks, O_DIRECT). Reported per
 * disk: median and range; ratios ours (each) / C peer and C peer / QEMU; each exporter's memory;
 * the host's load average before and after the boot. Then libiscsi's iscsi-test-cu LINUX family on usbcdb and QEMU. Writes its
 * section of docs/performance.md. Nothing is asserted about speed: absolute numbers depend on the
 * machine and on TCG.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
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
import { median, PERFORMANCE_DOC, range, ratio, valid } from './measure';
import { replaceSection } from '../scripts/doc-sections.mjs';

const ROUNDS = 5;
const log = (l: string): void => void process.stderr.write(`${l}\n`);
// SuperSpeed like QEMU's usb-storage and the C peer, so all four get 1 MiB per command.
const found = findProfile('fw-updatable');
if (!found) throw new Error('no fw-updatable profile');
const profile = found;
/**
 * USBCDB_BENCH_PEER_SPIN_US=N keeps the C peer busy N µs after each send (peer.c's SPIN_US): how
 * much CPU time after an answer costs a usbredir disk here. Such a run prints its tables and
 * leaves docs/performance.md alone: its C peer is not the reference.
 */
const SPIN_ENV = 'USBCDB_BENCH_PEER_SPIN_US';
const spinText = process.env[SPIN_ENV] ?? '0';
const spinUs = Number(spinText);
if (!/^\d{1,4}$/.test(spinText) || spinUs > 1000)
  throw new Error(
    `${SPIN_ENV} must be a whole number of microseconds from 0 to 1000, not "${spinText}"`,
  );
const guest = ensureGuest(log);
const peerBinary = buildCPeer(log);
const qemuVersion =
  /version (\d+\.\d+\.\d+)/.exec(
    spawnSync('qemu-system-x86_64', ['--version'], { encoding: 'utf8' }).stdout,
  )?.[1] ?? '?';

/**
 * Each disk's INQUIRY vendor and a part of its device path (how the guest finds its nodes: both
 * of usbcdb's disks say USBCDB; the one imported over USB/IP hangs off vhci_hcd, the others off
 * the xHCI on PCI) and its product (checked with sg_inq).
 */
const DISKS = {
  ours: { vendor: profile.inquiry.vendor, path: '/pci', product: profile.inquiry.product },
  usbip: { vendor: profile.inquiry.vendor, path: 'vhci_hcd', product: profile.inquiry.product },
  peer: { ...C_PEER_INQUIRY, path: '' },
  qemu: { vendor: 'QEMU', path: '', product: 'QEMU HARDDISK' },
} as const;
type Who = keyof typeof DISKS;
const WHO: readonly Who[] = ['ours', 'usbip', 'peer', 'qemu'];
const node = (who: Who, kind: 'sg' | 'sd'): string =>
  `$(usbdisk ${DISKS[who].vendor} ${kind} ${DISKS[who].path})`;

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
/** The guest's commands, given the port the USB/IP exporter listens on (the host is 10.0.2.2 there). */
const commandsFor = (usbipPort: number): string[] => [
  'ip link set lo up && ip addr add 10.0.2.15/24 dev eth0 && ip link set eth0 up && ip route add default via 10.0.2.2',
  `usbip --tcp-port ${usbipPort} attach -r 10.0.2.2 -b 1-1`,
  waitForDisks(WHO.map((w) => DISKS[w])),
  ...WHO.map(identify),
  // One round first that is not counted (its commands differ by a comment): the exporters' code is
  // compiled by V8's optimiser and every store's pages are touched before anything is measured.
  ...MEASURES.flatMap((m) => WHO.map((who) => `${m.command(who)} # warm-up`)),
  ...Array.from({ length: ROUNDS }, (_, round) =>
    MEASURES.flatMap((m) => rotated(round).map((who) => m.command(who))),
  ).flat(),
  conformanceCommand(node('ours', 'sg')),
  conformanceCommand(node('qemu', 'sg')),
];

/** An exporter's resident memory: idle before the boot, and the most seen while the guest ran. */
interface Memory {
  readonly idle: number;
  readonly peak: number;
}

/** Samples a process's resident memory every 100 ms until `stop`. */
function watchMemory(rss: () => number): { stop: () => Memory } {
  const idle = rss();
  let peak = idle;
  const timer = setInterval(() => {
    peak = Math.max(peak, rss() || 0);
  }, 100);
  return {
    stop: () => {
      clearInterval(timer);
      return { idle, peak };
    },
  };
}

/** Boots the guest with the four disks; every server and process started here is stopped on every path. */
async function boot(qemuImage: string): Promise<{
  run: GuestRun;
  loadBefore: number[];
  loadAfter: number[];
  memory: Readonly<Record<'usbredir' | 'usbip', Memory>>;
}> {
  // As a user runs them: `usbcdb emulate --profile fw-updatable --usbredir|--usbip`, processes of their own.
  const redir = await startExporter(profile.name, 'usbredir');
  try {
    const usbip = await startExporter(profile.name, 'usbip');
    try {
      const peer = await startCPeer(peerBinary, spinUs);
      try {
        const loadBefore = loadavg();
        const watched = { usbredir: watchMemory(redir.rss), usbip: watchMemory(usbip.rss) };
        log(`booting the guest (TCG), ${ROUNDS} rounds…`);
        try {
          const run = await runGuest(
            guest,
            commandsFor(usbip.port),
            // Two redirs give the xHCI 4 root ports (xhciWithRedirs): three disks and one to spare;
            // the guest reaches the USB/IP exporter over QEMU's user network.
            [
              ...xhciWithRedirs([redir.port, peer.port]),
              ...qemuUsbStorage(qemuImage, 'xhci.0'),
              '-nic',
              'user,model=e1000',
            ],
            { timeoutMs: 1_200_000 },
          );
          return {
            run,
            loadBefore,
            loadAfter: loadavg(),
            memory: { usbredir: watched.usbredir.stop(), usbip: watched.usbip.stop() },
          };
        } finally {
          watched.usbredir.stop();
          watched.usbip.stop();
        }
      } finally {
        await peer.close();
        log(peer.stderr().trim());
      }
    } finally {
      await usbip.close();
    }
  } finally {
    await redir.close();
  }
}
const qemuImage = blankImage();
// The image is this boot's alone: gone with it, whatever the boot did.
const { run, loadBefore, loadAfter, memory } = await boot(qemuImage).finally(() =>
  rmSync(dirname(qemuImage), { recursive: true, force: true }),
);
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

/** The rates of one measurement on one disk, round by round (NaN where a run printed no rate). */
const rates = (m: Measure, who: Who): number[] => outputs(m.command(who)).map(m.rate);
const cell = (xs: readonly number[], digits: number): string => {
  const v = valid(xs);
  if (v.length === 0) return 'no result';
  const [lo, hi] = range(v);
  const missing = v.length < ROUNDS ? `, ${v.length} of ${ROUNDS} runs` : '';
  return `${median(v).toFixed(digits)} (${lo.toFixed(digits)}–${hi.toFixed(digits)}${missing})`;
};
const rows = MEASURES.map((m) => {
  const [ours, usbip, cPeer, qemu] = WHO.map((who) => rates(m, who)) as [
    number[],
    number[],
    number[],
    number[],
  ];
  return `| ${m.label} | ${cell(ours, m.digits)} | ${cell(usbip, m.digits)} | ${cell(cPeer, m.digits)} | ${cell(qemu, m.digits)} | ${ratio(ours, cPeer)} | ${ratio(usbip, cPeer)} | ${ratio(cPeer, qemu)} |`;
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
  `## A real kernel: the emulated drive over usbredir and USB/IP, the C reference peer and QEMU's usb-storage (${new Date().toISOString().slice(0, 10)}, QEMU ${qemuVersion} TCG guest, Linux ${guest.kernelVersion})`,
  '',
  'Measured by `npm run bench:guest` (bench/guest.ts) in one guest boot holding four disks, all SuperSpeed (Linux sends',
  'up to 1 MiB a command to each), three of them on one xHCI:',
  '',
  '- usbcdb: `emu:fw-updatable` exported over usbredir by `usbcdb emulate --usbredir`, a process of its own;',
  "- usbcdb USB/IP: the same profile exported by `usbcdb emulate --usbip`, imported by the guest's `usbip attach` and",
  "  vhci-hcd across QEMU's user network (slirp), which the usbredir disks do not cross; so its ratio to the C peer",
  "  mixes our cost with slirp's;",
  '- C peer: `bench/reference-disk/peer.c`, a minimal single-threaded C usbredir disk on libusbredirparser with the same',
  '  descriptors, on a RAM buffer. It is the fastest a usbredir device can be: what it cannot reach is the cost of QEMU',
  "  and the socket, not of the device. The benchmark builds it with gcc against Debian's libusbredirparser;",
  `- QEMU: QEMU's built-in \`usb-storage\` on a raw image file, with no usbredir in between.`,
  ...(spinUs > 0
    ? [
        `- This run's C peer is handicapped: it keeps its CPU busy ${spinUs} µs after every send (${SPIN_ENV}).`,
      ]
    : []),
  '',
  `The guest finds each disk by its INQUIRY vendor and host controller and checks its product with \`sg_inq\`. After one uncounted round`,
  `(V8 compiles the exporters' code, every store's pages are touched), ${ROUNDS} rounds; in each, every`,
  "measurement runs once on every disk, the disks' order rotating from round to round, so a change in the host's load",
  "falls on all four. Timings are the guest's own (`sg_turs -t`, GNU dd). Cells: median (lowest–highest) of the rounds;",
  'ratios: of the medians (lowest–highest of the ratios within each round). Higher is faster everywhere.',
  '',
  `Host: ${cpus().length} CPUs; load average (1 / 5 / 15 min) ${load(loadBefore)} before the boot, ${load(loadAfter)} after it`,
  "(the guest's TCG vCPU keeps one CPU busy, and usbcdb's exporters and the C peer run beside it).",
  '',
  '| measured | usbcdb (usbredir) | usbcdb (USB/IP) | C peer (usbredir) | QEMU usb-storage | usbcdb / C peer | usbcdb USB/IP / C peer | C peer / QEMU |',
  '|---|---|---|---|---|---|---|---|',
  ...rows,
  '',
  'Memory of each `usbcdb emulate` (its resident set, sampled every 100 ms; target: a peak within 2× idle). The 64 MiB',
  'the dd writes put in its memory store stay there, so the peak less 64 MiB is the exporter itself: buffers, queues and',
  'garbage not yet collected.',
  '',
  '| exporter | idle | peak | peak / idle | peak less the 64 MiB stored |',
  '|---|---|---|---|---|',
  ...(['usbredir', 'usbip'] as const).map(
    (k) =>
      `| ${k === 'usbip' ? 'USB/IP' : k} | ${mib(memory[k].idle)} MiB | ${mib(memory[k].peak)} MiB | ${(memory[k].peak / memory[k].idle).toFixed(2)}× | ${mib(memory[k].peak - STORED)} MiB |`,
  ),
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
if (spinUs === 0) replaceSection(PERFORMANCE_DOC, 'bench:guest', text, '# Performance');
else log(`docs/performance.md left as it was: this run's C peer spun ${spinUs} µs after each send`);
