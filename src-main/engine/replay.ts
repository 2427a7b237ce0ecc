/**
 * `replay:FILE`: plays a recorded trace back. Each request must match the
 * next recorded one (CDB, LUN, direction, length, data-out); a mismatch is a
 * `replay-mismatch` transport error saying what was expected, never a silent
 * wrong answer, nor a USB failure: no device is involved.
 */
import { formatHex } from '../../shared/scsi/hex';
import type { Exchange, TraceHeader } from '../../shared/trace';
import type { CommandOutcome, CommandRequest, DeviceDescription, Transport } from './transport';

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  return formatHex(a ?? new Uint8Array()) === formatHex(b ?? new Uint8Array());
}

export class ReplayTransport implements Transport {
  private next = 0;

  constructor(
    private readonly header: TraceHeader,
    private readonly exchanges: readonly Exchange[],
    private readonly source: string,
  ) {}

  execute(request: CommandRequest): Promise<CommandOutcome> {
    const e = this.exchanges[this.next];
    const mismatch = (message: string): Promise<CommandOutcome> =>
      Promise.resolve({
        status: undefined,
        transportError: { kind: 'replay-mismatch', message },
        dataIn: new Uint8Array(),
        residue: 0,
        durationMs: 0,
      });
    if (!e) return mismatch(`replay: the trace has only ${this.exchanges.length} exchanges`);
    const r = e.request;
    if (
      !sameBytes(r.cdb, request.cdb) ||
      r.lun !== request.lun ||
      r.direction !== request.direction ||
      r.transferLength !== request.transferLength ||
      !sameBytes(r.dataOut, request.dataOut)
    ) {
      return mismatch(
        `replay: exchange ${this.next + 1} was ${formatHex(r.cdb)} (LUN ${r.lun}, ${r.direction} ${r.transferLength}), not ${formatHex(request.cdb)} (LUN ${request.lun}, ${request.direction} ${request.transferLength})`,
      );
    }
    this.next++;
    return Promise.resolve(e.outcome);
  }

  reset(): Promise<void> {
    return Promise.resolve();
  }

  describe(): DeviceDescription {
    return { ...this.header.device, id: `replay:${this.source}`, kind: 'replay' };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
