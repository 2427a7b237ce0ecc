/**
 * Scenario 1 over usbredir: real clients (Linux's usb-storage, sd and sg
 * drivers, sg3_utils, GNU dd) in a QEMU guest against usbcdb's emulated
 * drives, exported by usbcdb's own usbredir implementation. One boot
 * carries three USB disks: the firmware-updatable profile (backed by an
 * image file the test reads back on the host), the SPC-2 bridge (the
 * report's INQUIRY), and QEMU's own usb-storage as a peer. Every answer is
 * checked against the profile; the guest-side timings are left to the
 * benchmark (bench/guest.ts), never asserted.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsbCapture } from '../../src-main/capture/usbmon';
import { ImageStore } from '../../src-main/emulator/image-store';
import { findProfile } from '../../src-main/emulator/profiles';
import type { Profile } from '../../src-main/emulator/profile';
import { MemoryStore } from '../../src-main/emulator/store';
import { ExportedDrive } from '../../src-main/export/exported-drive';
import { serveUsbredir, type UsbredirExport } from '../../src-main/export/usbredir';
import { ensureGuest, resultOf, runGuest, type CommandResult, type GuestRun } from './guest/guest';
import {
  blankImage,
  md5OfFile,
  md5Sums,
  qemuUsbStorage,
  xhciWithRedirs,
  waitForDisks,
} from './guest/devices';

function profile(name: string): Profile {
  const p = findProfile(name);
  if (!p) throw new Error(`no profile ${name}`);
  return p;
}

const fw = profile('fw-updatable');
const spc2 = profile('spc2-bridge');
const work = mkdtempSync(join(tmpdir(), 'usbcdb-redir-e2e-'));
const image = join(work, 'fw.img');
const logs: string[] = [];
let exports: UsbredirExport[] = [];
let run: GuestRun;
const captureFile = join(work, 'fw.pcap');
let capture: UsbCapture | undefined;
/** QEMU's own disk, in a temporary folder removed after the tests like `work`. */
let qemuDisk: string | undefined;
/** A second boot against the same exporters: the guest rebooted. */
let reboot: GuestRun;
const REBOOT = {
  wait: waitForDisks(['USBCDB']),
  readBack: `/usr/bin/dd if=${'$(usbdisk USBCDB sd)'} bs=64k skip=16 count=16 iflag=direct 2>/dev/null | md5sum`,
};
const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

/** The one boot's commands; results are looked up by command text. */
const FW = '$(usbdisk USBCDB sg)';
const FW_SD = '$(usbdisk USBCDB sd)';
const OLD = '$(usbdisk OLDBRDG sg)';
const COMMANDS = {
  wait: waitForDisks(['USBCDB', 'OLDBRDG', 'QEMU']),
  inq: `sg_inq ${FW}`,
  serial: `sg_vpd -p 0x80 ${FW}`,
  ids: `sg_vpd -p 0x83 ${FW}`,
  cap: `sg_readcap -l ${FW}`,
  turs: `sg_turs -n 2000 -t ${FW}`,
  vendor: `sg_raw -r 16 ${FW} c4 00 00 00 00 00 00 00 10 00`,
  report: `sg_raw -r 512 ${OLD} 12 00 00 24 00 00`,
  fixed: `sg_raw -r 36 ${OLD} 12 00 00 00 24 00`,
  writeBuffer: `printf 'USBCDB-WB-TEST!!' > /tmp/wb && sg_write_buffer --mode=data --in=/tmp/wb ${FW} && sg_raw -r 16 ${FW} 3c 02 00 00 00 00 00 00 10 00`,
  dd: `/usr/bin/dd if=/dev/urandom of=/tmp/a bs=64k count=16 2>/dev/null && /usr/bin/dd if=/tmp/a of=${FW_SD} bs=64k seek=16 oflag=direct conv=fsync 2>/dev/null && /usr/bin/dd if=${FW_SD} of=/tmp/b bs=64k skip=16 count=16 iflag=direct 2>/dev/null && md5sum /tmp/a /tmp/b`,
  // A USB reset of the drive (USBDEVFS_RESET): the kernel re-probes and carries on.
  reset: `usbreset ${hex4(fw.usb.vendorId)}:${hex4(fw.usb.productId)} && sleep 1; sg_turs ${FW}; sg_turs ${FW} && sg_inq ${FW} | grep Vendor`,
  // 1 MiB a command: the drive is SuperSpeed, so usb-storage allows 2048 sectors (a high-speed one gets 240).
  sgdd: `sg_dd if=${FW} of=/dev/null bs=512 bpt=2048 count=65536 time=1`,
  speed: `cat /sys/block/$(basename ${FW_SD})/queue/max_sectors_kb; lsusb -t | grep -c 5000M`,
  // Log pages as sg3_utils and smartctl read them, after a background short self-test.
  logs: `sg_senddiag --selftest=1 ${FW} && sg_logs -a ${FW}`,
  smart: `smartctl -d scsi -a ${FW}`,
};

