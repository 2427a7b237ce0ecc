/**
 * A lean usb-guest for the host-only benchmark: it opens a usbredir
 * connection to any usb-host (usbcdb's exporter or the C reference disk),
 * then sends Bulk-Only commands the way QEMU forwards a guest's URBs —
 * the CBW, the data request and the CSW request in one write — and counts
 * the answers without copying them. Both peers get the same client, so what
 * differs between their rates is the peer (usb-redirection-protocol.txt v0.7
 * for the messages, BOT 1.0 §5 for the CBW and CSW).
 */
import { connect, type Socket } from 'node:net';
import { encodeCbw } from '../shared/bot/cbw';
import { asByteCount, asLun } from '../shared/scsi/brand';
import { putBe16 } from '../shared/scsi/bytes';
import {
  bulkHeader,
  CAP,
  capsWords,
  encodeHead,
  encodeMessage,
  helloHeader,
  MessageReader,
  MSG,
  type Negotiated,
} from '../src-main/export/usbredir-codec';

const BULK_OUT = 0x02;
const BULK_IN = 0x81;
const CSW_LENGTH = 13;
/** What this guest announces; both peers implement all four. */
const CAPS = [CAP.connectDeviceVersion, CAP.epInfoMaxPacketSize, CAP.ids64, CAP.bulkLength32];
/** Message header with 64-bit ids (type, length, id). */
const HEAD = 16;
/** What one read may take: a whole 1 MiB answer and its headers. */
const RECEIVE_BUFFER = 2 * 1024 * 1024;

export interface UsbGuest {
  /** TEST UNIT READY: CBW and CSW request in one write, resolved on the CSW. */
  readonly tur: () => Promise<void>;
  /** The same, the CSW request sent once the CBW was acknowledged, as Linux usb-storage does. */
  readonly turSequential: () => Promise<void>;
  /** READ(10) of `bytes` at LBA 0: CBW, data and CSW requests in one write. */
  readonly read: (bytes: number) => Promise<void>;
  /** WRITE(10) of `data` at LBA 0. */
  readonly write: (data: Uint8Array) => Promise<void>;
  /** The same, each stage waiting for the one before as Linux usb-storage does (CBW, data, CSW). */
  readonly writeSequential: (data: Uint8Array) => Promise<void>;
  readonly close: () => void;
}

/**
 * Counts whole messages in the stream after the handshake: only headers are
 * looked at (a header split across reads is gathered in a 16-byte buffer),
 * data is skipped where it lies.
 */
class Counter {
  private readonly head = new Uint8Array(HEAD);
  private have = 0;
  private skip = 0;
  private bytes = 0;
  count = 0;
  /** Bytes received in all (headers and data), and the last byte received (a CSW's status). */
  received = 0;
  last = 0;

  feed(chunk: Uint8Array): void {
    this.received += chunk.length;
    this.last = chunk[chunk.length - 1] ?? this.last;
    let at = 0;
    while (at < chunk.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - at);
        this.skip -= n;
        at += n;
        if (this.skip === 0) this.count++;
        continue;
      }
      const n = Math.min(HEAD - this.have, chunk.length - at);
      this.head.set(chunk.subarray(at, at + n), this.have);
      this.have += n;
      at += n;
      if (this.have < HEAD) continue;
      this.have = 0;
      const view = new DataView(this.head.buffer);
      this.bytes = view.getUint32(4, true);
      this.skip = this.bytes;
      if (this.skip === 0) this.count++;
    }
  }
}

function cbw(tag: number, cdb: Uint8Array, length: number, direction: 'in' | 'out'): Uint8Array {
  const c = encodeCbw({
    tag,
    dataTransferLength: asByteCount(length),
    direction,
    lun: asLun(0),
    cdb,
  });
  if (!c.ok) throw new Error(c.error.message);
  return c.value;
}

/** READ(10) / WRITE(10) of `blocks` 512-byte blocks at LBA 0 (SBC-4 §5.16, §5.40). */
function rw10(opcode: number, blocks: number): Uint8Array {
  const cdb = new Uint8Array(10);
  cdb[0] = opcode;
  putBe16(cdb, 7, blocks);
  return cdb;
}

