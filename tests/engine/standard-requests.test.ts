/**
 * The standard requests of USB 2.0 §9.4 as the emulated drive answers them on
 * EP0 (what a host's USB stack, or USBCV's chapter 9 tests, send it), through
 * the Bulk-Only device that the exporters drive.
 */
import { describe, expect, it } from 'vitest';
import { encodeCbw } from '../../shared/bot/cbw';
import {
  clearHalt,
  setConfiguration,
  setInterface,
  type SetupPacket,
} from '../../shared/bot/requests';
import { asByteCount, asLun } from '../../shared/scsi/brand';
import { BotDevice } from '../../src-main/emulator/bot-device';
import { DiskLu } from '../../src-main/emulator/disk';
import { findProfile } from '../../src-main/emulator/profiles';
import { MemoryStore } from '../../src-main/emulator/store';

const stick = findProfile('flash-stick');
if (!stick) throw new Error('flash-stick');

const device = (): BotDevice => new BotDevice([new DiskLu(stick, new MemoryStore(512, 16))]);

/** A request as bmRequestType, bRequest, wValue, wIndex, wLength; its answer as bytes or 'stall'. */
async function ask(
  d: BotDevice,
  [bmRequestType, bRequest, wValue, wIndex, wLength]: readonly number[],
): Promise<number[] | string> {
  const setup = { bmRequestType, bRequest, wValue, wIndex, wLength } as SetupPacket;
  const r = await d.control(setup);
  return r.kind === 'ok' ? Array.from(r.data) : r.kind;
}

const GET_CONFIGURATION = [0x80, 0x08, 0, 0, 1];
const asArray = (s: SetupPacket): number[] => [
  s.bmRequestType,
  s.bRequest,
  s.wValue,
  s.wIndex,
  s.wLength,
];
const SET_CONFIGURATION_1 = asArray(setConfiguration(1));
const getEndpointStatus = (endpoint: number): number[] => [0x82, 0x00, 0, endpoint, 2];
const getInterface = (iface: number): number[] => [0x81, 0x0a, 0, iface, 1];

describe('standard requests (USB 2.0 §9.4)', () => {
  it('GET_CONFIGURATION says 0 until SET_CONFIGURATION(1), then 1, and 0 again after SET_CONFIGURATION(0)', async () => {
    const d = device();
    expect(await ask(d, GET_CONFIGURATION)).toEqual([0]);
    expect(await ask(d, SET_CONFIGURATION_1)).toEqual([]);
    expect(await ask(d, GET_CONFIGURATION)).toEqual([1]);
    expect(await ask(d, asArray(setConfiguration(0)))).toEqual([]);
    expect(await ask(d, GET_CONFIGURATION)).toEqual([0]);
  });

  it('SET_CONFIGURATION of a configuration the descriptors do not describe is a Request Error (§9.4.7)', async () => {
    const d = device();
    await ask(d, SET_CONFIGURATION_1);
    expect(await ask(d, asArray(setConfiguration(2)))).toBe('stall');
    expect(await ask(d, asArray(setConfiguration(0x0101)))).toBe('stall');
    expect(await ask(d, GET_CONFIGURATION)).toEqual([1]);
  });

  it('GET_INTERFACE says alternate setting 0 of interface 0 once configured; a Request Error otherwise (§9.4.4)', async () => {
    const d = device();
    expect(await ask(d, getInterface(0))).toBe('stall'); // Address state
    await ask(d, SET_CONFIGURATION_1);
    expect(await ask(d, getInterface(0))).toEqual([0]);
    expect(await ask(d, getInterface(1))).toBe('stall');
  });
});

/**
 * A WRITE(10) of one block sent as a data-in command (case 8, Hi <> Do): the device stalls
 * Bulk-In and holds a phase-error CSW for after the host clears the halt (BOT 1.0 §6.7.2).
 */
