/**
 * The usbredir wire format (SPICE usbredir, usb-redirection-protocol.txt
 * v0.7, usbredirproto.h):
 * a stream of messages, each a header {type u32, length u32, id u32|u64}
 * and `length` bytes of type-specific header plus data, little-endian,
 * packed. The id is 64 bits wide once both hellos carry cap_64bits_ids;
 * the hellos themselves always use 32 bits.
 *
 * Symmetric on purpose: the exporter decodes what the usb-guest (QEMU)
 * sends and encodes its replies; the tests play the usb-guest with the
 * same code.
 */
import { ByteReader, putLe16, putLe32 } from '../../shared/scsi/bytes';
import { err, ok, type Result } from '../../shared/scsi/result';
import { ByteQueue } from '../../shared/byte-queue';
import { asciiOf } from '../../shared/inspect';
import { MAX_TRANSFER } from './usb-port';

export const MSG = {
  hello: 0,
  deviceConnect: 1,
  deviceDisconnect: 2,
  reset: 3,
  interfaceInfo: 4,
  epInfo: 5,
  setConfiguration: 6,
  getConfiguration: 7,
  configurationStatus: 8,
  setAltSetting: 9,
  getAltSetting: 10,
  altSettingStatus: 11,
  startIsoStream: 12,
  stopIsoStream: 13,
  isoStreamStatus: 14,
  startInterruptReceiving: 15,
  stopInterruptReceiving: 16,
  interruptReceivingStatus: 17,
  allocBulkStreams: 18,
  freeBulkStreams: 19,
  bulkStreamsStatus: 20,
  cancelDataPacket: 21,
  filterReject: 22,
  filterFilter: 23,
  deviceDisconnectAck: 24,
  startBulkReceiving: 25,
  stopBulkReceiving: 26,
  bulkReceivingStatus: 27,
  controlPacket: 100,
  bulkPacket: 101,
  isoPacket: 102,
  interruptPacket: 103,
  bufferedBulkPacket: 104,
} as const;

export const CAP = {
  bulkStreams: 0,
  connectDeviceVersion: 1,
  filter: 2,
  deviceDisconnectAck: 3,
  epInfoMaxPacketSize: 4,
  ids64: 5,
  bulkLength32: 6,
  bulkReceiving: 7,
} as const;

export const STATUS = {
  success: 0,
  cancelled: 1,
  inval: 2,
  ioerror: 3,
  stall: 4,
  timeout: 5,
  babble: 6,
} as const;

export const SPEED = { low: 0, full: 1, high: 2, super: 3 } as const;

/** Capabilities in effect: those both sides announced. */
export interface Negotiated {
  readonly caps: ReadonlySet<number>;
}

export const NONE: Negotiated = { caps: new Set() };

const has = (n: Negotiated, cap: number): boolean => n.caps.has(cap);

/**
 * Size of each type-specific header (usbredirproto.h), given what was negotiated:
 * a table built once per negotiation (`headerSizes`), read per message.
 */
export type HeaderSizes = ReadonlyMap<number, number>;

function headerSizes(n: Negotiated): HeaderSizes {
  return new Map<number, number>([
    [MSG.hello, 64],
    [MSG.deviceConnect, has(n, CAP.connectDeviceVersion) ? 10 : 8],
    [MSG.deviceDisconnect, 0],
    [MSG.reset, 0],
    [MSG.interfaceInfo, 132],
    [MSG.epInfo, has(n, CAP.bulkStreams) ? 288 : has(n, CAP.epInfoMaxPacketSize) ? 160 : 96],
    [MSG.setConfiguration, 1],
    [MSG.getConfiguration, 0],
    [MSG.configurationStatus, 2],
    [MSG.setAltSetting, 2],
    [MSG.getAltSetting, 1],
    [MSG.altSettingStatus, 3],
    [MSG.startIsoStream, 3],
    [MSG.stopIsoStream, 1],
    [MSG.isoStreamStatus, 2],
    [MSG.startInterruptReceiving, 1],
    [MSG.stopInterruptReceiving, 1],
    [MSG.interruptReceivingStatus, 2],
    [MSG.allocBulkStreams, 8],
    [MSG.freeBulkStreams, 4],
    [MSG.bulkStreamsStatus, 9],
    [MSG.cancelDataPacket, 0],
    [MSG.filterReject, 0],
    [MSG.filterFilter, 0],
    [MSG.deviceDisconnectAck, 0],
    [MSG.startBulkReceiving, 10],
    [MSG.stopBulkReceiving, 5],
    [MSG.bulkReceivingStatus, 6],
    [MSG.controlPacket, 10],
    [MSG.bulkPacket, has(n, CAP.bulkLength32) ? 10 : 8],
    [MSG.isoPacket, 4],
    [MSG.interruptPacket, 4],
    [MSG.bufferedBulkPacket, 10],
  ]);
}

