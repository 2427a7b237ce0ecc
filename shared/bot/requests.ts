/**
 * EP0 requests a Bulk-Only device answers (BOT 1.0 §3.1, §3.2; USB 2.0
 * §9.4 for CLEAR_FEATURE, SET_CONFIGURATION, SET_INTERFACE) as 8-byte SETUP packets, and the Reset Recovery
 * sequence (§5.3.4).
 */
import { putLe16, readBounded } from '../scsi/bytes';
import { ok, type Problem, type Result } from '../scsi/result';

export interface SetupPacket {
  readonly bmRequestType: number;
  readonly bRequest: number;
  readonly wValue: number;
  readonly wIndex: number;
  readonly wLength: number;
}

export const BOMS_RESET = 0xff;
export const GET_MAX_LUN = 0xfe;
const CLEAR_FEATURE = 0x01;
const ENDPOINT_HALT = 0x00;

export function encodeSetup(s: SetupPacket): Uint8Array {
  const b = new Uint8Array(8);
  b[0] = s.bmRequestType;
  b[1] = s.bRequest;
  putLe16(b, 2, s.wValue);
  putLe16(b, 4, s.wIndex);
  putLe16(b, 6, s.wLength);
  return b;
}

export function decodeSetup(bytes: Uint8Array): Result<SetupPacket> {
  return readBounded(bytes, 'SETUP packet', (r) =>
    ok({
      bmRequestType: r.u8(0),
      bRequest: r.u8(1),
      wValue: r.le16(2),
      wIndex: r.le16(4),
      wLength: r.le16(6),
    }),
  );
}

/** Bulk-Only Mass Storage Reset: class, interface, host-to-device (§3.1). */
export const bomsReset = (iface: number): SetupPacket => ({
  bmRequestType: 0x21,
  bRequest: BOMS_RESET,
  wValue: 0,
  wIndex: iface,
  wLength: 0,
});
/** Get Max LUN: class, interface, device-to-host, one byte (§3.2). */
export const getMaxLun = (iface: number): SetupPacket => ({
  bmRequestType: 0xa1,
  bRequest: GET_MAX_LUN,
  wValue: 0,
  wIndex: iface,
  wLength: 1,
});
/** CLEAR_FEATURE(ENDPOINT_HALT): standard, endpoint, host-to-device (USB 2.0 §9.4.1). */
export const clearHalt = (endpoint: number): SetupPacket => ({
  bmRequestType: 0x02,
  bRequest: CLEAR_FEATURE,
  wValue: ENDPOINT_HALT,
  wIndex: endpoint,
  wLength: 0,
});

/** SET_CONFIGURATION: standard, device, host-to-device (USB 2.0 §9.4.7). */
export const setConfiguration = (value: number): SetupPacket => ({
  bmRequestType: 0x00,
  bRequest: 0x09,
  wValue: value,
  wIndex: 0,
  wLength: 0,
});
/** GET_INTERFACE: standard, interface, device-to-host, one byte (USB 2.0 §9.4.4). */
export const getInterface = (iface: number): SetupPacket => ({
  bmRequestType: 0x81,
  bRequest: 0x0a,
  wValue: 0,
  wIndex: iface,
  wLength: 1,
});
/** SET_INTERFACE: standard, interface, host-to-device (USB 2.0 §9.4.10). */
export const setInterface = (iface: number, alternate: number): SetupPacket => ({
  bmRequestType: 0x01,
  bRequest: 0x0b,
  wValue: alternate,
  wIndex: iface,
  wLength: 0,
});

/** Which class request a SETUP is, and what is wrong with it (USBCV TD1.3 expects malformed ones stalled). */
export function validateClassRequest(
  s: SetupPacket,
  iface: number,
): { readonly request: 'reset' | 'get-max-lun' | 'other'; readonly problems: readonly Problem[] } {
  const request =
    s.bRequest === BOMS_RESET ? 'reset' : s.bRequest === GET_MAX_LUN ? 'get-max-lun' : 'other';
  if (request === 'other') return { request, problems: [] };
  const want = request === 'reset' ? bomsReset(iface) : getMaxLun(iface);
  const problems: Problem[] = [];
  const check = (name: keyof SetupPacket, offset: number): void => {
    if (s[name] !== want[name]) {
      const label = request === 'reset' ? 'Bulk-Only Mass Storage Reset' : 'Get Max LUN';
      problems.push({
        code: `setup-${name}`,
        message: `${label}: ${name} (byte ${offset}) is 0x${s[name].toString(16)}, expected 0x${want[name].toString(16)}`,
        offset,
      });
    }
  };
  check('bmRequestType', 0);
  check('wValue', 2);
  check('wIndex', 4);
  check('wLength', 6);
  return { request, problems };
}

/** Reset Recovery (§5.3.4): reset, then clear HALT on Bulk-In, then on Bulk-Out. */
export function resetRecovery(
  iface: number,
  bulkIn: number,
  bulkOut: number,
): readonly SetupPacket[] {
  return [bomsReset(iface), clearHalt(bulkIn), clearHalt(bulkOut)];
}
