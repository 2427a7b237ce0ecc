/**
 * `usb:VID:PID[#N]` devices through libusb (the `usb` package): finds
 * mass-storage Bulk-Only interfaces (class 08h, subclass 06h, protocol 50h),
 * detaches the OS driver and claims the interface, asks Get Max LUN, and runs
 * the same host BOT code as the emulated drive over the two bulk endpoints.
 * Whatever open took is given back in reverse — on every failure of open and
 * on close (release, re-attach the driver, close the handle).
 *
 * What each OS needs (README, "Real devices"): Linux — a udev rule giving
 * your user the device, or root; macOS — root, because the mass-storage
 * driver must be detached (the volume goes away); Windows — the WinUSB driver
 * bound to the device (Zadig), since usbstor cannot be detached.
 *
 * Not yet run against real hardware here (no USB device on the build
 * machines); issue 5 runs it against QEMU's usb-storage inside a guest.
 */
import { getDeviceList, usb, type Device, type LibUSBException } from 'usb';
import { BOT_INTERFACE } from '../../shared/bot/interface-class';
import { getMaxLun } from '../../shared/bot/requests';
import { hex4 } from '../../shared/scsi/hex';
import { err, ok, type Result } from '../../shared/scsi/result';
import { CapturingPipes } from '../capture/capturing-pipes';
import { UsbCapture, type CaptureRequest } from '../capture/usbmon';
import { BotHost } from './bot-host';
import { OneAtATime } from './one-at-a-time';
import type { BulkPipes, PipeResult } from './pipes';
import type { CommandOutcome, CommandRequest, DeviceDescription, Transport } from './transport';
import { errorText } from '../../shared/error-text';

/** The parts of the `usb` package's endpoint objects the pipes use (so tests can pass fakes). */
export interface InEndpointLike {
  timeout: number;
  transfer(
    length: number,
    cb: (error: LibUSBException | undefined, data?: Buffer) => void,
  ): unknown;
  clearHalt(cb: (error: LibUSBException | undefined) => void): void;
}
export interface OutEndpointLike {
  timeout: number;
  transfer(
    buffer: Buffer,
    cb: (error: LibUSBException | undefined, actual: number) => void,
  ): unknown;
  clearHalt(cb: (error: LibUSBException | undefined) => void): void;
}
export interface ControlLike {
  timeout: number;
  controlTransfer(
    bmRequestType: number,
    bRequest: number,
    wValue: number,
    wIndex: number,
    dataOrLength: number | Buffer,
    cb: (error: LibUSBException | undefined, data: Buffer | number | undefined) => void,
  ): unknown;
}

/** The parts of the `usb` package's Endpoint the open sequence looks at. */
export interface EndpointInfoLike {
  readonly direction: 'in' | 'out';
  readonly transferType: number;
  readonly address: number;
}

/** The parts of the `usb` package's Interface the transport uses (so tests can pass fakes). */
export interface InterfaceLike {
  readonly endpoints: readonly EndpointInfoLike[];
  isKernelDriverActive(): boolean;
  detachKernelDriver(): void;
  attachKernelDriver(): void;
  claim(): void;
  /** libusb_release_interface: asynchronous, completes through the callback. */
  release(callback: (error?: LibUSBException) => void): void;
}

/** The parts of the `usb` package's Device the transport uses. */
export interface DeviceLike extends ControlLike {
  open(): void;
  close(): void;
  interface(interfaceNumber: number): InterfaceLike;
}

/** libusb's error numbers for a STALL and a timeout, from either the transfer or the synchronous API. */
function classify(error: LibUSBException): Exclude<PipeResult, { kind: 'ok' }> {
  const n = error.errno;
  if (n === usb.LIBUSB_TRANSFER_STALL || n === usb.LIBUSB_ERROR_PIPE) return { kind: 'stall' };
  if (n === usb.LIBUSB_TRANSFER_TIMED_OUT || n === usb.LIBUSB_ERROR_TIMEOUT)
    return { kind: 'timeout' };
  return { kind: 'error', message: error.message };
}

