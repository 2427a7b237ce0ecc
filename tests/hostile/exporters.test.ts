/**
 * Hostile peers against the usbredir and USB/IP exporters, on 127.0.0.1
 * only: each attack an attacker reproduced on the unhardened exporters
 * (issue 9), replayed with the memory, event-loop and time it costs measured
 * around it, then a fresh, well-behaved client to show the exporter still
 * serves; and bounded fuzzing of both protocols' messages. Every run records
 * its row in the hostile-input ledger (report.ts).
 */
import type { Socket } from 'node:net';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { putBe32, putLe32 } from '../../shared/scsi/bytes';
import { findProfile } from '../../src-main/emulator/profiles';
import { MemoryStore } from '../../src-main/emulator/store';
import { ExportedDrive } from '../../src-main/export/exported-drive';
import { ExportManager, MAX_EXPORTS } from '../../src-main/export/manager';
import { errorText } from '../../shared/error-text';
import type { ExportLimits, ExportServer } from '../../src-main/export/tcp-listener';
import { MAX_PARKED_IN } from '../../src-main/export/usb-port';
import { serveUsbip } from '../../src-main/export/usbip';
import { serveUsbredir } from '../../src-main/export/usbredir';
import { bulkHeader, encodeMessage, helloHeader, MSG } from '../../src-main/export/usbredir-codec';
import {
  cbw,
  Client,
  closedWithin,
  Guest,
  imported,
  submitHeader,
  USBIP,
} from '../engine/exporter-peers';
import { measure, sleep, type Measured } from './measure';
import { recordHostile } from './report';

const MiB = 1024 * 1024;
/** READ(10) of LBA 0, 32768 blocks: 16 MiB of a 512-byte-block drive. */
const READ_16_MIB = [0x28, 0, 0, 0, 0, 0, 0, 0x80, 0x00, 0];
const TEST_UNIT_READY = [0, 0, 0, 0, 0, 0];
const INQUIRY = [0x12, 0, 0, 0, 36, 0];
/** How many unread READs the attacker queued (1.5 GB of replies on the unhardened exporter). */
const UNREAD_READS = 91;
/**
 * What an attacked connection may hold, in MiB: the 20 MiB output bound, one
 * 16 MiB reply written just under it, one 16 MiB READ's data in the device and
 * one 16 MiB request in the input queue (68), with room for the allocator.
 */
const HELD_BOUND_MIB = 96;
/** An answer (or a close) must come within this. */
const ANSWER_MS = 2000;
/** Tight enough for the suite's time budget; the defaults are 30 s and 10 s. */
const LIMITS = { writeStallMs: 1500, handshakeMs: 500 } as const satisfies Partial<ExportLimits>;
/** A peer left with replies unread is dropped within this. */
const STALL_CLOSE_MS = LIMITS.writeStallMs + 3000;

const profile = findProfile('flash-stick');
if (!profile) throw new Error('no flash-stick profile');
const logs: string[] = [];
const servers: ExportServer[] = [];

afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  logs.length = 0;
});

function drive(): ExportedDrive {
  if (!profile) throw new Error('no profile');
  return new ExportedDrive(profile, new MemoryStore(profile.blockSize, profile.blocks));
}

async function usbipServer(): Promise<ExportServer> {
  const s = await serveUsbip({
    drive: drive(),
    host: '127.0.0.1',
    log: (l) => logs.push(l),
    limits: LIMITS,
  });
  servers.push(s);
  return s;
}

async function usbredirServer(): Promise<ExportServer> {
  const s = await serveUsbredir({
    drive: drive(),
    host: '127.0.0.1',
    log: (l) => logs.push(l),
    limits: LIMITS,
  });
  servers.push(s);
  return s;
}

/**
 * Queues `chunk` `times` times at once (the same buffer, so the attacker holds
 * nothing new): a peer sending faster than the exporter processes.
 */
function flood(socket: Socket, chunk: Uint8Array, times: number): void {
  for (let i = 0; i < times; i++) socket.write(chunk);
}

/** The exporter's side of each connection, to see how much it read. */
function acceptedSockets(s: ExportServer): Socket[] {
  const accepted: Socket[] = [];
  s.server.on('connection', (socket: Socket) => accepted.push(socket));
  return accepted;
}

/** The exporter's side of the latest connection. */
function exporterSide(accepted: readonly Socket[]): Socket {
  const last = accepted.at(-1);
  if (!last) throw new Error('no connection was accepted');
  return last;
}