/**
 * Ids are the usb-guest's to choose and come back unchanged in the answer. They are kept as
 * numbers (exact below 2^53); QEMU's are counters or guest addresses, far below that, and a
 * larger one is refused at its header rather than echoed rounded.
 */
export type RedirId = number;

const TWO_32 = 0x1_0000_0000;
/** The high word of an id must stay below this for the id to be exact as a number (2^53). */
const MAX_ID_HIGH = 0x20_0000;

export interface Message {
  readonly type: number;
  readonly id: RedirId;
  /** The type-specific header. */
  readonly header: Uint8Array;
  readonly data: Uint8Array;
}

/**
 * Capability words a hello may carry. usbredirproto.h has USB_REDIR_CAPS_SIZE 1:
 * one 32-bit word holds all eight capabilities of protocol 0.7; 16 words leave
 * room for later versions while a 32 MiB hello is refused at its header.
 */
export const MAX_CAPS_WORDS = 16;

/** Data a control packet may carry: wLength is 16 bits (USB 2.0 §9.3.5). */
const MAX_CONTROL_DATA = 0xffff;

/** A filter (usbredirfilter rules text) is a few dozen bytes; 64 KiB is plenty. */
const MAX_FILTER_TEXT = 64 * 1024;

/** Data a bulk, interrupt or iso packet may carry: one transfer (USB/IP's bound too). */
export const MAX_PACKET_DATA = MAX_TRANSFER;

/**
 * Bytes each message type may carry after its type-specific header. Only the hello,
 * filters and the data packets carry any: every other message is exactly its header,
 * so a length field is never trusted beyond what its type can hold.
 */
const MAX_DATA: ReadonlyMap<number, number> = new Map([
  [MSG.hello, 4 * MAX_CAPS_WORDS],
  [MSG.filterReject, 0],
  [MSG.filterFilter, MAX_FILTER_TEXT],
  [MSG.controlPacket, MAX_CONTROL_DATA],
  [MSG.bulkPacket, MAX_PACKET_DATA],
  [MSG.isoPacket, MAX_PACKET_DATA],
  [MSG.interruptPacket, MAX_PACKET_DATA],
  [MSG.bufferedBulkPacket, MAX_PACKET_DATA],
]);

/** The largest header (64-bit id) and body any message may have. */
export const MAX_MESSAGE = 16 + 10 + MAX_PACKET_DATA;

/**
 * The largest body joined in the reused buffer: a bulk packet of 1 MiB, what Linux usb-storage
 * sends per command at SuperSpeed. Larger ones (rare, or hostile) get a buffer of their own.
 */
const REUSED_JOIN = 10 + 1024 * 1024;

/** A message header that passed its checks: the type, id, type-specific header size and length after the header. */
interface Head {
  readonly type: number;
  readonly id: RedirId;
  readonly size: number;
  readonly length: number;
}

/**
 * Splits a byte stream into messages; errors name what is wrong, for the log
 * before closing. Both sides open with a hello (usb-redirection-protocol.txt),
 * so anything else first is refused at its header, before its body is awaited.
 */
export class MessageReader {
  /** Full at one largest message: one complete message is always at its head then. */
  private readonly queue = new ByteQueue(MAX_MESSAGE);
  /** Where a message that arrived in pieces is joined, when the reader reuses one buffer. */
  private join: Uint8Array | undefined;