export class UsbPipes implements BulkPipes {
  constructor(
    private readonly control_: ControlLike,
    private readonly inEp: InEndpointLike,
    private readonly outEp: OutEndpointLike,
    readonly interfaceNumber: number,
  ) {}

  bulkOut(data: Uint8Array, timeoutMs: number): Promise<PipeResult> {
    this.outEp.timeout = timeoutMs;
    return new Promise((resolve) =>
      this.outEp.transfer(Buffer.from(data), (e, actual) =>
        resolve(
          e ? { ...classify(e), transferred: actual } : { kind: 'ok', data: new Uint8Array() },
        ),
      ),
    );
  }

  bulkIn(length: number, timeoutMs: number): Promise<PipeResult> {
    this.inEp.timeout = timeoutMs;
    return new Promise((resolve) =>
      this.inEp.transfer(length, (e, data) =>
        resolve(e ? classify(e) : { kind: 'ok', data: new Uint8Array(data ?? []) }),
      ),
    );
  }

  control(
    setup: {
      bmRequestType: number;
      bRequest: number;
      wValue: number;
      wIndex: number;
      wLength: number;
    },
    dataOrLength: Uint8Array | number,
    timeoutMs: number,
  ): Promise<PipeResult> {
    this.control_.timeout = timeoutMs;
    const payload = typeof dataOrLength === 'number' ? dataOrLength : Buffer.from(dataOrLength);
    return new Promise((resolve) =>
      this.control_.controlTransfer(
        setup.bmRequestType,
        setup.bRequest,
        setup.wValue,
        setup.wIndex,
        payload,
        (e, data) =>
          resolve(
            e
              ? classify(e)
              : {
                  kind: 'ok',
                  data: data instanceof Buffer ? new Uint8Array(data) : new Uint8Array(),
                },
          ),
      ),
    );
  }

  clearHalt(direction: 'in' | 'out', timeoutMs: number): Promise<PipeResult> {
    // CLEAR_FEATURE is a control transfer: the device's control timeout applies.
    this.control_.timeout = timeoutMs;
    const ep = direction === 'in' ? this.inEp : this.outEp;
    return new Promise((resolve) =>
      ep.clearHalt((e) => resolve(e ? classify(e) : { kind: 'ok', data: new Uint8Array() })),
    );
  }
}

export interface UsbMassStorage {
  readonly device: Device;
  readonly vendorId: number;
  readonly productId: number;
  readonly bus: number;
  readonly address: number;
  readonly interfaceNumber: number;
}

/** Mass-storage Bulk-Only interfaces of attached devices, read from their configuration descriptors. */
export function listMassStorage(): UsbMassStorage[] {
  const found: UsbMassStorage[] = [];
  for (const device of getDeviceList()) {
    let config;
    try {
      config = device.configDescriptor;
    } catch {
      continue; // a device that will not describe itself is not one we can use
    }
    for (const alts of config?.interfaces ?? []) {
      const i = alts[0];
      if (
        i &&
        i.bInterfaceClass === BOT_INTERFACE.class &&
        i.bInterfaceSubClass === BOT_INTERFACE.subclass &&
        i.bInterfaceProtocol === BOT_INTERFACE.protocol
      ) {
        found.push({
          device,
          vendorId: device.deviceDescriptor.idVendor,
          productId: device.deviceDescriptor.idProduct,
          bus: device.busNumber,
          address: device.deviceAddress,
          interfaceNumber: i.bInterfaceNumber,
        });
      }
    }
  }
  return found;
}

/** Calls `onChange` when a USB device is plugged or unplugged; returns the function that stops watching. */
export function watchUsb(onChange: () => void): () => void {
  usb.on('attach', onChange);
  usb.on('detach', onChange);
  return () => {
    usb.removeListener('attach', onChange);
    usb.removeListener('detach', onChange);
  };
}

/** The device string of the `index`-th (0-based) interface with this VID:PID: `usb:VID:PID[#N]`, as `open` reads it. */
export function usbDeviceString(vendorId: number, productId: number, index = 0): string {
  return `usb:${hex4(vendorId)}:${hex4(productId)}${index > 0 ? `#${index}` : ''}`;
}