/** Imports 1-1 and clears the power-on unit attention, so every READ has its data to send. */
async function readyClient(port: number): Promise<Client> {
  const c = await imported(port);
  c.submit(1, false, 2, 31, undefined, cbw(1, TEST_UNIT_READY, 0));
  await c.ret();
  c.submit(2, true, 1, 13);
  await c.ret();
  await c.read(13);
  return c;
}

/** The usbredir handshake, then the unit attention cleared as above. */
async function readyGuest(port: number): Promise<Guest> {
  const g = await Guest.open(port);
  await g.handshake();
  await g.bulkOut(cbw(1, TEST_UNIT_READY, 0));
  await g.bulkIn(13);
  return g;
}

/** Well-behaved: imports 1-1 and reads the INQUIRY vendor over the bulk pipes. */
async function usbipInquiryVendor(port: number): Promise<string> {
  const c = await imported(port);
  c.submit(1, false, 2, 31, undefined, cbw(1, INQUIRY, 36));
  expect((await c.ret()).status).toBe(0);
  c.submit(2, true, 1, 36);
  const data = await c.ret();
  const vendor = (await c.read(data.actual)).toString('latin1', 8, 16).trim();
  c.submit(3, true, 1, 13);
  await c.ret();
  expect((await c.read(13)).toString('latin1', 0, 4)).toBe('USBS');
  c.socket.destroy();
  await closedWithin(c.socket, ANSWER_MS);
  return vendor;
}

/** Well-behaved: the handshake and an INQUIRY over usbredir. */
async function usbredirInquiryVendor(port: number): Promise<string> {
  const g = await Guest.open(port);
  await g.handshake();
  await g.bulkOut(cbw(1, INQUIRY, 36));
  const data = await g.bulkIn(36);
  await g.bulkIn(13);
  g.socket.destroy();
  await closedWithin(g.socket, ANSWER_MS);
  return String.fromCharCode(...data.data.subarray(8, 16)).trim();
}

const vendor = (profile.inquiry.vendor as string).trim();

function expectBounded(m: Measured, heldMiB = HELD_BOUND_MIB): void {
  expect(m.uncaught).toBe(0);
  expect(m.heldBuffersMiB).toBeLessThan(heldMiB);
  expect(m.peakBuffersMiB).toBeLessThan(2 * heldMiB);
  expect(m.peakRssMiB).toBeLessThan(4 * heldMiB);
}

