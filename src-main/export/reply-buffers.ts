/**
 * Buffers an exporter connection reuses for Bulk-IN data: a READ's blocks are
 * copied straight into one (emulator/data-in.ts), it goes out behind its
 * header in one writev, and it comes back here once the socket has written
 * it. A READ so allocates nothing and leaves no garbage the size of its data;
 * reused memory is also already mapped, where a new 1 MiB buffer costs a page
 * fault per 4 KiB.
 */

/**
 * The largest request served from the pool: what Linux usb-storage asks for at
 * SuperSpeed (max_sectors 2048 × 512 bytes); a larger one (a hostile or unusual
 * host) gets a buffer of its own.
 */
export const POOLED_SIZE = 1024 * 1024;
/**
 * The smallest request served from the pool. A smaller one gets a buffer of its own (the
 * smallest come from Node's shared pool): USB/IP's vhci-hcd asks a page per URB, hundreds at
 * once, and each would otherwise hold a whole pooled buffer until its reply is written.
 */
export const POOLED_MIN = 64 * 1024;
/**
 * Free buffers kept: a host has one data transfer in flight per command, and a
 * few written-but-unconfirmed ones may wait in the socket; more are dropped to
 * the garbage collector rather than held.
 */
export const POOLED_FREE = 4;

export class ReplyBuffers {
  private readonly free: Uint8Array[] = [];

  /** A buffer for `length` bytes from the pool, or undefined when the request is too small or too large for it. */
  take(length: number): Uint8Array | undefined {
    if (length < POOLED_MIN || length > POOLED_SIZE) return undefined;
    return this.free.pop() ?? new Uint8Array(POOLED_SIZE);
  }

  /** Returns a buffer `take` gave, once nothing reads it any more. */
  give(buffer: Uint8Array): void {
    // A buffer given twice would be handed to two readers at once: it is kept only once.
    if (
      buffer.length === POOLED_SIZE &&
      this.free.length < POOLED_FREE &&
      !this.free.includes(buffer)
    )
      this.free.push(buffer);
  }

  /** Free buffers held (for tests). */
  get held(): number {
    return this.free.length;
  }
}