function accessHelp(e: unknown): string {
  const msg = errorText(e);
  return /ACCESS|EACCES|permission/i.test(msg)
    ? `${msg}: usbcdb needs the device to itself — on Linux add a udev rule for it (or run as root); on macOS run as root; on Windows bind WinUSB to it (Zadig)`
    : msg;
}

/** Gives an interface back to libusb and waits for it (libusb_release_interface); never rejects. */
function releaseInterface(iface: InterfaceLike): Promise<void> {
  return new Promise((resolve) => {
    try {
      iface.release(() => resolve());
    } catch {
      resolve(); // already released, or the device is gone: nothing left to give back
    }
  });
}

/**
 * What `open` took from the OS, in the order it took it; `giveBack` returns
 * it in reverse (docs/style.md lesson 16): capture file, claimed interface,
 * detached kernel driver, device handle. Every step runs even when an
 * earlier one fails — a failed release must not keep the driver away.
 */
class Taken {
  private readonly steps: (() => void | Promise<void>)[] = [];

  add(step: () => void | Promise<void>): void {
    this.steps.push(step);
  }

  async giveBack(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step();
      } catch {
        // Unplugged or already given back: the remaining steps still run.
      }
    }
  }
}

function closedOutcome(request: CommandRequest, id: string): CommandOutcome {
  return {
    status: undefined,
    transportError: { kind: 'disconnected', message: `${id} is closed` },
    dataIn: new Uint8Array(),
    residue: request.transferLength,
    durationMs: 0,
  };
}

export class UsbTransport implements Transport {
  private readonly host: BotHost;
  /** Commands and resets: BOT runs one at a time, and close waits for the last. */
  private readonly line = new OneAtATime();
  private closing: Promise<void> | undefined;
  private readonly closeAtExit = (): void => this.closeSynchronously();

  private constructor(
    private readonly target: UsbTarget,
    private readonly taken: Taken,
    pipes: BulkPipes,
    private readonly maxLun: number,
    /** Which of the interfaces with this VID:PID it is (the N of `#N`). */
    private readonly index: number,
    private readonly capture?: UsbCapture,
  ) {
    this.host = new BotHost(pipes);
    process.once('exit', this.closeAtExit);
  }

