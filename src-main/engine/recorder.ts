/** Wraps any transport and appends every exchange to a JSON-lines trace (trace.ts). */
import { exchangeLine, headerLine } from '../../shared/trace';
import type { CommandOutcome, CommandRequest, DeviceDescription, Transport } from './transport';

export class RecordingTransport implements Transport {
  private wroteHeader = false;

  /** @param write appends one line (the caller owns the file) */
  constructor(
    private readonly inner: Transport,
    private readonly write: (line: string) => void,
  ) {}

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
