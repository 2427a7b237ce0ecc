/**
 * Serves an emulated drive over usbredir as the "usb-host" side, so QEMU's
 * `-device usb-redir` attaches it to a guest as if it were plugged in
 * (protocol: SPICE usbredir, usb-redirection-protocol.txt). QEMU is the TCP
 * client (`-chardev socket,host=…,port=…,reconnect=1`); this listens.
 *
 * Order the protocol requires of the usb-host: hello; on the peer's hello,
 * ep_info, interface_info, device_connect; after set_configuration or
 * set_alt_setting, ep_info and interface_info before the status reply.
 * A malformed or hostile message closes that connection with a logged
 * reason; the listener keeps serving.
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
import type { UrbOutcome, UsbCapture } from '../capture/usbmon';
import { MAX_PARKED_IN, MAX_TRANSFER, UsbPort } from './usb-port';
import {
  bulkHeader,
  CAP,
  capsWords,
  controlHeader,
  encodeHead,
  helloHeader,
  MessageReader,
  MSG,
  parseBulk,
  parseControl,
  parseHello,
  SPEED,
  STATUS,
  type Message,
  type Negotiated,
  type RedirId,
} from './usbredir-codec';
import type { ExportedDrive } from './exported-drive';
import { putLe16, putLe32 } from '../../shared/scsi/bytes';
import { getInterface, setConfiguration, setInterface } from '../../shared/bot/requests';
import { errorText } from '../../shared/error-text';

const VERSION = 'usbcdb usb-host 0.1';
/** What this side implements; the guest's hello says which of them are in effect. */
const OUR_CAPS = [CAP.connectDeviceVersion, CAP.epInfoMaxPacketSize, CAP.ids64, CAP.bulkLength32];

const TRANSFER_TYPE = { control: 0, bulk: 2, invalid: 255 } as const;

const REDIR_STATUS: Readonly<Record<UrbOutcome, number>> = {
  ok: STATUS.success,
  stall: STATUS.stall,
  timeout: STATUS.timeout,
  error: STATUS.ioerror,
  cancelled: STATUS.cancelled,
  overflow: STATUS.babble,
};

/** ep_info index: 0–15 OUT endpoints, 16–31 IN endpoints (usbredirproto.h). */
const epIndex = (address: number): number => ((address & 0x80) >> 3) | (address & 0x0f);

class Connection {
  /** Each message is dealt with before the next is read (`drain`), so the reader may reuse its buffer. */
  private readonly reader = new MessageReader({ reuseBuffer: true });
  private negotiated: Negotiated = { caps: new Set() };
  private wide = false;
  private helloSeen = false;
  private readonly port: UsbPort;
  /** The configuration the guest last set (the device's, until a reset), for the status messages. */
  private configuration = 0;
  /** Starts working through queued messages unless that is already under way. */
  private readonly schedule = singleFlight(() => this.drain());
  private closed = false;
  private readonly flow: Backpressure;
  private readonly handshakeTimer: NodeJS.Timeout;

  constructor(
    private readonly socket: Socket,
    readInto: ReadInto,
    private readonly drive: ExportedDrive,
    capture: UsbCapture | undefined,
    private readonly log: (line: string) => void,
    limits: ExportLimits,
    writes: WriteMode | undefined,
  ) {
    this.port = new UsbPort(drive, capture);
    this.flow = new Backpressure(socket, limits, () => this.reader.full, writes);
    readInto({
      landing: () => this.reader.landing(),
      landed: (n) => this.onLanded(n),
      received: (bytes, owned) => this.onData(bytes, owned),
    });
    socket.on('error', (e) => this.log(`usbredir: connection error: ${e.message}`));
    socket.on('close', () => {
      this.closed = true;
      clearTimeout(this.handshakeTimer);
      this.port.close();
    });
    this.handshakeTimer = setTimeout(
      () => this.fail(`no hello within ${limits.handshakeMs} ms of connecting`),
      limits.handshakeMs,
    ).unref();
    this.send(MSG.hello, 0, helloHeader(VERSION), capsWords(OUR_CAPS));
  }