const result = (key: keyof typeof COMMANDS): CommandResult => resultOf(run, COMMANDS[key]);

beforeAll(async () => {
  const guest = ensureGuest((l) => logs.push(l));
  const fwStore = ImageStore.open(image, fw.blockSize, fw.blocks);
  if (!fwStore.ok) throw new Error(fwStore.error.message);
  const log = (l: string): void => void logs.push(l);
  capture = new UsbCapture(captureFile);
  exports = [
    await serveUsbredir({ drive: new ExportedDrive(fw, fwStore.value), log, capture }),
    await serveUsbredir({
      drive: new ExportedDrive(spc2, new MemoryStore(spc2.blockSize, spc2.blocks)),
      log,
    }),
  ];
  qemuDisk = blankImage();
  run = await runGuest(
    guest,
    Object.values(COMMANDS),
    [...xhciWithRedirs(exports.map((e) => e.port)), ...qemuUsbStorage(qemuDisk, 'xhci.0')],
    { timeoutMs: 240_000 },
  );
  reboot = await runGuest(
    guest,
    Object.values(REBOOT),
    xhciWithRedirs(exports.map((e) => e.port)),
    { timeoutMs: 120_000 },
  );
}, 600_000);

afterAll(async () => {
  for (const e of exports) await e.close();
  capture?.close();
  for (const dir of [work, ...(qemuDisk !== undefined ? [dirname(qemuDisk)] : [])])
    rmSync(dir, { recursive: true, force: true });
});

