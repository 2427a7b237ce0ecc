/**
 * The TCP side every exporter shares: listen on host:port (0 picks a free
 * port), hand each connection over with Nagle off (every message is a small
 * request waiting for its answer), and on close drop every connection.
 *
 * Every peer is hostile until it has proved otherwise, so this also holds the
 * bounds each connection lives within (ExportLimits) and the flow control
 * that keeps them: a listener takes a bounded number of connections, and a
 * connection stops reading while its input queue or its unread replies are
 * over their bound (Backpressure).
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import {
  acceptIntoOwnBuffers,
  readThroughData,
  type ReadInto,
  type ReadMode,
} from './socket-reads';
import { ReplyBatch, type WriteMode } from './socket-writes';

export interface ExportServer {
  readonly host: string;
  readonly port: number;
  readonly server: Server;
  /** How connections are read (socket-reads.ts): 'own-buffers' unless Node's server was not as expected. */
  readonly reads: ReadMode;
  close(): Promise<void>;
}

/** What bounds a peer; each exporter fills in the defaults below. */
export interface ExportLimits {
  /** Connections open at once on one listener; more are closed at once, with a logged reason. */
  readonly maxConnections: number;
  /** Reply bytes queued for a peer beyond which it is not read from until they drain. */
  readonly outputHighWater: number;
  /** How long a peer may leave that much unread before its connection is closed. */
  readonly writeStallMs: number;
  /** How long a new peer has to open the protocol (usbredir hello, usbip OP_REQ_*). */
  readonly handshakeMs: number;
}

/**
 * One attached host plus short-lived ones (`usbip list -r`, a refused second
 * guest) at a time is all a drive serves; 16 leaves room for tools that poll
 * while bounding what a connection flood costs (each holds at most its queues).
 */
const MAX_CONNECTIONS = 16;

/**
 * Replies wait while more than this is unsent: one 16 MiB transfer (the largest
 * either protocol carries here) and 4 MiB besides, so one large READ streams
 * without pausing but a peer that reads nothing holds at most this, not 91 × 16 MiB.
 */
export const OUTPUT_HIGH_WATER = 20 * 1024 * 1024;

/** A QEMU or vhci-hcd host reads its socket continuously; 30 s unread is a dead or hostile peer. */
const WRITE_STALL_MS = 30_000;

/** Both protocols open with one small message sent at connect (usbredir hello, usbip OP_REQ_*). */
const HANDSHAKE_MS = 10_000;

export const DEFAULT_LIMITS: ExportLimits = {
  maxConnections: MAX_CONNECTIONS,
  outputHighWater: OUTPUT_HIGH_WATER,
  writeStallMs: WRITE_STALL_MS,
  handshakeMs: HANDSHAKE_MS,
};

/** What an exporter's serve function takes. */
export interface ServeOptions<Drive, Capture> {
  readonly drive: Drive;
  readonly host?: string;
  readonly port?: number;
  readonly capture?: Capture;
  readonly log?: (line: string) => void;
  /** Tighter (or looser) bounds than DEFAULT_LIMITS, e.g. for tests. */
  readonly limits?: Partial<ExportLimits>;
  /** 'node-buffers' reads through 'data' events even where own buffers work (tests of that path). */
  readonly reads?: ReadMode;
  /** 'stream' writes every reply through socket.write even where the descriptor is there (tests of that path). */
  readonly writes?: WriteMode;
}

export function limitsOf(options: { readonly limits?: Partial<ExportLimits> }): ExportLimits {
  return { ...DEFAULT_LIMITS, ...options.limits };
}

export interface ListenOptions {
  /** The protocol's name for log lines ("usbip"). */
  readonly name: string;
  readonly maxConnections: number;
  readonly log: (line: string) => void;
  /** 'node-buffers' reads through 'data' events even where own buffers work (tests of that path). */
  readonly reads?: ReadMode;
}

/**
 * Listens on host:port; each connection goes to `onConnection` with the socket and `readInto`,
 * which the connection calls at once to say where its bytes go.
 */
