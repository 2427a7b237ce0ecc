/**
 * The standard requests (USB 2.0 §9.4) an emulated drive answers on EP0, one
 * row per request: which bmRequestType and bRequest it is, and what it does to
 * the device's USB state. A request no row names is left to the class requests
 * (bot-device.ts); a row that refuses a request answers a STALL, the Request
 * Error of §9.2.7.
 */
import type { SetupPacket } from '../../shared/bot/requests';
import type { PipeResult } from '../engine/pipes';
import { BULK_IN, BULK_OUT, descriptorFor } from './descriptors';
import type { Profile } from './profile';

/** What the standard requests read and change; the Bulk-Only device keeps it. */
export interface UsbDeviceState {
  readonly profile: Profile;
  /** bConfigurationValue: 0 in the Address state, 1 once configured (USB 2.0 §9.4.7). */
  configuration: number;
  /** Whether the bulk endpoint (bEndpointAddress) has its Halt feature set; undefined for any other. */
  halted(endpoint: number): boolean | undefined;
  /** CLEAR_FEATURE(ENDPOINT_HALT); false when the endpoint is not one of the bulk endpoints. */
  clearHalt(endpoint: number): boolean;
  /** SET_FEATURE(ENDPOINT_HALT); false when the endpoint is not one of the bulk endpoints. */
  setHalt(endpoint: number): boolean;
}

interface StandardRequest {
  readonly bmRequestType: number;
  readonly bRequest: number;
  /** The answer, or undefined when the request is not one of this device's (a STALL). */
  readonly answer: (s: SetupPacket, d: UsbDeviceState) => PipeResult | undefined;
}

/** The only configuration (configurationDescriptor's bConfigurationValue) and interface. */
const CONFIGURATION = 1;
const INTERFACE = 0;

const ok = (...bytes: number[]): PipeResult => ({ kind: 'ok', data: Uint8Array.from(bytes) });

/**
 * SET_CONFIGURATION and SET_INTERFACE clear the Halt feature of the endpoints, even when the
 * configuration or setting asked for is the current one (USB 2.0 §9.4.5). As with CLEAR_FEATURE,
 * an invalid CBW's stall lasts until Reset Recovery (BOT 1.0 §6.6.1; bot-device.ts).
 */
function clearBulkHalts(d: UsbDeviceState): PipeResult {
  d.clearHalt(BULK_IN);
  d.clearHalt(BULK_OUT);
  return ok();
}

const STANDARD_REQUESTS: readonly StandardRequest[] = [
  // §9.4.3: GET_DESCRIPTOR, truncated to wLength.
  {
    bmRequestType: 0x80,
    bRequest: 0x06,
    answer: (s, d) => {
      const descriptor = descriptorFor(d.profile, s.wValue);
      return descriptor && { kind: 'ok', data: descriptor.subarray(0, s.wLength) };
    },
  },
  // §9.4.5: GET_STATUS of the device (bus powered, no remote wakeup) or of the interface: two zero
  // bytes; an interface that does not exist is a Request Error.
  { bmRequestType: 0x80, bRequest: 0x00, answer: () => ok(0, 0) },
  {
    bmRequestType: 0x81,
    bRequest: 0x00,
    answer: (s) => (s.wIndex === INTERFACE ? ok(0, 0) : undefined),
  },
  // §9.4.5: bit 0 of the first byte is the endpoint's Halt feature (never set on EP0, either
  // direction); an endpoint that does not exist is a Request Error.
  {
    bmRequestType: 0x82,
    bRequest: 0x00,
    answer: (s, d) => {
      if (s.wIndex === 0x00 || s.wIndex === 0x80) return ok(0, 0);
      const halted = d.halted(s.wIndex);
      return halted === undefined ? undefined : ok(halted ? 1 : 0, 0);
    },
  },
  // §9.4.1: CLEAR_FEATURE(ENDPOINT_HALT) of a bulk endpoint.
  {
    bmRequestType: 0x02,
    bRequest: 0x01,
    answer: (s, d) => {
      return s.wValue === 0 && d.clearHalt(s.wIndex) ? ok() : undefined;
    },
  },
  // §9.4.9: SET_FEATURE(ENDPOINT_HALT); every bulk endpoint has the Halt feature (§9.4.5).
  {
    bmRequestType: 0x02,
    bRequest: 0x03,
    answer: (s, d) => (s.wValue === 0 && d.setHalt(s.wIndex) ? ok() : undefined),
  },
  // §9.4.2: one byte, the configuration value (0 when not configured).
  {
    bmRequestType: 0x80,
    bRequest: 0x08,
    answer: (_s, d) => ok(d.configuration),
  },
  // §9.4.7: 0 (back to the Address state) or a configuration the descriptors describe.
  {
    bmRequestType: 0x00,
    bRequest: 0x09,
    answer: (s, d) => {
      if (s.wValue !== 0 && s.wValue !== CONFIGURATION) return undefined;
      d.configuration = s.wValue;
      return clearBulkHalts(d);
    },
  },
  // §9.4.4: one byte, the alternate setting; a Request Error for an interface that does not
  // exist, or in the Address state, where no interface does.
  {
    bmRequestType: 0x81,
    bRequest: 0x0a,
    answer: (s, d) => (d.configuration !== 0 && s.wIndex === INTERFACE ? ok(0) : undefined),
  },
  // §9.4.10: interface 0 has alternate setting 0 only; a Request Error for any other, or in the
  // Address state.
  {
    bmRequestType: 0x01,
    bRequest: 0x0b,
    answer: (s, d) =>
      d.configuration !== 0 && s.wIndex === INTERFACE && s.wValue === 0
        ? clearBulkHalts(d)
        : undefined,
  },
];

/**
 * The answer to a standard request: its data, or a STALL when it names what the device does
 * not have. Undefined when no row names it (the caller tries the class requests).
 */
export function answerStandardRequest(s: SetupPacket, d: UsbDeviceState): PipeResult | undefined {
  const row = STANDARD_REQUESTS.find(
    (r) => r.bmRequestType === s.bmRequestType && r.bRequest === s.bRequest,
  );
  if (!row) return undefined;
  return row.answer(s, d) ?? { kind: 'stall' };
}
