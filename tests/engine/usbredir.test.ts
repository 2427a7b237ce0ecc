/**
 * The usbredir exporter against a usb-guest played by the test with the
 * same codec: the handshake in the order the protocol requires, descriptors
 * and a BOT INQUIRY over control and bulk packets, a parked Bulk-IN and its
 * cancel, a USB reset, and hostile peers — each closes only its own
 * connection, with a logged reason, and the exporter keeps serving.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { formatHex } from '../../shared/scsi/hex';
import { findProfile } from '../../src-main/emulator/profiles';
import { MemoryStore } from '../../src-main/emulator/store';
import { ExportedDrive } from '../../src-main/export/exported-drive';
import type { ReadMode } from '../../src-main/export/socket-reads';
import type { WriteMode } from '../../src-main/export/socket-writes';
import { serveUsbredir, type UsbredirExport } from '../../src-main/export/usbredir';
import {
  bulkHeader,
  encodeMessage,
  helloHeader,
  MSG,
  parseBulk,
  parseHello,
  STATUS,
  type Message,
} from '../../src-main/export/usbredir-codec';
import { cbw, Guest } from './exporter-peers';

const profile = findProfile('flash-stick');
if (!profile) throw new Error('no flash-stick profile');
let server: UsbredirExport | undefined;
const logs: string[] = [];

async function start(
  reads: ReadMode = 'own-buffers',
  writes: WriteMode = 'direct',
): Promise<UsbredirExport> {
  if (!profile) throw new Error('no profile');
  server = await serveUsbredir({
    drive: new ExportedDrive(profile, new MemoryStore(profile.blockSize, profile.blocks)),
    log: (l) => logs.push(l),
    reads,
    writes,
  });
  expect(server.reads).toBe(reads);
  return server;
}

afterEach(async () => {
  await server?.close();
  server = undefined;
  logs.length = 0;
});

const inquiryCbw = (tag: number): Uint8Array => cbw(tag, [0x12, 0, 0, 0, 36, 0], 36);

describe('the usbredir exporter', () => {
  it('announces itself in the required order and serves descriptors and a BOT INQUIRY', async () => {
    const s = await start();
    const g = await Guest.open(s.port);
    const [hello, ep, intf, connectMsg] = await g.handshake();
    expect(parseHello(hello as Message).version).toMatch(/^usbcdb/);
    expect([ep?.type, intf?.type, connectMsg?.type]).toEqual([
      MSG.epInfo,
      MSG.interfaceInfo,
      MSG.deviceConnect,
    ]);
    // ep_info: EP 0x02 is index 2, EP 0x81 index 17, both bulk (2) with 512-byte packets.
    expect([ep?.header[2], ep?.header[17], ep?.header[96 + 34], ep?.header[96 + 35]]).toEqual([
      2, 2, 0, 2,
    ]);
    // interface_info: one interface, 08/06/50.
    expect([intf?.header[0], intf?.header[36], intf?.header[68], intf?.header[100]]).toEqual([
      1, 8, 6, 0x50,
    ]);
    // device_connect: high speed, VID:PID of the profile.
    const c = connectMsg?.header ?? new Uint8Array();
    expect(c[0]).toBe(2);
    expect((c[4] ?? 0) | ((c[5] ?? 0) << 8)).toBe(profile?.usb.vendorId);

    const dev = await g.control(0x80, 6, 0x0100, 0, 18);
    expect(dev.status).toBe(STATUS.success);
    expect(formatHex(dev.data.subarray(0, 2))).toBe('12 01');
    // set_configuration: ep_info and interface_info come before the status.
    g.send(MSG.setConfiguration, Uint8Array.from([1]));
    expect((await g.next()).type).toBe(MSG.epInfo);
    expect((await g.next()).type).toBe(MSG.interfaceInfo);
    const cfg = await g.next();
    expect([cfg.type, cfg.header[0], cfg.header[1]]).toEqual([
      MSG.configurationStatus,
      STATUS.success,
      1,
    ]);
    const maxLun = await g.control(0xa1, 0xfe, 0, 0, 1);
    expect(formatHex(maxLun.data)).toBe('00');

    expect(await g.bulkOut(inquiryCbw(7))).toBe(STATUS.success);
    const data = await g.bulkIn(512);
    expect(data.data.length).toBe(36);
    expect(String.fromCharCode(...data.data.subarray(8, 14))).toBe(
      profile?.inquiry.vendor.slice(0, 6),
    );
    const csw = await g.bulkIn(13);
    expect(formatHex(csw.data.subarray(0, 8))).toBe('55 53 42 53 07 00 00 00');
    g.socket.destroy();
  });

  it('refuses a control packet for a bulk endpoint (inval, no data) and goes on serving EP0', async () => {
    const s = await start();
    const g = await Guest.open(s.port);
    await g.handshake();
    // GET_DESCRIPTOR(DEVICE) addressed to Bulk-In 81h: not a control endpoint, so not run.
    const refused = await g.control(0x80, 6, 0x0100, 0, 18, 0x81);
    expect(refused.header).toMatchObject({
      endpoint: 0x81,
      status: STATUS.inval,
      length: 0,
    });
    expect(refused.data).toHaveLength(0);
    const dev = await g.control(0x80, 6, 0x0100, 0, 18);
    expect([dev.status, dev.data.length]).toEqual([STATUS.success, 18]);
    g.socket.destroy();
  });

  it('parks a Bulk-IN with nothing to send, answers it when data comes, and cancels one on request', async () => {
    const s = await start();
    const g = await Guest.open(s.port);
    await g.handshake();
    // An IN before any CBW: nothing comes back yet.
    const early = g.send(
      MSG.bulkPacket,
      bulkHeader({ endpoint: 0x81, status: 0, length: 512, streamId: 0 }, g.negotiated),
    );
    const out = g.send(
      MSG.bulkPacket,
      bulkHeader({ endpoint: 0x02, status: 0, length: 31, streamId: 0 }, g.negotiated),
      inquiryCbw(9),
    );
    const first = await g.next();
    expect(first.id).toBe(out);
    const parked = await g.next();
    expect(parked.id).toBe(early);
    expect(parked.data.length).toBe(36);
    await g.bulkIn(13); // the CSW
    const waiting = g.send(
      MSG.bulkPacket,
      bulkHeader({ endpoint: 0x81, status: 0, length: 512, streamId: 0 }, g.negotiated),
    );
    g.socket.write(
      encodeMessage(MSG.cancelDataPacket, waiting, new Uint8Array(), new Uint8Array(), g.wide),
    );
    const cancelled = await g.next();
    expect([cancelled.id, parseBulk(cancelled.header, g.negotiated).status]).toEqual([
      waiting,
      STATUS.cancelled,
    ]);
    g.socket.destroy();
  });

  it('starts the device over on a USB reset: halts cleared, a new power-on unit attention', async () => {
    const s = await start();
    const g = await Guest.open(s.port);
    await g.handshake();
    // An invalid CBW stalls both pipes until Reset Recovery (BOT 1.0 §6.6.1)…
    expect(await g.bulkOut(new Uint8Array(10))).toBe(STATUS.stall);
    expect((await g.bulkIn(13)).status).toBe(STATUS.stall);
    // …or a USB reset.
    g.send(MSG.reset, new Uint8Array());
    expect(await g.bulkOut(cbw(1, [0, 0, 0, 0, 0, 0], 0))).toBe(STATUS.success);
    const csw = await g.bulkIn(13);
    expect(csw.data[12]).toBe(1); // TEST UNIT READY fails: the unit attention of the reset
    g.socket.destroy();
  });

  it('clears a halted Bulk-In on set_configuration, and refuses an alternate setting the interface lacks', async () => {
    const s = await start();
    const g = await Guest.open(s.port);
    await g.handshake();
    /** set_configuration or set_alt_setting: ep_info, interface_info, then the status message. */
    const set = async (type: number, header: number[]): Promise<Message> => {
      g.send(type, Uint8Array.from(header));
      expect((await g.next()).type).toBe(MSG.epInfo);
      expect((await g.next()).type).toBe(MSG.interfaceInfo);
      return g.next();
    };
    expect((await set(MSG.setConfiguration, [1])).header[0]).toBe(STATUS.success);
    // A WRITE(10) sent as data-in (case 8): Bulk-In stalls, a phase-error CSW waits behind it.
    await g.bulkOut(cbw(3, [0x2a, 0, 0, 0, 0, 0, 0, 0, 1, 0], 512));
    expect((await g.bulkIn(512)).status).toBe(STATUS.stall);
    // USB 2.0 §9.4.5: SET_CONFIGURATION clears the Halt feature, even of the same configuration.
    expect((await set(MSG.setConfiguration, [1])).header[0]).toBe(STATUS.success);
    const csw = await g.bulkIn(13);
    expect([csw.status, csw.data[12]]).toEqual([STATUS.success, 2]);
    expect((await set(MSG.setAltSetting, [0, 1])).header[0]).toBe(STATUS.inval);
    expect((await set(MSG.setAltSetting, [0, 0])).header[0]).toBe(STATUS.success);
    g.socket.destroy();
  });

  it('answers get_alt_setting from the device: setting 0 of interface 0, inval and FFh for an interface it lacks', async () => {
    const s = await start();
    const g = await Guest.open(s.port);
    await g.handshake();
    const altOf = async (intf: number): Promise<number[]> => {
      g.send(MSG.getAltSetting, Uint8Array.from([intf]));
      const m = await g.next();
      expect(m.type).toBe(MSG.altSettingStatus);
      return Array.from(m.header);
    };
    g.send(MSG.setConfiguration, Uint8Array.from([1]));
    for (let n = 0; n < 3; n++) await g.next(); // ep_info, interface_info, configuration_status
    expect(await altOf(0)).toEqual([STATUS.success, 0, 0]);
    expect(await altOf(3)).toEqual([STATUS.inval, 3, 0xff]);
    g.send(MSG.setAltSetting, Uint8Array.from([3, 0]));
    for (let n = 0; n < 2; n++) await g.next(); // ep_info, interface_info
    expect(Array.from((await g.next()).header)).toEqual([STATUS.inval, 3, 0xff]);
    g.socket.destroy();
  });

  it('cancels a Bulk-IN still waiting when the guest resets the device, so it never gets the data of a later command', async () => {
    const s = await start();
    const g = await Guest.open(s.port);
    await g.handshake();
    const stale = g.sendBulkIn(512);
    g.send(MSG.reset, new Uint8Array());
    const cancelled = await g.nextWithin(2000);
    expect(cancelled && [cancelled.id, parseBulk(cancelled.header, g.negotiated).status]).toEqual([
      stale,
      STATUS.cancelled,
    ]);
    // The first command after the reset: its CSW goes to the Bulk-IN sent for it.
    expect(await g.bulkOut(cbw(2, [0, 0, 0, 0, 0, 0], 0))).toBe(STATUS.success);
    const fresh = g.sendBulkIn(13);
    const csw = await g.next();
    expect([csw.id, csw.data.length]).toEqual([fresh, 13]);
    g.socket.destroy();
  });

  it('closes a hostile peer with a logged reason and goes on serving', async () => {
    const s = await start();
    const hostile: [string, (g: Guest) => void, RegExp][] = [
      [
        'garbage before the hello',
        (g) => g.socket.write(Buffer.from('GET / HTTP/1.1\r\n\r\n')),
        /unknown usbredir message type|before the hello/,
      ],
      [
        'an unknown type',
        (g) => g.socket.write(encodeMessage(999, 1, new Uint8Array(), new Uint8Array(), false)),
        /unknown usbredir message type 999/,
      ],
      [
        'a message shorter than its header',
        (g) => {
          const m = encodeMessage(MSG.hello, 0, new Uint8Array(), new Uint8Array(), false);
          g.socket.write(m);
        },
        /shorter than its 64-byte header/,
      ],
      [
        'a hello claiming 2 GiB',
        (g) => {
          const m = encodeMessage(MSG.hello, 0, helloHeader('x'), new Uint8Array(), false);
          m[4] = 0xff;
          m[5] = 0xff;
          m[6] = 0xff;
          m[7] = 0x7f;
          g.socket.write(m);
        },
        /claims \d+ bytes \(more than the 128 it can hold\)/,
      ],
      [
        'a control packet before the hello',
        (g) =>
          g.socket.write(
            encodeMessage(MSG.controlPacket, 0, new Uint8Array(10), new Uint8Array(), false),
          ),
        /type 100 before the hello/,
      ],
    ];
    for (const [what, attack, why] of hostile) {
      const g = await Guest.open(s.port);
      attack(g);
      await new Promise<void>((r) => (g.closed ? r() : g.socket.once('close', () => r())));
      expect(logs.at(-1), what).toMatch(why);
    }
    // A host-side message the guest may not send, after a proper hello.
    const g = await Guest.open(s.port);
    await g.handshake();
    g.send(MSG.deviceConnect, new Uint8Array(10));
    await new Promise<void>((r) => (g.closed ? r() : g.socket.once('close', () => r())));
    expect(logs.at(-1)).toMatch(/message type 1 is not one a usb-guest sends/);
    // An id at 2^53: refused at its header, not echoed back rounded.
    const big = await Guest.open(s.port);
    await big.handshake();
    expect(big.wide).toBe(true);
    big.socket.write(
      encodeMessage(MSG.getConfiguration, 2 ** 53, new Uint8Array(), new Uint8Array(), true),
    );
    await new Promise<void>((r) => (big.closed ? r() : big.socket.once('close', () => r())));
    expect(logs.at(-1)).toMatch(/id 20000000000000h, 2\^53 or more/);
    // Still serving: a well-behaved guest gets the device.
    const ok = await Guest.open(s.port);
    const [, ep] = await ok.handshake();
    expect(ep?.type).toBe(MSG.epInfo);
    ok.socket.destroy();
  });

  // Both ways of reading: 1 MiB WRITEs land in the reader's buffer (socket-reads.ts), or arrive as
  // Node's buffers; both ways of writing: straight to the descriptor until the kernel's buffer is
  // full and through the stream after that, or always through the stream (socket-writes.ts).
  it.each([
    ['own-buffers', 'direct'],
    ['node-buffers', 'direct'],
    ['own-buffers', 'stream'],
  ] as const)(
    'gives every READ its own blocks while earlier answers still wait in the socket (%s, %s)',
    async (readMode, writeMode) => {
      // Reply buffers are reused only once the socket has written them (export/reply-buffers.ts):
      // with the guest not reading, 8 MiB of answers pile up, and each must still hold its READ's blocks.
      const s = await start(readMode, writeMode);
      const g = await Guest.open(s.port);
      await g.handshake();
      await g.bulkOut(cbw(1, [0, 0, 0, 0, 0, 0], 0));
      await g.bulkIn(13);
      const MiB = 1024 * 1024;
      const patterns = [0x5a, 0xc3].map((seed) =>
        Uint8Array.from({ length: MiB }, (_, i) => (i * 13 + seed) & 0xff),
      );
      for (const [n, data] of patterns.entries()) {
        // WRITE(10) of 2048 blocks at LBA n × 2048.
        await g.bulkOut(cbw(2 + n, [0x2a, 0, 0, 0, n * 8, 0, 0, 8, 0, 0], MiB, 'out'));
        expect(await g.bulkOut(data)).toBe(STATUS.success);
        expect((await g.bulkIn(13)).data[12]).toBe(0);
      }
      g.socket.pause();
      const reads = 8;
      const ids: number[] = [];
      for (let r = 0; r < reads; r++) {
        g.sendBulkOut(cbw(10 + r, [0x28, 0, 0, 0, (r % 2) * 8, 0, 0, 8, 0, 0], MiB));
        ids.push(g.sendBulkIn(MiB));
        g.sendBulkIn(13);
      }
      await new Promise((r) => setTimeout(r, 300));
      g.socket.resume();
      for (let r = 0; r < reads; r++) {
        await g.next(); // the CBW's acknowledgement
        const data = await g.next();
        expect(data.id).toBe(ids[r]);
        expect(data.data.length).toBe(MiB);
        const want = patterns[r % 2] as Uint8Array;
        expect(Buffer.compare(data.data, want), `READ ${r}`).toBe(0);
        expect((await g.next()).data[12]).toBe(0);
      }
      g.socket.destroy();
    },
  );

  it('refuses a second guest while one is attached', async () => {
    const s = await start();
    const a = await Guest.open(s.port);
    await a.handshake();
    const b = await Guest.open(s.port);
    await new Promise<void>((r) => (b.closed ? r() : b.socket.once('close', () => r())));
    expect(logs.at(-1)).toMatch(/attached to another guest/);
    a.socket.destroy();
  });
});