describe('the USB/IP exporter against hostile peers', () => {
  it('ends the connection after OP_REP_DEVLIST and a refused import, reading nothing more', async () => {
    const s = await usbipServer();
    const accepted = acceptedSockets(s);
    const junk = new Uint8Array(MiB);
    const ops: [string, (c: Client) => void, number][] = [
      ['OP_REQ_DEVLIST', (c) => c.op(USBIP.reqDevlist), 12 + 316],
      ['OP_REQ_IMPORT of 9-9', (c) => c.op(USBIP.reqImport, '9-9'), 8],
    ];
    for (const [what, op, replyLength] of ops) {
      let c: Client | undefined;
      let closed = false;
      let reply: Buffer | undefined;
      const m = await measure(async () => {
        c = await Client.open(s.port);
        op(c);
        // Then up to 256 MiB more: the unhardened exporter queued all of it (1.5 GB reached).
        flood(c.socket, junk, 256);
        reply = await c.readWithin(replyLength, ANSWER_MS);
        closed = await closedWithin(c.socket, ANSWER_MS);
      });
      const read = accepted.at(-1)?.bytesRead ?? 0;
      recordHostile({
        surface: 'USB/IP exporter',
        input: `${what} followed by a 256 MiB flood`,
        tried: 1,
        crashes: m.uncaught,
        hangs: reply && closed ? 0 : 1,
        dataLost: 0,
      });
      expect(reply?.length, what).toBe(replyLength);
      expect(closed, `${what}: the connection ends after the reply`).toBe(true);
      // The request and at most a socket read or two of the flood; never the 256 MiB.
      expect(read, what).toBeLessThan(MiB);
      expectBounded(m, 16);
    }
    expect(await usbipInquiryVendor(s.port)).toBe(vendor);
  });

  it(`holds ${UNREAD_READS} unread 16 MiB READs to the output bound, then drops the peer`, async () => {
    const s = await usbipServer();
    const accepted = acceptedSockets(s);
    const c = await readyClient(s.port);
    c.socket.pause();
    let seq = 3;
    const m = await measure(async () => {
      for (let i = 0; i < UNREAD_READS; i++) {
        c.submit(seq++, false, 2, 31, undefined, cbw(10 + i, READ_16_MIB, 16 * MiB));
        c.submit(seq++, true, 1, 16 * MiB);
        c.submit(seq++, true, 1, 13);
      }
      await sleep(800);
    });
    // The attacker reads nothing, so the close is seen on the exporter's side.
    const closed = await closedWithin(exporterSide(accepted), STALL_CLOSE_MS);
    recordHostile({
      surface: 'USB/IP exporter',
      input: `${UNREAD_READS} unread 16 MiB READs`,
      tried: UNREAD_READS * 3,
      crashes: m.uncaught,
      hangs: closed ? 0 : 1,
      dataLost: 0,
    });
    expectBounded(m);
    expect(closed).toBe(true);
    expect(logs.join('\n')).toMatch(/left replies unread too long/);
    expect(await usbipInquiryVendor(s.port)).toBe(vendor);
  });

  it('stops reading a peer that floods OUT data while its replies go unread', async () => {
    const s = await usbipServer();
    const accepted = acceptedSockets(s);
    const c = await readyClient(s.port);
    c.socket.pause();
    for (let i = 0; i < 3; i++) {
      c.submit(10 + 3 * i, false, 2, 31, undefined, cbw(10 + i, READ_16_MIB, 16 * MiB));
      c.submit(11 + 3 * i, true, 1, 16 * MiB);
      c.submit(12 + 3 * i, true, 1, 13);
    }
    // One CMD_SUBMIT with 16 MiB of OUT data, sent 30 times from the same buffer.
    const out = new Uint8Array(48 + 16 * MiB);
    out.set(submitHeader(100, false, 2, 16 * MiB));
    const m = await measure(async () => {
      flood(c.socket, out, 30);
      await sleep(1000);
    });
    const read = accepted.at(-1)?.bytesRead ?? 0;
    // The attacker reads nothing, so the close is seen on the exporter's side.
    const closed = await closedWithin(exporterSide(accepted), STALL_CLOSE_MS);
    recordHostile({
      surface: 'USB/IP exporter',
      input: '480 MiB of OUT data while 48 MiB of replies go unread',
      tried: 30 + 9,
      crashes: m.uncaught,
      hangs: closed ? 0 : 1,
      dataLost: 0,
    });
    // The exporter read the READs, one 16 MiB request and a socket read or two: then it stopped.
    expect(read).toBeLessThan(20 * MiB);
    expectBounded(m);
    expect(closed).toBe(true);
    expect(await usbipInquiryVendor(s.port)).toBe(vendor);
  });

  it(`closes a peer that parks more than ${MAX_PARKED_IN} Bulk-IN URBs`, async () => {
    const s = await usbipServer();
    const c = await imported(s.port);
    const tried = 2 * MAX_PARKED_IN;
    const m = await measure(async () => {
      for (let i = 0; i < tried; i++) c.submit(i + 1, true, 1, 512);
      await closedWithin(c.socket, ANSWER_MS);
    });
    recordHostile({
      surface: 'USB/IP exporter',
      input: `${tried} Bulk-IN URBs with nothing to send`,
      tried,
      crashes: m.uncaught,
      hangs: c.closed ? 0 : 1,
      dataLost: 0,
    });
    expect(c.closed).toBe(true);
    expect(logs.join('\n')).toMatch(/more than 1024 Bulk-IN URBs waiting/);
    expectBounded(m, 16);
    expect(await usbipInquiryVendor(s.port)).toBe(vendor);
  });

  it('closes a connection that says nothing, and refuses connections past the limit', async () => {
    const s = await usbipServer();
    const silent = await Client.open(s.port);
    const attempts = 40;
    const flood: Client[] = [];
    const m = await measure(async () => {
      for (let i = 0; i < attempts; i++) flood.push(await Client.open(s.port));
      await sleep(100);
    });
    const refusedAtOnce = flood.filter((c) => c.closed).length;
    const silentClosed = await closedWithin(silent.socket, LIMITS.handshakeMs + 1000);
    const allClosed = await Promise.all(flood.map((c) => closedWithin(c.socket, ANSWER_MS)));
    recordHostile({
      surface: 'USB/IP exporter',
      input: `a silent connection and ${attempts} more at once`,
      tried: attempts + 1,
      crashes: m.uncaught,
      hangs: [silentClosed, ...allClosed].filter((x) => !x).length,
      dataLost: 0,
    });
    expect(refusedAtOnce).toBe(attempts + 1 - 16);
    expect(logs.join('\n')).toMatch(/already 16 connections open/);
    expect(silentClosed).toBe(true);
    expect(logs.join('\n')).toMatch(/no OP_REQ_DEVLIST or OP_REQ_IMPORT within 500 ms/);
    expect(await usbipInquiryVendor(s.port)).toBe(vendor);
  });

  it('closes a peer whose URB header asks for what no URB of this device can be', async () => {
    const s = await usbipServer();
    const header = (f: (h: Uint8Array) => void): Uint8Array => {
      const h = submitHeader(1, true, 1, 512);
      f(h);
      return h;
    };
    const attacks: [string, Uint8Array, RegExp][] = [
      ['EP0 data of 1 MiB', submitHeader(1, false, 0, MiB), /EP0 asks for 1048576 bytes/],
      ['2 GiB', submitHeader(1, true, 1, 0x7fffffff), /asks for 2147483647 bytes/],
      ['isochronous', header((h) => putBe32(h, 36, 8)), /number_of_packets 8/],
      ['direction 7', header((h) => putBe32(h, 12, 7)), /direction 7/],
      ['command 9', header((h) => putBe32(h, 0, 9)), /unknown usbip command 9/],
      // Another device's URB (vhci-hcd sends busnum << 16 | devnum of the import, here 1-2).
      [
        'devid of another device',
        header((h) => putBe32(h, 8, (1 << 16) | 3)),
        /URB 1 for devid 00010003h, not the imported device's 00010002h/,
      ],
      [
        'an unlink with devid 0',
        header((h) => {
          putBe32(h, 0, 2);
          putBe32(h, 8, 0);
        }),
        /for devid 00000000h/,
      ],
    ];
    let hangs = 0;
    for (const [what, h, why] of attacks) {
      const c = await imported(s.port);
      c.socket.write(h);
      const closed = await closedWithin(c.socket, ANSWER_MS);
      if (!closed) hangs++;
      expect(closed, what).toBe(true);
      expect(logs.at(-1), what).toMatch(why);
    }
    recordHostile({
      surface: 'USB/IP exporter',
      input: 'URB headers with impossible lengths, directions, commands',
      tried: attacks.length,
      crashes: 0,
      hangs,
      dataLost: 0,
    });
    expect(await usbipInquiryVendor(s.port)).toBe(vendor);
  });

  it('answers or closes on fuzzed URBs, and keeps serving', async () => {
    const s = await usbipServer();
    const PROBE = 0xfeedf00d;
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    const urb = fc.record({
      command: fc.oneof(fc.constantFrom(USBIP.submit, USBIP.unlink), u32),
      seq: fc.integer({ min: 0, max: 0xfeedf000 }),
      direction: fc.oneof(fc.constantFrom(0, 1), u32),
      ep: fc.oneof(fc.constantFrom(0, 1, 2), u32),
      // A length the exporter takes (and gets the data of) or one it refuses at the header.
      length: fc.oneof(
        fc.integer({ min: 0, max: 4096 }),
        fc.integer({ min: 16 * MiB + 1, max: 0xffffffff }),
      ),
      packets: fc.oneof(fc.constantFrom(0, 0xffffffff), u32),
      setup: fc.uint8Array({ minLength: 8, maxLength: 8 }),
    });
    let tried = 0;
    let hangs = 0;
    const m = await measure(async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(urb, { minLength: 1, maxLength: 6 }), async (urbs) => {
          tried++;
          const c = await importWithRetry(s.port);
          for (const u of urbs) {
            const h = submitHeader(u.seq, u.direction === 1, u.ep, u.length, [...u.setup]);
            putBe32(h, 0, u.command);
            putBe32(h, 12, u.direction);
            putBe32(h, 36, u.packets);
            c.socket.write(h);
            if (u.command === USBIP.submit && u.direction === 0 && u.length <= 4096)
              c.socket.write(new Uint8Array(u.length));
          }
          // GET_STATUS on EP0: its RET_SUBMIT (or a close) shows every request before it was dealt with.
          c.submit(PROBE, true, 0, 2, [0x80, 0, 0, 0, 0, 0, 2, 0]);
          const answered = await probed(c, PROBE);
          if (!answered) hangs++;
          c.socket.destroy();
          return answered;
        }),
        { numRuns: 150, interruptAfterTimeLimit: 4000, seed: 9 },
      );
    });
    recordHostile({
      surface: 'USB/IP exporter',
      input: 'fuzzed CMD_SUBMIT/CMD_UNLINK headers (fast-check)',
      tried,
      crashes: m.uncaught,
      hangs,
      dataLost: 0,
    });
    expect(hangs).toBe(0);
    expectBounded(m, 32);
    expect(await usbipInquiryVendor(s.port)).toBe(vendor);
  });
});

