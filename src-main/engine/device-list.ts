/**
 * Every device usbcdb can talk to, described once for the device picker and
 * `usbcdb devices`: the built-in emulated drives (one per profile) and the
 * real USB mass-storage (Bulk-Only) interfaces libusb sees, with their
 * strings, serial number and whether the OS driver holds them.
 */
import { BUILT_IN_PROFILES } from '../emulator/profiles';
import { hex4 } from '../../shared/scsi/hex';
import { printableText } from '../../shared/scsi/printable';
import { listMassStorage, usbDeviceString, type UsbMassStorage } from './usb';
import { errorText } from '../../shared/error-text';

export interface DeviceEntry {
  /** The device string the engine opens (`emu:NAME`, `usb:VID:PID[#N]`). */
  readonly id: string;
  readonly kind: 'emu' | 'usb';
  readonly label: string;
  readonly vidPid: string;
  /** A sentence: what it is, and for a real device what claiming it does. */
  readonly detail: string;
  readonly maxLun: number;
  /**
   * The logical block size known before any command: an emulated drive's
   * profile says it; a real device's is learnt from READ CAPACITY.
   */
  readonly blockSize?: number;
  readonly serial?: string;
  /** Real devices: whether the OS's mass-storage driver is bound now (undefined when libusb cannot tell). */
  readonly kernelDriverAttached?: boolean;
}

/** What a real device says about itself; read by opening it briefly (not claiming it). */
export interface UsbIdentity {
  readonly manufacturer?: string;
  readonly product?: string;
  readonly serial?: string;
  readonly kernelDriverAttached?: boolean;
  /** Why some of it could not be read (permissions, most often). */
  readonly problem?: string;
}

/** The part of the `usb` package's Device the identity probe uses. */
export interface IdentifiableDevice {
  readonly deviceDescriptor: {
    readonly iManufacturer: number;
    readonly iProduct: number;
    readonly iSerialNumber: number;
  };
  open(defaultConfig?: boolean): void;
  close(): void;
  getStringDescriptor(index: number, cb: (e?: Error, value?: string) => void): void;
  interface(n: number): { isKernelDriverActive(): boolean };
}

function stringAt(d: IdentifiableDevice, index: number): Promise<string | undefined> {
  // Index 0 means "no string" (USB 2.0 §9.6.1).
  if (index === 0) return Promise.resolve(undefined);
  // The device chose the text (UTF-16LE, USB 2.0 §9.6.7): an ESC or a bidirectional override in
  // it must not reach a terminal or reorder the device picker, so it is shown as '.'.
  return new Promise((resolve) =>
    d.getStringDescriptor(index, (e, v) =>
      resolve(e || v === undefined ? undefined : printableText(v.trim())),
    ),
  );
}

export async function identify(
  d: IdentifiableDevice,
  interfaceNumber: number,
): Promise<UsbIdentity> {
  try {
    d.open(false);
  } catch (e) {
    return {
      problem: `cannot open it to read its strings (${errorText(e)})`,
    };
  }
  try {
    const desc = d.deviceDescriptor;
    const [manufacturer, product, serial] = [
      await stringAt(d, desc.iManufacturer),
      await stringAt(d, desc.iProduct),
      await stringAt(d, desc.iSerialNumber),
    ];
    let kernelDriverAttached: boolean | undefined;
    try {
      kernelDriverAttached = d.interface(interfaceNumber).isKernelDriverActive();
    } catch {
      kernelDriverAttached = undefined; // Windows and some macOS setups cannot say
    }
    return {
      ...(manufacturer ? { manufacturer } : {}),
      ...(product ? { product } : {}),
      ...(serial ? { serial } : {}),
      ...(kernelDriverAttached !== undefined ? { kernelDriverAttached } : {}),
    };
  } finally {
    d.close();
  }
}

/**
 * Identities by bus and address: a device is opened to be identified once per
 * attachment, never while a session holds it (closing it would end the session).
 */
const identities = new Map<string, UsbIdentity>();

function driverText(attached: boolean | undefined): string {
  return attached === true
    ? 'the OS driver is attached: sending to it detaches that driver, so its volumes are unmounted until usbcdb lets go'
    : attached === false
      ? 'no OS driver is attached'
      : 'claiming it detaches the OS driver (its volumes disappear) where one is attached';
}

export function describeReal(
  d: Pick<UsbMassStorage, 'vendorId' | 'productId' | 'bus' | 'address' | 'interfaceNumber'>,
  index: number,
  identity: UsbIdentity,
): DeviceEntry {
  const vidPid = `${hex4(d.vendorId)}:${hex4(d.productId)}`;
  const name = [identity.manufacturer, identity.product].filter(Boolean).join(' ');
  return {
    id: usbDeviceString(d.vendorId, d.productId, index),
    kind: 'usb',
    label: name || `USB ${vidPid}`,
    vidPid,
    detail: `bus ${d.bus} address ${d.address}, interface ${d.interfaceNumber}${identity.serial ? `, serial ${identity.serial}` : ''}; ${driverText(identity.kernelDriverAttached)}${identity.problem ? `; ${identity.problem}` : ''}`,
    // Get Max LUN needs the interface claimed; the picker learns it when the device is opened.
    maxLun: 0,
    ...(identity.serial ? { serial: identity.serial } : {}),
    ...(identity.kernelDriverAttached !== undefined
      ? { kernelDriverAttached: identity.kernelDriverAttached }
      : {}),
  };
}

export function emulatedDevices(): DeviceEntry[] {
  return BUILT_IN_PROFILES.map((p) => ({
    id: `emu:${p.name}`,
    kind: 'emu' as const,
    label: `${p.usb.manufacturer} ${p.usb.product}`,
    vidPid: `${hex4(p.usb.vendorId)}:${hex4(p.usb.productId)}`,
    detail: p.description,
    maxLun: p.luns - 1,
    blockSize: p.blockSize,
    serial: p.usb.serial,
  }));
}

/**
 * The emulated drives, then each real mass-storage interface; identical
 * VID:PID pairs are told apart by `#N` in attachment order, as `usb:` opens them.
 * @param busy device ids held open by a session: not re-opened to identify them
 */
export async function listDevices(busy: ReadonlySet<string> = new Set()): Promise<DeviceEntry[]> {
  const seen = new Map<string, number>();
  const real: DeviceEntry[] = [];
  for (const d of listMassStorage()) {
    const vidPid = `${hex4(d.vendorId)}:${hex4(d.productId)}`;
    const index = seen.get(vidPid) ?? 0;
    seen.set(vidPid, index + 1);
    const key = `${d.bus}-${d.address}-${d.interfaceNumber}`;
    const id = usbDeviceString(d.vendorId, d.productId, index);
    let identity = identities.get(key);
    if (!identity && !busy.has(id)) {
      identity = await identify(d.device as unknown as IdentifiableDevice, d.interfaceNumber);
      identities.set(key, identity);
    }
    real.push(describeReal(d, index, identity ?? {}));
  }
  return [...emulatedDevices(), ...real];
}
