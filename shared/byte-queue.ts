/**
 * Bytes arriving in pieces (socket reads, a host's data-out split over
 * several transfers), queued without copying until a whole message is
 * there: pieces are kept as they came and only a message that straddles
 * pieces is copied out (a 1 MiB bulk packet in 64 KiB reads costs one copy,
 * not one per read; a message in one piece costs none). Pieces that lie one
 * after another in the same memory count as one.
 *
 * A queue fed by a peer has a limit: `push` says when it is reached, and the
 * source (a socket) must pause until `take` makes room. Pushing into a full
 * queue is refused, so a source that did not pause cannot grow it further:
 * the queue never holds more than its limit plus the one piece that reached it.
 */
export class ByteQueue {
  private chunks: Uint8Array[] = [];
  private total = 0;

  /** @param limit bytes held at which the queue counts as full (no limit by default: a caller that bounds its input itself) */
  constructor(readonly limit = Number.POSITIVE_INFINITY) {}

  get length(): number {
    return this.total;
  }

  /** Whether the queue holds `limit` bytes or more: the source must pause. */
  get full(): boolean {
    return this.total >= this.limit;
  }

  /**
   * Queues a piece; false once the queue is full (pause the source). Throws
   * when the queue was already full: the caller ignored the previous false.
   */
  push(chunk: Uint8Array): boolean {
    if (this.full)
      throw new RangeError(
        `${chunk.length} bytes pushed into a queue already holding ${this.total} of its ${this.limit}-byte limit; pause the source when push returns false`,
      );
    if (chunk.length > 0) {
      const last = this.chunks.at(-1);
      // A piece that continues the last one in the same memory (reads kept one after another in
      // a slab) joins it, so a message across the two is handed out without a copy.
      if (last?.buffer === chunk.buffer && last.byteOffset + last.length === chunk.byteOffset)
        this.chunks[this.chunks.length - 1] = new Uint8Array(
          last.buffer,
          last.byteOffset,
          last.length + chunk.length,
        );
      else this.chunks.push(chunk);
      this.total += chunk.length;
    }
    return !this.full;
  }

  /** The first `n` bytes without consuming them (`n` ≤ length). */
  peek(n: number): Uint8Array {
    return this.gather(n, false);
  }

  /**
   * Removes and returns the first `n` bytes (`n` ≤ length). Bytes that span pieces are joined
   * in `into` when it has room (the result is then a view of it, valid until the caller reuses
   * it), else in a new buffer.
   */
  take(n: number, into?: Uint8Array): Uint8Array {
    return this.gather(n, true, into);
  }

  /**
   * Moves every queued byte into `target` from `at` on (they must fit), emptying the queue;
   * returns how many moved.
   */
  moveTo(target: Uint8Array, at: number): number {
    const n = this.total;
    if (at + n > target.length)
      throw new RangeError(`${n} queued bytes do not fit in ${target.length - at} from ${at}`);
    let to = at;
    for (const c of this.chunks) {
      target.set(c, to);
      to += c.length;
    }
    this.chunks = [];
    this.total = 0;
    return n;
  }

  private gather(n: number, consume: boolean, into?: Uint8Array): Uint8Array {
    if (n > this.total) throw new RangeError(`${n} bytes asked of a queue holding ${this.total}`);
    const first = this.chunks[0] ?? new Uint8Array();
    if (first.length >= n) {
      const out = first.subarray(0, n);
      if (consume) this.drop(n);
      return out;
    }
    const out = into && into.length >= n ? into.subarray(0, n) : new Uint8Array(n);
    let at = 0;
    for (const c of this.chunks) {
      if (at === n) break;
      const part = c.subarray(0, n - at);
      out.set(part, at);
      at += part.length;
    }
    if (consume) this.drop(n);
    return out;
  }

  private drop(n: number): void {
    this.total -= n;
    let left = n;
    while (left > 0) {
      const c = this.chunks[0];
      if (!c) return;
      if (c.length <= left) {
        this.chunks.shift();
        left -= c.length;
      } else {
        this.chunks[0] = c.subarray(left);
        left = 0;
      }
    }
  }
}
