/** QEMU arguments, guest commands and checks shared by the guest scenarios and the benchmark. */
import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A usb-redir device whose chardev connects to usbcdb's exporter on loopback (QEMU is the client). */
export function usbredirDevice(id: string, port: number, bus: string): string[] {
  return [
    '-chardev',
    `socket,id=${id},host=127.0.0.1,port=${port},reconnect=1`,
    '-device',
    `usb-redir,chardev=${id},id=${id}dev,bus=${bus}`,
  ];
}

/**
 * An xHCI controller (`xhci.0`) with one usb-redir device per exporter port on it (`ur0`, `ur1`, …).
 * QEMU 7.2 plugs a USB 2 hub into a bus's last free port before it attaches another device
 * there, and a SuperSpeed device behind that hub does not enumerate (Linux: "Invalid ep0
 * maxpacket: 9"), so the controller gets one root port more than it has devices (4 at least,
 * QEMU's default).
 */
export function xhciWithRedirs(ports: readonly number[]): string[] {
  const rootPorts = Math.max(4, ports.length + 1);
  return [
    '-device',
    `qemu-xhci,id=xhci,p2=${rootPorts},p3=${rootPorts}`,
    ...ports.flatMap((port, i) => usbredirDevice(`ur${i}`, port, 'xhci.0')),
  ];
}

/** QEMU's own USB disk (usb-storage, BOT) on a raw image file. */
export function qemuUsbStorage(file: string, bus: string): string[] {
  return [
    '-drive',
    `if=none,id=qstick,file=${file},format=raw`,
    '-device',
    `usb-storage,bus=${bus},drive=qstick,serial=QEMU0001`,
  ];
}

/** A disk as the guest's `usbdisk` finds it: its INQUIRY vendor, and a part of its device path. */
export type DiskSelector = string | { readonly vendor: string; readonly path: string };

const usbdisk = (d: DiskSelector, kind: 'sg' | 'sd'): string =>
  typeof d === 'string' ? `usbdisk ${d} ${kind}` : `usbdisk ${d.vendor} ${kind} ${d.path}`;

/** A guest command that waits (up to 10 s) until every named disk has its block node, then prints their sg nodes. */
export function waitForDisks(disks: readonly DiskSelector[]): string {
  const ready = disks.map((d) => `[ -n "$(${usbdisk(d, 'sd')})" ]`).join(' && ');
  return `i=0; while [ $i -lt 100 ]; do ${ready} && break; sleep 0.1; i=$((i+1)); done; ${disks.map((d) => usbdisk(d, 'sg')).join('; ')}`;
}

/** A sparse raw image of `mib` MiB in a new temporary folder, for QEMU's usb-storage. */
export function blankImage(mib = 128): string {
  const file = join(mkdtempSync(join(tmpdir(), 'usbcdb-qemu-disk-')), 'qemu.img');
  writeFileSync(file, '');
  truncateSync(file, mib * 1024 * 1024);
  return file;
}

/** MD5 of `length` bytes at `offset` of a file on the host (what the guest wrote through the drive). */
export function md5OfFile(file: string, offset: number, length: number): string {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(length);
    readSync(fd, buf, 0, length, offset);
    return createHash('md5').update(buf).digest('hex');
  } finally {
    closeSync(fd);
  }
}

/** The MD5 sums `md5sum` printed, in order. */
export function md5Sums(output: string): string[] {
  return [...output.matchAll(/^([0-9a-f]{32}) /gm)].map((m) => m[1] ?? '');
}
