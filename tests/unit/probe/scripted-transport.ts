/**
 * A scripted fake Transport (docs/style.md lesson 13): install the exchanges a
 * test expects, in order; a CDB the script does not expect throws, and
 * `unused()` tells a test whether every exchange was used.
 */
import { formatHex } from '../../../shared/scsi/hex';
import type {
  CommandOutcome,
  CommandRequest,
  DeviceDescription,
  Transport,
} from '../../../src-main/engine/transport';

export interface Exchange {
  readonly cdb: string;
  readonly outcome: Partial<CommandOutcome>;
}

export class ScriptedTransport implements Transport {
  readonly sent: string[] = [];
  constructor(
    private readonly script: Exchange[],
    private readonly description: DeviceDescription,
  ) {}
  execute(request: CommandRequest): Promise<CommandOutcome> {
    const cdb = formatHex(request.cdb);
    this.sent.push(cdb);
    const next = this.script.shift();
    if (!next || next.cdb !== cdb)
      throw new Error(`unexpected CDB ${cdb}; the script expected ${next?.cdb ?? 'nothing'}`);
    return Promise.resolve({
      status: 0,
      dataIn: new Uint8Array(0),
      residue: 0,
      durationMs: 1,
      ...next.outcome,
    });
  }
  reset(): Promise<void> {
    return Promise.resolve();
  }
  describe(): DeviceDescription {
    return this.description;
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
  unused(): number {
    return this.script.length;
  }
}

/** CHECK CONDITION 05/20/00 INVALID COMMAND OPERATION CODE, fixed format. */
export const REFUSED: Partial<CommandOutcome> = {
  status: 2,
  sense: Uint8Array.from([0x70, 0, 5, 0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0x20, 0, 0, 0, 0, 0]),
};