  private onData(chunk: Uint8Array, owned: boolean): void {
    if (this.closed) return;
    // The socket is paused once the reader is full; a chunk past that is a bug of ours, not the peer's.
    if (this.reader.full) return this.fail('input arrived past the queue limit while paused');
    this.reader.push(chunk, owned);
    this.flow.update();
    if (this.reader.ready) this.schedule();
  }

  /** Bytes read straight into the message the reader is joining. */
  private onLanded(n: number): void {
    if (this.closed) return;
    this.reader.landed(n);
    if (this.reader.ready) this.schedule();
  }

  private fail(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.log(`usbredir: closing the connection: ${reason}`);
    this.socket.destroy();
  }

  /** The header goes in a small buffer of its own and the data after it, uncopied (one writev with the rest of the batch). */
  private send(
    type: number,
    id: RedirId,
    header: Uint8Array,
    data?: Uint8Array,
    written?: () => void,
  ): void {
    if (this.closed) return written?.();
    this.flow.write(encodeHead(type, id, header, data?.length ?? 0, this.wide));
    if (data && data.length > 0) this.flow.write(data, written);
    else written?.();
  }

  /**
   * One message at a time, in order (replies leave in the order requests came), while the guest
   * reads. Waits only where something is pending: a full output, a device still working.
   */
  private async drain(): Promise<void> {
    while (!this.closed) {
      if (this.flow.outputFull) {
        const room = await this.flow.writable();
        if (room === 'stalled')
          return this.fail('the guest has left replies unread too long (is it still running?)');
        if (room === 'closed') return;
      }
      const next = this.reader.next();
      if (!next.ok) return this.fail(next.error.message);
      if (!next.value) return;
      try {
        const handled = this.handle(next.value);
        if (handled) await handled;
        if (this.port.waiting) await this.port.poke();
      } catch (e) {
        return this.fail(`handling message type ${next.value.type}: ${errorText(e)}`);
      }
      this.flow.update();
    }
  }

  /** What each message a usb-guest may send does; built once per connection. */
  private readonly handlers: Readonly<Record<number, (m: Message) => Promise<void> | void>> = {
    [MSG.hello]: (x) => this.onHello(x),
    [MSG.reset]: () => this.onReset(),
    [MSG.setConfiguration]: (x) => this.onSetConfiguration(x),
    [MSG.getConfiguration]: (x) =>
      this.send(
        MSG.configurationStatus,
        x.id,
        Uint8Array.from([STATUS.success, this.configuration]),
      ),
    [MSG.setAltSetting]: (x) => this.onSetAltSetting(x),
    [MSG.getAltSetting]: (x) => this.onGetAltSetting(x),
    [MSG.controlPacket]: (x) => this.onControl(x),
    [MSG.bulkPacket]: (x) => this.onBulk(x),
    [MSG.cancelDataPacket]: (x) => this.onCancel(x),
    // This device has no interrupt, iso or stream endpoints: say so.
    [MSG.startInterruptReceiving]: (x) =>
      this.send(
        MSG.interruptReceivingStatus,
        x.id,
        Uint8Array.from([STATUS.inval, x.header[0] ?? 0]),
      ),
    [MSG.stopInterruptReceiving]: (x) =>
      this.send(
        MSG.interruptReceivingStatus,
        x.id,
        Uint8Array.from([STATUS.success, x.header[0] ?? 0]),
      ),
    [MSG.startIsoStream]: (x) =>
      this.send(MSG.isoStreamStatus, x.id, Uint8Array.from([STATUS.inval, x.header[0] ?? 0])),
    [MSG.stopIsoStream]: (x) =>
      this.send(MSG.isoStreamStatus, x.id, Uint8Array.from([STATUS.success, x.header[0] ?? 0])),
    [MSG.filterFilter]: () => undefined,
    [MSG.filterReject]: () => undefined,
    [MSG.deviceDisconnectAck]: () => undefined,
  };

  /** A promise only when the handler has to wait (the device's control and bulk pipes). */
  private handle(m: Message): Promise<void> | void {
    // The reader refuses anything but a hello first.
    const handler = this.handlers[m.type];
    if (!handler) return this.fail(`message type ${m.type} is not one a usb-guest sends`);
    return handler(m);
  }

