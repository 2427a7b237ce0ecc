/**
 * Where a connection keeps the bytes it read into its scratch buffer (socket-reads.ts) until it
 * has dealt with them.
 *
 * A copy of each read in memory of its own (`Buffer.from`) is garbage as soon as the request in
 * it is answered: a USB/IP host writing 64 MiB leaves 64 MiB of it behind in 64 KiB pieces,
 * which the process holds until V8 collects it. Here reads are copied one after another into a
 * slab, so consecutive reads are contiguous (a request that straddles two reads is not joined
 * again; ByteQueue merges adjacent pieces), and a slab whose bytes have all been dealt with is
 * written over again. The owner says when that is: `release(queued)` once nothing it took
 * earlier is in use any more, with the count of bytes it still holds unread, which are the
 * newest it was given.
 *
 * Slabs pay off while requests are answered about as fast as they arrive, so a slab goes back
 * into use after a few reads. A request larger than a slab (a 16 MiB URB) would fill dozens of
 * slabs that all come free at once, when only two are kept: once the bytes the owner holds
 * unread and a read would not fit in one slab, that read gets memory of its own, as before.
 */

/** Four scratch-sized reads: a slab goes back into use after a few reads, not after thousands. */
export const SLAB_BYTES = 256 * 1024;
/** Slabs kept for reuse beyond the one being filled; more are left to the collector. */
const SPARE_SLABS = 2;

/** Bytes given out one after another, in one slab or (no slab) in memory of their own; oldest first. */
interface Region {
  readonly slab: Uint8Array | undefined;
  bytes: number;
}

export class ReadSlabs {
  /** Where the next read goes, and how much of it is taken. */
  private slab: Uint8Array | undefined;
  private used = 0;
  private regions: Region[] = [];
  private readonly spares: Uint8Array[] = [];

  constructor(private readonly slabBytes = SLAB_BYTES) {}

  /**
   * A copy of `bytes` the caller may hold until it calls `release` saying they are dealt with.
   * `queued`: the bytes it holds unread so far (a large request accumulating gets memory of its own).
   */
  keep(bytes: Uint8Array, queued: number): Uint8Array {
    const n = bytes.length;
    // `new Uint8Array(view)` copies; `slice` would not where `bytes` is a Buffer (a view there).
    if (queued + n > this.slabBytes) return this.note(undefined, new Uint8Array(bytes));
    if (!this.slab || this.used + n > this.slab.length) {
      this.slab = this.spares.pop() ?? new Uint8Array(this.slabBytes);
      this.used = 0;
    }
    const into = this.slab.subarray(this.used, this.used + n);
    into.set(bytes);
    this.used += n;
    return this.note(this.slab, into);
  }

  /**
   * Nothing given out earlier is in use except the newest `queued` bytes (still unread by the
   * owner): slabs wholly before them are emptied for reuse.
   */
  release(queued: number): void {
    let newer = 0;
    let i = this.regions.length;
    while (i > 0 && newer < queued) newer += (this.regions[--i] as Region).bytes;
    // regions[0, i) hold nothing the owner still needs; a slab is free once no region left
    // lies in it (reads of memory of their own can sit between two regions of one slab).
    const done = this.regions.splice(0, i);
    const live = new Set(this.regions.map((r) => r.slab));
    for (const { slab } of done) {
      if (!slab || live.has(slab)) continue;
      live.add(slab); // a slab with several regions is freed once
      if (slab === this.slab) this.used = 0;
      else if (this.spares.length < SPARE_SLABS) this.spares.push(slab);
    }
  }

  /** Bytes given out and not yet released (what the tests check the bookkeeping by). */
  get held(): number {
    return this.regions.reduce((sum, r) => sum + r.bytes, 0);
  }

  private note(slab: Uint8Array | undefined, view: Uint8Array): Uint8Array {
    const last = this.regions.at(-1);
    if (last && last.slab === slab) last.bytes += view.length;
    else this.regions.push({ slab, bytes: view.length });
    return view;
  }
}
