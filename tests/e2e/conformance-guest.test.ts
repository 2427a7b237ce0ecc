/**
 * Scenario 3, conformance: libiscsi's iscsi-test-cu (its LINUX family runs
 * on /dev/sg devices) in the QEMU guest, against usbcdb's emulated drive
 * over usbredir and, in the same boot, QEMU's own usb-storage. Every test
 * QEMU passes that we fail or skip (CUnit counts a skip as passed; we do
 * not) must be a known gap with its reason; a known gap that starts passing
 * must leave the list (and docs/performance.md).
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findProfile } from '../../src-main/emulator/profiles';
import { MemoryStore } from '../../src-main/emulator/store';
import { ExportedDrive } from '../../src-main/export/exported-drive';
import { serveUsbredir, type UsbredirExport } from '../../src-main/export/usbredir';
import { ensureGuest, runGuest, type GuestRun } from './guest/guest';
import { blankImage, qemuUsbStorage, usbredirDevice, waitForDisks } from './guest/devices';
import {
  conformanceCommand,
  gapsAgainst,
  KNOWN_GAPS,
  parseConformance,
  tally,
  type ConformanceRun,
} from './guest/iscsi-test-cu';

// fw-updatable presents itself as SuperSpeed, like QEMU's usb-storage: both get 1 MiB per command.
const p = findProfile('fw-updatable');
if (!p) throw new Error('no fw-updatable profile');
const profile = p;
let server: UsbredirExport;
let run: GuestRun;
let ours: ConformanceRun;
let qemu: ConformanceRun;
/** QEMU's own disk, in a temporary folder removed after the tests. */
let disk: string | undefined;
const COMMANDS = {
  wait: waitForDisks(['USBCDB', 'QEMU']),
  ours: conformanceCommand('$(usbdisk USBCDB sg)'),
  qemu: conformanceCommand('$(usbdisk QEMU sg)'),
};

beforeAll(async () => {
  const guest = ensureGuest();
  server = await serveUsbredir({
    drive: new ExportedDrive(profile, new MemoryStore(profile.blockSize, profile.blocks)),
  });
  disk = blankImage();
  run = await runGuest(
    guest,
    Object.values(COMMANDS),
    [
      '-device',
      'qemu-xhci,id=xhci',
      ...usbredirDevice('ur0', server.port, 'xhci.0'),
      ...qemuUsbStorage(disk, 'xhci.0'),
    ],
    { timeoutMs: 600_000 },
  );
  const output = (cmd: string): string => run.results.find((r) => r.command === cmd)?.output ?? '';
  ours = parseConformance(output(COMMANDS.ours));
  qemu = parseConformance(output(COMMANDS.qemu));
}, 900_000);

afterAll(async () => {
  if (disk !== undefined) rmSync(dirname(disk), { recursive: true, force: true });
  await server?.close();
});

describe('iscsi-test-cu (LINUX family) against the emulated drive and QEMU’s usb-storage', () => {
  it('ran the whole family on both disks', () => {
    expect(run.done, run.console.slice(-3000)).toBe(true);
    expect(ours.summary).toBeDefined();
    expect(ours.summary?.ran).toBe(ours.summary?.total);
    expect(qemu.summary?.ran).toBe(qemu.summary?.total);
    expect(ours.tests.size).toBe(ours.summary?.total);
    expect(ours.tests.size).toBeGreaterThan(100);
  });

  it('fails or skips no test QEMU passes, beyond the known gaps', () => {
    const gaps = gapsAgainst(ours, qemu);
    expect(gaps.filter((g) => !(g in KNOWN_GAPS))).toEqual([]);
    // A known gap that no longer fails or skips must leave the list.
    expect(Object.keys(KNOWN_GAPS).filter((g) => !gaps.includes(g))).toEqual([]);
  });

  it('passes at least as many tests as QEMU, counting skips apart', () => {
    const o = tally(ours);
    const q = tally(qemu);
    console.log(`iscsi-test-cu: usbcdb ${JSON.stringify(o)}, QEMU ${JSON.stringify(q)}`);
    expect(o.passed + o.failed + o.skipped).toBe(ours.summary?.total);
    expect(o.passed).toBeGreaterThanOrEqual(q.passed);
  });
});
