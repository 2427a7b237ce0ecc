/**
 * The peers the exporter tests play: a usb-guest speaking usbredir like QEMU
 * (with the exporter's own codec) and a USB/IP client speaking like vhci-hcd.
 * Shared by the protocol tests (tests/engine) and the hostile-peer suite
 * (tests/hostile), which drive them well and badly.
 */
import { connect, type Socket } from 'node:net';
import { expect } from 'vitest';
import { encodeCbw } from '../../shared/bot/cbw';
import { asByteCount, asLun } from '../../shared/scsi/brand';
import { putBe32 } from '../../shared/scsi/bytes';
import {
  bulkHeader,
  CAP,
  capsWords,
  controlHeader,
  encodeMessage,
  helloHeader,
  MessageReader,
  MSG,
  parseBulk,
  parseControl,
  parseHello,
  type ControlHeader,
  type Message,
  type Negotiated,
} from '../../src-main/export/usbredir-codec';

/** Connects to an exporter on loopback, never any other address. */
async function open(port: number): Promise<Socket> {
  const s = connect(port, '127.0.0.1');
  // Like QEMU and vhci-hcd: each request is small and waits for its answer, so Nagle only delays it.
  s.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    s.once('connect', resolve);
    s.once('error', reject);
  });
  return s;
}

