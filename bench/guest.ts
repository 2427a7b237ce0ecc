/**
 * The emulated drive as a real Linux kernel sees it, beside QEMU's own USB
 * disk in the same guest boot (QEMU TCG, tests/e2e/guest): TEST UNIT READY
 * rate from `sg_turs -n 2000 -t`, sequential read rate from GNU dd (1 MiB
 * blocks, O_DIRECT, 64 MiB), three runs each, medians; then libiscsi's
 * iscsi-test-cu LINUX family on both. Writes its section of
 * docs/performance.md. Nothing is asserted: ratios against the peer matter,
 * absolute numbers depend on the machine and on TCG.
 */
import { findProfile } from '../src-main/emulator/profiles';
import { MemoryStore } from '../src-main/emulator/store';
import { ExportedDrive } from '../src-main/export/exported-drive';
import { serveUsbredir } from '../src-main/export/usbredir';
import { ensureGuest, runGuest } from '../tests/e2e/guest/guest';
import {
  blankImage,
  qemuUsbStorage,
  usbredirDevice,
  waitForDisks,
} from '../tests/e2e/guest/devices';
import {
  conformanceCommand,
  gapsAgainst,
  KNOWN_GAPS,
  parseConformance,
  tally,
} from '../tests/e2e/guest/iscsi-test-cu';
import { PERFORMANCE_DOC } from './measure';
import { replaceSection } from '../scripts/doc-sections.mjs';

const RUNS = 3;
// SuperSpeed like QEMU's usb-storage, so both get 1 MiB per command.
const profile = findProfile('fw-updatable');
if (!profile) throw new Error('no fw-updatable profile');
const guest = ensureGuest((l) => process.stderr.write(`${l}\n`));
const server = await serveUsbredir({
  drive: new ExportedDrive(profile, new MemoryStore(profile.blockSize, profile.blocks)),
});
const disk = blankImage();

const DISKS = { ours: 'USBCDB', qemu: 'QEMU' } as const;
type Who = keyof typeof DISKS;
const turs = (who: Who): string => `sg_turs -n 2000 -t $(usbdisk ${DISKS[who]} sg)`;
const dd = (who: Who): string =>
  `/usr/bin/dd if=$(usbdisk ${DISKS[who]} sd) of=/dev/null bs=1M count=64 iflag=direct 2>&1 | tail -1`;
const commands = [
  waitForDisks(Object.values(DISKS)),
  ...Array.from({ length: RUNS }, () => [
    turs('ours'),
    turs('qemu'),
    dd('ours'),
    dd('qemu'),
  ]).flat(),
  conformanceCommand(`$(usbdisk ${DISKS.ours} sg)`),
  conformanceCommand(`$(usbdisk ${DISKS.qemu} sg)`),
];
process.stderr.write('booting the guest (TCG)…\n');
const run = await runGuest(
  guest,
  commands,
  [
    '-device',
    'qemu-xhci,id=xhci',
    ...usbredirDevice('ur0', server.port, 'xhci.0'),
    ...qemuUsbStorage(disk, 'xhci.0'),
  ],
  { timeoutMs: 900_000 },
);
await server.close();
if (!run.done) throw new Error(`the guest did not finish:\n${run.console.slice(-3000)}`);

const outputs = (cmd: string): string[] =>
  run.results.filter((r) => r.command === cmd).map((r) => r.output);
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};
const tursRate = (who: Who): number =>
  median(outputs(turs(who)).map((o) => Number(/(\d+) operations\/sec/.exec(o)?.[1] ?? NaN)));
const ddRate = (who: Who): number =>
  median(
    outputs(dd(who)).map((o) => {
      const m = /^(\d+) bytes .* copied, ([\d.]+) s/m.exec(o);
      return m ? Number(m[1]) / Number(m[2]) / 1e6 : NaN;
    }),
  );
const rate = {
  turs: { ours: tursRate('ours'), qemu: tursRate('qemu') },
  dd: { ours: ddRate('ours'), qemu: ddRate('qemu') },
};
const ours = parseConformance(outputs(conformanceCommand(`$(usbdisk ${DISKS.ours} sg)`))[0] ?? '');
const qemu = parseConformance(outputs(conformanceCommand(`$(usbdisk ${DISKS.qemu} sg)`))[0] ?? '');
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
  `## A real kernel: the emulated drive over usbredir vs QEMU's usb-storage (${new Date().toISOString().slice(0, 10)}, QEMU TCG guest, Linux ${guest.kernelVersion})`,
  '',
  'Measured by `npm run bench:guest` (bench/guest.ts) in one guest boot holding both disks on xHCI, both SuperSpeed',
  '(Linux sends up to 1 MiB a command to each): `emu:fw-updatable` exported by `usbcdb emulate --usbredir`, and QEMU 7.2',
  `\`usb-storage\`. Medians of ${RUNS} runs; timings are the guest's own (sg_turs -t, GNU dd).`,
  '',
  '| measured | usbcdb (usbredir) | QEMU usb-storage | ratio |',
  '|---|---|---|---|',
  `| sg_turs -n 2000: TEST UNIT READY per second | ${rate.turs.ours.toFixed(0)} | ${rate.turs.qemu.toFixed(0)} | ${(rate.turs.ours / rate.turs.qemu).toFixed(3)} |`,
  `| dd 64 MiB, bs=1M, O_DIRECT: MB/s | ${rate.dd.ours.toFixed(1)} | ${rate.dd.qemu.toFixed(1)} | ${(rate.dd.ours / rate.dd.qemu).toFixed(3)} |`,
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
