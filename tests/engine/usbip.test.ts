/**
 * The USB/IP exporter against a client played by the test: the device
 * list, import, URBs on EP0 and the bulk pipes, an unlink, and malformed or
 * hostile input — each closes only its own connection, with a logged reason.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { encodeCbw } from '../../shared/bot/cbw';
import { asByteCount, asLun } from '../../shared/scsi/brand';
import { putBe16, putBe32 } from '../../shared/scsi/bytes';
import { formatHex } from '../../shared/scsi/hex';
import { findProfile } from '../../src-main/emulator/profiles';
import { MemoryStore } from '../../src-main/emulator/store';
import { ExportedDrive } from '../../src-main/export/exported-drive';
import { serveUsbip, type UsbipExport } from '../../src-main/export/usbip';
import { Client, imported } from './exporter-peers';

const profile = findProfile('card-reader');
if (!profile) throw new Error('no card-reader profile');
let server: UsbipExport | undefined;
const logs: string[] = [];

afterEach(async () => {
  await server?.close();
  server = undefined;
  logs.length = 0;
});

async function start(): Promise<UsbipExport> {
  if (!profile) throw new Error('no profile');
  server = await serveUsbip({
    drive: new ExportedDrive(profile, new MemoryStore(profile.blockSize, profile.blocks)),
    log: (l) => logs.push(l),
  });
  return server;
}

describe('the USB/IP exporter', () => {
  it('lists one device with its interface, as usbip list -r reads it', async () => {
    const s = await start();
    const c = await Client.open(s.port);
    c.op(0x8005);
    const head = await c.read(12);
    expect([
      head.readUInt16BE(0),
      head.readUInt16BE(2),
      head.readUInt32BE(4),
      head.readUInt32BE(8),
    ]).toEqual([0x0111, 5, 0, 1]);
    const dev = await c.read(312 + 4);
    expect(dev.toString('latin1', 256, 259)).toBe('1-1');
    expect(dev.readUInt32BE(296)).toBe(3); // high speed
    expect(dev.readUInt16BE(300)).toBe(profile?.usb.vendorId);
    expect(dev.readUInt16BE(302)).toBe(profile?.usb.productId);
    expect(formatHex(dev.subarray(312))).toBe('08 06 50 00');
    await c.closedByPeer();
  });

  it('imports 1-1, answers EP0 and bulk URBs, and unlinks a waiting Bulk-IN', async () => {
    const s = await start();
    const c = await imported(s.port);
    c.submit(1, true, 0, 18, [0x80, 6, 0, 1, 0, 0, 18, 0]);
    const d = await c.ret();
    expect([d.command, d.seq, d.status, d.actual]).toEqual([3, 1, 0, 18]);
    expect(formatHex((await c.read(18)).subarray(0, 2))).toBe('12 01');
    c.submit(2, true, 0, 1, [0xa1, 0xfe, 0, 0, 0, 0, 1, 0]);
    expect((await c.ret()).actual).toBe(1);
    expect(formatHex(await c.read(1))).toBe('01'); // two LUNs: max LUN 1
    // A Bulk-IN with nothing to send waits; UNLINK answers -ECONNRESET and no RET_SUBMIT follows.
    c.submit(3, true, 1, 512);
    const unlink = new Uint8Array(48);
    putBe32(unlink, 0, 2);
    putBe32(unlink, 4, 4);
    putBe32(unlink, 20, 3);
    c.socket.write(unlink);
    const u = await c.ret();
    expect([u.command, u.seq, u.status]).toEqual([4, 4, -104]);
    // An INQUIRY over the bulk pipes.
    const cbw = encodeCbw({
      tag: 5,
      dataTransferLength: asByteCount(36),
      direction: 'in',
      lun: asLun(1),
      cdb: Uint8Array.from([0x12, 0, 0, 0, 36, 0]),
    });
    if (!cbw.ok) throw new Error(cbw.error.message);
    c.submit(5, false, 2, 31, undefined, cbw.value);
    expect(await c.ret()).toMatchObject({ seq: 5, status: 0, actual: 31 });
    c.submit(6, true, 1, 512);
    const data = await c.ret();
    expect([data.seq, data.actual]).toEqual([6, 36]);
    expect((await c.read(36)).toString('latin1', 8, 14)).toBe(profile?.inquiry.vendor.slice(0, 6));
    c.submit(7, true, 1, 13);
    expect((await c.ret()).actual).toBe(13);
    expect((await c.read(13)).toString('latin1', 0, 4)).toBe('USBS');
    // An endpoint the device does not have stalls (-EPIPE).
    c.submit(8, true, 5, 64);
    expect((await c.ret()).status).toBe(-32);
    c.socket.destroy();
  });

  it('refuses what it cannot serve and closes hostile connections with a logged reason', async () => {
    const s = await start();
    const wrongBus = await Client.open(s.port);
    wrongBus.op(0x8003, '9-9');
    const rep = await wrongBus.read(8);
    expect(rep.readUInt32BE(4)).toBe(1);
    expect(logs.at(-1)).toMatch(/refused an import of bus id "9-9"/);

    const attacks: [string, (c: Client) => void, RegExp][] = [
      ['an HTTP request', (c) => c.socket.write('GET / HTTP/1.1\r\n\r\n'), /protocol version/],
      ['an unknown operation', (c) => c.op(0x8999), /unknown usbip operation 8999h/],
    ];
    for (const [what, attack, why] of attacks) {
      const c = await Client.open(s.port);
      attack(c);
      await c.closedByPeer();
      expect(logs.at(-1), what).toMatch(why);
    }
    const greedy = await imported(s.port);
    greedy.submit(1, true, 1, 0x7fffffff);
    await greedy.closedByPeer();
    expect(logs.at(-1)).toMatch(/asks for \d+ bytes/);
    const odd = await imported(s.port);
    const h = new Uint8Array(48);
    putBe16(h, 2, 9);
    odd.socket.write(h);
    await odd.closedByPeer();
    expect(logs.at(-1)).toMatch(/unknown usbip command 9/);
    // Still serving.
    const fine = await imported(s.port);
    fine.socket.destroy();
  });

  it('lets one host import the drive at a time', async () => {
    const s = await start();
    const a = await imported(s.port);
    const b = await Client.open(s.port);
    b.op(0x8003, '1-1');
    expect((await b.read(8)).readUInt32BE(4)).toBe(1);
    expect(logs.at(-1)).toMatch(/attached to another host/);
    a.socket.destroy();
  });
});
