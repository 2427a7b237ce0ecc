/**
 * One connection to the web bridge, as the client (client.ts) sees it: it
 * opens, delivers each reply already decoded from its frame
 * (shared/ipc/frame.ts), and closes with a reason. The client owns what is
 * pending and the reconnecting; a link only carries frames.
 *
 * Two links speak this interface:
 * - `socketLink`, a WebSocket on the calling thread;
 * - `workerLink`, the same WebSocket inside a dedicated Web Worker
 *   (link-worker.ts). Chromium receives a WebSocket message on the thread
 *   that owns the socket and, on a 16 MiB message, held the page's main
 *   thread for about 1.4 s; in a worker, receiving and decoding take none of
 *   the page's frames, and the reply comes over with its ArrayBuffer in the
 *   transfer list (moved, not copied).
 *
 * A link's events come in this order: `opened` at most once, then any number
 * of `reply`, then `closed` exactly once (also when the socket never opened).
 * `send` is called only between `opened` and `closed`; `close` may be called
 * at any time, more than once, and still ends with one `closed`.
 */
import { decodeFrame } from '../../shared/ipc/frame';
import { MAX_REPLY_BYTES } from '../../shared/ipc/web-protocol';

export interface LinkEvents {
  opened(): void;
  /** A decoded reply (unchecked: clientOver checks it against the contract). */
  reply(message: unknown): void;
  /** `reason` is the peer's close reason ('' when it gave none); `opened` says whether it ever opened. */
  closed(reason: string, opened: boolean): void;
}

export interface Link {
  /** Sends one frame; the link may take the frame's buffer (it is the caller's no more). */
  send(frame: Uint8Array<ArrayBuffer>): void;
  close(): void;
}

export type OpenLink = (url: string, protocols: string[], events: LinkEvents) => Link;

/**
 * A WebSocket on this thread. `onReply` gets each decoded reply with the
 * frame's buffer, which its byte fields are views of (the worker moves it
 * on to the page).
 */
export function socketLink(
  url: string,
  protocols: string[],
  events: LinkEvents,
  onReply: (message: unknown, buffer: ArrayBuffer) => void = (m) => events.reply(m),
): Link {
  const ws = new WebSocket(url, protocols);
  ws.binaryType = 'arraybuffer';
  let opened = false;
  ws.addEventListener('open', () => {
    opened = true;
    events.opened();
  });
  ws.addEventListener('message', (ev: MessageEvent) => {
    if (!(ev.data instanceof ArrayBuffer)) return; // the bridge answers only in binary frames
    const decoded = decodeFrame(new Uint8Array(ev.data), MAX_REPLY_BYTES);
    // A frame that does not decode names no request; clientOver reports the ones it does.
    if (decoded.ok) onReply(decoded.value, ev.data);
  });
  ws.addEventListener('close', (ev: CloseEvent) => events.closed(ev.reason, opened));
  return {
    send: (frame) => ws.send(frame),
    close: () => ws.close(),
  };
}

/** Messages to the worker: `n` numbers the link, so events of a closed one are told apart. */
export type ToWorker =
  | {
      readonly kind: 'open';
      readonly n: number;
      readonly url: string;
      readonly protocols: string[];
    }
  | { readonly kind: 'send'; readonly n: number; readonly frame: Uint8Array<ArrayBuffer> }
  | { readonly kind: 'close'; readonly n: number };

/** Messages from the worker. */
export type FromWorker =
  | { readonly kind: 'opened'; readonly n: number }
  | { readonly kind: 'reply'; readonly n: number; readonly message: unknown }
  /** Whether it had opened, the page knows from the messages before. */
  | { readonly kind: 'closed'; readonly n: number; readonly reason: string };

/** What workerLink needs of a Worker (a MessagePort pair stands in for one in tests). */
export interface WorkerLike {
  postMessage(message: ToWorker, transfer: Transferable[]): void;
  onmessage: ((ev: MessageEvent) => void) | null;
  onerror?: ((ev: ErrorEvent) => void) | null;
}

/**
 * Links whose WebSockets live in `worker`, one at a time (the client opens
 * the next only after the last closed). When the worker itself fails (its
 * script did not load), the open link closes saying so, and later links
 * fall back to `fallback` on this thread, so the page still connects.
 */
export function workerLink(worker: WorkerLike, fallback: OpenLink = socketLink): OpenLink {
  let next = 0;
  let current: { n: number; events: LinkEvents; opened: boolean } | undefined;
  let broken: string | undefined;
  const end = (n: number, reason: string): void => {
    const c = current;
    if (c?.n !== n) return;
    current = undefined;
    c.events.closed(reason, c.opened);
  };
  worker.onmessage = (ev: MessageEvent) => {
    const m = ev.data as FromWorker;
    if (current?.n !== m.n) return;
    if (m.kind === 'opened') {
      current.opened = true;
      current.events.opened();
    } else if (m.kind === 'reply') current.events.reply(m.message);
    else end(m.n, m.reason);
  };
  worker.onerror = (ev: ErrorEvent) => {
    ev.preventDefault();
    broken = `the page's connection worker failed (${ev.message || 'its script did not load'})`;
    if (current) end(current.n, broken);
  };
  return (url, protocols, events) => {
    if (broken !== undefined) return fallback(url, protocols, events);
    const n = ++next;
    current = { n, events, opened: false };
    worker.postMessage({ kind: 'open', n, url, protocols }, []);
    return {
      send: (frame) => worker.postMessage({ kind: 'send', n, frame }, [frame.buffer]),
      close: () => worker.postMessage({ kind: 'close', n }, []),
    };
  };
}

/** What the worker's side needs of its global scope. */
export interface WorkerScope {
  onmessage: ((ev: MessageEvent) => void) | null;
  postMessage(message: FromWorker, transfer: Transferable[]): void;
}

/**
 * The worker's side (link-worker.ts calls it on its global scope): one
 * WebSocket per `open`, each reply posted with its frame's buffer
 * transferred, so the page receives the bytes without a copy.
 */
export function serveLinks(scope: WorkerScope, open: typeof socketLink = socketLink): void {
  const links = new Map<number, Link>();
  scope.onmessage = (ev: MessageEvent) => {
    const m = ev.data as ToWorker;
    if (m.kind === 'open') {
      const n = m.n;
      links.set(
        n,
        open(
          m.url,
          m.protocols,
          {
            opened: () => scope.postMessage({ kind: 'opened', n }, []),
            reply: (message) => scope.postMessage({ kind: 'reply', n, message }, []),
            closed: (reason) => {
              links.delete(n);
              scope.postMessage({ kind: 'closed', n, reason }, []);
            },
          },
          (message, buffer) => scope.postMessage({ kind: 'reply', n, message }, [buffer]),
        ),
      );
    } else if (m.kind === 'send') links.get(m.n)?.send(m.frame);
    else links.get(m.n)?.close();
  };
}