  private onHello(m: Message): void {
    if (this.helloSeen) return this.fail('a second hello');
    this.helloSeen = true;
    clearTimeout(this.handshakeTimer);
    const peer = parseHello(m);
    this.negotiated = { caps: new Set(OUR_CAPS.filter((c) => peer.caps.has(c))) };
    this.reader.negotiated = this.negotiated;
    // Ids are 64-bit from now on when both sides said so (the hellos themselves are 32-bit).
    this.wide = this.negotiated.caps.has(CAP.ids64);
    this.reader.wideIds = this.wide;
    this.log(`usbredir: ${peer.version || 'a usb-guest'} connected`);
    this.sendInterfaces();
    this.send(MSG.deviceConnect, 0, this.deviceConnectHeader());
  }

  private deviceConnectHeader(): Uint8Array {
    const withVersion = this.negotiated.caps.has(CAP.connectDeviceVersion);
    const h = new Uint8Array(withVersion ? 10 : 8);
    h[0] = SPEED[this.drive.speed];
    // Class, subclass, protocol of the device descriptor: 0, the interface defines them.
    putLe16(h, 4, this.drive.profile.usb.vendorId);
    putLe16(h, 6, this.drive.profile.usb.productId);
    if (withVersion) putLe16(h, 8, this.drive.bcdDevice);
    return h;
  }

  private sendInterfaces(): void {
    const withMaxPacket = this.negotiated.caps.has(CAP.epInfoMaxPacketSize);
    const ep = new Uint8Array(withMaxPacket ? 160 : 96);
    ep.fill(TRANSFER_TYPE.invalid, 0, 32);
    const set = (address: number, type: number, maxPacket: number): void => {
      const i = epIndex(address);
      ep[i] = type;
      ep[64 + i] = this.drive.iface.number;
      if (withMaxPacket) putLe16(ep, 96 + 2 * i, maxPacket);
    };
    set(0x00, TRANSFER_TYPE.control, this.drive.ep0MaxPacket);
    set(0x80, TRANSFER_TYPE.control, this.drive.ep0MaxPacket);
    for (const e of this.drive.endpoints) set(e.address, TRANSFER_TYPE.bulk, e.maxPacket);
    this.send(MSG.epInfo, 0, ep);
    const info = new Uint8Array(132);
    putLe32(info, 0, 1);
    info[4] = this.drive.iface.number;
    info[36] = this.drive.iface.class;
    info[68] = this.drive.iface.subclass;
    info[100] = this.drive.iface.protocol;
    this.send(MSG.interfaceInfo, 0, info);
  }

  private onReset(): void {
    // A USB reset: the device starts over (halts cleared, BOT idle, a new power-on unit attention,
    // not configured).
    this.port.reset();
    this.configuration = 0;
    this.log('usbredir: the guest reset the device');
  }

  /**
   * QEMU turns the guest's SET_CONFIGURATION and SET_INTERFACE into these messages; the device
   * answers them as the control requests they are (what exists, the halts they clear).
   */
  private async onSetConfiguration(m: Message): Promise<void> {
    const cfg = m.header[0] ?? 0;
    const okay = (await this.port.control(setConfiguration(cfg), new Uint8Array())).status === 'ok';
    if (okay) this.configuration = cfg;
    this.sendInterfaces();
    this.send(
      MSG.configurationStatus,
      m.id,
      Uint8Array.from([okay ? STATUS.success : STATUS.inval, this.configuration]),
    );
  }

  private async onSetAltSetting(m: Message): Promise<void> {
    const [intf = 0, alt = 0] = m.header;
    const okay =
      (await this.port.control(setInterface(intf, alt), new Uint8Array())).status === 'ok';
    this.sendInterfaces();
    this.sendAltSettingStatus(m.id, intf, okay ? 0 : undefined);
  }

  /** QEMU turns the guest's GET_INTERFACE into get_alt_setting; the device answers it. */
  private async onGetAltSetting(m: Message): Promise<void> {
    const intf = m.header[0] ?? 0;
    const done = await this.port.control(getInterface(intf), new Uint8Array());
    this.sendAltSettingStatus(m.id, intf, done.status === 'ok' ? (done.data[0] ?? 0) : undefined);
  }

