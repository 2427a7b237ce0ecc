/**
 * A BulkPipes decorator that records every transfer in a usbmon capture:
 * the same host BOT code drives emulated and libusb devices, so wrapping
 * their pipes captures both. `enumerate` adds the descriptor requests a
 * host makes first: Wireshark's USB mass-storage dissector recognises CBWs
 * and CSWs by their signatures alone, but decodes the data phases (INQUIRY
 * data, sense…) only once a configuration descriptor has told it the
 * interface is 08h/06h/50h (observed with tshark 4.0).
 */
import { clearHalt, encodeSetup, type SetupPacket } from '../../shared/bot/requests';
import { ByteReader } from '../../shared/scsi/bytes';
import type { BulkPipes, PipeResult } from '../engine/pipes';
import { URB_STATUS, type UsbCapture } from './usbmon';

const statusOf = (r: PipeResult): number => URB_STATUS[r.kind];

export class CapturingPipes implements BulkPipes {
  readonly interfaceNumber: number;

  constructor(
    private readonly inner: BulkPipes,
    private readonly capture: UsbCapture,
    private readonly endpoints: { readonly in: number; readonly out: number },
  ) {
    this.interfaceNumber = inner.interfaceNumber;
  }

  async bulkOut(data: Uint8Array, timeoutMs: number): Promise<PipeResult> {
    const urb = this.capture.submit(
      { type: 'bulk', endpoint: this.endpoints.out, length: data.length },
      data,
    );
    const r = await this.inner.bulkOut(data, timeoutMs);
    // usbmon's completion gives the bytes that went (actual_length): all of them, or as many as
    // the backend says moved before the stall.
    this.capture.complete(
      urb,
      statusOf(r),
      undefined,
      r.kind === 'ok' ? data.length : (r.transferred ?? 0),
    );
    return r;
  }

  /** The capture copies the data into its record at once, so `into` may be reused afterwards. */
  async bulkIn(length: number, timeoutMs: number, into?: Uint8Array): Promise<PipeResult> {
    const urb = this.capture.submit({ type: 'bulk', endpoint: this.endpoints.in, length });
    const r = await this.inner.bulkIn(length, timeoutMs, into);
    this.capture.complete(urb, statusOf(r), r.kind === 'ok' ? r.data : undefined);
    return r;
  }

  async control(
    setup: SetupPacket,
    dataOrLength: Uint8Array | number,
    timeoutMs: number,
  ): Promise<PipeResult> {
    const isIn = (setup.bmRequestType & 0x80) !== 0;
    const urb = this.capture.submit(
      {
        type: 'control',
        endpoint: isIn ? 0x80 : 0x00,
        length: setup.wLength,
        setup: encodeSetup(setup),
      },
      typeof dataOrLength === 'number' ? undefined : dataOrLength,
    );
    const r = await this.inner.control(setup, dataOrLength, timeoutMs);
    this.capture.complete(urb, statusOf(r), r.kind === 'ok' && isIn ? r.data : undefined);
    return r;
  }

  async clearHalt(direction: 'in' | 'out', timeoutMs: number): Promise<PipeResult> {
    // CLEAR_FEATURE(ENDPOINT_HALT) to the endpoint (USB 2.0 §9.4.1).
    const ep = direction === 'in' ? this.endpoints.in : this.endpoints.out;
    const urb = this.capture.submit({
      type: 'control',
      endpoint: 0,
      length: 0,
      setup: encodeSetup(clearHalt(ep)),
    });
    const r = await this.inner.clearHalt(direction, timeoutMs);
    this.capture.complete(urb, statusOf(r));
    return r;
  }

  /** GET_DESCRIPTOR of the device and of its configuration, as a host does on enumeration. */
  async enumerate(timeoutMs = 2000): Promise<void> {
    const get = (type: number, length: number): Promise<PipeResult> =>
      this.control(
        { bmRequestType: 0x80, bRequest: 0x06, wValue: type << 8, wIndex: 0, wLength: length },
        length,
        timeoutMs,
      );
    await get(1, 18);
    const head = await get(2, 9);
    // wTotalLength, bytes 2–3 of the configuration descriptor (USB 2.0 9.6.3).
    const total =
      head.kind === 'ok' && head.data.length >= 4
        ? new ByteReader(head.data, 'configuration descriptor').le16(2)
        : 0;
    if (total > 9) await get(2, total);
  }
}
