/**
 * Serves an emulated drive over USB/IP (Linux Documentation/usb/usbip_protocol.rst),
 * so a Linux host with
 * vhci-hcd can `usbip attach -r HOST -b 1-1` it. Big-endian throughout.
 *
 * A connection first asks OP_REQ_DEVLIST (answered, then closed) or
 * OP_REQ_IMPORT (answered, then the same connection carries URBs:
 * CMD_SUBMIT → RET_SUBMIT, CMD_UNLINK → RET_UNLINK). Malformed input closes
 * that connection with a logged reason; the listener keeps serving.
 */
import type { Socket } from 'node:net';
import type { ReadInto } from './socket-reads';
import type { WriteMode } from './socket-writes';
import {
  Backpressure,
  singleFlight,
  limitsOf,
  listenTcp,
  type ExportLimits,
  type ExportServer,
  type ServeOptions,
} from './tcp-listener';
import { ByteReader, putBe16, putBe32 } from '../../shared/scsi/bytes';
import { URB_STATUS, type UsbCapture } from '../capture/usbmon';
import type { ExportedDrive } from './exported-drive';
import { ByteQueue } from '../../shared/byte-queue';
import { ReadSlabs } from './read-slabs';
import { MAX_PARKED_IN, MAX_TRANSFER, UsbPort, type Completion } from './usb-port';
import { errorText } from '../../shared/error-text';
import { asciiOf } from '../../shared/inspect';

const VERSION = 0x0111;
const OP = {
  reqDevlist: 0x8005,
  repDevlist: 0x0005,
  reqImport: 0x8003,
  repImport: 0x0003,
} as const;
const CMD = { submit: 1, unlink: 2, retSubmit: 3, retUnlink: 4 } as const;
/**
 * OP_REP_IMPORT's status, as usbipd sends it (tools/usb/usbip, usbip_common.h ST_*): the usbip
 * client prints what each means ("Device busy (exported)", "Device not found").
 */
const IMPORT_STATUS = { ok: 0, busy: 2, noDevice: 4 } as const;
/** The one exported device's bus id, as `usbip list -r` shows it. */
export const BUS_ID = '1-1';
const BUS_NUM = 1;
const DEV_NUM = 2;
/**
 * The devid every URB for the imported device carries: busnum << 16 | devnum, from the import
 * reply (vhci-hcd sets it in CMD_SUBMIT and CMD_UNLINK; the usbip-host driver, stub_rx.c
 * valid_request, drops the connection on any other).
 */
const DEVID = (BUS_NUM << 16) | DEV_NUM;
/** enum usb_device_speed (include/uapi/linux/usb/ch9.h): USB_SPEED_HIGH 3, USB_SPEED_SUPER 5. */
const LINUX_SPEED = { high: 3, super: 5 } as const;
const DEVICE_RECORD = 312;
const URB_HEADER = 48;
/** OP_REQ_IMPORT, the longest operation request: 8-byte header and a 32-byte bus id. */
const OP_REQUEST_MAX = 8 + 32;
/** Input held at most while URBs flow: one CMD_SUBMIT with the largest OUT transfer. */
const URB_INPUT_LIMIT = URB_HEADER + MAX_TRANSFER;
/** A control transfer's data stage is at most wLength, a 16-bit field (USB 2.0 §9.3.5). */
const MAX_CONTROL_DATA = 0xffff;
/** number_of_packets of a non-isochronous URB: 0 (older kernels) or 0xFFFFFFFF (usbip_protocol.rst). */
const NOT_ISO = [0, 0xffffffff];
/**
 * After OP_REP_DEVLIST or a refused OP_REP_IMPORT the server closes the connection
 * (usbip_protocol.rst); the reply is small, so a peer gets this long to read it.
 */
const LINGER_MS = 2000;

function putString(buf: Uint8Array, offset: number, text: string, size: number): void {
  for (let i = 0; i < Math.min(size - 1, text.length); i++)
    buf[offset + i] = text.charCodeAt(i) & 0x7f;
}

