/**
 * The USB side of a Bulk-Only device as the host sees it: two bulk pipes
 * and the control pipe. The libusb backend implements this over real
 * endpoints; the emulated drive implements it in memory. The host BOT code
 * (bot-host.ts) talks only to this interface, so it is the same code for both.
 */
import type { SetupPacket } from '../../shared/bot/requests';

/**
 * How a transfer that failed ended. `transferred`: how many bytes a Bulk-Out moved before it
 * stalled or failed, where the backend knows (libusb's actual_length); none said means none moved.
 */
type Failed = { readonly transferred?: number } &
  /** The endpoint is halted (STALL handshake). */
  (
    | { readonly kind: 'stall' }
    | { readonly kind: 'timeout' }
    /** Anything else the host controller or OS reported. */
    | { readonly kind: 'error'; readonly message: string }
  );

export type PipeResult = { readonly kind: 'ok'; readonly data: Uint8Array } | Failed;

export interface BulkPipes {
  /** Sends `data` on Bulk-Out. `data` of the result is empty. */
  bulkOut(data: Uint8Array, timeoutMs: number): Promise<PipeResult>;
  /**
   * Reads up to `length` bytes from Bulk-In (one transfer; a short packet ends it). `into` is a
   * buffer the data may be placed in (an emulated drive copies a READ's blocks straight into it);
   * the result's data is what was read, wherever it lies.
   */
  bulkIn(length: number, timeoutMs: number, into?: Uint8Array): Promise<PipeResult>;
  /** A control transfer on EP0; `dataOrLength` is the data-out or the length to read. */
  control(
    setup: SetupPacket,
    dataOrLength: Uint8Array | number,
    timeoutMs: number,
  ): Promise<PipeResult>;
  /** CLEAR_FEATURE(ENDPOINT_HALT) on the bulk endpoint of that direction. */
  clearHalt(direction: 'in' | 'out', timeoutMs: number): Promise<PipeResult>;
  /** Interface number the class requests address (wIndex). */
  readonly interfaceNumber: number;
}
