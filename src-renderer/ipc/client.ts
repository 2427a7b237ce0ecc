/**
 * The renderer's side of the IPC contract: `invoke(channel, request)` over
 * Electron (the preload's bridge) or, in web mode, a WebSocket to the
 * bridge that served the page. Replies are validated against the contract.
 */
import {
  parseReply,
  parseResponse,
  type Channel,
  type RequestOf,
  type ResponseOf,
} from '../../shared/ipc/contract';

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

function clientOver(send: Send): IpcClient {
  let next = 1;
  return {
    async invoke(channel, request) {
      const parsed = parseReply(await send({ id: next++, channel, payload: request }));
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

export function webSocketClient(url: string): IpcClient {
  const pending = new Map<
    number,
    { resolve: (raw: unknown) => void; reject: (e: IpcError) => void }
  >();
  const socket = new WebSocket(url);
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve());
    socket.addEventListener('error', () =>
      reject(new IpcError('disconnected', `cannot reach the usbcdb bridge at ${url}`)),
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
  socket.addEventListener('close', () => {
    for (const p of pending.values())
      p.reject(new IpcError('disconnected', `the usbcdb bridge at ${url} closed the connection`));
    pending.clear();
  });
  return clientOver(async (envelope) => {
    await opened;
    if (socket.readyState !== WebSocket.OPEN)
      throw new IpcError('disconnected', `the usbcdb bridge at ${url} is not connected`);
    return new Promise<unknown>((resolve, reject) => {
      pending.set(envelope.id, { resolve, reject });
      socket.send(JSON.stringify(envelope));
    });
  });
}

/** Electron when the preload is there, else the bridge that served this page. */
export function defaultClient(): IpcClient {
  if (window.usbcdb) return electronClient(window.usbcdb);
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return webSocketClient(`${proto}//${location.host}/ipc`);
}
