/**
 * The WebSocket adapter of the IPC contract ("web mode"): serves the same
 * handlers to a renderer in a browser. Loopback only unless told otherwise,
 * and only the page it served, opened from the URL it printed (with the
 * launch token), may connect: see web-access.ts for the checks and
 * docs/security.md for the threat model. Each connection has its own device
 * session. Nothing a peer sends can end the process: every request gets a
 * reply, or the connection is closed with a reason.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Reply } from '../../shared/ipc/contract';
import { decodeFrame, encodeFrame } from '../../shared/ipc/frame';
import { errorText } from '../../shared/error-text';
import { dispatch } from './dispatch';
import { DeviceChanges } from './device-changes';
import { ExportManager } from '../export/manager';
import { DeviceSessions, makeHandlers } from './handlers';
import { watchUsb } from '../engine/usb';
import { PresetStore } from '../presets/store';
import { defaultDataDir, presetsFileIn } from '../presets/location';
import { webAccess } from './web-access';
import { urlHost } from '../net/address';
import { APP_PROTOCOL, MAX_REPLY_BYTES, MAX_REQUEST_BYTES } from '../../shared/ipc/web-protocol';
import { loadBundle, serveBundle } from './static-bundle';

export interface Bridge {
  /** The WebSocket endpoint (`ws://host:port/ipc`). */
  readonly url: string;
  /** The address a person opens: the page, with the launch token in its fragment. */
  readonly pageUrl: string;
  /** This launch's token (clients offer it as a subprotocol: `bridgeProtocols(token)`). */
  readonly token: string;
  readonly server: Server;
  close(): Promise<void>;
}

/**
 * Requests one connection may have in flight. The renderer sends a few at a
 * time (a long poll, a command, a list); past this a request is refused at
 * once, so a runaway client cannot queue work without bound.
 */
export const MAX_IN_FLIGHT = 32;
/**
 * Pages the bridge serves at once. Each connection has a session of its own, with its own bounds
 * (devices open, traces, requests and bytes in flight, replies unsent); the number of connections
 * bounds their sum. A person keeps a few tabs open; a reloaded page's old connection closes.
 */
export const MAX_CONNECTIONS = 16;
/** HTTP 503 Service Unavailable (RFC 9110 15.6.4): the refusal of a connection past MAX_CONNECTIONS. */
const SERVICE_UNAVAILABLE = 503;
/**
 * Request bytes one connection may hold in flight. A request keeps the frame it came in (its byte
 * fields are views into it) until it is answered, so MAX_IN_FLIGHT long polls, each sent in a
 * frame of MAX_REQUEST_BYTES, would hold 2 GiB. Two of the largest fit: a command's data-out while
 * a presets file is imported.
 */
export const MAX_IN_FLIGHT_BYTES = 2 * MAX_REQUEST_BYTES;
/** Reply bytes a connection may have queued unsent before it is closed as not reading. */
const MAX_BUFFERED = 256 * 1024 * 1024;
/**
 * How long a connection may go without a byte from its peer. Each interval the bridge sends a
 * Ping, which a browser answers with a Pong by itself (RFC 6455 5.5.2), so a live page is never
 * silent that long; a peer gone without closing (a machine off the network sends no FIN) is, and
 * its connection is ended, closing the devices its session held (a real one with its OS driver
 * detached) instead of keeping them for as long as the bridge runs. Any byte counts, so a long
 * upload, during which a browser cannot send its Pong, keeps the connection; so does an answer
 * still going out, behind which the Ping waits (endWhenSilent).
 */
const HEARTBEAT_MS = 30_000;
/** WebSocket close codes (RFC 6455 7.4.1): 1008 policy violation, 1011 internal error. */
const CLOSE_POLICY = 1008;
const CLOSE_INTERNAL = 1011;

export interface BridgeOptions {
  /** Loopback by default; another address exposes this machine's devices to whoever has the URL. */
  readonly host?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** The renderer bundle to serve over HTTP (web mode). */
  readonly staticDir?: string;
  /** Where presets, images and other user data live (defaults to the user's config folder). */
  readonly dataDir?: string;
  /** The launch token; a new random one by default (web-token.ts keeps one for a fixed port). */
  readonly token?: string;
  readonly log?: (line: string) => void;
  /** How long a connection may be silent (HEARTBEAT_MS; tests shorten it). */
  readonly heartbeatMs?: number;
}

