/**
 * Names the app gives things in the user's data folder (drive images,
 * uploaded traces). A request never carries a path: a name is one short
 * segment of plain characters and not one of Windows' device names, so it
 * cannot climb out of its folder, name a device node or hide as a dot-file,
 * whatever the platform.
 */
import { err, ok, type Result } from '../scsi/result';

export const MAX_NAME_LENGTH = 64;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/**
 * Names Windows opens as a device in every folder, whatever the extension ("nul.img" is the null
 * device, "COM1.json" a serial port): the reserved names of Win32 paths (Microsoft, "Naming Files,
 * Paths, and Namespaces"). Trailing dots are dropped there too, so "prn." is PRN.
 */
const WINDOWS_DEVICE = /^(?:con|prn|aux|nul|com[0-9]|lpt[0-9])(?:\..*)?$/i;

/** Checks a name; the error says what is wrong with it, in words. */
export function checkDataName(name: string, what: string): Result<string> {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH)
    return err({
      code: 'name',
      message: `${what} must be 1 to ${MAX_NAME_LENGTH} characters long`,
    });
  if (!NAME.test(name) || name.includes('..'))
    return err({
      code: 'name',
      message: `${what} "${name}" may hold only letters, digits, ".", "_" and "-", start with a letter or digit, and never hold ".."; it is a name in usbcdb's data folder, not a path`,
    });
  if (WINDOWS_DEVICE.test(name))
    return err({
      code: 'name',
      message: `${what} "${name}" is a device on Windows (CON, PRN, AUX, NUL, COM0–COM9 and LPT0–LPT9 are, with any extension); pick another name`,
    });
  return ok(name);
}

/** A name as it could be written from any file name: other characters become "_". */
export function toDataName(fileName: string): string {
  const base = fileName
    .replace(/^.*[\\/]/, '')
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/\.{2,}/g, '.');
  const trimmed = base.replace(/^[^A-Za-z0-9]+/, '').slice(0, MAX_NAME_LENGTH);
  const name = trimmed.length > 0 ? trimmed : 'trace';
  // A Windows device name keeps its letters, with "_" after them: "nul.jsonl" is "nul_.jsonl".
  return WINDOWS_DEVICE.test(name)
    ? name.replace(/^[^.]*/, (stem) => `${stem}_`).slice(0, MAX_NAME_LENGTH)
    : name;
}

/**
 * The device strings a request may name: a profile, an image by name, a USB device, an uploaded
 * trace. The name of an image or a trace is taken whole here and checked by checkDataName, so a
 * name with a "/" or one too long is refused by the rule for names, which says what to change.
 */
const DEVICE_ID =
  /^(?:emu:[\w-]*(?:\?image=(?<image>.*))?|usb:[0-9a-fA-F]{4}:[0-9a-fA-F]{4}(?:#\d{1,3})?|replay:(?<trace>.*))$/s;

export function checkDeviceId(id: string): Result<string> {
  const shape = DEVICE_ID.exec(id);
  const { image, trace } = shape?.groups ?? {};
  const named =
    image !== undefined
      ? checkDataName(image, 'the image name')
      : trace !== undefined
        ? checkDataName(trace, 'the trace name')
        : ok(id);
  if (!named.ok) return named;
  if (id.length > 200 || !shape)
    return err({
      code: 'device',
      message: `"${id.slice(0, 80)}" is not a device the app can name: emu:PROFILE, emu:PROFILE?image=NAME, usb:VID:PID[#N] or replay:NAME (a trace loaded into this session)`,
    });
  return ok(id);
}