  /** `usb:VID:PID[#N]`: the N-th (default first) matching mass-storage interface. */
  static async open(spec: string, options: CaptureRequest = {}): Promise<Result<UsbTransport>> {
    const m = /^usb:([0-9a-f]{4}):([0-9a-f]{4})(?:#(\d+))?$/i.exec(spec.trim());
    if (!m)
      return err({
        code: 'device-spec',
        message: `"${spec}" is not usb:VID:PID[#N] (four hex digits each, e.g. usb:0781:5581#0)`,
      });
    const vid = parseInt(m[1] as string, 16);
    const pid = parseInt(m[2] as string, 16);
    const index = Number(m[3] ?? 0);
    const matches = listMassStorage().filter((d) => d.vendorId === vid && d.productId === pid);
    const target = matches[index];
    if (!target) {
      return err({
        code: 'device',
        message: `no USB mass-storage (Bulk-Only) device ${hex4(vid)}:${hex4(pid)}${index > 0 ? ` #${index}` : ''} is attached (${matches.length} found); usbcdb devices lists them`,
      });
    }
    return UsbTransport.openTarget(target, index, options);
  }

  /**
   * Opens one interface: open the device, detach the OS driver if one is
   * bound, claim, find the bulk pair, ask Get Max LUN. On any failure what
   * was taken is given back, in reverse, before the error is returned.
   */
  static async openTarget(
    target: UsbTarget,
    index: number,
    options: CaptureRequest = {},
  ): Promise<Result<UsbTransport>> {
    const taken = new Taken();
    const fail = async (message: string): Promise<Result<UsbTransport>> => {
      await taken.giveBack();
      return err({
        code: 'device',
        message: `cannot open ${hex4(target.vendorId)}:${hex4(target.productId)}: ${message}`,
      });
    };
    try {
      const device = target.device;
      device.open();
      taken.add(() => device.close());
      const iface = device.interface(target.interfaceNumber);
      if (process.platform !== 'win32' && iface.isKernelDriverActive()) {
        iface.detachKernelDriver();
        taken.add(() => iface.attachKernelDriver());
      }
      iface.claim();
      taken.add(() => releaseInterface(iface));
      const inEp = iface.endpoints.find(
        (e) => e.direction === 'in' && e.transferType === usb.LIBUSB_TRANSFER_TYPE_BULK,
      );
      const outEp = iface.endpoints.find(
        (e) => e.direction === 'out' && e.transferType === usb.LIBUSB_TRANSFER_TYPE_BULK,
      );
      if (!inEp || !outEp)
        return await fail(
          `interface ${target.interfaceNumber} has no bulk IN and bulk OUT endpoint pair`,
        );
      const raw = new UsbPipes(
        device,
        inEp as unknown as InEndpointLike,
        outEp as unknown as OutEndpointLike,
        target.interfaceNumber,
      );
      const capture =
        options.capture !== undefined
          ? new UsbCapture(
              options.capture,
              { bus: target.bus, device: target.address },
              undefined,
              options.onCaptureFailure ? { onFailure: options.onCaptureFailure } : {},
            )
          : undefined;
      let pipes: BulkPipes = raw;
      if (capture) {
        taken.add(() => void capture.close());
        const capturing = new CapturingPipes(raw, capture, {
          in: inEp.address,
          out: outEp.address,
        });
        await capturing.enumerate();
        pipes = capturing;
      }
      // Get Max LUN (BOT 1.0 §3.2): a single-LUN device may STALL it, and some
      // time out (Linux's usb-storage treats both as one LUN); any other
      // failure means the device cannot be talked to.
      const lun = await pipes.control(getMaxLun(target.interfaceNumber), 1, 2000);
      if (lun.kind === 'error') return await fail(`Get Max LUN failed: ${lun.message}`);
      const maxLun =
        lun.kind === 'ok' && lun.data.length === 1 ? (lun.data[0] as number) & 0x0f : 0;
      return ok(new UsbTransport(target, taken, pipes, maxLun, index, capture));
    } catch (e) {
      return fail(accessHelp(e));
    }
  }

  execute(request: CommandRequest): Promise<CommandOutcome> {
    if (this.closing) return Promise.resolve(closedOutcome(request, this.describe().id));
    return this.line.run(() => this.host.execute(request));
  }

  reset(): Promise<void> {
    if (this.closing) return Promise.resolve();
    return this.line.run(() => this.host.resetRecovery());
  }

  describe(): DeviceDescription {
    const t = this.target;
    return {
      id: usbDeviceString(t.vendorId, t.productId, this.index),
      kind: 'usb',
      vendor: hex4(t.vendorId),
      product: hex4(t.productId),
      maxLun: this.maxLun,
    };
  }

  /**
   * Waits for the command in flight (libusb refuses to release an interface
   * with pending transfers; each command ends by its own timeout), then gives
   * back the interface, the OS driver and the handle. Resolves once they are
   * back; a second call returns the same promise.
   */
  close(): Promise<void> {
    this.closing ??= this.line.idle().then(async () => {
      process.removeListener('exit', this.closeAtExit);
      await this.taken.giveBack();
    });
    return this.closing;
  }

  /**
   * At process exit only synchronous calls run: libusb's release completes
   * through a callback that will never come. Closing the handle makes the OS
   * drop the claim; the kernel driver then returns at the next plug-in.
   */
  private closeSynchronously(): void {
    if (this.closing) return;
    this.closing = Promise.resolve();
    this.capture?.close();
    try {
      this.target.device.close();
    } catch {
      // Already gone.
    }
  }
}

/** What `openTarget` needs to know about the interface to open (a UsbMassStorage, or a test's fake). */
export interface UsbTarget {
  readonly device: DeviceLike;
  readonly vendorId: number;
  readonly productId: number;
  readonly bus: number;
  readonly address: number;
  readonly interfaceNumber: number;
}