/** Imports 1-1, retrying while the exporter still counts the previous run's connection as attached. */
async function importWithRetry(port: number): Promise<Client> {
  for (let i = 0; ; i++) {
    const c = await Client.open(port);
    c.op(USBIP.reqImport, '1-1');
    const rep = await c.read(8);
    if (rep.readUInt32BE(4) === 0) {
      await c.read(312);
      return c;
    }
    if (i > 50) throw new Error('the exporter kept refusing the import');
    await sleep(2);
  }
}

/** True once the RET_SUBMIT for `seq` arrived or the exporter closed; false after ANSWER_MS. */
async function probed(c: Client, seq: number): Promise<boolean> {
  const marker = Buffer.alloc(8);
  marker.writeUInt32BE(USBIP.retSubmit, 0);
  marker.writeUInt32BE(seq, 4);
  const deadline = Date.now() + ANSWER_MS;
  let seen = Buffer.alloc(0);
  while (Date.now() < deadline) {
    const chunk = await c.readWithin(1, 50);
    if (chunk) seen = Buffer.concat([seen, chunk, c.takeBuffered()]);
    if (seen.includes(marker)) return true;
    if (c.closed) return true;
  }
  return false;
}

describe('the usbredir exporter against hostile peers', () => {
  it('refuses a hello with 32 MiB of capability bits at its header, without blocking', async () => {
    const s = await usbredirServer();
    // What the unhardened reader took: 64 bytes of version and 32 MiB less 64 of capability words.
    const body = new Uint8Array(32 * MiB);
    body.set(helloHeader('x'));
    body.fill(0xff, 64, 68);
    const head = encodeMessage(MSG.hello, 0, new Uint8Array(), new Uint8Array(), false);
    putLe32(head, 4, body.length);
    const g = await Guest.open(s.port);
    let closed = false;
    const m = await measure(async () => {
      g.socket.write(head);
      g.socket.write(body);
      closed = await closedWithin(g.socket, ANSWER_MS);
    });
    recordHostile({
      surface: 'usbredir exporter',
      input: 'a hello with 32 MiB of capability words',
      tried: 1,
      crashes: m.uncaught,
      hangs: closed ? 0 : 1,
      dataLost: 0,
    });
    expect(closed).toBe(true);
    expect(logs.join('\n')).toMatch(/type 0 claims 33554432 bytes \(more than the 128/);
    expect(m.longestStallMs).toBeLessThan(250);
    expectBounded(m, 16);
    expect(await usbredirInquiryVendor(s.port)).toBe(vendor);
  });

  it('refuses every message longer than its type can be, at its header', async () => {
    const s = await usbredirServer();
    const attacks: [string, number, number, number][] = [
      // what, type, type-specific header size sent, claimed length
      ['reset with 1 MiB', MSG.reset, 0, MiB],
      ['set_configuration with 16 MiB', MSG.setConfiguration, 1, 16 * MiB],
      ['get_configuration with 100 bytes', MSG.getConfiguration, 0, 100],
      ['cancel_data_packet with 4 bytes', MSG.cancelDataPacket, 0, 4],
      ['control_packet with 64 KiB + 1', MSG.controlPacket, 10, 10 + 0x10000],
      ['bulk_packet with 16 MiB + 1', MSG.bulkPacket, 10, 10 + 16 * MiB + 1],
      ['filter_filter with 1 MiB', MSG.filterFilter, 0, MiB],
    ];
    let hangs = 0;
    const m = await measure(async () => {
      for (const [what, type, size, length] of attacks) {
        const g = await Guest.open(s.port);
        await g.handshake();
        const head = encodeMessage(type, 1, new Uint8Array(size), new Uint8Array(), g.wide);
        putLe32(head, 4, length);
        g.socket.write(head);
        const closed = await closedWithin(g.socket, ANSWER_MS);
        if (!closed) hangs++;
        expect(closed, what).toBe(true);
        expect(logs.at(-1), what).toMatch(new RegExp(`type ${type} claims ${length} bytes`));
      }
    });
    recordHostile({
      surface: 'usbredir exporter',
      input: 'messages claiming more than their type holds',
      tried: attacks.length,
      crashes: m.uncaught,
      hangs,
      dataLost: 0,
    });
    expectBounded(m, 16);
    expect(await usbredirInquiryVendor(s.port)).toBe(vendor);
  });

  it('refuses ids of 2^53 and more at the header, never echoing one back rounded', async () => {
    const s = await usbredirServer();
    // Ids a number holds exactly stop at 2^53 − 1; the high word of these is 2^21 or more.
    const ids = [2 ** 53, 2 ** 53 + 2, 2 ** 60, 2 ** 64 - 2 ** 12];
    let hangs = 0;
    const m = await measure(async () => {
      for (const id of ids) {
        const g = await Guest.open(s.port);
        await g.handshake();
        const bytes = encodeMessage(
          MSG.getConfiguration,
          0,
          new Uint8Array(),
          new Uint8Array(),
          true,
        );
        // The id's two halves, written as the peer would: the low word, then the high one.
        putLe32(bytes, 8, id % 2 ** 32);
        putLe32(bytes, 12, Math.floor(id / 2 ** 32));
        g.socket.write(bytes);
        const answer = await g.nextWithin(ANSWER_MS);
        const closed = await closedWithin(g.socket, ANSWER_MS);
        if (!closed) hangs++;
        expect(answer, `id ${id}`).toBeUndefined();
        expect(logs.at(-1), `id ${id}`).toMatch(/2\^53 or more/);
      }
    });
    recordHostile({
      surface: 'usbredir exporter',
      input: 'message ids of 2^53 and more',
      tried: ids.length,
      crashes: m.uncaught,
      hangs,
      dataLost: 0,
    });
    expectBounded(m, 16);
    expect(await usbredirInquiryVendor(s.port)).toBe(vendor);
  });

  it(`holds ${UNREAD_READS} unread 16 MiB READs to the output bound, then drops the guest`, async () => {
    const s = await usbredirServer();
    const accepted = acceptedSockets(s);
    const g = await readyGuest(s.port);
    g.socket.pause();
    const m = await measure(async () => {
      for (let i = 0; i < UNREAD_READS; i++) {
        g.sendBulkOut(cbw(10 + i, READ_16_MIB, 16 * MiB));
        g.sendBulkIn(16 * MiB);
        g.sendBulkIn(13);
      }
      await sleep(800);
    });
    const closed = await closedWithin(exporterSide(accepted), STALL_CLOSE_MS);
    recordHostile({
      surface: 'usbredir exporter',
      input: `${UNREAD_READS} unread 16 MiB READs`,
      tried: UNREAD_READS * 3,
      crashes: m.uncaught,
      hangs: closed ? 0 : 1,
      dataLost: 0,
    });
    expectBounded(m);
    expect(closed).toBe(true);
    expect(logs.join('\n')).toMatch(/left replies unread too long/);
    expect(await usbredirInquiryVendor(s.port)).toBe(vendor);
  });

  it('survives a guest that resets the connection while answers are being written to it', async () => {
    // Replies go straight to the socket's descriptor while nothing is queued (export/socket-writes.ts):
    // a write that meets a reset connection must end that connection, not the exporter.
    const s = await usbredirServer();
    const accepted = acceptedSockets(s);
    const resets = 4;
    let closedAll = true;
    const m = await measure(async () => {
      for (let r = 0; r < resets; r++) {
        const g = await guestWithRetry(s.port);
        g.socket.pause();
        // Small answers first (each written at once), then READs that fill the socket.
        for (let i = 0; i < 64; i++) {
          g.sendBulkOut(cbw(10 + i, INQUIRY, 36));
          g.sendBulkIn(36);
          g.sendBulkIn(13);
        }
        for (let i = 0; i < 4; i++) {
          g.sendBulkOut(cbw(100 + i, READ_16_MIB, 16 * MiB));
          g.sendBulkIn(16 * MiB);
          g.sendBulkIn(13);
        }
        if (r > 0) await sleep(40 * r);
        g.socket.resetAndDestroy();
        closedAll &&= await closedWithin(exporterSide(accepted), STALL_CLOSE_MS);
      }
    });
    recordHostile({
      surface: 'usbredir exporter',
      input:
        'a guest that resets the connection while INQUIRY answers and 16 MiB READs are written to it',
      tried: resets,
      crashes: m.uncaught,
      hangs: closedAll ? 0 : 1,
      dataLost: 0,
    });
    expectBounded(m);
    expect(closedAll).toBe(true);
    expect(await usbredirInquiryVendor(s.port)).toBe(vendor);
  });

  it('stops reading a guest that floods bulk OUT while its replies go unread', async () => {
    const s = await usbredirServer();
    const accepted = acceptedSockets(s);
    const g = await readyGuest(s.port);
    g.socket.pause();
    for (let i = 0; i < 3; i++) {
      g.sendBulkOut(cbw(10 + i, READ_16_MIB, 16 * MiB));
      g.sendBulkIn(16 * MiB);
      g.sendBulkIn(13);
    }
    const out = encodeMessage(
      MSG.bulkPacket,
      100,
      bulkHeader({ endpoint: 0x02, status: 0, length: 16 * MiB, streamId: 0 }, g.negotiated),
      new Uint8Array(16 * MiB),
      g.wide,
    );
    const m = await measure(async () => {
      flood(g.socket, out, 30);
      await sleep(1000);
    });
    const read = accepted.at(-1)?.bytesRead ?? 0;
    const closed = await closedWithin(exporterSide(accepted), STALL_CLOSE_MS);
    recordHostile({
      surface: 'usbredir exporter',
      input: '480 MiB of bulk OUT while 48 MiB of replies go unread',
      tried: 30 + 9,
      crashes: m.uncaught,
      hangs: closed ? 0 : 1,
      dataLost: 0,
    });
    expect(read).toBeLessThan(20 * MiB);
    expectBounded(m);
    expect(closed).toBe(true);
    expect(await usbredirInquiryVendor(s.port)).toBe(vendor);
  });

  it(`closes a guest that parks more than ${MAX_PARKED_IN} Bulk-IN packets, and one that never says hello`, async () => {
    const s = await usbredirServer();
    const g = await Guest.open(s.port);
    await g.handshake();
    const tried = 2 * MAX_PARKED_IN;
    const m = await measure(async () => {
      for (let i = 0; i < tried; i++) g.sendBulkIn(512);
      await closedWithin(g.socket, ANSWER_MS);
    });
    expect(g.closed).toBe(true);
    expect(logs.join('\n')).toMatch(/more than 1024 Bulk-IN requests waiting/);
    // A guest that connects and says nothing would hold the one guest slot for ever.
    const silent = await Guest.open(s.port);
    const silentClosed = await closedWithin(silent.socket, LIMITS.handshakeMs + 1000);
    recordHostile({
      surface: 'usbredir exporter',
      input: `${tried} parked Bulk-IN packets; a guest that never says hello`,
      tried: tried + 1,
      crashes: m.uncaught,
      hangs: (g.closed ? 0 : 1) + (silentClosed ? 0 : 1),
      dataLost: 0,
    });
    expect(silentClosed).toBe(true);
    expect(logs.join('\n')).toMatch(/no hello within 500 ms/);
    expectBounded(m, 16);
    expect(await usbredirInquiryVendor(s.port)).toBe(vendor);
  });

  it('survives a 1 MiB packet cut off partway, and joins one sent in 977-byte pieces intact', async () => {
    // The rest of a large packet is read straight into the reader's buffer (export/socket-reads.ts).
    const s = await usbredirServer();
    const WRITE_1_MIB = [0x2a, 0, 0, 0, 0, 0, 0, 8, 0, 0];
    const READ_1_MIB = [0x28, 0, 0, 0, 0, 0, 0, 8, 0, 0];
    const data = Uint8Array.from({ length: MiB }, (_, i) => (i * 37 + 11) & 0xff);
    const packet = (g: Guest, id: number): Uint8Array =>
      encodeMessage(
        MSG.bulkPacket,
        id,
        bulkHeader({ endpoint: 0x02, status: 0, length: MiB, streamId: 0 }, g.negotiated),
        data,
        g.wide,
      );
    let intact = false;
    const m = await measure(async () => {
      // Each guest first takes the power-on unit attention with a TEST UNIT READY.
      const ready = async (g: Guest): Promise<void> => {
        await g.bulkOut(cbw(9, TEST_UNIT_READY, 0));
        await g.bulkIn(13);
      };
      const cut = await Guest.open(s.port);
      await cut.handshake();
      await ready(cut);
      await cut.bulkOut(cbw(1, WRITE_1_MIB, MiB, 'out'));
      cut.socket.write(packet(cut, 500).subarray(0, 300 * 1024));
      await sleep(100);
      cut.socket.destroy();
      const g = await guestWithRetry(s.port);
      await ready(g);
      await g.bulkOut(cbw(2, WRITE_1_MIB, MiB, 'out'));
      const whole = packet(g, 501);
      for (let at = 0, n = 0; at < whole.length; at += 977, n++) {
        g.socket.write(whole.subarray(at, at + 977));
        // Now and then a turn of the event loop, so the pieces reach the exporter in many reads.
        if (n % 64 === 0) await new Promise((r) => setImmediate(r));
      }
      const ack = await g.next();
      const csw = await g.bulkIn(13);
      await g.bulkOut(cbw(3, READ_1_MIB, MiB));
      const back = await g.bulkIn(MiB);
      intact = ack.id === 501 && csw.data[12] === 0 && Buffer.compare(back.data, data) === 0;
      g.socket.destroy();
    });
    recordHostile({
      surface: 'usbredir exporter',
      input: 'a 1 MiB bulk packet cut off partway; then one sent in 977-byte pieces',
      tried: 2,
      crashes: m.uncaught,
      hangs: 0,
      dataLost: intact ? 0 : 1,
    });
    expectBounded(m);
    expect(intact).toBe(true);
  });

  it('answers or closes on fuzzed messages, and keeps serving', async () => {
    const s = await usbredirServer();
    const PROBE = 0xfeedf00d;
    const types = Object.values(MSG);
    const message = fc.record({
      type: fc.oneof(fc.constantFrom(...types), fc.integer({ min: 0, max: 0xffffffff })),
      id: fc.integer({ min: 0, max: 0xfeedf000 }),
      body: fc.uint8Array({ maxLength: 80 }),
      // The length as sent, or one past every type's bound (refused at the header).
      oversize: fc.option(fc.integer({ min: 16 * MiB + 27, max: 0xffffffff }), { freq: 5 }),
      endpoint: fc.constantFrom(0x02, 0x81, 0x00, 0x80, 0x83),
    });
    let tried = 0;
    let hangs = 0;
    const m = await measure(async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 6 }), async (msgs) => {
          tried++;
          const g = await guestWithRetry(s.port);
          for (const x of msgs) {
            const body = Uint8Array.from(x.body);
            if (body.length > 0) body[0] = x.endpoint;
            const bytes = encodeMessage(x.type, x.id, new Uint8Array(), body, g.wide);
            if (x.oversize !== null) {
              putLe32(bytes, 4, x.oversize);
              g.socket.write(bytes.subarray(0, 16));
            } else g.socket.write(bytes);
          }
          // get_configuration: its configuration_status (or a close) shows everything before it was dealt with.
          g.socket.write(
            encodeMessage(MSG.getConfiguration, PROBE, new Uint8Array(), new Uint8Array(), g.wide),
          );
          const answered = await probedGuest(g, PROBE);
          if (!answered) hangs++;
          g.socket.destroy();
          await closedWithin(g.socket, ANSWER_MS);
          return answered;
        }),
        { numRuns: 150, interruptAfterTimeLimit: 4000, seed: 9 },
      );
    });
    recordHostile({
      surface: 'usbredir exporter',
      input: 'fuzzed messages after the handshake (fast-check)',
      tried,
      crashes: m.uncaught,
      hangs,
      dataLost: 0,
    });
    expect(hangs).toBe(0);
    expectBounded(m, 32);
    expect(await usbredirInquiryVendor(s.port)).toBe(vendor);
  });
});

