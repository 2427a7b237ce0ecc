/**
 * The libusb backend's own logic, with fake endpoints standing in for the
 * `usb` package's (no USB device exists on the build machines; the BOT logic
 * over these pipes is the BotHost tested against the emulated device).
 */
import { usb, type LibUSBException } from 'usb';
import { describe, expect, it } from 'vitest';
import {
  listMassStorage,
  UsbPipes,
  type ControlLike,
  type InEndpointLike,
  type OutEndpointLike,
} from '../../src-main/engine/usb';

function failure(errno: number, message = 'libusb error'): LibUSBException {
  return Object.assign(new Error(message), { errno }) as LibUSBException;
}

function pipes(inResult: [LibUSBException | undefined, Buffer?]): {
  p: UsbPipes;
  inEp: InEndpointLike;
} {
  const inEp: InEndpointLike = {
    timeout: 0,
    transfer: (_n, cb) => cb(inResult[0], inResult[1]),
    clearHalt: (cb) => cb(undefined),
  };
  const outEp: OutEndpointLike = {
    timeout: 0,
    transfer: (_b, cb) => cb(undefined, 0),
    clearHalt: (cb) => cb(failure(usb.LIBUSB_ERROR_NO_DEVICE, 'gone')),
  };
  const ctl: ControlLike = {
    timeout: 0,
    controlTransfer: (_t, _r, _v, _i, len, cb) =>
      cb(undefined, typeof len === 'number' ? Buffer.from([3]) : undefined),
  };
  return { p: new UsbPipes(ctl, inEp, outEp, 0), inEp };
}

function pipesWithOut(outError: LibUSBException): UsbPipes {
  const inEp: InEndpointLike = {
    timeout: 0,
    transfer: (_n, cb) => cb(undefined, Buffer.alloc(0)),
    clearHalt: (cb) => cb(undefined),
  };
  const outEp: OutEndpointLike = {
    timeout: 0,
    transfer: (_b, cb) => cb(outError, 0),
    clearHalt: (cb) => cb(undefined),
  };
  const ctl: ControlLike = {
    timeout: 0,
    controlTransfer: (_t, _r, _v, _i, _len, cb) => cb(undefined, undefined),
  };
  return new UsbPipes(ctl, inEp, outEp, 0);
}

describe('UsbPipes', () => {
  it('passes data through and sets the per-transfer timeout', async () => {
    const { p, inEp } = pipes([undefined, Buffer.from([1, 2, 3])]);
    expect(await p.bulkIn(3, 1234)).toEqual({ kind: 'ok', data: Uint8Array.from([1, 2, 3]) });
    expect(inEp.timeout).toBe(1234);
    expect(
      await p.control(
        { bmRequestType: 0xa1, bRequest: 0xfe, wValue: 0, wIndex: 0, wLength: 1 },
        1,
        100,
      ),
    ).toEqual({ kind: 'ok', data: Uint8Array.from([3]) });
  });

  it('maps libusb stalls, timeouts and other errors to pipe results', async () => {
    expect(await pipes([failure(usb.LIBUSB_TRANSFER_STALL)]).p.bulkIn(13, 10)).toEqual({
      kind: 'stall',
    });
    expect(await pipes([failure(usb.LIBUSB_ERROR_PIPE)]).p.bulkIn(13, 10)).toEqual({
      kind: 'stall',
    });
    expect(await pipes([failure(usb.LIBUSB_TRANSFER_TIMED_OUT)]).p.bulkIn(13, 10)).toEqual({
      kind: 'timeout',
    });
    expect(
      await pipesWithOut(failure(usb.LIBUSB_ERROR_TIMEOUT)).bulkOut(new Uint8Array(31), 10),
    ).toEqual({ kind: 'timeout' });
    expect(await pipes([undefined]).p.clearHalt('out', 10)).toEqual({
      kind: 'error',
      message: 'gone',
    });
  });
});

describe('listMassStorage', () => {
  it('lists only Bulk-Only mass-storage interfaces, and nothing on a machine without any', () => {
    const list = listMassStorage();
    expect(Array.isArray(list)).toBe(true);
    for (const d of list) expect(d.vendorId).toBeGreaterThanOrEqual(0);
  });
});

describe('watchUsb', () => {
  it('subscribes to plug and unplug events and unsubscribes cleanly', async () => {
    const { watchUsb } = await import('../../src-main/engine/usb');
    const before = usb.listenerCount('attach');
    const stop = watchUsb(() => undefined);
    expect(usb.listenerCount('attach')).toBe(before + 1);
    expect(usb.listenerCount('detach')).toBeGreaterThanOrEqual(1);
    stop();
    expect(usb.listenerCount('attach')).toBe(before);
  });
});