function refusal(id: number | null, code: string, message: string): Reply {
  return { id, ok: false, error: { code, message } };
}

function serveConnection(
  socket: WebSocket,
  handlers: ReturnType<typeof makeHandlers>,
  log: (line: string) => void,
): void {
  let inFlight = 0;
  let inFlightBytes = 0;
  const send = (reply: Reply): void => {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > MAX_BUFFERED) {
      socket.close(CLOSE_POLICY, 'replies are not being read');
      return;
    }
    let frame = encodeFrame(reply, MAX_REPLY_BYTES);
    // An answer too large to carry (a sequence of several big reads) is refused in words instead.
    if (!frame.ok)
      frame = encodeFrame(
        refusal(reply.id, frame.error.code, frame.error.message),
        MAX_REPLY_BYTES,
      );
    if (!frame.ok) {
      socket.close(CLOSE_INTERNAL, 'internal error');
      return;
    }
    socket.send(frame.value, { binary: true }, (e) => {
      if (e) log(`a reply could not be sent: ${e.message}`);
    });
  };
  socket.on('message', (data, isBinary) => {
    if (!isBinary || !Buffer.isBuffer(data)) {
      log('rejected a message that is not one binary frame');
      return send(
        refusal(
          null,
          'bad-message',
          'a message must be one binary frame: an 8-byte header, the JSON envelope, then its byte fields (shared/ipc/frame.ts)',
        ),
      );
    }
    const decoded = decodeFrame(data, MAX_REQUEST_BYTES);
    if (!decoded.ok) {
      log(`rejected a message: ${decoded.error.message}`);
      return send(refusal(null, 'bad-message', decoded.error.message));
    }
    const parsed = decoded.value;
    const busy =
      inFlight >= MAX_IN_FLIGHT
        ? `over ${MAX_IN_FLIGHT} requests are waiting on this connection`
        : inFlightBytes + data.length > MAX_IN_FLIGHT_BYTES
          ? `the requests waiting on this connection and this one come to over the ${MAX_IN_FLIGHT_BYTES / 1048576} MiB it may hold`
          : undefined;
    if (busy !== undefined) {
      const id = (parsed as { id?: unknown } | null)?.id;
      return send(
        refusal(
          typeof id === 'number' ? id : null,
          'busy',
          `${busy}; wait for answers before sending more`,
        ),
      );
    }
    const bytes = data.length;
    inFlight++;
    inFlightBytes += bytes;
    dispatch(handlers, parsed)
      .then(send, (e: unknown) => {
        // dispatch answers every failure itself; reaching here is a bug, and the peer is told.
        log(`dispatch failed: ${errorText(e)}`);
        socket.close(CLOSE_INTERNAL, 'internal error');
      })
      .finally(() => {
        inFlight--;
        inFlightBytes -= bytes;
      });
  });
}

/**
 * Ends `socket` once a whole interval passes without a byte from its peer while nothing waits to be
 * sent to it (see HEARTBEAT_MS). A peer reading a long answer slowly sends nothing meanwhile, its
 * Pong queued behind the answer, yet is alive; and a peer gone with bytes sent to it unacknowledged
 * is ended by TCP itself, when retransmitting them times out (RFC 9293 3.8.3, R2).
 */
function endWhenSilent(socket: WebSocket, stream: Socket, intervalMs: number): void {
  let heard = true;
  const onData = (): void => void (heard = true);
  stream.on('data', onData);
  const timer = setInterval(() => {
    const sending = socket.bufferedAmount > 0;
    if (!heard && !sending) return socket.terminate();
    // While an answer is still going out, the next interval is the peer's for its Pong.
    heard = sending;
    socket.ping();
  }, intervalMs);
  socket.once('close', () => {
    clearInterval(timer);
    stream.off('data', onData);
  });
}

