/** Wraps any transport and appends every exchange to a JSON-lines trace (trace.ts). */
import { exchangeLine, headerLine } from '../../shared/trace';
import type { Problem, Result } from '../../shared/scsi/result';
import type { CommandOutcome, CommandRequest, DeviceDescription, Transport } from './transport';

/**
 * Where trace lines go when appending can fail: `append` adds one whole line
 * or says why not (files/append-line.ts `appendLineSync` is one).
 */
export interface TraceSink {
  append(line: string): Result<void>;
}

export class RecordingTransport implements Transport {
  private wroteHeader = false;
  private problem: Problem | undefined;

  /**
   * @param sink appends one line (the caller owns the file); a failure stops
   * the recording and is kept in `failure`. Recording stops at the first
   * failed line so the trace never has a hole in the middle.
   */
  constructor(
    private readonly inner: Transport,
    private readonly sink: TraceSink,
  ) {}

  /** Why the trace stopped early, or undefined while every exchange is in it. */
  get failure(): Problem | undefined {
    return this.problem;
  }

  private write(line: string): void {
    if (this.problem) return;
    const r = this.sink.append(line);
    if (!r.ok) this.problem = r.error;
  }

  async execute(request: CommandRequest): Promise<CommandOutcome> {
    if (!this.wroteHeader) {
      this.write(headerLine(this.inner.describe()));
      this.wroteHeader = true;
    }
    const outcome = await this.inner.execute(request);
    this.write(exchangeLine(new Date(), request, outcome));
    return outcome;
  }

  reset(): Promise<void> {
    return this.inner.reset();
  }

  describe(): DeviceDescription {
    return this.inner.describe();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
