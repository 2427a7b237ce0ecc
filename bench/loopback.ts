/**
 * The usbredir exporter's own cost, apart from QEMU: a usb-guest played in
 * this process sends TEST UNIT READY as QEMU would (CBW on Bulk-Out, then a
 * Bulk-In for the CSW) over loopback TCP. Its peer is the floor any such
 * exchange has: the same two round trips to a server that only echoes.
 */
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { encodeCbw } from '../shared/bot/cbw';
import { asByteCount, asLun } from '../shared/scsi/brand';
import { findProfile } from '../src-main/emulator/profiles';
import { MemoryStore } from '../src-main/emulator/store';
import { ExportedDrive } from '../src-main/export/exported-drive';
import { serveUsbredir } from '../src-main/export/usbredir';
import {
  bulkHeader,
  CAP,
  capsWords,
  encodeMessage,
  helloHeader,
  MessageReader,
  MSG,
  type Message,
} from '../src-main/export/usbredir-codec';

/** Resolves each `next()` with the next message (or chunk) the socket delivers. */
function inbox<T>(socket: Socket, split: (chunk: Buffer) => T[]): () => Promise<T> {
  const queue: T[] = [];
  let wake: (() => void) | undefined;
  socket.on('data', (d: Buffer) => {
    queue.push(...split(d));
    wake?.();
  });
  return async () => {
    for (;;) {
      const m = queue.shift();
      if (m !== undefined) return m;
      await new Promise<void>((r) => (wake = r));
    }
  };
}

/** A connected usb-guest and one TEST UNIT READY exchange as a function. */
export async function usbredirTur(): Promise<{
  tur: () => Promise<void>;
  close: () => Promise<void>;
}> {
  const p = findProfile('flash-stick');
  if (!p) throw new Error('no flash-stick profile');
  const server = await serveUsbredir({
    drive: new ExportedDrive(p, new MemoryStore(p.blockSize, p.blocks)),
  });
  const socket = connect(server.port, '127.0.0.1');
  socket.setNoDelay(true);
  await new Promise((r) => socket.once('connect', r));
  const reader = new MessageReader();
  const next = inbox<Message>(socket, (d) => {
    reader.push(d);
    const out: Message[] = [];
    for (let m = reader.next(); m.ok && m.value; m = reader.next()) out.push(m.value);
    return out;
  });
  await next(); // the exporter's hello
  const caps = [CAP.connectDeviceVersion, CAP.epInfoMaxPacketSize, CAP.ids64, CAP.bulkLength32];
  socket.write(encodeMessage(MSG.hello, 0, helloHeader('bench usb-guest'), capsWords(caps), false));
  reader.wideIds = true;
  reader.negotiated = { caps: new Set(caps) };
  for (let i = 0; i < 3; i++) await next(); // ep_info, interface_info, device_connect
  const n = reader.negotiated;
  let id = 1;
  let tag = 1;
  const out = (data: Uint8Array): Uint8Array =>
    encodeMessage(
      MSG.bulkPacket,
      id++,
      bulkHeader({ endpoint: 0x02, status: 0, length: data.length, streamId: 0 }, n),
      data,
      true,
    );
  const inReq = (): Uint8Array =>
    encodeMessage(
      MSG.bulkPacket,
      id++,
      bulkHeader({ endpoint: 0x81, status: 0, length: 13, streamId: 0 }, n),
      new Uint8Array(),
      true,
    );
  return {
    tur: async () => {
      const cbw = encodeCbw({
        tag: tag++,
        dataTransferLength: asByteCount(0),
        direction: 'in',
        lun: asLun(0),
        cdb: new Uint8Array(6),
      });
      if (!cbw.ok) throw new Error(cbw.error.message);
      socket.write(out(cbw.value));
      await next();
      socket.write(inReq());
      await next();
    },
    close: async () => {
      socket.destroy();
      await server.close();
    },
  };
}

/** The peer: two request/answer round trips to a loopback echo server. */
export async function echoTwice(): Promise<{
  tur: () => Promise<void>;
  close: () => Promise<void>;
}> {
  const server = createServer((s) => {
    s.setNoDelay(true);
    s.on('data', (d) => s.write(d));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
  socket.setNoDelay(true);
  await new Promise((r) => socket.once('connect', r));
  const next = inbox<Buffer>(socket, (d) => [d]);
  const request = new Uint8Array(43);
  return {
    tur: async () => {
      socket.write(request);
      await next();
      socket.write(request.subarray(0, 22));
      await next();
    },
    close: async () => {
      socket.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
