/**
 * Device strings: `emu:` (the default profile), `emu:PROFILE`, `emu:PROFILE?image=NAME`,
 * `usb:VID:PID[#N]` (libusb), `replay:NAME`. What NAME stands for is the
 * caller's `DeviceFiles`: for the CLI a path the person typed, for the app a
 * name in the user's data folder or a trace uploaded in the session — never
 * a path a remote peer chose.
 */
import { err, ok, type Result } from '../../shared/scsi/result';
import type { VendorSet } from '../../shared/vendor-sets/model';
import { BUILT_IN_PROFILES, findProfile } from '../emulator/profiles';
import { driveStore } from '../emulator/drive';
import { EmulatedTransport } from './emu';
import { UsbTransport } from './usb';
import { ReplayTransport } from './replay';
import { parseTrace } from '../../shared/trace';
import { MAX_TRACE_TEXT } from '../../shared/ipc/contract';
import type { Transport } from './transport';
import type { CaptureRequest } from '../capture/usbmon';
import { errorText } from '../../shared/error-text';
import { readBoundedRegularFile } from '../files/bounded-read';

/** What the names in a device string stand for. */
export interface DeviceFiles {
  /** The image file `emu:PROFILE?image=NAME` opens (created when missing), or why NAME is refused. */
  image(name: string): Result<string>;
  /** The text of the trace `replay:NAME` plays back. */
  trace(name: string): Promise<Result<string>>;
}

/**
 * The CLI's reading: names are paths on this machine. A trace is read only
 * from a regular file (a FIFO or /dev/zero is refused, never waited on),
 * without blocking, and only up to the size the app accepts too.
 */
export const pathFiles: DeviceFiles = {
  image: (path) => ok(path),
  trace: async (path) => {
    const r = await readBoundedRegularFile(path, MAX_TRACE_TEXT);
    return r.ok ? ok(new TextDecoder().decode(r.value)) : r;
  },
};

async function openReplay(name: string, files: DeviceFiles): Promise<Result<Transport>> {
  const text = await files.trace(name);
  if (!text.ok) return text;
  const trace = parseTrace(text.value, name);
  return trace.ok
    ? ok(new ReplayTransport(trace.value.header, trace.value.exchanges, name))
    : trace;
}

/** `capture`: the USB traffic of an `emu:` or `usb:` device as a usbmon pcap. */
export interface OpenOptions extends CaptureRequest {
  /** What image and trace names stand for; paths (the CLI's reading) by default. */
  readonly files?: DeviceFiles;
  /**
   * Vendor sets an `emu:` drive speaks besides the built-in ones its profile
   * names (the first set declaring an opcode wins; a profile that filters
   * vendor opcodes still filters them). `usb:` and `replay:` devices answer
   * for themselves and ignore it.
   */
  readonly vendorSets?: readonly VendorSet[];
}

/**
 * Opens the device a string names. A refusal's code says whose mistake it
 * is: `device-spec` and `profile` for a string that names nothing this build
 * opens (a typing error), anything else for a device or file that could not
 * be opened (not attached, busy, unreadable).
 */
export async function openDevice(
  spec: string,
  options: OpenOptions = {},
): Promise<Result<Transport>> {
  if (spec.startsWith('replay:')) {
    if (options.capture !== undefined)
      return err({
        code: 'device-spec',
        message:
          'a replay has no USB traffic to capture; --capture works with emu: and usb: devices',
      });
    return openReplay(spec.slice('replay:'.length), options.files ?? pathFiles);
  }
  if (spec.startsWith('usb:')) return UsbTransport.open(spec, options);
  const m = /^emu:([\w-]*)(?:\?image=(.+))?$/.exec(spec.trim());
  if (!m) {
    return err({
      code: 'device-spec',
      message: `"${spec}" is not a device this build can open; use emu: or emu:PROFILE (${BUILT_IN_PROFILES.map((p) => p.name).join(', ')})`,
    });
  }
  const name = m[1] || (BUILT_IN_PROFILES[0]?.name ?? '');
  const profile = findProfile(name);
  if (!profile)
    return err({
      code: 'profile',
      message: `no emulated profile "${name}"; the profiles are ${BUILT_IN_PROFILES.map((p) => p.name).join(', ')}`,
    });
  const image = m[2] !== undefined ? (options.files ?? pathFiles).image(m[2]) : undefined;
  if (image && !image.ok) return image;
  const store = driveStore(profile, image?.value);
  if (!store.ok) return store;
  try {
    return ok(new EmulatedTransport(profile, store.value, options));
  } catch (e) {
    // The image is open already: give its descriptor back before saying why.
    store.value.close?.();
    return err({
      code: 'file',
      message: `cannot write the capture ${options.capture ?? ''}: ${errorText(e)}`,
    });
  }
}
