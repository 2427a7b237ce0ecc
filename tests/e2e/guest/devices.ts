/** QEMU arguments and guest commands shared by the guest scenarios and the benchmark. */

/** A usb-redir device whose chardev connects to usbcdb's exporter on loopback (QEMU is the client). */
export function usbredirDevice(id: string, port: number, bus: string): string[] {
  return [
    '-chardev',
    `socket,id=${id},host=127.0.0.1,port=${port},reconnect=1`,
    '-device',
    `usb-redir,chardev=${id},id=${id}dev,bus=${bus}`,
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

/** A guest command that waits (up to 10 s) until every named disk has its block node, then prints their sg nodes. */
export function waitForDisks(vendors: readonly string[]): string {
  const ready = vendors.map((v) => `[ -n "$(usbdisk ${v} sd)" ]`).join(' && ');
  return `i=0; while [ $i -lt 100 ]; do ${ready} && break; sleep 0.1; i=$((i+1)); done; ${vendors.map((v) => `usbdisk ${v} sg`).join('; ')}`;
}