  /**
   * @param options.reuseBuffer join a message that arrived in pieces (a 1 MiB bulk packet comes
   *   in 64 KiB socket reads) in one buffer kept for it, instead of a new one each time: a new
   *   1 MiB buffer costs a page fault per 4 KiB and leaves garbage the size of the data. Once
   *   its header is in, the rest of such a message may be read straight into that buffer
   *   (`landing`). A message's header and data are then valid only until the next call of
   *   `next`, so only a caller that is done with each message before asking for the next (the
   *   exporter) may.
   */
  constructor(private readonly options: { readonly reuseBuffer?: boolean } = {}) {}
  private helloSeen = false;
  /** Whether ids are 64-bit now (after both hellos announced cap_64bits_ids). */
  wideIds = false;
  private sizes = headerSizes(NONE);
  private agreed: Negotiated = NONE;

  /** The capabilities in effect, which size some headers; set once both hellos are in. */
  get negotiated(): Negotiated {
    return this.agreed;
  }

  set negotiated(n: Negotiated) {
    this.agreed = n;
    this.sizes = headerSizes(n);
  }

  /**
   * Takes bytes; false when the reader holds a full message's worth (pause the source). A
   * message being joined gets its bytes first; a chunk that opens a message longer than itself
   * starts joining it (`joinFrom`); the rest is queued, as it is when `owned`, else copied (the
   * caller reuses `chunk` once this returns).
   */
  push(chunk: Uint8Array, owned = true): boolean {
    const joining = this.joining;
    let rest = chunk;
    if (joining) {
      const n = Math.min(joining.body.length - joining.have, rest.length);
      joining.body.set(rest.subarray(0, n), joining.have);
      joining.have += n;
      rest = rest.subarray(n);
    }
    if (rest.length === 0 || this.joinFrom(rest)) return !this.queue.full;
    // Buffer.from copies (a Buffer's own slice would be a view of the reused memory).
    return this.queue.push(owned ? rest : Buffer.from(rest));
  }

  /**
   * Starts joining the message `bytes` opens when they are its header and only part of its
   * body, nothing is queued before them, and the reused buffer is free: the body part is copied
   * once, into that buffer, rather than queued and moved there by `next` (a socket read of 64
   * KiB that opens a 1 MiB bulk packet was otherwise copied twice, once into new memory). A
   * header that is not acceptable is left to `next`, which refuses it as it refuses any.
   */
  private joinFrom(bytes: Uint8Array): boolean {
    const headLength = this.headLength;
    if (
      !this.options.reuseBuffer ||
      this.joining ||
      this.handedOut ||
      this.queue.length > 0 ||
      bytes.length < headLength
    )
      return false;
    const head = this.head(bytes);
    if (!head.ok) return false;
    const { length } = head.value;
    const have = bytes.length - headLength;
    if (have >= length || length > REUSED_JOIN) return false;
    this.beginJoin(head.value, (into) => {
      into.set(bytes.subarray(headLength), 0);
      return have;
    });
    return true;
  }

  /** Joins the body of the message `h` heads in the reused buffer; `fill` puts there what came already and says how much. */
  private beginJoin(h: Head, fill: (into: Uint8Array) => number): void {
    const into = this.reused();
    this.joining = {
      type: h.type,
      id: h.id,
      size: h.size,
      body: into.subarray(0, h.length),
      have: fill(into),
    };
  }

  /** The buffer messages are joined in, made at first use. */
  private reused(): Uint8Array {
    return (this.join ??= new Uint8Array(REUSED_JOIN));
  }

  /**
   * Where the next bytes may be read straight into: the unfilled part of the message being
   * joined in the reused buffer, or undefined when no message is being joined.
   */
  landing(): Uint8Array | undefined {
    const joining = this.joining;
    if (!joining || joining.have === joining.body.length) return undefined;
    return joining.body.subarray(joining.have);
  }

  /** `n` bytes were read into the place `landing` gave. */
  landed(n: number): void {
    const joining = this.joining;
    if (!joining || n > joining.body.length - joining.have)
      throw new RangeError(`${n} bytes landed where the reader had no room for them`);
    joining.have += n;
  }

  /**
   * The message whose header has been read and whose body is being joined in the reused buffer
   * as it arrives (only with `reuseBuffer`): its bytes go there directly, not through the queue.
   */
  private joining:
    | {
        readonly type: number;
        readonly id: RedirId;
        readonly size: number;
        /** Where the body is joined: a view of the reused buffer, as long as the body. */
        readonly body: Uint8Array;
        have: number;
      }
    | undefined;

