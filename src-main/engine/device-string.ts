/**
 * Device strings: `emu:` (the default profile), `emu:PROFILE`. (`usb:VID:PID[#N]`,
 * `emu:PROFILE?image=FILE` and `replay:FILE` are still to come — see the issue 3 note.)
 */
import { err, ok, type Result } from '../../shared/scsi/result';
import { BUILT_IN_PROFILES, findProfile } from '../emulator/profiles';
import { EmulatedTransport } from './emu';
import type { Transport } from './transport';

export function openDevice(spec: string): Result<Transport> {
  const m = /^emu:([\w-]*)$/.exec(spec.trim());
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
  return ok(new EmulatedTransport(profile));
}