/** Connects, exchanges hellos, waits for device_connect and clears a unit attention. */
export async function connectUsbGuest(port: number, host = '127.0.0.1'): Promise<UsbGuest> {
  const reader = new MessageReader();
  let handshaking = true;
  const counter = new Counter();
  let wanted = 0;
  let wake: (() => void) | undefined;
  let connected: (() => void) | undefined;
  const deviceConnected = new Promise<void>((r) => (connected = r));
  // Reads land in one reused buffer (no allocation per read), so the client's own cost stays
  // small beside either peer's; only the handshake's messages are copied out of it.
  const socket: Socket = connect({
    port,
    host,
    onread: {
      buffer: Buffer.allocUnsafe(RECEIVE_BUFFER),
      callback: (n: number, buffer: Uint8Array) => {
        onChunk(buffer.subarray(0, n));
        return true;
      },
    },
  });
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  function onChunk(d: Uint8Array): void {
    if (!handshaking) {
      counter.feed(d);
      if (counter.count >= wanted) wake?.();
      return;
    }
    reader.push(d.slice());
    for (let m = reader.next(); m.ok && m.value; m = reader.next()) {
      if (m.value.type === MSG.hello) {
        socket.write(
          encodeMessage(MSG.hello, 0, helloHeader('usbcdb bench'), capsWords(CAPS), false),
        );
        reader.wideIds = true;
        reader.negotiated = { caps: new Set(CAPS) };
      }
      if (m.value.type === MSG.deviceConnect) {
        // Nothing follows device_connect unasked: from here on, messages are only counted.
        handshaking = false;
        connected?.();
      }
    }
  }
  await deviceConnected;
  const n: Negotiated = reader.negotiated;
  let id = 1;
  let tag = 1;
  /** A bulk packet as its head and data, so a 1 MiB WRITE is not copied behind its header. */
  const bulk = (endpoint: number, length: number, data?: Uint8Array): Uint8Array[] => {
    const head = encodeHead(
      MSG.bulkPacket,
      id++,
      bulkHeader({ endpoint, status: 0, length, streamId: 0 }, n),
      data?.length ?? 0,
      true,
    );
    return data ? [head, data] : [head];
  };
  /**
   * Sends the messages in one writev and resolves once as many answers have come, checking that
   * they carried `dataIn` bytes of data and ended in a CSW with status 0 (a peer that answered
   * something else would otherwise be measured as fast).
   */
  const exchange = async (
    messages: readonly Uint8Array[][],
    dataIn = 0,
    endsInCsw = true,
  ): Promise<void> => {
    wanted = counter.count + messages.length;
    const before = counter.received;
    socket.cork();
    for (const part of messages.flat()) socket.write(part);
    socket.uncork();
    if (counter.count < wanted) await new Promise<void>((r) => (wake = r));
    // Each answer is a 16-byte header and a 10-byte bulk header; the last carries the 13-byte CSW.
    const expected = messages.length * (HEAD + 10) + dataIn + (endsInCsw ? CSW_LENGTH : 0);
    if (counter.received - before !== expected || (endsInCsw && counter.last !== 0))
      throw new Error(
        `the peer answered ${counter.received - before} bytes ending in status ${counter.last}, not ${expected} ending in a good CSW`,
      );
  };
  const tur = (): Promise<void> =>
    exchange([
      bulk(BULK_OUT, 31, cbw(tag++, new Uint8Array(6), 0, 'in')),
      bulk(BULK_IN, CSW_LENGTH),
    ]);
  // A power-on unit attention fails the first command (SAM-5 §5.14): it is reported here once.
  await tur().catch(() => tur());
  return {
    tur,
    read: (bytes) =>
      exchange(
        [
          bulk(BULK_OUT, 31, cbw(tag++, rw10(0x28, bytes / 512), bytes, 'in')),
          bulk(BULK_IN, bytes),
          bulk(BULK_IN, CSW_LENGTH),
        ],
        bytes,
      ),
    write: (data) =>
      exchange([
        bulk(BULK_OUT, 31, cbw(tag++, rw10(0x2a, data.length / 512), data.length, 'out')),
        bulk(BULK_OUT, data.length, data),
        bulk(BULK_IN, CSW_LENGTH),
      ]),
    turSequential: async () => {
      await exchange([bulk(BULK_OUT, 31, cbw(tag++, new Uint8Array(6), 0, 'in'))], 0, false);
      await exchange([bulk(BULK_IN, CSW_LENGTH)]);
    },
    writeSequential: async (data) => {
      await exchange(
        [bulk(BULK_OUT, 31, cbw(tag++, rw10(0x2a, data.length / 512), data.length, 'out'))],
        0,
        false,
      );
      await exchange([bulk(BULK_OUT, data.length, data)], 0, false);
      await exchange([bulk(BULK_IN, CSW_LENGTH)]);
    },
    close: () => socket.destroy(),
  };
}