/** Starts web mode. Fails with a sentence ("cannot listen on …") when the address cannot be had. */
export async function startBridge(options: BridgeOptions = {}): Promise<Bridge> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => undefined);
  const bundle = options.staticDir !== undefined ? loadBundle(options.staticDir) : undefined;
  const server = createServer();
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new Error(`cannot listen on ${urlHost(host)}:${options.port ?? 0}: ${listenProblem(e)}`),
      ),
    );
    server.listen(options.port ?? 0, host, () => resolve((server.address() as AddressInfo).port));
  });
  // After listening, an error on the server (rare: e.g. EMFILE on accept) is logged, never thrown.
  server.on('error', (e) => log(`web bridge: ${e.message}`));
  server.on('clientError', (_e, sock) => sock.destroy());
  const access = webAccess(host, port, options.token);
  const dataDir = options.dataDir ?? defaultDataDir();
  const presets = new PresetStore(presetsFileIn(dataDir));
  // One plug/unplug watcher for every connection.
  const changes = new DeviceChanges(watchUsb);
  // Exports started from the app outlive a page reload; they stop with the bridge.
  const exportsManager = new ExportManager(log);
  server.on('request', (req, res) => {
    try {
      serveBundle(bundle, access.hostAllowed, req, res);
    } catch (e) {
      log(`web bridge: a request failed: ${errorText(e)}`);
      res.destroy();
    }
  });
  const wss = new WebSocketServer({
    server,
    path: '/ipc',
    // ws refuses a longer message (close 1009) before buffering past this.
    maxPayload: MAX_REQUEST_BYTES,
    verifyClient: (info, done) => {
      const r = access.admit({
        host: info.req.headers.host,
        origin: info.req.headers.origin,
        protocols: info.req.headers['sec-websocket-protocol'],
      });
      if (!r.ok) {
        log(`web bridge: refused a connection: ${r.error.message}`);
        return done(false, 403, r.error.message);
      }
      // ws adds an admitted connection to wss.clients before the next upgrade is verified.
      if (wss.clients.size >= MAX_CONNECTIONS) {
        const full = `the bridge serves ${MAX_CONNECTIONS} pages at once; close a usbcdb tab, then reload this one`;
        log(`web bridge: refused a connection: ${full}`);
        return done(false, SERVICE_UNAVAILABLE, full);
      }
      done(true);
    },
    handleProtocols: () => APP_PROTOCOL,
  });
  wss.on('error', (e) => log(`web bridge: ${e.message}`));
  // Each connection's devices are closed when it goes; `close` waits for all of them.
  const closing = new Set<Promise<void>>();
  wss.on('connection', (socket, req) => {
    endWhenSilent(socket, req.socket, options.heartbeatMs ?? HEARTBEAT_MS);
    const sessions = new DeviceSessions(dataDir);
    serveConnection(socket, makeHandlers(sessions, presets, changes, exportsManager), log);
    socket.on('close', () => {
      const done = sessions
        .close()
        .catch((e: unknown) => log(`closing devices failed: ${errorText(e)}`))
        .finally(() => closing.delete(done));
      closing.add(done);
    });
    socket.on('error', (e) => log(`connection error: ${e.message}`));
  });
  const base = `${urlHost(host)}:${port}`;
  return {
    url: `ws://${base}/ipc`,
    pageUrl: `http://${base}/#token=${access.token}`,
    token: access.token,
    server,
    close: async () => {
      changes.stop();
      const gone = [...wss.clients].map((c) => new Promise((r) => c.once('close', r)));
      for (const c of wss.clients) c.terminate();
      wss.close();
      await Promise.all([
        new Promise<void>((done) => server.close(() => done())),
        exportsManager.stopAll(),
      ]);
      // Each connection's 'close' listener (added first) put its session's closing in `closing`.
      await Promise.all(gone);
      await Promise.all(closing);
    },
  };
}

/** Why listen failed, in words: the common errno values by name. */
function listenProblem(e: NodeJS.ErrnoException): string {
  const words: Record<string, string> = {
    EADDRINUSE:
      'the port is in use by another program; pick another with --port, or --port 0 for a free one',
    EADDRNOTAVAIL: 'this machine has no such address',
    EACCES: 'not allowed to use this port (ports below 1024 need privileges)',
    ENOTFOUND: 'no such host name',
    EAI_AGAIN: 'the host name could not be looked up',
  };
  return `${(e.code !== undefined ? words[e.code] : undefined) ?? e.message}${e.code ? ` (${e.code})` : ''}`;
}
