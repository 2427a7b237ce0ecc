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
import { cbw, Client, imported } from './exporter-peers';

const profile = findProfile('card-reader');
if (!profile) throw new Error('no card-reader profile');
let server: UsbipExport | undefined;
const logs: string[] = [];

afterEach(async () => {
  await server?.close();
  server = undefined;
  logs.length = 0;
});

async function start(p = profile): Promise<UsbipExport> {
  if (!p) throw new Error('no profile');
  server = await serveUsbip({
    drive: new ExportedDrive(p, new MemoryStore(p.blockSize, p.blocks)),
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
    putBe32(unlink, 8, (1 << 16) | 2);
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

  it("answers an EP0 IN with no more than its URB's buffer holds, even when wLength asks more", async () => {
    const s = await start();
    const c = await imported(s.port);
    // GET_DESCRIPTOR(DEVICE), wLength 18, into an 8-byte buffer.
    c.submit(1, true, 0, 8, [0x80, 6, 0, 1, 0, 0, 18, 0]);
    const d = await c.ret();
    expect([d.seq, d.status, d.actual]).toEqual([1, 0, 8]);
    expect(formatHex(await c.read(8))).toMatch(/^12 01 /);
    // Nothing more in the stream: the next answer is the next URB's.
    c.submit(2, true, 0, 1, [0xa1, 0xfe, 0, 0, 0, 0, 1, 0]);
    const m = await c.ret();
    expect([m.command, m.seq, m.actual]).toEqual([3, 2, 1]);
    c.socket.destroy();
  });

  it('answers a Bulk-IN too short for the CSW with EOVERFLOW and no more bytes than it asked for', async () => {
    const s = await start();
    const c = await imported(s.port);
    // TEST UNIT READY, then a 4-byte Bulk-IN where the 13-byte CSW is due.
    c.submit(1, false, 2, 31, undefined, cbw(1, [0, 0, 0, 0, 0, 0], 0));
    expect((await c.ret()).status).toBe(0);
    c.submit(2, true, 1, 4);
    const r = await c.ret();
    expect([r.seq, r.status, r.actual]).toEqual([2, -75, 4]);
    expect(formatHex(await c.read(4))).toBe('55 53 42 53');
    // The stream goes on with the next answer.
    c.submit(3, true, 0, 1, [0xa1, 0xfe, 0, 0, 0, 0, 1, 0]);
    expect([(await c.ret()).seq]).toEqual([3]);
    c.socket.destroy();
  });

  it('refuses what it cannot serve and closes hostile connections with a logged reason', async () => {
    const s = await start();
    const wrongBus = await Client.open(s.port);
    wrongBus.op(0x8003, '9-9');
    const rep = await wrongBus.read(8);
    expect(rep.readUInt32BE(4)).toBe(4); // ST_NODEV: usbip attach says 'Device not found'
    expect(logs.at(-1)).toMatch(/refused an import of bus id "9-9"/);
    // The bus id is the peer's: an escape sequence in it reaches the log as '.'.
    const escaping = await Client.open(s.port);
    escaping.op(0x8003, '\x1b[2J\x9b1m');
    expect((await escaping.read(8)).readUInt32BE(4)).toBe(4);
    expect(logs.at(-1)).toBe('usbip: refused an import of bus id ".[2J.1m" (this exports 1-1)');

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

  it('keeps WRITE data whole when it comes as page-sized URBs in bursts, over and over', async () => {
    // vhci-hcd sends a WRITE's data a page per URB; sent back to back, many arrive in one socket
    // read and a URB straddles two. The reads are kept in slabs reused once answered
    // (read-slabs.ts): every byte must still land where it was written.
    // A flash stick: one LUN with its medium in.
    const s = await start(findProfile('flash-stick'));
    const c = await imported(s.port);
    let seq = 0;
    const command = async (
      cdb: number[],
      direction: 'in' | 'out' | 'none',
      length: number,
      dataOut?: Uint8Array,
    ): Promise<{ data: Buffer; csw: Buffer }> => {
      const cbw = encodeCbw({
        tag: ++seq,
        dataTransferLength: asByteCount(length),
        direction: direction === 'in' ? 'in' : 'out',
        lun: asLun(0),
        cdb: Uint8Array.from(cdb),
      });
      if (!cbw.ok) throw new Error(cbw.error.message);
      c.submit(seq, false, 2, 31, undefined, cbw.value);
      expect((await c.ret()).status).toBe(0);
      let data: Buffer = Buffer.alloc(0);
      if (dataOut) {
        const first = seq + 1;
        for (let at = 0; at < dataOut.length; at += 4096)
          c.submit(++seq, false, 2, 4096, undefined, dataOut.subarray(at, at + 4096));
        for (let at = 0; at < dataOut.length; at += 4096)
          expect(await c.ret()).toMatchObject({ seq: first + at / 4096, status: 0, actual: 4096 });
      } else if (direction === 'in') {
        c.submit(++seq, true, 1, length);
        const r = await c.ret();
        data = await c.read(r.actual);
      }
      c.submit(++seq, true, 1, 13);
      expect((await c.ret()).actual).toBe(13);
      return { data, csw: await c.read(13) };
    };
    // The power-on unit attention is reported once; REQUEST SENSE clears it.
    if ((await command([0, 0, 0, 0, 0, 0], 'none', 0)).csw[12] !== 0)
      await command([0x03, 0, 0, 0, 18, 0], 'in', 18);
    const blocks = 512; // 256 KiB a WRITE: more than a slab, so slabs change hands mid-command
    const pattern = (n: number): Uint8Array =>
      Uint8Array.from({ length: blocks * 512 }, (_, i) => (i * 7 + n * 13 + (i >> 9)) & 0xff);
    const rw = (op: number, lba: number): number[] => [
      op,
      0,
      0,
      0,
      lba >> 8,
      lba & 0xff,
      0,
      blocks >> 8,
      blocks & 0xff,
      0,
    ];
    for (let n = 0; n < 6; n++) {
      const w = await command(rw(0x2a, n * blocks), 'out', blocks * 512, pattern(n));
      expect(w.csw[12]).toBe(0);
    }
    for (let n = 0; n < 6; n++) {
      const r = await command(rw(0x28, n * blocks), 'in', blocks * 512);
      expect(r.csw[12]).toBe(0);
      expect(Buffer.compare(r.data, Buffer.from(pattern(n)))).toBe(0);
    }
    c.socket.destroy();
  });

  it('lets one host import the drive at a time', async () => {
    const s = await start();
    const a = await imported(s.port);
    const b = await Client.open(s.port);
    b.op(0x8003, '1-1');
    expect((await b.read(8)).readUInt32BE(4)).toBe(2); // ST_DEV_BUSY: 'Device busy (exported)'
    expect(logs.at(-1)).toMatch(/attached to another host/);
    a.socket.destroy();
  });
});
