/**
 * Data-in a command has ready for the host: bytes already made (an INQUIRY, a
 * mode page), or blocks still in a memory store (a READ), copied only when the
 * host takes them and then straight into the buffer they leave in — the
 * requester's own, or an exporter's outgoing message. A READ so costs one copy
 * and no buffer of its own.
 *
 * Deferring is safe because nothing can change the blocks in between: a
 * Bulk-Only device runs one command at a time (BOT 1.0 §5: the next CBW comes
 * after the CSW), a CBW that arrives early ends the data phase (bot-device.ts),
 * and a store belongs to one drive.
 */

/**
 * Blocks to be copied when taken; `copyTo` is synchronous. From memory it cannot fail; from an
 * image file it throws MediumError (medium-error.ts) naming the first block it could not read,
 * which the Bulk-Only device answers as a drive answers a bad block.
 */
export interface DeferredData {
  readonly length: number;
  /** Copies `n` bytes starting `from` bytes in, to `target` at `at`. */
  copyTo(target: Uint8Array, at: number, from: number, n: number): void;
}

export type DataIn = Uint8Array | DeferredData;

/**
 * No bytes, one array for every answer that has none: nothing can be written into an empty array
 * (and nothing in the app detaches an answer's buffer), while making one per answer was a sizeable
 * part of TEST UNIT READY's time in-process (issue 13).
 */
export const NO_BYTES = new Uint8Array(0);

const isBytes = (d: DataIn): d is Uint8Array => d instanceof Uint8Array;

/**
 * `n` bytes of `d` from `from` (both within it). Bytes already made come back as a view; deferred
 * ones are copied into `into` when it has room (the result is then a view of it), else into a new
 * buffer.
 */
export function takeData(d: DataIn, from: number, n: number, into?: Uint8Array): Uint8Array {
  if (isBytes(d)) return d.subarray(from, from + n);
  // Every byte is written by copyTo, so the new buffer need not be zeroed first.
  const target = into && into.length >= n ? into.subarray(0, n) : Buffer.allocUnsafe(n);
  d.copyTo(target, 0, from, n);
  return target;
}

/** The first `n` bytes of `d`, still deferred if it was. */
export function headOf(d: DataIn, n: number): DataIn {
  if (isBytes(d)) return d.subarray(0, n);
  return { length: Math.min(n, d.length), copyTo: (t, at, from, k) => d.copyTo(t, at, from, k) };
}

/** `d` followed by zeros up to `n` bytes (n ≥ d.length), still deferred if it was. */
export function paddedTo(d: DataIn, n: number): DataIn {
  return {
    length: n,
    copyTo: (t, at, from, k) => {
      const own = Math.max(0, Math.min(k, d.length - from));
      if (own > 0) {
        if (isBytes(d)) t.set(d.subarray(from, from + own), at);
        else d.copyTo(t, at, from, own);
      }
      t.fill(0, at + own, at + k);
    },
  };
}

/** All of `d` as bytes (for a caller that takes the data in one piece). */
export function bytesOf(d: DataIn): Uint8Array {
  return takeData(d, 0, d.length);
}
