/**
 * The renderer's side of the IPC contract: `invoke(channel, request)` over
 * Electron (the preload's bridge) or, in web mode, a WebSocket to the
 * bridge that served the page. Replies are validated against the contract.
 */
import {
  parseResponse,
  type Channel,
  type Reply,
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

type Send = (envelope: { id: number; channel: string; payload: unknown }) => Promise<Reply>;

function clientOver(send: Send): IpcClient {
  let next = 1;
  return {
    async invoke(channel, request) {
      const reply = await send({ id: next++, channel, payload: request });
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
  return clientOver((e) => bridge.invoke(e) as Promise<Reply>);
}

export function webSocketClient(url: string): IpcClient {
  const pending = new Map<number, (r: Reply) => void>();
  const socket = new WebSocket(url);
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve());
    socket.addEventListener('error', () =>
      reject(new IpcError('disconnected', `cannot reach the usbcdb bridge at ${url}`)),
    );
  });
  socket.addEventListener('message', (ev) => {
    const reply = JSON.parse(String(ev.data)) as Reply;
    if (reply.id !== null) {
      pending.get(reply.id)?.(reply);
      pending.delete(reply.id);
    }
  });
  return clientOver(async (envelope) => {
    await opened;
    return new Promise<Reply>((resolve) => {
      pending.set(envelope.id, resolve);
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