/** Resolves true once `socket` closed, false if it is still open after `ms`. */
export function closedWithin(socket: Socket, ms: number): Promise<boolean> {
  if (socket.destroyed) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** A CBW as a host builds it. */
export function cbw(
  tag: number,
  cdb: readonly number[],
  length: number,
  direction: 'in' | 'out' = 'in',
): Uint8Array {
  const r = encodeCbw({
    tag,
    dataTransferLength: asByteCount(length),
    direction,
    lun: asLun(0),
    cdb: Uint8Array.from(cdb),
  });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** A usb-guest speaking the protocol like QEMU: caps as QEMU 7.2 announces (0xff). */
export class Guest {
  private readonly reader = new MessageReader();
  private readonly inbox: Message[] = [];
  private waiting: (() => void) | undefined;
  closed = false;
  wide = false;
  negotiated: Negotiated = { caps: new Set() };
  private nextId = 1;

  private constructor(readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.reader.push(d);
      for (;;) {
        const m = this.reader.next();
        if (!m.ok) throw new Error(m.error.message);
        if (!m.value) break;
        this.inbox.push(m.value);
      }
      this.waiting?.();
    });
    // The exporter resets hostile connections: expected here, not an error of the test.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.waiting?.();
    });
  }

  static async open(port: number): Promise<Guest> {
    return new Guest(await open(port));
  }

  async next(): Promise<Message> {
    for (;;) {
      const m = this.inbox.shift();
      if (m) return m;
      if (this.closed) throw new Error('the exporter closed the connection');
      await new Promise<void>((r) => (this.waiting = r));
    }
  }

  /** The next message, or undefined when the connection closed or nothing came within `ms`. */
  async nextWithin(ms: number): Promise<Message | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms)));
    try {
      return await Promise.race([this.next().catch(() => undefined), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  send(type: number, header: Uint8Array, data: Uint8Array = new Uint8Array()): number {
    const id = this.nextId++;
    this.socket.write(encodeMessage(type, id, header, data, this.wide));
    return id;
  }

  /** The handshake: their hello, ours, then ep_info, interface_info, device_connect in that order. */
  async handshake(): Promise<Message[]> {
    return this.handshakeAfterHello(await this.next());
  }

  /** The handshake once the exporter's hello (`hello`) has been read. */
  async handshakeAfterHello(hello: Message): Promise<Message[]> {
    expect(hello.type).toBe(MSG.hello);
    const theirs = parseHello(hello);
    this.socket.write(
      encodeMessage(
        MSG.hello,
        0,
        helloHeader('qemu usb-redir guest 7.2.22'),
        capsWords([0, 1, 2, 3, 4, 5, 6, 7]),
        false,
      ),
    );
    this.negotiated = { caps: theirs.caps };
    this.reader.negotiated = this.negotiated;
    this.wide = theirs.caps.has(CAP.ids64);
    this.reader.wideIds = this.wide;
    return [hello, await this.next(), await this.next(), await this.next()];
  }

  /** A control packet and its answer; `endpoint` is EP0 in the request's direction unless given. */
  async control(
    requestType: number,
    request: number,
    value: number,
    index: number,
    length: number,
    endpoint = requestType & 0x80,
  ): Promise<{ status: number; data: Uint8Array; header: ControlHeader }> {
    const id = this.send(
      MSG.controlPacket,
      controlHeader({
        endpoint,
        request,
        requestType,
        status: 0,
        value,
        index,
        length,
      }),
    );
    const m = await this.next();
    expect([m.type, m.id]).toEqual([MSG.controlPacket, id]);
    const header = parseControl(m.header);
    return { status: header.status, data: m.data, header };
  }

  /** Sends a bulk OUT packet without waiting for its answer. */
  sendBulkOut(data: Uint8Array): number {
    return this.send(
      MSG.bulkPacket,
      bulkHeader({ endpoint: 0x02, status: 0, length: data.length, streamId: 0 }, this.negotiated),
      data,
    );
  }

  /** Sends a bulk IN request without waiting for its answer. */
  sendBulkIn(length: number): number {
    return this.send(
      MSG.bulkPacket,
      bulkHeader({ endpoint: 0x81, status: 0, length, streamId: 0 }, this.negotiated),
    );
  }

  async bulkOut(data: Uint8Array): Promise<number> {
    const id = this.sendBulkOut(data);
    const m = await this.next();
    expect([m.type, m.id]).toEqual([MSG.bulkPacket, id]);
    return parseBulk(m.header, this.negotiated).status;
  }

  async bulkIn(length: number): Promise<{ status: number; data: Uint8Array }> {
    const id = this.sendBulkIn(length);
    const m = await this.next();
    expect([m.type, m.id]).toEqual([MSG.bulkPacket, id]);
    return { status: parseBulk(m.header, this.negotiated).status, data: m.data };
  }
}

/** USB/IP operation codes and commands (usbip_protocol.rst). */
export const USBIP = {
  reqDevlist: 0x8005,
  reqImport: 0x8003,
  submit: 1,
  unlink: 2,
  retSubmit: 3,
  retUnlink: 4,
} as const;

/** A CMD_SUBMIT header as vhci-hcd sends it (number_of_packets 0xFFFFFFFF: not isochronous). */
export function submitHeader(
  seq: number,
  dirIn: boolean,
  ep: number,
  length: number,
  setup?: readonly number[],
): Uint8Array {
  const h = new Uint8Array(48);
  putBe32(h, 0, USBIP.submit);
  putBe32(h, 4, seq);
  putBe32(h, 8, (1 << 16) | 2);
  putBe32(h, 12, dirIn ? 1 : 0);
  putBe32(h, 16, ep);
  putBe32(h, 24, length);
  putBe32(h, 32, 0xffffffff);
  if (setup) h.set(setup, 40);
  return h;
}

export interface RetHeader {
  readonly command: number;
  readonly seq: number;
  readonly status: number;
  readonly actual: number;
}

/** A USB/IP client speaking like vhci-hcd and the usbip tool. */
export class Client {
  private buffered = Buffer.alloc(0);
  private wake: (() => void) | undefined;
  closed = false;
  private constructor(readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, d]);
      this.wake?.();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
  }
  static async open(port: number): Promise<Client> {
    return new Client(await open(port));
  }
  async read(n: number): Promise<Buffer> {
    while (this.buffered.length < n) {
      if (this.closed) throw new Error(`closed with ${this.buffered.length} of ${n} bytes`);
      await new Promise<void>((r) => (this.wake = r));
    }
    const out = this.buffered.subarray(0, n);
    this.buffered = this.buffered.subarray(n);
    return out;
  }
  /** `n` bytes, or undefined when the connection closed or they did not all come within `ms`. */
  async readWithin(n: number, ms: number): Promise<Buffer | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms)));
    try {
      return await Promise.race([this.read(n).catch(() => undefined), late]);
    } finally {
      clearTimeout(timer);
    }
  }
  /** Everything received and not yet read. */
  takeBuffered(): Buffer {
    const out = this.buffered;
    this.buffered = Buffer.alloc(0);
    return out;
  }
  async closedByPeer(): Promise<void> {
    if (!this.closed) await new Promise<void>((r) => this.socket.once('close', () => r()));
  }
  op(code: number, busid?: string): void {
    const b = Buffer.alloc(busid === undefined ? 8 : 40);
    b.writeUInt16BE(0x0111, 0);
    b.writeUInt16BE(code, 2);
    if (busid !== undefined) b.write(busid, 8, 'latin1');
    this.socket.write(b);
  }
  submit(
    seq: number,
    dirIn: boolean,
    ep: number,
    length: number,
    setup?: number[],
    data?: Uint8Array,
  ): void {
    this.socket.write(submitHeader(seq, dirIn, ep, length, setup));
    if (data) this.socket.write(data);
  }
  async ret(): Promise<RetHeader> {
    return parseRet(await this.read(48));
  }
  /** The next RET_* header, or undefined when the connection closed or none came within `ms`. */
  async retWithin(ms: number): Promise<RetHeader | undefined> {
    const h = await this.readWithin(48, ms);
    return h && parseRet(h);
  }
}

function parseRet(h: Buffer): RetHeader {
  return {
    command: h.readUInt32BE(0),
    seq: h.readUInt32BE(4),
    status: h.readInt32BE(20),
    actual: h.readInt32BE(24),
  };
}

/** Opens a connection and imports bus 1-1. */
export async function imported(port: number): Promise<Client> {
  const c = await Client.open(port);
  c.op(USBIP.reqImport, '1-1');
  const rep = await c.read(8 + 312);
  expect(rep.readUInt16BE(2)).toBe(0x0003);
  expect(rep.readUInt32BE(4)).toBe(0);
  return c;
}
