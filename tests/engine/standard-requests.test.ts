/**
 * The standard requests of USB 2.0 §9.4 as the emulated drive answers them on
 * EP0 (what a host's USB stack, or USBCV's chapter 9 tests, send it), through
 * the Bulk-Only device that the exporters drive.
 */
import { describe, expect, it } from 'vitest';
import type { SetupPacket } from '../../shared/bot/requests';
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
const setConfiguration = (value: number): number[] => [0x00, 0x09, value, 0, 0];
const getInterface = (iface: number): number[] => [0x81, 0x0a, 0, iface, 1];

describe('standard requests (USB 2.0 §9.4)', () => {
  it('GET_CONFIGURATION says 0 until SET_CONFIGURATION(1), then 1, and 0 again after SET_CONFIGURATION(0)', async () => {
    const d = device();
    expect(await ask(d, GET_CONFIGURATION)).toEqual([0]);
    expect(await ask(d, setConfiguration(1))).toEqual([]);
    expect(await ask(d, GET_CONFIGURATION)).toEqual([1]);
    expect(await ask(d, setConfiguration(0))).toEqual([]);
    expect(await ask(d, GET_CONFIGURATION)).toEqual([0]);
  });

  it('SET_CONFIGURATION of a configuration the descriptors do not describe is a Request Error (§9.4.7)', async () => {
    const d = device();
    await ask(d, setConfiguration(1));
    expect(await ask(d, setConfiguration(2))).toBe('stall');
    expect(await ask(d, setConfiguration(0x0101))).toBe('stall');
    expect(await ask(d, GET_CONFIGURATION)).toEqual([1]);
  });

  it('GET_INTERFACE says alternate setting 0 of interface 0 once configured; a Request Error otherwise (§9.4.4)', async () => {
    const d = device();
    expect(await ask(d, getInterface(0))).toBe('stall'); // Address state
    await ask(d, setConfiguration(1));
    expect(await ask(d, getInterface(0))).toEqual([0]);
    expect(await ask(d, getInterface(1))).toBe('stall');
  });
});
