/**
 * The usbredir exporter's own cost, apart from QEMU: a usb-guest played in
 * this process sends TEST UNIT READY as QEMU would (CBW on Bulk-Out, then a
 * Bulk-In for the CSW) over loopback TCP. Its peer is the floor any such
 * exchange has: the same two round trips to a server that only echoes.
 */
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { findProfile } from '../src-main/emulator/profiles';
import { MemoryStore } from '../src-main/emulator/store';
import { ExportedDrive } from '../src-main/export/exported-drive';
import { serveUsbredir } from '../src-main/export/usbredir';
import { connectUsbGuest } from './usb-guest';

/** Resolves each `next()` with the next chunk the socket delivers. */
function inbox(socket: Socket): () => Promise<Buffer> {
  const queue: Buffer[] = [];
  let wake: (() => void) | undefined;
  socket.on('data', (d: Buffer) => {
    queue.push(d);
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

/**
 * A connected usb-guest (bench/usb-guest.ts) and one TEST UNIT READY as QEMU forwards it from
 * Linux: the CBW, its acknowledgement, then the CSW request and the CSW (two round trips).
 */
export async function usbredirTur(): Promise<{
  tur: () => Promise<void>;
  close: () => Promise<void>;
}> {
  const p = findProfile('flash-stick');
  if (!p) throw new Error('no flash-stick profile');
  const server = await serveUsbredir({
    drive: new ExportedDrive(p, new MemoryStore(p.blockSize, p.blocks)),
  });
  const guest = await connectUsbGuest(server.port);
  return {
    tur: guest.turSequential,
    close: async () => {
      guest.close();
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
  const next = inbox(socket);
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
