/**
 * Device strings: `emu:` (the default profile), `emu:PROFILE`, `emu:PROFILE?image=FILE`,
 * `usb:VID:PID[#N]` (libusb), `replay:FILE`.
 */
import { readFileSync } from 'node:fs';
import { err, ok, type Result } from '../../shared/scsi/result';
import { BUILT_IN_PROFILES, findProfile } from '../emulator/profiles';
import { driveStore } from '../emulator/drive';
import { EmulatedTransport } from './emu';
import { UsbTransport } from './usb';
import { ReplayTransport } from './replay';
import { parseTrace } from '../../shared/trace';
import type { Transport } from './transport';
import { errorText } from '../../shared/error-text';

function openReplay(file: string): Result<Transport> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return err({
      code: 'file',
      message: `cannot read trace ${file}: ${errorText(e)}`,
    });
  }
  const trace = parseTrace(text, file);
  return trace.ok
    ? ok(new ReplayTransport(trace.value.header, trace.value.exchanges, file))
    : trace;
}

export interface OpenOptions {
  /** Capture the USB traffic of an `emu:` or `usb:` device as a usbmon pcap. */
  readonly capture?: string;
}

export async function openDevice(
  spec: string,
  options: OpenOptions = {},
): Promise<Result<Transport>> {
  if (spec.startsWith('replay:')) {
    if (options.capture !== undefined)
      return err({
        code: 'device',
        message:
          'a replay has no USB traffic to capture; --capture works with emu: and usb: devices',
      });
    return openReplay(spec.slice('replay:'.length));
  }
  if (spec.startsWith('usb:')) return UsbTransport.open(spec, options);
  const m = /^emu:([\w-]*)(?:\?image=(.+))?$/.exec(spec.trim());
  if (!m) {
    return err({
      code: 'device',
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
  const image = m[2];
  const store = driveStore(profile, image);
  if (!store.ok) return store;
  try {
    return ok(new EmulatedTransport(profile, store.value, options));
  } catch (e) {
    return err({
      code: 'file',
      message: `cannot write the capture ${options.capture ?? ''}: ${errorText(e)}`,
    });
  }
}
