/**
 * Where an exporter's socket reads land.
 *
 * A 'data' listener gets each read in a new buffer of up to 64 KiB that Node allocates for it.
 * Measured in a guest writing 1 MiB blocks over usbredir, that was the exporter's largest cost:
 * every read landed in memory the kernel had to fault in page by page, and the garbage of the
 * buffers kept V8's collector busy. Node's `onread` option of net.Socket reads into memory the
 * caller gives instead, and asks for the next place after every read. A connection here gives
 * either the unfilled part of the message it is joining (a 1 MiB bulk packet then arrives
 * straight where it is used: no copy, no new memory) or one scratch buffer of its own that it
 * copies what it keeps out of.
 *
 * Node offers `onread` only to sockets it creates itself (net.Socket, net.connect), not to the
 * ones a server accepts. `acceptIntoOwnBuffers` therefore takes the accepted handle as Node's
 * own server does (the listening handle's `onconnection`, lib/net.js) and wraps it in a
 * net.Socket with `onread`. That reaches into Node's internals; where they are not as expected
 * it returns false and the server accepts as usual, reading through 'data' events.
 */
import { Socket, type OnReadOpts, type Server, type SocketConstructorOpts } from 'node:net';

/** What a connection does with its incoming bytes. */
export interface ByteSink {
  /** Where the next read may land directly (the unfilled part of a message), if anywhere. */
  landing(): Uint8Array | undefined;
  /** `n` bytes were read into the place `landing` gave last. */
  landed(n: number): void;
  /**
   * Bytes read elsewhere. `owned`: the sink may keep them; otherwise they are valid only during
   * this call (the scratch buffer the next read reuses) and the sink copies what it keeps.
   */
  received(bytes: Uint8Array, owned: boolean): void;
}

/** Hands a connection's reads to its sink; call once, before returning from the accept callback. */
export type ReadInto = (sink: ByteSink) => void;

/** How the listener reads: into memory of each connection's own, or Node's buffer per read. */
export type ReadMode = 'own-buffers' | 'node-buffers';

/** A read lands here when the sink has no place for it: as large as Node's own read buffers. */
const SCRATCH_BYTES = 64 * 1024;

/** The usual way: each read is a new buffer the sink may keep. */
export function readThroughData(socket: Socket): ReadInto {
  return (sink) => socket.on('data', (chunk: Buffer) => sink.received(chunk, true));
}

/** A socket on an accepted handle whose reads land where its sink says, or in its scratch buffer. */
function ownBufferSocket(
  handle: object,
  log: (line: string) => void,
): { socket: Socket; readInto: ReadInto } {
  const scratch = Buffer.allocUnsafe(SCRATCH_BYTES);
  let sink: ByteSink | undefined;
  const place = (): Uint8Array => {
    const into = sink?.landing();
    // A read into nothing would look like the end of the stream; never offer an empty place.
    return into && into.length > 0 ? into : scratch;
  };
  const onread: OnReadOpts = {
    buffer: place,
    callback: (n, buffer) => {
      if (!sink) {
        // A bug of ours, not the peer's: the bytes cannot be kept, so neither can the connection.
        log('closing a connection: bytes arrived before it named where they go');
        socket.destroy();
        return false;
      }
      if (buffer === scratch) sink.received(scratch.subarray(0, n), false);
      else sink.landed(n);
      return true;
    },
  };
  // `handle` is the option lib/net.js itself gives the sockets a server accepts; `onread` is
  // documented for net.Socket (Node's typings list it only for net.connect).
  const options: SocketConstructorOpts & { handle: object; onread: OnReadOpts } = {
    handle,
    readable: true,
    writable: true,
    onread,
  };
  const socket = new Socket(options);
  return {
    socket,
    readInto: (s) => {
      sink = s;
    },
  };
}

/** The part of a listening server's handle that Node's own accept goes through. */
interface ListeningHandle {
  onconnection: (status: number, clientHandle?: object) => void;
}

function listeningHandle(server: Server): ListeningHandle | undefined {
  const handle: unknown = Reflect.get(server, '_handle');
  if (typeof handle !== 'object' || handle === null) return undefined;
  return typeof Reflect.get(handle, 'onconnection') === 'function'
    ? (handle as ListeningHandle)
    : undefined;
}

/**
 * From now on, `server` (listening) hands each connection to `accepted` as a socket reading into
 * memory of its own, then emits 'connection' with it. False when this Node's server is not as
 * expected: nothing is changed then.
 */
export function acceptIntoOwnBuffers(
  server: Server,
  accepted: (socket: Socket, readInto: ReadInto) => void,
  log: (line: string) => void,
): boolean {
  const handle = listeningHandle(server);
  if (!handle) return false;
  handle.onconnection = (status, clientHandle) => {
    // A failed accept (a negative libuv status: too many open files, say) leaves the server listening.
    if (status < 0 || !clientHandle) return log(`accepting a connection failed (libuv ${status})`);
    const { socket, readInto } = ownBufferSocket(clientHandle, log);
    accepted(socket, readInto);
    // As Node's own accept does, for whoever watches the server's connections.
    server.emit('connection', socket);
  };
  return true;
}
