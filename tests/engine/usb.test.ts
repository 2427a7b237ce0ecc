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
  UsbTransport,
  type ControlLike,
  type DeviceLike,
  type InEndpointLike,
  type InterfaceLike,
  type OutEndpointLike,
  type UsbTarget,
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

function pipesWithOut(outError: LibUSBException, actual = 0): UsbPipes {
  const inEp: InEndpointLike = {
    timeout: 0,
    transfer: (_n, cb) => cb(undefined, Buffer.alloc(0)),
    clearHalt: (cb) => cb(undefined),
  };
  const outEp: OutEndpointLike = {
    timeout: 0,
    transfer: (_b, cb) => cb(outError, actual),
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
    ).toEqual({ kind: 'timeout', transferred: 0 });
    expect(await pipes([undefined]).p.clearHalt('out', 10)).toEqual({
      kind: 'error',
      message: 'gone',
    });
  });
});

describe('a Bulk-Out that fails part-way', () => {
  it('says how many bytes libusb moved before the stall (actual_length)', async () => {
    expect(
      await pipesWithOut(failure(usb.LIBUSB_TRANSFER_STALL), 1024).bulkOut(
        new Uint8Array(4096),
        10,
      ),
    ).toEqual({ kind: 'stall', transferred: 1024 });
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

/** Steps of opening and closing a `usb:` device that the fake can be told to fail. */
type Step = 'open' | 'detach' | 'claim' | 'endpoints' | 'get-max-lun' | 'release' | 'attach';

/**
 * A fake libusb device recording, in order, every resource the transport
 * takes and gives back. `release` completes only when the test (or a
 * microtask, by default) calls its callback, as libusb's does.
 */
function fakeDevice(fail?: Step, options: { manualRelease?: boolean } = {}) {
  const log: string[] = [];
  const releases: (() => void)[] = [];
  let heldOut: (() => void) | undefined;
  let holdOut = false;
  let tag = Buffer.alloc(4);
  const libusbError = (step: Step): LibUSBException =>
    failure(usb.LIBUSB_ERROR_IO, `${step} failed`);
  const act = (step: Step, what: string): void => {
    if (fail === step) {
      log.push(`${what} failed`);
      throw libusbError(step);
    }
    log.push(what);
  };
  const inEp = {
    direction: 'in' as const,
    transferType: usb.LIBUSB_TRANSFER_TYPE_BULK,
    address: 0x81,
    timeout: 0,
    // The CSW of whatever command was sent: signature USBS, the CBW's tag, residue 0, status GOOD.
    transfer: (_n: number, cb: (e: LibUSBException | undefined, d?: Buffer) => void) =>
      cb(undefined, Buffer.concat([Buffer.from('USBS'), tag, Buffer.alloc(5)])),
    clearHalt: (cb: (e: LibUSBException | undefined) => void) => cb(undefined),
  };
  const outEp = {
    direction: 'out' as const,
    transferType: usb.LIBUSB_TRANSFER_TYPE_BULK,
    address: 0x02,
    timeout: 0,
    transfer: (b: Buffer, cb: (e: LibUSBException | undefined, n: number) => void) => {
      log.push('bulk out');
      tag = Buffer.from(b.subarray(4, 8));
      if (holdOut) heldOut = () => cb(undefined, b.length);
      else cb(undefined, b.length);
    },
    clearHalt: (cb: (e: LibUSBException | undefined) => void) => cb(undefined),
  };
  const iface: InterfaceLike = {
    endpoints: fail === 'endpoints' ? [inEp] : [inEp, outEp],
    isKernelDriverActive: () => true,
    detachKernelDriver: () => act('detach', 'detach kernel driver'),
    attachKernelDriver: () => act('attach', 'attach kernel driver'),
    claim: () => act('claim', 'claim'),
    release: (cb) => {
      log.push('release requested');
      const done = (): void => {
        log.push(fail === 'release' ? 'release failed' : 'released');
        cb(fail === 'release' ? libusbError('release') : undefined);
      };
      if (options.manualRelease) releases.push(done);
      else queueMicrotask(done);
    },
  };
  const device: DeviceLike = {
    timeout: 0,
    open: () => act('open', 'open'),
    close: () => void log.push('close'),
    interface: () => iface,
    controlTransfer: (_t, _r, _v, _i, _len, cb) => {
      log.push('Get Max LUN');
      if (fail === 'get-max-lun') cb(failure(usb.LIBUSB_ERROR_NO_DEVICE, 'no device'), undefined);
      else cb(undefined, Buffer.from([0]));
      return undefined;
    },
  };
  const target: UsbTarget = {
    device,
    vendorId: 0x0781,
    productId: 0x5581,
    bus: 1,
    address: 2,
    interfaceNumber: 0,
  };
  return {
    log,
    target,
    /** Completes the oldest pending interface release. */
    completeRelease: () => releases.shift()?.(),
    holdBulkOut: () => void (holdOut = true),
    finishBulkOut: () => heldOut?.(),
  };
}

const TUR = {
  cdb: new Uint8Array(6),
  lun: 0,
  direction: 'none' as const,
  transferLength: 0,
  timeoutMs: 1000,
};

describe('UsbTransport.openTarget: what a failed open gives back', () => {
  // Each failing step, and exactly what must be given back, newest first (docs/style.md lesson 16).
  const cases: [Step, string[]][] = [
    ['open', ['open failed']],
    ['detach', ['open', 'detach kernel driver failed', 'close']],
    ['claim', ['open', 'detach kernel driver', 'claim failed', 'attach kernel driver', 'close']],
    [
      'endpoints',
      [
        'open',
        'detach kernel driver',
        'claim',
        'release requested',
        'released',
        'attach kernel driver',
        'close',
      ],
    ],
    [
      'get-max-lun',
      [
        'open',
        'detach kernel driver',
        'claim',
        'Get Max LUN',
        'release requested',
        'released',
        'attach kernel driver',
        'close',
      ],
    ],
  ];
  for (const [step, expected] of cases) {
    it(`a failure at ${step} gives back what was taken, in reverse`, async () => {
      const f = fakeDevice(step);
      const r = await UsbTransport.openTarget(f.target, 0);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toMatch(/^cannot open 0781:5581: /);
      expect(f.log).toEqual(expected);
    });
  }

  it('takes a stalled Get Max LUN as a single-LUN device (BOT 1.0 §3.2), not a failure', async () => {
    const f = fakeDevice();
    f.target.device.controlTransfer = (_t, _r, _v, _i, _len, cb) =>
      cb(failure(usb.LIBUSB_TRANSFER_STALL), undefined);
    const r = await UsbTransport.openTarget(f.target, 0);
    expect(r.ok && r.value.describe().maxLun).toBe(0);
    if (r.ok) await r.value.close();
  });
});

describe('UsbTransport.close', () => {
  async function opened(fail?: Step, manualRelease = false) {
    const f = fakeDevice(fail, { manualRelease });
    const r = await UsbTransport.openTarget(f.target, 0);
    if (!r.ok) throw new Error(r.error.message);
    f.log.length = 0;
    return { ...f, t: r.value };
  }

  it('resolves only after the interface release has completed, then re-attaches and closes', async () => {
    const { t, log, completeRelease } = await opened(undefined, true);
    let resolved = false;
    const closing = t.close().then(() => void (resolved = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(log).toEqual(['release requested']);
    expect(resolved).toBe(false);
    completeRelease();
    await closing;
    expect(log).toEqual(['release requested', 'released', 'attach kernel driver', 'close']);
  });

  it('is idempotent: a second close gives nothing back twice', async () => {
    const { t, log } = await opened();
    const first = t.close();
    expect(t.close()).toBe(first);
    await first;
    await t.close();
    expect(log).toEqual(['release requested', 'released', 'attach kernel driver', 'close']);
  });

  it('still re-attaches the driver and closes the handle when the release fails', async () => {
    const { t, log } = await opened('release');
    await t.close();
    expect(log).toEqual(['release requested', 'release failed', 'attach kernel driver', 'close']);
  });

  it('still closes the handle when re-attaching the driver fails', async () => {
    const { t, log } = await opened('attach');
    await t.close();
    expect(log).toEqual(['release requested', 'released', 'attach kernel driver failed', 'close']);
  });

  it('mid-command waits for the command to end before releasing, and sends nothing after', async () => {
    const { t, log, holdBulkOut, finishBulkOut } = await opened();
    holdBulkOut();
    const running = t.execute(TUR);
    await new Promise((r) => setTimeout(r, 0));
    const closing = t.close();
    await new Promise((r) => setTimeout(r, 10));
    expect(log).toEqual(['bulk out']);
    finishBulkOut();
    expect((await running).status).toBe(0);
    await closing;
    expect(log).toEqual([
      'bulk out',
      'release requested',
      'released',
      'attach kernel driver',
      'close',
    ]);
    const after = await t.execute(TUR);
    expect(after.transportError).toEqual({
      kind: 'disconnected',
      message: 'usb:0781:5581 is closed',
    });
    expect(log.filter((l) => l === 'bulk out')).toHaveLength(1);
  });
});
