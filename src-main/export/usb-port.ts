/**
 * What every exporter does with the requests a remote host sends an
 * emulated drive, whatever carries them (usbredir, USB/IP): control and
 * bulk transfers to the Bulk-Only device, Bulk-IN requests that find
 * nothing to send parked until the device has data (a real device NAKs
 * them), cancels, USB resets, and the capture of it all.
 */
import { encodeSetup, type SetupPacket } from '../../shared/bot/requests';
import { URB_STATUS, type Urb, type UrbOutcome, type UsbCapture } from '../capture/usbmon';
import type { BulkPipes, PipeResult } from '../engine/pipes';
import type { ExportedDrive } from './exported-drive';
import { ReplyBuffers } from './reply-buffers';

export interface Completion {
  readonly status: UrbOutcome;
  readonly data: Uint8Array;
  /**
   * For Bulk-IN data in one of the port's reply buffers: call once the data has been written
   * out (the buffer is then reused). Absent when the data is the completion's own.
   */
  readonly release?: () => void;
}

function completion(r: PipeResult): Completion {
  return r.kind === 'ok'
    ? { status: 'ok', data: r.data }
    : { status: r.kind, data: new Uint8Array() };
}

interface Parked {
  readonly key: number;
  readonly length: number;
  readonly urb: Urb | undefined;
  readonly resolve: (c: Completion) => void;
}

/** Transfers wait this long at most inside the device model (it answers at once or not at all). */
const DEVICE_TIMEOUT_MS = 5000;

/**
 * Largest transfer a remote host may ask for in one request, either way. Linux
 * usb-storage sends at most max_sectors a command (1 MiB at SuperSpeed, as the
 * bench measured; 120 KiB otherwise, from memory); 16 MiB is far above that
 * and bounds what one request can make the exporter hold.
 */
export const MAX_TRANSFER = 16 * 1024 * 1024;

/**
 * Bulk-IN requests that may wait for data at once. A host queues one or a few
 * per command (a data transfer, the CSW; one per scatter-gather entry where the
 * host controller driver splits a command — a few hundred at most); more is a
 * peer flooding the list, and its connection is closed.
 */
export const MAX_PARKED_IN = 1024;

export class UsbPort {
  private device: BulkPipes;
  private parked: Parked[] = [];
  private readonly buffers = new ReplyBuffers();

  constructor(
    private readonly drive: ExportedDrive,
    private readonly capture?: UsbCapture,
  ) {
    this.device = drive.attach();
  }

  /** Whether `endpoint` (with its direction bit) is one of the drive's bulk endpoints. */
  isBulkEndpoint(endpoint: number): boolean {
    return this.drive.endpoints.some((e) => e.address === endpoint);
  }

  async control(setup: SetupPacket, outData: Uint8Array): Promise<Completion> {
    const isIn = (setup.bmRequestType & 0x80) !== 0;
    const urb = this.capture?.submit(
      {
        type: 'control',
        endpoint: isIn ? 0x80 : 0,
        length: setup.wLength,
        setup: encodeSetup(setup),
      },
      isIn ? undefined : outData,
    );
    const c = completion(
      await this.device.control(setup, isIn ? setup.wLength : outData, DEVICE_TIMEOUT_MS),
    );
    const data = isIn ? c.data.subarray(0, setup.wLength) : new Uint8Array();
    if (urb) this.capture?.complete(urb, URB_STATUS[c.status], data);
    return { status: c.status, data };
  }

  async bulkOut(endpoint: number, data: Uint8Array): Promise<Completion> {
    const urb = this.capture?.submit({ type: 'bulk', endpoint, length: data.length }, data);
    const c = completion(await this.device.bulkOut(data, DEVICE_TIMEOUT_MS));
    if (urb) this.capture?.complete(urb, URB_STATUS[c.status]);
    return c;
  }

  /** Whether Bulk-IN requests wait for data (`poke` has something to answer). */
  get waiting(): boolean {
    return this.parked.length > 0;
  }

  /** Whether another Bulk-IN request may wait (fewer than MAX_PARKED_IN do); the exporter closes a peer that sends more. */
  get canPark(): boolean {
    return this.parked.length < MAX_PARKED_IN;
  }

  /** A Bulk-IN request: resolves when the device has something (or it is cancelled); call `poke` after every request. */
  bulkIn(key: number, endpoint: number, length: number): Promise<Completion> {
    const urb = this.capture?.submit({ type: 'bulk', endpoint, length });
    return new Promise((resolve) => this.parked.push({ key, length, urb, resolve }));
  }

  /**
   * Answers parked Bulk-IN requests, oldest first, while the device has something to send. A
   * READ's blocks are copied straight into a reply buffer (reply-buffers.ts), which the
   * completion's `release` gives back.
   */
  async poke(): Promise<void> {
    for (;;) {
      const p = this.parked[0];
      if (!p) return;
      const into = this.buffers.take(p.length);
      const r = await this.device.bulkIn(p.length, DEVICE_TIMEOUT_MS, into);
      const used = into !== undefined && r.kind === 'ok' && r.data.buffer === into.buffer;
      if (into && !used) this.buffers.give(into);
      if (r.kind === 'timeout') return; // nothing yet
      this.parked.shift();
      // More than the request asked for (a CSW to a Bulk-IN of fewer than 13 bytes) is babble:
      // the host gets what its buffer holds and EOVERFLOW, never the rest (vhci-hcd drops a
      // connection whose RET_SUBMIT outgrows the URB's buffer).
      const c: Completion =
        r.kind === 'ok' && r.data.length > p.length
          ? { status: 'overflow', data: r.data.subarray(0, p.length) }
          : completion(r);
      // The capture copies the data into its record at once.
      if (p.urb) this.capture?.complete(p.urb, URB_STATUS[c.status], c.data);
      p.resolve(used ? { ...c, release: () => this.buffers.give(into) } : c);
    }
  }

  /** Cancels a parked request; false when it was already answered. */
  cancel(key: number): boolean {
    const i = this.parked.findIndex((p) => p.key === key);
    const p = this.parked[i];
    if (!p) return false;
    this.parked.splice(i, 1);
    if (p.urb) this.capture?.complete(p.urb, URB_STATUS.cancelled);
    p.resolve({ status: 'cancelled', data: new Uint8Array() });
    return true;
  }

  /**
   * A USB reset: the device starts over (halts cleared, BOT idle, a new power-on unit attention).
   * A reset ends every transfer in progress, so a Bulk-IN still waiting is answered cancelled
   * rather than handed data of a command sent after the reset (usbredir's usb-host cancels
   * its pending transfers and tells the guest before it resets the device).
   */
  reset(): void {
    this.cancelAll();
    this.device = this.drive.attach();
  }

  /** The connection ended: whatever still waits is cancelled. */
  close(): void {
    this.cancelAll();
  }

  private cancelAll(): void {
    for (const p of [...this.parked]) this.cancel(p.key);
  }
}
