/**
 * The one interface every device backend implements (style.md lesson 2):
 * execute a CDB, reset, describe. `emu:`, `usb:` and `replay:` each live in
 * their own module and nothing else knows their details.
 */
import type { CommandOutcome, CommandRequest, DeviceDescription } from '../../shared/exchange';

export type {
  CommandOutcome,
  CommandRequest,
  DeviceDescription,
  TransportError,
} from '../../shared/exchange';

export interface Transport {
  /** Sends one command and returns what happened; never throws for device behaviour. */
  execute(request: CommandRequest): Promise<CommandOutcome>;
  /** Bulk-Only reset recovery (BOT 1.0 §5.3.4). */
  reset(): Promise<void>;
  describe(): DeviceDescription;
  close(): Promise<void>;
}