/** struct usbip_usb_device: 312 bytes, then (DEVLIST only) the interfaces. */
function deviceRecord(drive: ExportedDrive, withInterfaces: boolean): Uint8Array {
  const b = new Uint8Array(DEVICE_RECORD + (withInterfaces ? 4 : 0));
  putString(b, 0, `/sys/devices/usbcdb/${BUS_ID}`, 256);
  putString(b, 256, BUS_ID, 32);
  putBe32(b, 288, BUS_NUM);
  putBe32(b, 292, DEV_NUM);
  putBe32(b, 296, LINUX_SPEED[drive.speed]);
  putBe16(b, 300, drive.profile.usb.vendorId);
  putBe16(b, 302, drive.profile.usb.productId);
  putBe16(b, 304, drive.bcdDevice);
  // bDeviceClass/SubClass/Protocol 0 (defined by the interface), bConfigurationValue 1,
  // bNumConfigurations 1, bNumInterfaces 1.
  b.set([0, 0, 0, 1, 1, 1], 306);
  if (withInterfaces)
    b.set([drive.iface.class, drive.iface.subclass, drive.iface.protocol, 0], DEVICE_RECORD);
  return b;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function opHeader(code: number, status: number): Uint8Array {
  const b = new Uint8Array(8);
  putBe16(b, 0, VERSION);
  putBe16(b, 2, code);
  putBe32(b, 4, status);
  return b;
}

function retHeader(command: number, seqnum: number, status: number, actual: number): Uint8Array {
  const b = new Uint8Array(URB_HEADER);
  putBe32(b, 0, command);
  putBe32(b, 4, seqnum);
  // devid, direction and ep are 0 from the server.
  putBe32(b, 20, status);
  putBe32(b, 24, actual);
  // start_frame 0; number_of_packets 0 for a non-isochronous URB (what the usbip-host driver sends); error_count 0.
  return b;
}

class Connection {
  /** Bounded by the URB phase's limit; in the operation phase input pauses far earlier (`inputFull`). */
  private readonly queue = new ByteQueue(URB_INPUT_LIMIT);
  /** Where reads into the listener's scratch buffer are kept while queued and being answered. */
  private readonly slabs = new ReadSlabs();
  private phase: 'op' | 'urb' = 'op';
  private port: UsbPort | undefined;
  /** Starts working through queued requests unless that is already under way. */
  private readonly schedule = singleFlight(() => this.drain());
  private closed = false;
  private readonly flow: Backpressure;
  private readonly handshakeTimer: NodeJS.Timeout;

  constructor(
    private readonly socket: Socket,
    readInto: ReadInto,
    private readonly drive: ExportedDrive,
    private readonly capture: UsbCapture | undefined,
    private readonly log: (line: string) => void,
    private readonly claim: () => boolean,
    limits: ExportLimits,
    writes: WriteMode | undefined,
  ) {
    this.flow = new Backpressure(socket, limits, () => this.inputFull(), writes);
    // Its URBs are small (vhci-hcd sends a page at a time): what it keeps of a read is copied,
    // into slabs reused once the requests in them are answered (read-slabs.ts).
    readInto({
      landing: () => undefined,
      landed: () => undefined,
      received: (bytes, owned) =>
        this.onData(owned ? bytes : this.slabs.keep(bytes, this.queue.length)),
    });
    socket.on('error', (e) => this.log(`usbip: connection error: ${e.message}`));
    socket.on('close', () => {
      this.closed = true;
      clearTimeout(this.handshakeTimer);
      this.port?.close();
    });
    this.handshakeTimer = setTimeout(
      () => this.fail(`no OP_REQ_DEVLIST or OP_REQ_IMPORT within ${limits.handshakeMs} ms`),
      limits.handshakeMs,
    ).unref();
  }

  /** Before the import only one operation request is read; afterwards one largest URB. */
  private inputFull(): boolean {
    return this.phase === 'op' ? this.queue.length >= OP_REQUEST_MAX : this.queue.full;
  }

  private onData(chunk: Uint8Array): void {
    if (this.closed) return;
    // The socket is paused once the queue is full; a chunk past that is a bug of ours, not the peer's.
    if (this.queue.full) return this.fail('input arrived past the queue limit while paused');
    this.queue.push(chunk);
    this.flow.update();
    this.schedule();
  }

  private fail(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.log(`usbip: closing the connection: ${reason}`);
    this.socket.destroy();
  }

  /**
   * Sends the last reply and ends the connection, as the protocol does after
   * OP_REP_DEVLIST and a refused import: nothing more is read or queued, and
   * the socket is destroyed once the reply is out (or after LINGER_MS).
   */
  private finish(reply: Uint8Array): void {
    this.closed = true;
    clearTimeout(this.handshakeTimer);
    this.socket.pause();
    const destroy = (): void => {
      clearTimeout(timer);
      this.socket.destroy();
    };
    const timer = setTimeout(destroy, LINGER_MS).unref();
    this.socket.end(reply, destroy);
  }

  private take(n: number): Uint8Array | undefined {
    return this.queue.length < n ? undefined : this.queue.take(n);
  }

  private async drain(): Promise<void> {
    while (!this.closed) {
      // Waits only while replies are piled up unread.
      if (this.flow.outputFull) {
        const room = await this.flow.writable();
        if (room === 'stalled')
          return this.fail('the host has left replies unread too long (is it still attached?)');
        if (room === 'closed') return;
      }
      try {
        const progressed = this.phase === 'op' ? this.operation() : await this.urb();
        // The request is dealt with (a Bulk-Out's data is the device's own once bulkOut has
        // resolved): only what is still queued is in use.
        this.slabs.release(this.queue.length);
        if (!progressed) return;
        if (this.port?.waiting) await this.port.poke();
      } catch (e) {
        return this.fail(errorText(e));
      }
      this.flow.update();
    }
  }

  /** OP_REQ_DEVLIST or OP_REQ_IMPORT; false when more bytes are needed. */
  private operation(): boolean {
    if (this.queue.length < 8) return false;
    const r = new ByteReader(this.queue.peek(8), 'usbip operation header');
    const version = r.be16(0);
    const code = r.be16(2);
    if (version !== VERSION)
      throw new Error(`usbip protocol version ${version.toString(16)}h, not 111h`);
    if (code === OP.reqDevlist) {
      this.take(8);
      const count = new Uint8Array(4);
      putBe32(count, 0, 1);
      this.finish(concat(opHeader(OP.repDevlist, 0), count, deviceRecord(this.drive, true)));
      return false;
    }
    if (code === OP.reqImport) {
      const req = this.take(8 + 32);
      if (!req) return false;
      const nul = req.subarray(8).indexOf(0);
      // Printable ASCII only: whoever reaches the port chose these bytes, and the refusal below
      // goes to the operator's terminal, where an ESC would start an escape sequence (ECMA-48).
      const busid = asciiOf(req.subarray(8, nul < 0 ? 40 : 8 + nul));
      if (busid !== BUS_ID || !this.claim()) {
        this.log(
          busid !== BUS_ID
            ? `usbip: refused an import of bus id "${busid}" (this exports ${BUS_ID})`
            : 'usbip: refused an import: the drive is attached to another host',
        );
        const status = busid !== BUS_ID ? IMPORT_STATUS.noDevice : IMPORT_STATUS.busy;
        this.finish(opHeader(OP.repImport, status));
        return false;
      }
      clearTimeout(this.handshakeTimer);
      this.flow.write(
        concat(opHeader(OP.repImport, IMPORT_STATUS.ok), deviceRecord(this.drive, false)),
      );
      this.port = new UsbPort(this.drive, this.capture);
      this.phase = 'urb';
      this.log(`usbip: ${this.socket.remoteAddress ?? 'a host'} imported ${BUS_ID}`);
      return true;
    }
    throw new Error(`unknown usbip operation ${code.toString(16)}h`);
  }

  /** One CMD_SUBMIT or CMD_UNLINK; false when more bytes are needed. */
  private async urb(): Promise<boolean> {
    const port = this.port;
    if (!port || this.queue.length < URB_HEADER) return false;
    const r = new ByteReader(this.queue.peek(URB_HEADER), 'usbip URB header');
    const command = r.be32(0);
    const seqnum = r.be32(4);
    const devid = r.be32(8);
    if ((command === CMD.unlink || command === CMD.submit) && devid !== DEVID)
      throw new Error(
        `URB ${seqnum} for devid ${devid.toString(16).padStart(8, '0')}h, not the imported device's ${DEVID.toString(16).padStart(8, '0')}h (bus ${BUS_NUM}, device ${DEV_NUM})`,
      );
    if (command === CMD.unlink) {
      const h = this.take(URB_HEADER);
      if (!h) return false;
      const target = new ByteReader(h, 'CMD_UNLINK').be32(20);
      const unlinked = port.cancel(target);
      // RET_UNLINK: -ECONNRESET when the URB was still pending, 0 when it had completed.
      this.flow.write(retHeader(CMD.retUnlink, seqnum, unlinked ? URB_STATUS.cancelled : 0, 0));
      return true;
    }
    if (command !== CMD.submit) throw new Error(`unknown usbip command ${command}`);
    const direction = r.be32(12);
    const ep = r.be32(16);
    const length = r.be32(24);
    const packets = r.be32(36);
    if (length > MAX_TRANSFER)
      throw new Error(`CMD_SUBMIT asks for ${length} bytes (more than ${MAX_TRANSFER})`);
    if (direction > 1 || ep > 15)
      throw new Error(`CMD_SUBMIT with direction ${direction}, endpoint ${ep}`);
    if (ep === 0 && length > MAX_CONTROL_DATA)
      throw new Error(`CMD_SUBMIT on EP0 asks for ${length} bytes (wLength is at most 65535)`);
    // Isochronous packet descriptors would follow the data; this device has no iso endpoint.
    if (!NOT_ISO.includes(packets))
      throw new Error(`CMD_SUBMIT with number_of_packets ${packets}: no isochronous endpoint here`);
    const outLength = direction === 0 ? length : 0;
    if (this.queue.length < URB_HEADER + outLength) return false;
    const h = this.take(URB_HEADER) as Uint8Array;
    const data = this.take(outLength) as Uint8Array;
    const isIn = direction === 1;
    const reply = (c: Completion, actual: number): void => {
      // An unlinked URB gets no RET_SUBMIT: its RET_UNLINK said so.
      if (this.closed || c.status === 'cancelled') return c.release?.();
      this.flow.write(retHeader(CMD.retSubmit, seqnum, URB_STATUS[c.status], actual));
      // A reply buffer goes back to the port once the socket has written it.
      if (isIn && c.data.length > 0) this.flow.write(c.data, c.release);
      else c.release?.();
    };
    if (ep === 0) {
      const s = new ByteReader(h, 'CMD_SUBMIT setup');
      const setup = {
        bmRequestType: s.u8(40),
        bRequest: s.u8(41),
        wValue: s.le16(42),
        wIndex: s.le16(44),
        wLength: s.le16(46),
      };
      const c = await port.control(setup, data);
      // An IN answer fills at most the URB's transfer buffer, whatever wLength says: vhci-hcd
      // drops a connection whose RET_SUBMIT is longer (usbip_recv_xbuff).
      const answer =
        isIn && c.data.length > length ? { ...c, data: c.data.subarray(0, length) } : c;
      reply(answer, isIn ? answer.data.length : c.status === 'ok' ? data.length : 0);
      return true;
    }
    const address = ep | (isIn ? 0x80 : 0);
    if (!port.isBulkEndpoint(address)) {
      reply({ status: 'stall', data: new Uint8Array() }, 0);
      return true;
    }
    if (!isIn) {
      const c = await port.bulkOut(address, data);
      reply(c, c.status === 'ok' ? data.length : 0);
      return true;
    }
    if (!port.canPark) throw new Error(`more than ${MAX_PARKED_IN} Bulk-IN URBs waiting at once`);
    void port.bulkIn(seqnum, address, length).then((c) => reply(c, c.data.length));
    return true;
  }
}

export type UsbipExport = ExportServer;

/** Listens for USB/IP clients on host:port (loopback unless told otherwise; 3240 is usbip's own port). */
export function serveUsbip(options: ServeOptions<ExportedDrive, UsbCapture>): Promise<UsbipExport> {
  const log = options.log ?? (() => undefined);
  const limits = limitsOf(options);
  let importer: Socket | undefined;
  const claim = (socket: Socket) => (): boolean => {
    if (importer) return false;
    importer = socket;
    return true;
  };
  return listenTcp(
    options.host ?? '127.0.0.1',
    options.port ?? 0,
    (socket, readInto) => {
      socket.on('close', () => {
        if (importer === socket) importer = undefined;
      });
      new Connection(
        socket,
        readInto,
        options.drive,
        options.capture,
        log,
        claim(socket),
        limits,
        options.writes,
      );
    },
    { name: 'usbip', maxConnections: limits.maxConnections, log, reads: options.reads },
  );
}