  /** Whether the source must pause until `next` has taken messages out. */
  get full(): boolean {
    return this.queue.full;
  }

  /** Bytes the message at the head needs, as far as `next` has seen (its header at least). */
  private wanted = 0;

  /**
   * Whether `next` may have something new to say: false while the bytes queued are still short
   * of the message at the head, so a 1 MiB bulk packet arriving in 64 KiB reads is looked at
   * once, when it is whole, not after every read.
   */
  get ready(): boolean {
    const joining = this.joining;
    return joining ? joining.have === joining.body.length : this.queue.length >= this.wanted;
  }

  /**
   * Whether the message `next` returned last may still be in use (its views of the reused
   * buffer are valid until the next call of `next`): `joinFrom` must not overwrite it.
   */
  private handedOut = false;

  /** The message header's length: type, length and a 32- or 64-bit id. */
  private get headLength(): number {
    return 8 + (this.wideIds ? 8 : 4);
  }

  /** The message header at the start of `bytes` (at least `headLength` of them), checked. */
  private head(bytes: Uint8Array): Result<Head> {
    const r = new ByteReader(bytes.subarray(0, this.headLength), 'usbredir header');
    const type = r.le32(0);
    const length = r.le32(4);
    const high = this.wideIds ? r.le32(12) : 0;
    if (high >= MAX_ID_HIGH)
      return err({
        code: 'usbredir',
        message: `usbredir message type ${type} has id ${high.toString(16)}${r.le32(8).toString(16).padStart(8, '0')}h, 2^53 or more (this exporter keeps ids exact below 2^53)`,
      });
    const id = high * TWO_32 + r.le32(8);
    const size = this.sizes.get(type);
    if (size === undefined)
      return err({ code: 'usbredir', message: `unknown usbredir message type ${type}` });
    if (!this.helloSeen && type !== MSG.hello)
      return err({
        code: 'usbredir',
        message: `usbredir message type ${type} before the hello (the protocol opens with one)`,
      });
    if (length < size)
      return err({
        code: 'usbredir',
        message: `usbredir message type ${type} is ${length} bytes, shorter than its ${size}-byte header`,
      });
    const most = size + (MAX_DATA.get(type) ?? 0);
    if (length > most)
      return err({
        code: 'usbredir',
        message: `usbredir message type ${type} claims ${length} bytes (more than the ${most} it can hold)`,
      });
    return ok({ type, id, size, length });
  }

  /** The next complete message, undefined when more bytes are needed, or an error. */
  next(): Result<Message | undefined> {
    this.handedOut = false;
    const joining = this.joining;
    if (joining) {
      if (joining.have < joining.body.length) return ok(undefined);
      this.joining = undefined;
      return ok(this.message(joining.type, joining.id, joining.size, joining.body));
    }
    const headLength = this.headLength;
    this.wanted = headLength;
    if (this.queue.length < headLength) return ok(undefined);
    const head = this.head(this.queue.peek(headLength));
    if (!head.ok) return head;
    const { type, id, size, length } = head.value;
    this.wanted = headLength + length;
    const reuse = this.options.reuseBuffer === true && length <= REUSED_JOIN;
    if (this.queue.length < headLength + length) {
      // Short of its body: with the reused buffer, start joining it there now, so what is yet
      // to come can land in place (`landing`) instead of queueing as pieces to copy later.
      if (!reuse) return ok(undefined);
      this.queue.take(headLength);
      this.beginJoin(head.value, (into) => this.queue.moveTo(into, 0));
      return ok(undefined);
    }
    this.queue.take(headLength);
    return ok(
      this.message(type, id, size, this.queue.take(length, reuse ? this.reused() : undefined)),
    );
  }

  private message(type: number, id: RedirId, size: number, body: Uint8Array): Message {
    this.helloSeen = true;
    this.handedOut = true;
    return { type, id, header: body.subarray(0, size), data: body.subarray(size) };
  }
}

/**
 * The message header and the type-specific header of a message carrying `dataLength` bytes of
 * data, in one small buffer: the data goes out after it as it is, never copied behind it.
 * `wideIds` as the reader's.
 */
