/**
 * The renderer's side of the IPC contract: `invoke(channel, request)` over
 * Electron (the preload's bridge) or, in web mode, a WebSocket to the
 * bridge that served the page, offering the launch token it was opened
 * with. Replies are validated against the contract, and a request that gets
 * no reply in time fails with a message saying so (shared/ipc/deadline.ts).
 */
import {
  parseReply,
  parseResponse,
  type Channel,
  type RequestOf,
  type ResponseOf,
} from '../../shared/ipc/contract';
import { replyDeadlineMs } from '../../shared/ipc/deadline';
import { bridgeProtocols } from '../../shared/ipc/web-protocol';

export interface IpcClient {
  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
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

export function webSocketClient(url: string, token: string): IpcClient {
  const pending = new Map<
    number,
    { resolve: (raw: unknown) => void; reject: (e: IpcError) => void }
  >();
  const socket = new WebSocket(url, bridgeProtocols(token));
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve());
    socket.addEventListener('error', () =>
      reject(
        new IpcError(
          'disconnected',
          `cannot reach the usbcdb bridge at ${url}: it has stopped, or this page was not opened from the address it printed (the one ending in #token=…)`,
        ),
      ),
    );
  });
  socket.addEventListener('message', (ev) => {
    let raw: unknown;
    try {
      raw = JSON.parse(String(ev.data));
    } catch {
      return; // not a reply to anything we can name; clientOver reports malformed replies it receives
    }
    const id = (raw as { id?: unknown } | null)?.id;
    if (typeof id === 'number') {
      pending.get(id)?.resolve(raw);
      pending.delete(id);
    }
  });
  // A closed socket fails every request still waiting, instead of leaving it pending forever.
  socket.addEventListener('close', (ev) => {
    const why = ev.reason ? `: ${ev.reason}` : '';
    for (const p of pending.values())
      p.reject(
        new IpcError('disconnected', `the usbcdb bridge at ${url} closed the connection${why}`),
      );
    pending.clear();
  });
  return clientOver(async (envelope) => {
    await opened;
    if (socket.readyState !== WebSocket.OPEN)
      throw new IpcError('disconnected', `the usbcdb bridge at ${url} is not connected`);
    return new Promise<unknown>((resolve, reject) => {
      pending.set(envelope.id, { resolve, reject });
      socket.send(JSON.stringify(envelope));
    }).finally(() => pending.delete(envelope.id));
  });
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

/** Electron when the preload is there, else the bridge that served this page. */
export function defaultClient(): IpcClient {
  if (window.usbcdb) return electronClient(window.usbcdb);
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return webSocketClient(
    `${proto}//${location.host}/ipc`,
    launchToken(location, sessionStorage, history),
  );
}
