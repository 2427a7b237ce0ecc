/**
 * The renderer's side of the IPC contract: `invoke(channel, request)` over
 * Electron (the preload's bridge) or, in web mode, a WebSocket to the
 * bridge that served the page, offering the launch token it was opened
 * with, reconnecting by itself when the bridge comes back. Replies are
 * validated against the contract, and a request that gets no reply in time
 * fails with a message saying so (shared/ipc/deadline.ts).
 */
import {
  parseReply,
  parseResponse,
  type Channel,
  type RequestOf,
  type ResponseOf,
} from '../../shared/ipc/contract';
import { replyDeadlineMs } from '../../shared/ipc/deadline';
import { encodeFrame } from '../../shared/ipc/frame';
import { bridgeProtocols, MAX_REQUEST_BYTES } from '../../shared/ipc/web-protocol';
import { socketLink, workerLink, type Link, type OpenLink } from './link';

export interface IpcClient {
  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  /**
   * Web mode: calls `listener` with the connection's state now and at every
   * change; the returned function stops it. Electron's IPC has no connection
   * to lose, so its client leaves this out.
   */
  onConnection?(listener: (state: ConnectionState) => void): () => void;
}

/** An error reply from the other side, with its code (e.g. `needs-confirmation`). */
export class IpcError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Send = (envelope: { id: number; channel: string; payload: unknown }) => Promise<unknown>;

/** `promise`, or an IpcError('timeout') once `ms` have passed without it settling. */
function withDeadline<T>(promise: Promise<T>, ms: number, channel: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new IpcError(
            'timeout',
            `usbcdb did not answer ${channel} within ${Math.round(ms / 1000)} s; the device or the main process may be stuck — try again, or reset the device`,
          ),
        ),
      ms,
    );
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

function clientOver(send: Send): IpcClient {
  let next = 1;
  return {
    async invoke(channel, request) {
      const parsed = parseReply(
        await withDeadline(
          send({ id: next++, channel, payload: request }),
          replyDeadlineMs(channel, request),
          channel,
        ),
      );
      if (!parsed.ok) throw new IpcError('bad-reply', parsed.message);
      const reply = parsed.value;
      if (!reply.ok) throw new IpcError(reply.error.code, reply.error.message);
      const checked = parseResponse(channel, reply.value);
      if (!checked.ok) throw new IpcError('bad-reply', checked.message);
      return checked.value;
    },
  };
}

declare global {
  interface Window {
    usbcdb?: { invoke(envelope: unknown): Promise<unknown> };
  }
}

export function electronClient(bridge: { invoke(envelope: unknown): Promise<unknown> }): IpcClient {
  return clientOver((e) => bridge.invoke(e));
}

/** The web bridge connection as the page shows it. */
export type ConnectionState =
  | { readonly kind: 'connecting' }
  | { readonly kind: 'connected' }
  /** Lost; the next attempt is `inMs` away (`attempt` counts from 1). */
  | {
      readonly kind: 'reconnecting';
      readonly attempt: number;
      readonly inMs: number;
      readonly why: string;
    };

/** How long to wait before each reconnection attempt: doubling from 250 ms, at most 5 s. */
function reconnectDelayMs(attempt: number, firstMs = 250, maxMs = 5000): number {
  return Math.min(maxMs, firstMs * 2 ** Math.min(attempt - 1, 16));
}

export interface WebSocketClientOptions {
  /** The first reconnection delay (doubles per attempt, up to `maxDelayMs`). */
  readonly firstDelayMs?: number;
  readonly maxDelayMs?: number;
}

/**
 * A client over the web bridge's WebSocket, in the framing of
 * shared/ipc/frame.ts, carried by `options.link` (link.ts: on this thread by
 * default; defaultClient puts it in a worker). When the connection goes (the
 * bridge stopped or restarted), requests in flight fail with a sentence and
 * the client reconnects by itself, with backoff, to the same address and
 * token (a bridge restarted with `usbcdb serve --port N` keeps its token:
 * serve.ts). A request made before the first connection waits for it; one
 * made while reconnecting fails at once, saying so.
 */