export function encodeHead(
  type: number,
  id: RedirId,
  header: Uint8Array,
  dataLength: number,
  wideIds: boolean,
): Uint8Array {
  const idSize = wideIds ? 8 : 4;
  // From Node's shared pool of small buffers (no buffer of its own per message); every byte is
  // written below, so it need not be zeroed.
  const out = Buffer.allocUnsafe(8 + idSize + header.length);
  putLe32(out, 0, type);
  putLe32(out, 4, header.length + dataLength);
  putLe32(out, 8, id % TWO_32);
  if (wideIds) putLe32(out, 12, Math.floor(id / TWO_32));
  out.set(header, 8 + idSize);
  return out;
}

/** One whole message in one buffer (for a peer that sends whole messages, as the tests' usb-guest). */
export function encodeMessage(
  type: number,
  id: RedirId,
  header: Uint8Array,
  data: Uint8Array,
  wideIds: boolean,
): Uint8Array {
  const head = encodeHead(type, id, header, data.length, wideIds);
  const out = new Uint8Array(head.length + data.length);
  out.set(head);
  out.set(data, head.length);
  return out;
}

/** hello: a 64-byte NUL-padded version string; the capabilities go as 32-bit words in the data. */
export function helloHeader(version: string): Uint8Array {
  const h = new Uint8Array(64);
  for (let i = 0; i < Math.min(63, version.length); i++) h[i] = version.charCodeAt(i) & 0x7f;
  return h;
}

export function capsWords(caps: readonly number[]): Uint8Array {
  let word = 0;
  for (const c of caps) word |= 1 << c;
  const d = new Uint8Array(4);
  putLe32(d, 0, word >>> 0);
  return d;
}

export function parseHello(m: Message): { version: string; caps: Set<number> } {
  const r = new ByteReader(m.data, 'usbredir hello capabilities');
  const caps = new Set<number>();
  // The reader bounds the words (MAX_CAPS_WORDS); bits past them would name no capability anyway.
  for (let w = 0; w + 4 <= Math.min(m.data.length, 4 * MAX_CAPS_WORDS); w += 4) {
    const word = r.le32(w);
    for (let bit = 0; bit < 32; bit++) if ((word >>> bit) & 1) caps.add(w * 8 + bit);
  }
  const nul = m.header.indexOf(0);
  // The peer's words, logged when it connects: printable ASCII only, so an ESC it sends cannot
  // reach the operator's terminal as an escape sequence (ECMA-48).
  const version = asciiOf(m.header.subarray(0, nul < 0 ? 64 : nul));
  return { version, caps };
}

export interface ControlHeader {
  readonly endpoint: number;
  readonly request: number;
  readonly requestType: number;
  readonly status: number;
  readonly value: number;
  readonly index: number;
  readonly length: number;
}

export function parseControl(h: Uint8Array): ControlHeader {
  const r = new ByteReader(h, 'usbredir control packet header');
  return {
    endpoint: r.u8(0),
    request: r.u8(1),
    requestType: r.u8(2),
    status: r.u8(3),
    value: r.le16(4),
    index: r.le16(6),
    length: r.le16(8),
  };
}

export function controlHeader(c: ControlHeader): Uint8Array {
  const h = Uint8Array.from([c.endpoint, c.request, c.requestType, c.status, 0, 0, 0, 0, 0, 0]);
  putLe16(h, 4, c.value);
  putLe16(h, 6, c.index);
  putLe16(h, 8, c.length);
  return h;
}

export interface BulkHeader {
  readonly endpoint: number;
  readonly status: number;
  readonly length: number;
  readonly streamId: number;
}

export function parseBulk(h: Uint8Array, n: Negotiated): BulkHeader {
  const r = new ByteReader(h, 'usbredir bulk packet header');
  const high = has(n, CAP.bulkLength32) ? r.le16(8) : 0;
  return {
    endpoint: r.u8(0),
    status: r.u8(1),
    length: r.le16(2) + high * 0x10000,
    streamId: r.le32(4),
  };
}

export function bulkHeader(b: BulkHeader, n: Negotiated): Uint8Array {
  const wide = has(n, CAP.bulkLength32);
  const h = new Uint8Array(wide ? 10 : 8);
  h[0] = b.endpoint;
  h[1] = b.status;
  putLe16(h, 2, b.length & 0xffff);
  putLe32(h, 4, b.streamId);
  if (wide) putLe16(h, 8, Math.floor(b.length / 0x10000) & 0xffff);
  return h;
}
