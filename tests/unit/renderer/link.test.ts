/**
 * The page's connection worker (src-renderer/ipc/link.ts) without a browser:
 * a MessageChannel stands in for the Worker, and a scripted socket for the
 * WebSocket inside it. Chromium's own worker is covered by the web-mode e2e
 * tests and `npm run bench:app`.
 */
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  serveLinks,
  workerLink,
  type Link,
  type LinkEvents,
  type OpenLink,
  type WorkerLike,
  type WorkerScope,
} from '../../../src-renderer/ipc/link';

/** What the worker's socket was asked to do, and a way to make it speak. */
interface ScriptedSocket {
  readonly url: string;
  readonly sent: Uint8Array[];
  closes: number;
  readonly events: LinkEvents;
  readonly onReply: (message: unknown, buffer: ArrayBuffer) => void;
}

const ports: MessageChannel[] = [];
afterEach(() => {
  for (const c of ports.splice(0)) {
    c.port1.close();
    c.port2.close();
  }
});

/** A worker serving links over scripted sockets, and the page's side of it. */
function pair(): { page: WorkerLike & { fail(message: string): void }; sockets: ScriptedSocket[] } {
  const channel = new MessageChannel();
  ports.push(channel);
  const sockets: ScriptedSocket[] = [];
  const scope: WorkerScope = {
    onmessage: null,
    postMessage: (m, transfer) => channel.port2.postMessage(m, transfer as ArrayBuffer[]),
  };
  channel.port2.on('message', (data: unknown) => scope.onmessage?.({ data } as MessageEvent));
  serveLinks(scope, (url, _protocols, events, onReply = (m) => events.reply(m)) => {
    const s: ScriptedSocket = { url, sent: [], closes: 0, events, onReply };
    sockets.push(s);
    return {
      send: (frame) => s.sent.push(frame),
      close: () => {
        s.closes++;
        events.closed('', true);
      },
    };
  });
  const page: WorkerLike & { fail(message: string): void } = {
    onmessage: null,
    onerror: null,
    postMessage: (m, transfer) => channel.port1.postMessage(m, transfer as ArrayBuffer[]),
    fail(message) {
      this.onerror?.({ message, preventDefault: () => undefined } as ErrorEvent);
    },
  };
  channel.port1.on('message', (data: unknown) => page.onmessage?.({ data } as MessageEvent));
  return { page, sockets };
}

function recorder(): LinkEvents & { log: unknown[] } {
  const log: unknown[] = [];
  return {
    log,
    opened: () => log.push('opened'),
    reply: (m) => log.push(m),
    closed: (reason, opened) => log.push({ closed: reason, opened }),
  };
}

describe('the connection worker', () => {
  it('moves a reply to the page with its buffer transferred: the bytes arrive, the worker keeps none', async () => {
    const { page, sockets } = pair();
    const events = recorder();
    workerLink(page)('ws://127.0.0.1:1/ipc', ['usbcdb'], events);
    await vi.waitFor(() => expect(sockets).toHaveLength(1));
    const socket = sockets[0];
    if (!socket) throw new Error('no socket');
    socket.events.opened();
    // A decoded frame: its byte field is a view into the frame's buffer (frame.ts).
    const frame = new ArrayBuffer(16);
    const dataIn = new Uint8Array(frame, 8, 4).fill(0xab);
    socket.onReply({ id: 1, ok: true, value: { dataIn } }, frame);
    expect(frame.byteLength).toBe(0); // detached: moved, not copied
    await vi.waitFor(() => expect(events.log).toHaveLength(2));
    expect(events.log[0]).toBe('opened');
    const got = (events.log[1] as { value: { dataIn: Uint8Array } }).value.dataIn;
    expect([...got]).toEqual([0xab, 0xab, 0xab, 0xab]);
    expect(got.buffer.byteLength).toBe(16);
  });

  it('moves a request frame to the worker, and closes the socket when the page closes the link', async () => {
    const { page, sockets } = pair();
    const events = recorder();
    const link = workerLink(page)('ws://127.0.0.1:1/ipc', ['usbcdb'], events);
    await vi.waitFor(() => expect(sockets).toHaveLength(1));
    sockets[0]?.events.opened();
    await vi.waitFor(() => expect(events.log).toEqual(['opened']));
    const frame = Uint8Array.from([1, 2, 3]);
    link.send(frame);
    expect(frame.byteLength).toBe(0);
    await vi.waitFor(() => expect(sockets[0]?.sent.map((f) => [...f])).toEqual([[1, 2, 3]]));
    link.close();
    await vi.waitFor(() => expect(events.log.at(-1)).toEqual({ closed: '', opened: true }));
    expect(sockets[0]?.closes).toBe(1);
  });

  it('keeps links apart: a closed link hears nothing of the next one', async () => {
    const { page, sockets } = pair();
    const open = workerLink(page);
    const first = recorder();
    open('ws://127.0.0.1:1/ipc', [], first).close();
    await vi.waitFor(() => expect(first.log).toHaveLength(1));
    const second = recorder();
    open('ws://127.0.0.1:1/ipc', [], second);
    await vi.waitFor(() => expect(sockets).toHaveLength(2));
    sockets[1]?.events.opened();
    sockets[1]?.events.reply({ id: 7 });
    await vi.waitFor(() => expect(second.log).toEqual(['opened', { id: 7 }]));
    expect(first.log).toEqual([{ closed: '', opened: false }]);
  });

  it('closes the open link saying why when the worker fails, and connects on the page thread after', () => {
    const { page } = pair();
    const fallbackLinks: string[] = [];
    const fallback: OpenLink = (url): Link => {
      fallbackLinks.push(url);
      return { send: () => undefined, close: () => undefined };
    };
    const open = workerLink(page, fallback);
    const events = recorder();
    open('ws://127.0.0.1:1/ipc', [], events);
    page.fail('NetworkError');
    expect(events.log).toEqual([
      { closed: "the page's connection worker failed (NetworkError)", opened: false },
    ]);
    open('ws://127.0.0.1:1/ipc', [], recorder());
    expect(fallbackLinks).toEqual(['ws://127.0.0.1:1/ipc']);
  });
});