/** A guest past the handshake, retrying while the exporter still counts the previous run's guest. */
async function guestWithRetry(port: number): Promise<Guest> {
  for (let i = 0; ; i++) {
    const g = await Guest.open(port);
    const first = await g.nextWithin(ANSWER_MS);
    if (first?.type === MSG.hello) {
      await g.handshakeAfterHello(first);
      return g;
    }
    if (i > 50) throw new Error('the exporter kept refusing the guest');
    await sleep(2);
  }
}

/** True once the reply to `id` came or the exporter closed; false after ANSWER_MS. */
async function probedGuest(g: Guest, id: number): Promise<boolean> {
  const deadline = Date.now() + ANSWER_MS;
  while (Date.now() < deadline) {
    const m = await g.nextWithin(deadline - Date.now());
    if (!m) return g.closed;
    if (m.id === id && m.type === MSG.configurationStatus) return true;
  }
  return false;
}

describe('the app’s exports (ExportManager), started by any page of the web bridge', () => {
  it(`runs at most ${MAX_EXPORTS} at once, racing starts included, and starts another once one stops`, async () => {
    const manager = new ExportManager();
    try {
      let refusal = '';
      const m = await measure(async () => {
        // Every start at once: the check must count those still waiting for their port.
        const starts = await Promise.allSettled(
          Array.from({ length: MAX_EXPORTS + 4 }, () => manager.start('flash-stick', 'usbredir')),
        );
        const refused = starts.flatMap((s) => (s.status === 'rejected' ? [s.reason] : []));
        expect(refused).toHaveLength(4);
        refusal = errorText(refused[0]);
      });
      recordHostile({
        surface: 'App exports (web mode)',
        input: `${MAX_EXPORTS + 4} exports started at once`,
        tried: MAX_EXPORTS + 4,
        crashes: m.uncaught,
        hangs: 0,
        dataLost: 0,
      });
      expect(refusal).toBe(
        `${MAX_EXPORTS} exports are running or starting, the most at once: stop one to start another`,
      );
      expect(manager.list()).toHaveLength(MAX_EXPORTS);
      const [first] = manager.list();
      expect(await manager.stop(first?.id ?? '')).toBe(true);
      const again = await manager.start('flash-stick', 'usbip');
      expect(manager.list().map((e) => e.id)).toContain(again.id);
    } finally {
      await manager.stopAll();
    }
    expect(manager.list()).toEqual([]);
  });
});