async function haltBulkIn(d: BotDevice): Promise<void> {
  const cbw = encodeCbw({
    tag: 1,
    dataTransferLength: asByteCount(512),
    direction: 'in',
    lun: asLun(0),
    cdb: Uint8Array.from([0x2a, 0, 0, 0, 0, 0, 0, 0, 1, 0]),
  });
  if (!cbw.ok) throw new Error(cbw.error.message);
  expect((await d.bulkOut(cbw.value)).kind).toBe('ok');
  expect((await d.bulkIn(512)).kind).toBe('stall');
  expect(await ask(d, getEndpointStatus(0x81))).toEqual([1, 0]);
}

describe('SET_CONFIGURATION and SET_INTERFACE clear the Halt feature (USB 2.0 §9.4.5)', () => {
  it('SET_CONFIGURATION of the current configuration clears a halted Bulk-In; the CSW follows', async () => {
    const d = device();
    await ask(d, SET_CONFIGURATION_1);
    await haltBulkIn(d);
    expect(await ask(d, SET_CONFIGURATION_1)).toEqual([]);
    expect(await ask(d, getEndpointStatus(0x81))).toEqual([0, 0]);
    const csw = await d.bulkIn(13);
    expect(csw.kind === 'ok' && csw.data[12]).toBe(2); // phase error
  });

  it('SET_INTERFACE(0, 0) clears it too', async () => {
    const d = device();
    await ask(d, SET_CONFIGURATION_1);
    await haltBulkIn(d);
    expect(await ask(d, asArray(setInterface(0, 0)))).toEqual([]);
    expect(await ask(d, getEndpointStatus(0x81))).toEqual([0, 0]);
  });

  it('SET_INTERFACE of an alternate setting or interface that does not exist, or before SET_CONFIGURATION, is a Request Error (§9.4.10)', async () => {
    const d = device();
    expect(await ask(d, asArray(setInterface(0, 0)))).toBe('stall'); // Address state
    await ask(d, SET_CONFIGURATION_1);
    expect(await ask(d, asArray(setInterface(0, 1)))).toBe('stall');
    expect(await ask(d, asArray(setInterface(1, 0)))).toBe('stall');
    expect(await ask(d, asArray(setInterface(0, 0)))).toEqual([]);
  });
});

describe('SET_FEATURE(ENDPOINT_HALT) (USB 2.0 §9.4.9)', () => {
  const setHalt = (endpoint: number): number[] => [0x02, 0x03, 0, endpoint, 0];

  it('halts a bulk endpoint until CLEAR_FEATURE(ENDPOINT_HALT): GET_STATUS says so and transfers stall', async () => {
    const d = device();
    expect(await ask(d, setHalt(0x02))).toEqual([]);
    expect(await ask(d, getEndpointStatus(0x02))).toEqual([1, 0]);
    expect((await d.bulkOut(new Uint8Array(31))).kind).toBe('stall');
    expect(await ask(d, asArray(clearHalt(0x02)))).toEqual([]);
    expect(await ask(d, getEndpointStatus(0x02))).toEqual([0, 0]);
    expect(await ask(d, setHalt(0x81))).toEqual([]);
    expect((await d.bulkIn(13)).kind).toBe('stall');
  });

  it('is a Request Error for an endpoint the interface lacks, or a feature other than ENDPOINT_HALT', async () => {
    const d = device();
    expect(await ask(d, setHalt(0x83))).toBe('stall');
    expect(await ask(d, [0x02, 0x03, 1, 0x81, 0])).toBe('stall');
  });
});

describe('GET_STATUS (USB 2.0 §9.4.5)', () => {
  it('answers two bytes for the device, interface 0, EP0 and the bulk endpoints', async () => {
    const d = device();
    for (const request of [
      [0x80, 0x00, 0, 0, 2],
      [0x81, 0x00, 0, 0, 2],
      getEndpointStatus(0x00),
      getEndpointStatus(0x80),
      getEndpointStatus(0x81),
      getEndpointStatus(0x02),
    ])
      expect(await ask(d, request), request.join(' ')).toEqual([0, 0]);
  });

  it('is a Request Error for an interface or an endpoint the device does not have', async () => {
    const d = device();
    expect(await ask(d, [0x81, 0x00, 0, 1, 2])).toBe('stall');
    expect(await ask(d, getEndpointStatus(0x83))).toBe('stall');
    expect(await ask(d, getEndpointStatus(0x01))).toBe('stall');
  });
});
