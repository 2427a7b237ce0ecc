/**
 * Scenario 2: usbcdb's engine against a USB disk it did not write. In the
 * QEMU guest, QEMU's own usb-storage is plugged into xHCI and Linux's
 * usb-storage driver binds it; the host's Node and this checkout reach the
 * guest read-only over virtio 9p, and the usbcdb CLI talks to the disk with
 * `--device usb:46f4:0001` through libusb (detaching the kernel driver, and
 * giving it back when done, or the kernel taking it back when usbcdb is
 * killed). Data written is checked on the host's image.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureGuest, resultOf, runGuest, type CommandResult, type GuestRun } from './guest/guest';
import { blankImage, md5OfFile, qemuUsbStorage, waitForDisks } from './guest/devices';

const ROOT = process.cwd();
const work = mkdtempSync(join(tmpdir(), 'usbcdb-libusb-e2e-'));
const disk = blankImage();
const input = join(work, 'in.bin');
const payload = randomBytes(1024 * 1024);
afterAll(() => {
  for (const dir of [work, dirname(disk)]) rmSync(dir, { recursive: true, force: true });
});
/** The host's root, seen in the guest. */
const H = '/host';
const DEV = '--device usb:46f4:0001';
const usbcdb = (args: string): string => `chroot ${H} /usr/bin/node ${ROOT}/bin/usbcdb.js ${args}`;
const COMMANDS = {
  mount: `mkdir -p ${H} && mount -t 9p -o trans=virtio,version=9p2000.L,ro hostroot ${H} && mount -t proc proc ${H}/proc && mount -t sysfs sys ${H}/sys && mount -t devtmpfs dev ${H}/dev && mount -t tmpfs out ${H}/var/tmp`,
  before: waitForDisks(['QEMU']),
  devices: usbcdb('devices'),
  inquiry: usbcdb(`inquiry ${DEV}`),
  readcap: usbcdb(`readcap ${DEV}`),
  tur: usbcdb(`tur --count 200 ${DEV}`),
  write: usbcdb(`write --lba 2048 --file ${input} --force ${DEV}`),
  read: usbcdb(`read --lba 2048 --count 2048 --file /var/tmp/out.bin ${DEV}`),
  sum: `md5sum ${H}/var/tmp/out.bin`,
  // A long TEST UNIT READY loop killed by SIGTERM once usbcdb holds the disk (usb-storage has let
  // go of its interface), as a service manager or `kill` stops it: no 'exit' handler runs, so
  // usbcdb does not attach the driver again itself; then whether the disk is back all the same.
  interrupted: `${usbcdb(`tur --count 100000000 ${DEV}`)} & p=$!; i=0; while ls /sys/bus/usb/drivers/usb-storage | grep -q :; do sleep 0.1; i=$((i+1)); [ $i -gt 900 ] && break; done; sleep 1; kill -TERM $p; wait $p; echo "exit=$?"`,
  afterInterrupt: waitForDisks(['QEMU']),
  after: waitForDisks(['QEMU']),
};
let run: GuestRun;

const result = (key: keyof typeof COMMANDS): CommandResult => resultOf(run, COMMANDS[key]);

beforeAll(async () => {
  const guest = ensureGuest();
  writeFileSync(input, payload);
  run = await runGuest(
    guest,
    Object.values(COMMANDS),
    [
      '-device',
      'qemu-xhci,id=xhci',
      ...qemuUsbStorage(disk, 'xhci.0'),
      '-virtfs',
      'local,path=/,mount_tag=hostroot,security_model=none,readonly=on',
    ],
    { timeoutMs: 420_000, memoryMb: 1024 },
  );
}, 600_000);

describe("usbcdb's libusb engine in a Linux guest against QEMU's usb-storage", () => {
  it('the kernel had the disk first, and usbcdb lists it', () => {
    expect(run.done, run.console.slice(-4000)).toBe(true);
    expect(result('mount').rc).toBe(0);
    expect(result('before').output).toMatch(/^\/dev\/sg\d/);
    expect(result('devices').output).toMatch(/usb:46f4:0001 +46f4:0001 +QEMU QEMU USB HARDDRIVE/);
    expect(result('devices').output).toMatch(/serial QEMU0001/);
  });

  it('INQUIRY, READ CAPACITY and a TEST UNIT READY loop over libusb', () => {
    const inq = result('inquiry');
    expect(inq.rc).toBe(0);
    expect(inq.output).toMatch(/Vendor +QEMU/);
    expect(inq.output).toMatch(/Product +QEMU HARDDISK/);
    const cap = result('readcap');
    expect(cap.rc).toBe(0);
    expect(cap.output).toMatch(/Last LBA +262143 /);
    expect(cap.output).toMatch(/Block length +512/);
    const tur = result('tur');
    expect(tur.rc).toBe(0);
    expect(tur.output).toMatch(/200 × TEST UNIT READY: GOOD/);
  });

  it('writes 1 MiB and reads it back: the same bytes in the guest and in the host image', () => {
    expect(result('write').rc).toBe(0);
    expect(result('read').rc).toBe(0);
    const want = createHash('md5').update(payload).digest('hex');
    expect(result('sum').output.slice(0, 32)).toBe(want);
    expect(md5OfFile(disk, 2048 * 512, payload.length)).toBe(want);
  });

  it('gave the disk back to the kernel: usb-storage is bound again and the sg node is back', () => {
    expect(result('after').output).toMatch(/^\/dev\/sg\d/);
  });

  it('killed by SIGTERM mid-loop, it leaves the disk to usb-storage again: the kernel rebinds the driver once the handle is gone', () => {
    expect(result('interrupted').output).toMatch(/exit=143/);
    expect(result('afterInterrupt').output).toMatch(/^\/dev\/sg\d/);
  });
});