export function webSocketClient(
  url: string,
  token: string,
  options: WebSocketClientOptions & { readonly link?: OpenLink } = {},
): IpcClient & { close(): void } {
  const openLink = options.link ?? socketLink;
  const pending = new Map<
    number,
    { resolve: (raw: unknown) => void; reject: (e: IpcError) => void }
  >();
  const listeners = new Set<(s: ConnectionState) => void>();
  let state: ConnectionState = { kind: 'connecting' };
  /** The link, once it has opened and until it closes. */
  let link: Link | undefined;
  /** The link being opened or open (closed by close()). */
  let latest: Link | undefined;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  let everOpened = false;
  let neverWhy: string | undefined;
  let firstOpen: { promise: Promise<void>; resolve: () => void } | undefined;
  {
    let resolve = (): void => undefined;
    const promise = new Promise<void>((r) => (resolve = r));
    firstOpen = { promise, resolve };
  }
  const setState = (s: ConnectionState): void => {
    state = s;
    for (const l of listeners) l(s);
  };
  const failPending = (message: string): void => {
    for (const p of pending.values()) p.reject(new IpcError('disconnected', message));
    pending.clear();
  };

  const connect = (): void => {
    timer = undefined;
    if (closed) return;
    const self: Link = openLink(url, bridgeProtocols(token), {
      opened() {
        link = self;
        attempt = 0;
        setState({ kind: 'connected' });
        firstOpen?.resolve();
        firstOpen = undefined;
      },
      reply(raw) {
        const id = (raw as { id?: unknown } | null)?.id;
        if (typeof id === 'number') {
          pending.get(id)?.resolve(raw);
          pending.delete(id);
        }
      },
      // A closed link fails every request still waiting, instead of leaving it pending forever.
      closed(reason, opened) {
        if (link === self) link = undefined;
        if (latest === self) latest = undefined;
        const why = reason
          ? `the usbcdb bridge at ${url} closed the connection: ${reason}`
          : opened
            ? `the connection to the usbcdb bridge at ${url} was lost (the bridge stopped or restarted)`
            : `cannot reach the usbcdb bridge at ${url}: it has stopped, this page was not opened from the address it printed (the one ending in #token=…), or it serves as many pages as it takes (close another usbcdb tab)`;
        failPending(`${why}; the request may or may not have reached the device`);
        everOpened ||= opened;
        // Never connected: requests waiting for the first connection fail with the reason now.
        if (!everOpened) {
          neverWhy = why;
          firstOpen?.resolve();
          firstOpen = undefined;
        }
        if (closed) return;
        attempt++;
        const inMs = reconnectDelayMs(attempt, options.firstDelayMs, options.maxDelayMs);
        setState({ kind: 'reconnecting', attempt, inMs, why });
        timer = setTimeout(connect, inMs);
      },
    });
    latest = self;
  };
  connect();

  const client = clientOver(async (envelope) => {
    if (firstOpen) await firstOpen.promise;
    const open = link;
    if (!open)
      throw new IpcError(
        'disconnected',
        !everOpened && neverWhy !== undefined
          ? neverWhy
          : `the usbcdb bridge at ${url} is not connected; the page is reconnecting — try again once it says connected`,
      );
    const frame = encodeFrame(envelope, MAX_REQUEST_BYTES);
    if (!frame.ok) throw new IpcError('too-large', frame.error.message);
    return new Promise<unknown>((resolve, reject) => {
      pending.set(envelope.id, { resolve, reject });
      open.send(frame.value);
    }).finally(() => pending.delete(envelope.id));
  });
  return {
    invoke: client.invoke,
    onConnection(listener) {
      listeners.add(listener);
      listener(state);
      return () => void listeners.delete(listener);
    },
    close() {
      closed = true;
      clearTimeout(timer);
      latest?.close();
    },
  };
}

const TOKEN_KEY = 'usbcdb.token';

/**
 * The launch token: from the address's `#token=…` the first time (then the
 * fragment is taken out of the address bar, so it is not copied along with
 * the URL or seen over a shoulder), from this tab's session storage after a
 * reload. Empty when the page was opened without it.
 */
export function launchToken(
  loc: Pick<Location, 'hash' | 'pathname' | 'search'>,
  store: Storage,
  hist: Pick<History, 'replaceState'>,
): string {
  const fromHash = new URLSearchParams(loc.hash.replace(/^#/, '')).get('token');
  if (fromHash) {
    store.setItem(TOKEN_KEY, fromHash);
    hist.replaceState(null, '', `${loc.pathname}${loc.search}`);
    return fromHash;
  }
  return store.getItem(TOKEN_KEY) ?? '';
}

/** The connection worker's script, served beside app.js (scripts/build.mjs). */
const WORKER_SCRIPT = 'ipc-worker.js';

/**
 * Electron when the preload is there, else the bridge that served this page,
 * its WebSocket in a worker (link.ts says why).
 */
export function defaultClient(): IpcClient {
  if (window.usbcdb) return electronClient(window.usbcdb);
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return webSocketClient(
    `${proto}//${location.host}/ipc`,
    launchToken(location, sessionStorage, history),
    typeof Worker === 'function'
      ? { link: workerLink(new Worker(WORKER_SCRIPT, { name: 'usbcdb-ipc' })) }
      : {},
  );
}
