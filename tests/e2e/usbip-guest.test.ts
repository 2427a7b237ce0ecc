/**
 * Scenario 1 over USB/IP: the guest's own usbip tool and vhci-hcd import
 * usbcdb's emulated drive from the host across QEMU's user network
 * (the host's loopback is 10.0.2.2 there), then sg3_utils and dd use it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageStore } from '../../src-main/emulator/image-store';
import { findProfile } from '../../src-main/emulator/profiles';
import { ExportedDrive } from '../../src-main/export/exported-drive';
import { serveUsbip, type UsbipExport } from '../../src-main/export/usbip';
import { ensureGuest, runGuest, resultOf, type CommandResult, type GuestRun } from './guest/guest';
import { md5OfFile, md5Sums, waitForDisks } from './guest/devices';

const p = findProfile('flash-stick');
if (!p) throw new Error('no flash-stick profile');
const profile = p;
const image = join(mkdtempSync(join(tmpdir(), 'usbcdb-usbip-e2e-')), 'stick.img');
const logs: string[] = [];
let server: UsbipExport;
let run: GuestRun;
let commands: Record<string, string>;

const result = (key: string): CommandResult => resultOf(run, commands[key] ?? key);

beforeAll(async () => {
  const guest = ensureGuest();
  const store = ImageStore.open(image, profile.blockSize, profile.blocks);
  if (!store.ok) throw new Error(store.error.message);
  server = await serveUsbip({
    drive: new ExportedDrive(profile, store.value),
    log: (l) => logs.push(l),
  });
  const usbip = `usbip --tcp-port ${server.port}`;
  const SG = '$(usbdisk USBCDB sg)';
  const SD = '$(usbdisk USBCDB sd)';
  commands = {
    net: 'ip link set lo up && ip addr add 10.0.2.15/24 dev eth0 && ip link set eth0 up && ip route add default via 10.0.2.2',
    list: `${usbip} list -r 10.0.2.2`,
    attach: `${usbip} attach -r 10.0.2.2 -b 1-1`,
    wait: waitForDisks(['USBCDB']),
    inq: `sg_inq ${SG}`,
    cap: `sg_readcap ${SG}`,
    turs: `sg_turs -n 200 ${SG}`,
    dd: `/usr/bin/dd if=/dev/urandom of=/tmp/a bs=64k count=8 2>/dev/null && /usr/bin/dd if=/tmp/a of=${SD} bs=64k seek=4 oflag=direct conv=fsync 2>/dev/null && /usr/bin/dd if=${SD} of=/tmp/b bs=64k skip=4 count=8 iflag=direct 2>/dev/null && md5sum /tmp/a /tmp/b`,
    detach: `${usbip} port; usbip detach -p 0`,
  };
  run = await runGuest(guest, Object.values(commands), ['-nic', 'user,model=e1000'], {
    timeoutMs: 240_000,
    env: { USBCDB_NO_DISK: '1' },
  });
}, 600_000);

afterAll(async () => {
  await server?.close();
  rmSync(dirname(image), { recursive: true, force: true });
});

describe('real clients in a Linux guest against the emulated drive over USB/IP', () => {
  it('usbip lists the exported drive and attaches it', () => {
    expect(run.done, run.console.slice(-4000)).toBe(true);
    const list = result('list');
    expect(list.rc).toBe(0);
    expect(list.output).toMatch(/1-1: .*\(1d6b:0104\)/);
    expect(result('attach').rc).toBe(0);
    expect(result('wait').output).toMatch(/^\/dev\/sg\d/);
  });

  it('sg_inq, sg_readcap and sg_turs get the profile’s answers', () => {
    expect(result('inq').output).toMatch(
      new RegExp(`Vendor identification: ${profile.inquiry.vendor.trim()}`),
    );
    expect(result('cap').output).toMatch(new RegExp(`Last LBA=${profile.blocks - 1} `));
    expect(result('turs').rc).toBe(0);
  });

  it('dd writes and reads back the same bytes, as the host image holds them', () => {
    const dd = result('dd');
    expect(dd.rc).toBe(0);
    const sums = md5Sums(dd.output);
    expect(sums).toHaveLength(2);
    expect(sums[0]).toBe(sums[1]);
    expect(md5OfFile(image, 4 * 65536, 8 * 65536)).toBe(sums[0]);
  });

  it('the exporter logged the import and no protocol error', () => {
    expect(logs.some((l) => /imported 1-1/.test(l))).toBe(true);
    expect(logs.filter((l) => /closing the connection/.test(l))).toEqual([]);
  });
});