describe('real clients in a Linux guest against the emulated drive over usbredir', () => {
  it('the guest enumerated all three disks and ran every command', () => {
    expect(run.done, run.console.slice(-4000)).toBe(true);
    expect(result('wait').output.trim().split('\n')).toEqual([
      expect.stringMatching(/^\/dev\/sg\d$/),
      expect.stringMatching(/^\/dev\/sg\d$/),
      expect.stringMatching(/^\/dev\/sg\d$/),
    ]);
  });

  it('sg_inq and sg_vpd read the profile’s identity', () => {
    const inq = result('inq');
    expect(inq.rc).toBe(0);
    expect(inq.output).toMatch(new RegExp(`Vendor identification: ${fw.inquiry.vendor.trim()}`));
    expect(inq.output).toMatch(new RegExp(`Product identification: ${fw.inquiry.product.trim()}`));
    expect(inq.output).toMatch(new RegExp(`Product revision level: ${fw.inquiry.revision.trim()}`));
    expect(result('serial').output).toMatch(new RegExp(`Unit serial number: ${fw.usb.serial}`));
    expect(result('ids').rc).toBe(0);
    expect(result('ids').output).toMatch(/Device Identification VPD page/);
  });

  it('sg_logs and smartctl read the log pages, and the self-test sg_senddiag ran', () => {
    const temperature = fw.logPages?.temperature ?? expect.fail('fw-updatable has no log pages');
    const reference = fw.logPages?.referenceTemperature;
    const logs = result('logs');
    expect(logs.rc).toBe(0);
    expect(logs.output).toMatch(/0x0d +Temperature \[temp\]/);
    expect(logs.output).toMatch(new RegExp(`Current temperature = ${temperature} C`));
    expect(logs.output).toMatch(new RegExp(`Reference temperature = ${reference} C`));
    expect(logs.output).toMatch(
      /Parameter code = 1, accumulated power-on hours = 0\s+self-test code: background short \[1\]\s+self-test result: completed without error \[0\]/,
    );
    expect(logs.output).toMatch(/IE asc = 0x0, ascq = 0x0/);
    const smart = result('smart').output;
    expect(smart).toMatch(/SMART Health Status: OK/);
    // Mode page 1Ch: informational exceptions reported on request (DEXCPT 0), so smartctl calls
    // SMART enabled.
    expect(smart).toMatch(/SMART support is: +Enabled/);
    expect(smart).toMatch(new RegExp(`Current Drive Temperature: +${temperature} C`));
    expect(smart).toMatch(new RegExp(`Drive Trip Temperature: +${reference} C`));
    expect(smart).toMatch(/# 1 +Background short +Completed/);
  });

  it('sg_readcap -l reports the profile’s size', () => {
    const cap = result('cap').output;
    expect(cap).toMatch(new RegExp(`Last LBA=${fw.blocks - 1} `));
    expect(cap).toMatch(new RegExp(`Logical block length=${fw.blockSize} bytes`));
  });

  it('sg_turs -n 2000 completes without an error', () => {
    expect(result('turs').output).toMatch(/Completed 2000 Test Unit Ready commands with 0 errors/);
  });

  it('sg_raw sends a vendor command of the profile’s set', () => {
    const v = result('vendor');
    expect(v.rc).toBe(0);
    // GET FIRMWARE VERSION answers 4 bytes of ASCII into the 16-byte buffer.
    expect(v.output).toMatch(/Received 4 bytes of data:\s+00\s+31 2e 30 30\s+1\.00/);
  });

  it("the report's INQUIRY on the SPC-2 bridge: refused with 05/24/00, the fixed one answered", () => {
    const bad = result('report');
    expect(bad.rc).not.toBe(0);
    expect(bad.output).toMatch(/Illegal Request/i);
    expect(bad.output).toMatch(/Invalid field in cdb/i);
    const good = result('fixed');
    expect(good.rc).toBe(0);
    expect(good.output).toMatch(new RegExp(spc2.inquiry.vendor.trim()));
  });

  it('sg_write_buffer writes the data buffer and READ BUFFER reads it back', () => {
    const wb = result('writeBuffer');
    expect(wb.rc).toBe(0);
    expect(wb.output).toMatch(/USBCDB-WB-TEST!!/);
  });

  it('dd writes through the block device and reads the same bytes back, as the host image holds them', () => {
    const dd = result('dd');
    expect(dd.rc).toBe(0);
    const sums = md5Sums(dd.output);
    expect(sums).toHaveLength(2);
    expect(sums[0]).toBe(sums[1]);
    // LBA 2048 onward in the image file on the host: 1 MiB written by the guest.
    expect(md5OfFile(image, 16 * 65536, 1024 * 1024)).toBe(sums[0]);
  });

  it('the kernel sees the drive as SuperSpeed: 5000M on the bus, 1 MiB per command', () => {
    const lines = result('speed').output.trim().split('\n');
    expect(lines[0]).toBe('1024');
    expect(Number(lines[1])).toBeGreaterThanOrEqual(1);
  });

  it('sg_dd reads 32 MiB through /dev/sg, 1 MiB a command', () => {
    const r = result('sgdd');
    expect(r.rc).toBe(0);
    expect(r.output).toMatch(/65536\+0 records in/);
  });

  it('survives a USB reset of the drive', () => {
    const r = result('reset');
    expect(r.rc).toBe(0);
    expect(r.output).toMatch(new RegExp(`Vendor identification: ${fw.inquiry.vendor.trim()}`));
    // The reset reached the exporter as a usbredir reset.
    expect(logs.some((l) => /the guest reset the device/.test(l))).toBe(true);
  });

  it('survives the guest rebooting: the next boot finds the drive and the data written before', () => {
    expect(reboot.done, reboot.console.slice(-3000)).toBe(true);
    const before = /^([0-9a-f]{32}) /m.exec(result('dd').output)?.[1];
    const after = reboot.results.find((x) => x.command === REBOOT.readBack);
    expect(after?.output.slice(0, 32)).toBe(before);
  });

  it("captures the guest's traffic for tshark: enumeration, the kernel's INQUIRY, the vendor command", () => {
    capture?.close();
    const r = spawnSync(
      'tshark',
      [
        '-r',
        captureFile,
        '-Y',
        'usbms.dCBWSignature',
        '-T',
        'fields',
        '-e',
        'scsi.spc.opcode',
        '-e',
        'scsi_sbc.opcode',
      ],
      { encoding: 'utf8' },
    );
    expect(r.status, `${r.stderr}\n${r.stdout.slice(-2000)}`).toBe(0);
    const opcodes = new Set(r.stdout.split(/\s+/).filter(Boolean));
    for (const op of ['0x12', '0x25', '0x00', '0xc4', '0x3b', '0x2a', '0x28'])
      expect(opcodes).toContain(op);
  });

  it('logged nothing alarming: no closed connection, no refused peer', () => {
    expect(logs.filter((l) => /closing|refused/.test(l))).toEqual([]);
  });
});
