/**
 * A command's data-out as the Bulk-Only device receives it: in one transfer (usbredir sends a
 * 1 MiB WRITE's data as one bulk packet; the app's own drives hand it over whole) or in many
 * (Linux's vhci-hcd sends USB/IP a page per URB). A phase that comes whole is used as it came;
 * one in pieces is copied once, piece by piece, into one buffer. That buffer is the device's own
 * spare (`JoinSpare`) when the command's data fits it and no earlier command still runs with it,
 * so a stream of 1 MiB WRITEs in 256 pieces each leaves no garbage behind; else a new one.
 *
 * A transfer's bytes are the caller's only until the call ends (an exporter reuses the buffer
 * they came in), so a piece kept for later is always copied.
 */

/** The most data-out the spare holds: what Linux usb-storage sends per command at SuperSpeed. */
export const SPARE_BYTES = 1024 * 1024;

/** One buffer a device lends to one command's data-out at a time. */
export class JoinSpare {
  private buffer: Uint8Array | undefined;
  private lent = false;

  /** The spare, if it is free and holds `n` bytes; the caller gives it back with `giveBack`. */
  lend(n: number): Uint8Array | undefined {
    if (this.lent || n > SPARE_BYTES) return undefined;
    this.lent = true;
    return (this.buffer ??= new Uint8Array(SPARE_BYTES)).subarray(0, n);
  }

  /** The command that borrowed it has ended (its handler no longer reads its data-out). */
  giveBack(lent: Uint8Array): void {
    if (lent.buffer === this.buffer?.buffer) this.lent = false;
  }
}

export class DataOutJoin {
  /** The data phase so far when it came whole in one transfer. */
  private whole: Uint8Array | undefined;
  /** Where pieces are joined, `limit` bytes long. */
  private joined: Uint8Array | undefined;
  private filled = 0;

  /**
   * @param limit the most bytes the command takes (more are discarded before `add`)
   * @param spare lends the join buffer when it can
   */
  constructor(
    readonly limit: number,
    private readonly spare: JoinSpare,
  ) {}

  get length(): number {
    return this.whole?.length ?? this.filled;
  }

  /**
   * Takes `part` (at most `limit − length` bytes). `entire`: it is the whole data phase and the
   * whole transfer it came in, so it may be used as it is until the command ends.
   */
  add(part: Uint8Array, entire: boolean): void {
    if (part.length === 0) return;
    if (entire && this.length === 0) {
      this.whole = part;
      return;
    }
    const into = (this.joined ??= this.spare.lend(this.limit) ?? new Uint8Array(this.limit));
    into.set(part, this.filled);
    this.filled += part.length;
  }

  /** The data-out, valid until `release`. */
  take(): Uint8Array {
    return this.whole ?? this.joined?.subarray(0, this.filled) ?? new Uint8Array();
  }

  /** The command has ended: the spare, if this held it, is free again. */
  release(): void {
    if (this.joined) this.spare.giveBack(this.joined);
  }
}
