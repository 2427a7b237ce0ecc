/**
 * Operations run one at a time, in call order: a Bulk-Only device has one
 * command in flight (BOT 1.0 §5, a CBW, its data, then its CSW), so a
 * second command's CBW must not reach the pipes before the first's CSW is
 * back — on a real device it would be read as the first's data-out. Every
 * transport queues its commands and resets here (docs/style.md, lesson 15).
 */
export class OneAtATime {
  /** Settles once the last operation queued has finished; never rejects. */
  private last: Promise<void> = Promise.resolve();
  private running = 0;

  /**
   * Runs `op` after every operation queued before it has finished, and
   * resolves or rejects as `op` does. With nothing running it starts at once:
   * a hop through a resolved promise per command costs the in-process
   * READ(10) of 1 MiB measurably (bench/bench.ts).
   */
  run<T>(op: () => Promise<T>): Promise<T> {
    // An op that throws synchronously rejects, queued or not.
    const result = this.running === 0 ? invoke(op) : this.last.then(op);
    this.running++;
    const done = (): void => {
      this.running--;
    };
    this.last = result.then(done, done);
    return result;
  }

  /** Resolves once every operation queued so far has finished. */
  idle(): Promise<void> {
    return this.last;
  }
}

/** `op()`, with a synchronous throw turned into a rejection. */
function invoke<T>(op: () => Promise<T>): Promise<T> {
  try {
    return op();
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
}
