/**
 * The one interface every device backend implements (docs/style.md lesson 2):
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
  /**
   * Sends one command and returns what happened; never throws for device
   * behaviour. It does not ask for confirmation: callers gate real devices
   * through engine/confirmation.ts first. Overlapping calls run one at a
   * time in call order (BOT has one command in flight). Callers should not
   * call it after `close`; `usb:` then sends nothing and returns a
   * `disconnected` transport error.
   *
   * `into` is a buffer of the caller's the data-in may be placed in, as SG_IO reads into the
   * caller's buffer: an emulated drive copies a READ's blocks straight into it, so a caller that
   * reuses one buffer pays no allocation per command. The outcome's dataIn is then a view of it
   * (valid until the caller reuses the buffer); other transports may ignore it.
   */
  execute(request: CommandRequest, into?: Uint8Array): Promise<CommandOutcome>;
  /** Bulk-Only reset recovery (BOT 1.0 §5.3.4); for `usb:` queued like `execute`, a no-op once closed. */
  reset(): Promise<void>;
  describe(): DeviceDescription;
  /**
   * Gives back everything the backend took from the OS (for `usb:` the
   * claimed interface, the detached kernel driver, the device handle, in
   * that order) and resolves only once it is back. Never rejects. Calling
   * it twice is harmless. Safe mid-command: `usb:` waits for the command in
   * flight to end (by its own timeout at worst), since libusb cannot release
   * an interface with transfers pending.
   */
  close(): Promise<void>;
}