  /**
   * alt_setting_status: success and the alternate setting, or (`alt` undefined) inval with the
   * interface's current setting, which is 0, or -1 (FFh) for an interface the device lacks, as
   * usbredirhost.c answers.
   */
  private sendAltSettingStatus(id: RedirId, intf: number, alt: number | undefined): void {
    const current = intf === this.drive.iface.number ? 0 : 0xff;
    const header = alt === undefined ? [STATUS.inval, intf, current] : [STATUS.success, intf, alt];
    this.send(MSG.altSettingStatus, id, Uint8Array.from(header));
  }

  private async onControl(m: Message): Promise<void> {
    const c = parseControl(m.header);
    const isIn = (c.requestType & 0x80) !== 0;
    // A control packet for an endpoint other than EP0 (00h/80h, the only control endpoint
    // ep_info announces) is refused, not run as an EP0 request: usbredirhost answers it inval.
    if ((c.endpoint & 0x7f) !== 0) {
      this.send(MSG.controlPacket, m.id, controlHeader({ ...c, status: STATUS.inval, length: 0 }));
      return;
    }
    const done = await this.port.control(
      {
        bmRequestType: c.requestType,
        bRequest: c.request,
        wValue: c.value,
        wIndex: c.index,
        wLength: c.length,
      },
      m.data,
    );
    const status = REDIR_STATUS[done.status];
    this.send(
      MSG.controlPacket,
      m.id,
      controlHeader({
        endpoint: c.endpoint,
        request: c.request,
        requestType: c.requestType,
        status,
        value: c.value,
        index: c.index,
        length: isIn ? done.data.length : done.status === 'ok' ? m.data.length : 0,
      }),
      done.data,
    );
  }

  private async onBulk(m: Message): Promise<void> {
    const b = parseBulk(m.header, this.negotiated);
    /** The answer: the request's endpoint and stream, a status, a length and (Bulk-IN) the data. */
    const reply = (status: number, length: number, data?: Uint8Array, written?: () => void): void =>
      this.send(
        MSG.bulkPacket,
        m.id,
        bulkHeader({ endpoint: b.endpoint, status, length, streamId: b.streamId }, this.negotiated),
        data,
        written,
      );
    if (!this.port.isBulkEndpoint(b.endpoint)) return reply(STATUS.inval, 0);
    if ((b.endpoint & 0x80) === 0) {
      const c = await this.port.bulkOut(b.endpoint, m.data);
      return reply(REDIR_STATUS[c.status], c.status === 'ok' ? m.data.length : 0);
    }
    if (b.length > MAX_TRANSFER)
      return this.fail(`a Bulk-IN of ${b.length} bytes (more than ${MAX_TRANSFER})`);
    if (!this.port.canPark)
      return this.fail(`more than ${MAX_PARKED_IN} Bulk-IN requests waiting at once`);
    // Answered when the device has data (poke after each message), or when cancelled.
    void this.port
      .bulkIn(m.id, b.endpoint, b.length)
      .then((c) => reply(REDIR_STATUS[c.status], c.data.length, c.data, c.release));
  }

  private onCancel(m: Message): void {
    // Answered through the parked request's promise; nothing to do when it was already answered.
    this.port.cancel(m.id);
  }
}

export type UsbredirExport = ExportServer;

/**
 * Listens for a usb-guest (QEMU) on host:port, loopback unless told otherwise;
 * one guest at a time (a second is refused with a logged reason).
 */
export function serveUsbredir(
  options: ServeOptions<ExportedDrive, UsbCapture>,
): Promise<UsbredirExport> {
  const log = options.log ?? (() => undefined);
  const limits = limitsOf(options);
  let active: Socket | undefined;
  const listen = {
    name: 'usbredir',
    maxConnections: limits.maxConnections,
    log,
    reads: options.reads,
  };
  return listenTcp(
    options.host ?? '127.0.0.1',
    options.port ?? 0,
    (socket, readInto) => {
      socket.on('close', () => {
        if (active === socket) active = undefined;
      });
      if (active) {
        log(
          `usbredir: refused ${socket.remoteAddress ?? 'a peer'}: the drive is attached to another guest`,
        );
        socket.destroy();
        return;
      }
      active = socket;
      new Connection(socket, readInto, options.drive, options.capture, log, limits, options.writes);
    },
    listen,
  );
}
