/**
 * How an exporter's replies reach its socket.
 *
 * `socket.write` takes each reply through Node's Writable stream: a write request object, its
 * callbacks, a tick to run them, and cork/uncork bookkeeping around a batch. Measured with a
 * usb-guest sending TEST UNIT READY over loopback (one CBW and one CSW per command), that
 * bookkeeping was about a third of the exporter's user-space time per command, and it runs right after
 * the reply leaves, while the peer that was just woken wants the CPU. The bytes themselves need
 * one writev(2): so while nothing of an earlier reply is still queued in the stream, a batch is
 * written straight to the socket's descriptor (fs.writevSync; the descriptor is non-blocking, as
 * libuv keeps every stream's). What the kernel does not take at once — a large READ's data when
 * the peer is slow, or all of it on EAGAIN — goes to `socket.write` in order, and from then on
 * everything does until the stream has drained, so bytes never overtake each other.
 *
 * A write to a connection the peer has reset fails with EPIPE or ECONNRESET rather than a signal:
 * Node.js ignores SIGPIPE, as Chromium does under Electron.
 *
 * Where a socket has no descriptor (Windows, where Node reports -1; a socket already closed) or
 * the mode is 'stream', every batch goes through `socket.write`, corked into one writev.
 */
import { writevSync } from 'node:fs';
import type { Socket } from 'node:net';

/** 'direct': straight to the descriptor while the stream is empty; 'stream': always through `socket.write`. */
export type WriteMode = 'direct' | 'stream';

/** The descriptor Node's stream handle reports (POSIX only), or undefined where there is none. */
export function descriptorOf(socket: Socket): number | undefined {
  if (socket.destroyed) return undefined;
  // StreamBase's `fd` accessor (src/stream_base.cc); not part of net.Socket's typings.
  const fd = (socket as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
  return typeof fd === 'number' && Number.isInteger(fd) && fd >= 0 ? fd : undefined;
}

/** One reply's bytes and what to call once the socket no longer needs them. */
interface Queued {
  readonly bytes: Uint8Array;
  readonly written: (() => void) | undefined;
}

/** Replies gathered until `flush`, then written in one system call where the kernel takes them. */
export class ReplyBatch {
  private queued: Queued[] = [];
  private bytes = 0;

  constructor(
    private readonly socket: Socket,
    private readonly mode: WriteMode,
  ) {}

  /** Bytes added since the last flush. */
  get size(): number {
    return this.bytes;
  }

  add(bytes: Uint8Array, written?: () => void): void {
    this.queued.push({ bytes, written });
    this.bytes += bytes.length;
  }

  /**
   * Writes what was added, in order. `written` callbacks of replies the kernel took whole run
   * before this returns; the others run when the stream is done with them (sent, or the
   * connection gone), as `socket.write` calls them.
   */
  flush(): void {
    const batch = this.queued;
    if (batch.length === 0) return;
    this.queued = [];
    this.bytes = 0;
    const taken = this.writeDirect(batch);
    // Replies the kernel took whole; the first it did not (if any) and all after it go to the stream.
    let whole = 0;
    let left = taken;
    for (const q of batch) {
      if (left < q.bytes.length) break;
      left -= q.bytes.length;
      whole++;
    }
    if (whole < batch.length) {
      this.socket.cork();
      for (const [i, q] of batch.entries())
        if (i >= whole)
          this.socket.write(i === whole ? q.bytes.subarray(left) : q.bytes, q.written);
      this.socket.uncork();
    }
    for (const q of batch.slice(0, whole)) q.written?.();
  }

  /** How many bytes of `batch` the kernel took straight from the descriptor; 0 where it is not tried. */
  private writeDirect(batch: readonly Queued[]): number {
    // Anything still queued in the stream must leave first.
    if (this.mode !== 'direct' || this.socket.writableLength > 0) return 0;
    const fd = descriptorOf(this.socket);
    if (fd === undefined) return 0;
    try {
      return writevSync(
        fd,
        batch.map((q) => q.bytes),
      );
    } catch {
      // EAGAIN (the kernel's buffer is full) or the connection failing: the stream writes the
      // batch instead and reports a failure the way it always has, through 'error' and 'close'.
      return 0;
    }
  }
}