export function listenTcp(
  host: string,
  port: number,
  onConnection: (socket: Socket, readInto: ReadInto) => void,
  options: ListenOptions = {
    name: 'export',
    maxConnections: MAX_CONNECTIONS,
    log: () => undefined,
  },
): Promise<ExportServer> {
  const sockets = new Set<Socket>();
  const admit = (socket: Socket, readInto: ReadInto): void => {
    if (sockets.size >= options.maxConnections) {
      options.log(
        `${options.name}: refused ${socket.remoteAddress ?? 'a peer'}: already ${sockets.size} connections open (the most this listener takes)`,
      );
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    onConnection(socket, readInto);
  };
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const bound = (server.address() as AddressInfo).port;
      // Set before the first accept: 'listening' is emitted before the event loop polls for one.
      const wantOwn = options.reads !== 'node-buffers';
      const own =
        wantOwn &&
        acceptIntoOwnBuffers(server, admit, (line) => options.log(`${options.name}: ${line}`));
      if (wantOwn && !own)
        options.log(
          `${options.name}: Node.js ${process.version} accepts connections differently from what usbcdb expects; reading them through 'data' events instead (large writes are slower)`,
        );
      if (!own) server.on('connection', (socket: Socket) => admit(socket, readThroughData(socket)));
      resolve({
        host,
        port: bound,
        server,
        reads: own ? 'own-buffers' : 'node-buffers',
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** How a wait for the peer to read ended. */
export type Writable = 'ready' | 'closed' | 'stalled';

/**
 * A function that starts `run` unless a run is already under way: an
 * exporter connection works through its queued input one drain at a time,
 * in order, however many chunks arrive meanwhile. `run` handles its own
 * failures (a drain closes its connection with the reason); it never rejects.
 */
export function singleFlight(run: () => Promise<void>): () => void {
  let running = false;
  return () => {
    if (running) return;
    running = true;
    void run().finally(() => {
      running = false;
    });
  };
}

/**
 * Flow control for one connection: reading pauses while the input queue is
 * full or more than `outputHighWater` bytes of replies are unsent, and resumes
 * when both are under again (on 'drain' and whenever the owner calls
 * `update`). The owner waits with `writable` before producing more replies.
 */
export class Backpressure {
  private paused = false;
  private readonly batch: ReplyBatch;
  private flushing = false;

  constructor(
    private readonly socket: Socket,
    private readonly limits: ExportLimits,
    private readonly inputFull: () => boolean,
    writes: WriteMode = 'direct',
  ) {
    this.batch = new ReplyBatch(socket, writes);
    socket.on('drain', () => this.update());
  }

  get outputFull(): boolean {
    return this.socket.writableLength + this.batch.size > this.limits.outputHighWater;
  }

  /**
   * Writes and re-evaluates the flow (call instead of socket.write). Replies written in one turn
   * of the event loop (a Bulk-Out acknowledgement, the data and the CSW a guest asked for in one
   * read; a header and its data) leave together in one writev (socket-writes.ts) once the turn's
   * promise callbacks have run, so a small reply costs no system call of its own and a header
   * never has to be copied in front of its data. `written` is called once the socket no longer
   * needs `bytes` (a reply buffer goes back to its pool then).
   */
  write(bytes: Uint8Array, written?: () => void): void {
    if (!this.flushing) {
      this.flushing = true;
      process.nextTick(this.flush);
    }
    this.batch.add(bytes, written);
    this.update();
  }

  private readonly flush = (): void => {
    this.flushing = false;
    this.batch.flush();
    this.update();
  };

  update(): void {
    const hold = this.inputFull() || this.outputFull;
    if (hold === this.paused) return;
    this.paused = hold;
    if (hold) this.socket.pause();
    else this.socket.resume();
  }

  /** Resolves once unsent replies are under the bound, or the connection closed, or the peer stalled. */
  writable(): Promise<Writable> {
    // Replies held for the turn's end leave now: what the kernel takes no longer counts, and the
    // stream's 'drain' is what tells of the rest.
    if (this.outputFull) this.batch.flush();
    if (!this.outputFull) return Promise.resolve('ready');
    if (this.socket.destroyed) return Promise.resolve('closed');
    return new Promise((resolve) => {
      const done = (how: Writable): void => {
        clearTimeout(timer);
        this.socket.off('drain', onDrain);
        this.socket.off('close', onClose);
        resolve(how);
      };
      const onDrain = (): void => done('ready');
      const onClose = (): void => done('closed');
      const timer = setTimeout(() => done('stalled'), this.limits.writeStallMs);
      this.socket.on('drain', onDrain);
      this.socket.on('close', onClose);
    });
  }
}
