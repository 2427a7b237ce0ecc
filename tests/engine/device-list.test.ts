/** The device list's own logic: identifying a real device (faked: no USB here), ids and texts, and plug/unplug generations. */
import { describe, expect, it, vi } from 'vitest';
import {
  describeReal,
  emulatedDevices,
  identify,
  listDevices,
  type IdentifiableDevice,
} from '../../src-main/engine/device-list';
import { DeviceChanges } from '../../src-main/ipc/device-changes';
import { usbDeviceString } from '../../src-main/engine/usb';
import { hex4 } from '../../shared/scsi/hex';

function fakeDevice(over: Partial<IdentifiableDevice> = {}, driver: boolean | Error = true) {
  const strings: Record<number, string> = { 1: 'SanDisk ', 2: 'Cruzer Blade', 3: '4C530001230101' };
  const calls: string[] = [];
  const d: IdentifiableDevice = {
    deviceDescriptor: { iManufacturer: 1, iProduct: 2, iSerialNumber: 3 },
    open: () => calls.push('open'),
    close: () => calls.push('close'),
    getStringDescriptor: (i, cb) => {
      const s = strings[i];
      if (s === undefined) cb(new Error('LIBUSB_ERROR_PIPE'));
      else cb(undefined, s);
    },
    interface: () => ({
      isKernelDriverActive: () => {
        if (driver instanceof Error) throw driver;
        return driver;
      },
    }),
    ...over,
  };
  return { d, calls };
}

describe('identifying a real device', () => {
  it('reads its strings and driver state, then closes it', async () => {
    const { d, calls } = fakeDevice();
    expect(await identify(d, 0)).toEqual({
      manufacturer: 'SanDisk',
      product: 'Cruzer Blade',
      serial: '4C530001230101',
      kernelDriverAttached: true,
    });
    expect(calls).toEqual(['open', 'close']);
  });

  it("shows a device's control codes and bidirectional overrides as '.'", async () => {
    const { d } = fakeDevice({
      getStringDescriptor: (i, cb) =>
        cb(undefined, ['', 'Evil\x1b[2J', 'Disk\u202egpj.exe', 'SN\u009b1m'][i]),
    });
    expect(await identify(d, 0)).toMatchObject({
      manufacturer: 'Evil.[2J',
      product: 'Disk.gpj.exe',
      serial: 'SN.1m',
    });
  });

  it('skips absent strings (index 0) and failed reads; an unknown driver state stays unknown', async () => {
    const { d } = fakeDevice(
      { deviceDescriptor: { iManufacturer: 0, iProduct: 9, iSerialNumber: 3 } },
      new Error('LIBUSB_ERROR_NOT_SUPPORTED'),
    );
    expect(await identify(d, 0)).toEqual({ serial: '4C530001230101' });
  });

  it('reports why it could not open the device instead of failing the list', async () => {
    const { d, calls } = fakeDevice({
      open: () => {
        throw new Error('LIBUSB_ERROR_ACCESS');
      },
    });
    expect(await identify(d, 0)).toEqual({
      problem: 'cannot open it to read its strings (LIBUSB_ERROR_ACCESS)',
    });
    expect(calls).toEqual([]);
  });

  it('describes it for the picker: #N for a second identical device, serial, what claiming does', () => {
    const where = { vendorId: 0x0781, productId: 0x5581, bus: 1, address: 7, interfaceNumber: 0 };
    const first = describeReal(where, 0, {
      manufacturer: 'SanDisk',
      product: 'Cruzer',
      serial: 'AA',
      kernelDriverAttached: true,
    });
    expect(first).toMatchObject({
      id: 'usb:0781:5581',
      label: 'SanDisk Cruzer',
      serial: 'AA',
      kernelDriverAttached: true,
    });
    expect(first.detail).toMatch(
      /bus 1 address 7, interface 0, serial AA; the OS driver is attached: sending to it detaches that driver/,
    );
    const second = describeReal({ ...where, address: 8 }, 1, { problem: 'cannot open it' });
    expect(second).toMatchObject({ id: 'usb:0781:5581#1', label: 'USB 0781:5581' });
    expect(second.detail).toMatch(/where one is attached; cannot open it$/);
    expect(describeReal(where, 0, { kernelDriverAttached: false }).detail).toMatch(
      /no OS driver is attached/,
    );
  });

  it('lists every emulated profile first, with its LUNs and serial', async () => {
    const list = await listDevices();
    const emu = emulatedDevices();
    expect(list.slice(0, emu.length)).toEqual(emu);
    expect(emu.find((d) => d.id === 'emu:card-reader')?.maxLun).toBe(1);
    expect(emu.every((d) => /^[0-9A-F]{12,}$/.test(d.serial ?? ''))).toBe(true);
  });
});

describe('plug and unplug generations', () => {
  it('starts watching on the first wait only, wakes waiters on a change, times out unchanged', async () => {
    let fire: (() => void) | undefined;
    const unwatch = vi.fn();
    const watch = vi.fn((cb: () => void) => {
      fire = cb;
      return unwatch;
    });
    const c = new DeviceChanges(watch);
    expect(watch).not.toHaveBeenCalled();
    const pending = c.wait(0, 10_000);
    expect(watch).toHaveBeenCalledTimes(1);
    fire?.();
    expect(await pending).toEqual({ generation: 1 });
    // A caller behind the times is answered at once; an up-to-date one waits for the timeout.
    expect(await c.wait(0, 10_000)).toEqual({ generation: 1 });
    expect(await c.wait(1, 5)).toEqual({ generation: 1 });
    expect(watch).toHaveBeenCalledTimes(1);
    const last = c.wait(1, 10_000);
    c.stop();
    expect(await last).toEqual({ generation: 1 });
    expect(unwatch).toHaveBeenCalledTimes(1);
  });
});

describe('usb: device strings', () => {
  it('writes VID:PID as four hex digits each, and #N only for a second or later identical device', () => {
    expect(hex4(0x781)).toBe('0781');
    expect(usbDeviceString(0x0781, 0x5581)).toBe('usb:0781:5581');
    expect(usbDeviceString(0x0781, 0x5581, 0)).toBe('usb:0781:5581');
    expect(usbDeviceString(0x46f4, 0x0001, 2)).toBe('usb:46f4:0001#2');
  });
});
