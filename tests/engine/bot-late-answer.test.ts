/**
 * A command still running when the host resets the Bulk-Only device: its
 * answer must never go out, or the host would take it for the answer to a
 * later CBW (BOT 1.0 §5.3.4 Reset Recovery, §6.6). The slow target is
 * emu:jmicron-nvme's hung self-test-log read, answering after HANG_MS, and
 * the latency model of emu:sata-bridge for a data-out command; fake timers
 * decide when they answer.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { putLe32 } from '../../shared/scsi/bytes';
import { BotDevice } from '../../src-main/emulator/bot-device';
import { driveUnits } from '../../src-main/emulator/drive';
import { HANG_MS } from '../../src-main/emulator/nvme/jmicron';
import { MemoryStore } from '../../src-main/emulator/store';
import type { PipeResult } from '../../src-main/engine/pipes';
import { cbw } from './exporter-peers';
import { profile } from './helpers';

const TEST_UNIT_READY = [0, 0, 0, 0, 0, 0];
const INQUIRY = [0x12, 0, 0, 0, 36, 0];
/** Bulk-Only Mass Storage Reset: class, interface, OUT; bRequest FFh (BOT 1.0 §3.1). */
const BOMS_RESET = { bmRequestType: 0x21, bRequest: 0xff, wValue: 0, wIndex: 0, wLength: 0 };
/** CLEAR_FEATURE(ENDPOINT_HALT) on Bulk-In 81h (USB 2.0 §9.4.1). */
const CLEAR_HALT_IN = { bmRequestType: 0x02, bRequest: 0x01, wValue: 0, wIndex: 0x81, wLength: 0 };

/** JMicron A1h: byte 1 = 80h | PROTOCOL, bytes 3–5 the parameter length. */
const jmicron = (protocol: number, length: number): number[] => [
  0xa1,
  0x80 | protocol,
  0,
  (length >>> 16) & 0xff,
  (length >>> 8) & 0xff,
  length & 0xff,
  0,
  0,
  0,
  0,
  0,
  0,
];

/** Phase 1's command block: "NVME", Get Log Page (02h), NSID FFFFFFFFh, log 06h of 1024 bytes. */
function selfTestLogCommand(): Uint8Array {
  const b = new Uint8Array(512);
  putLe32(b, 0, 0x454d564e);
  putLe32(b, 8, 0x02);
  putLe32(b, 12, 0xffffffff);
  putLe32(b, 48, (255 << 16) | 0x06);
  return b;
}

/** dCSWTag, dCSWDataResidue and bCSWStatus of a 13-byte CSW (BOT 1.0 §5.2, little-endian). */
function cswOf(r: PipeResult): { tag: number; residue: number; status: number } {
  if (r.kind !== 'ok') throw new Error(`expected a CSW, the device answered ${r.kind}`);
  expect(r.data).toHaveLength(13);
  const v = new DataView(r.data.buffer, r.data.byteOffset);
  expect(v.getUint32(0, true)).toBe(0x53425355);
  return { tag: v.getUint32(4, true), residue: v.getUint32(8, true), status: r.data[12] ?? -1 };
}

/** A device with the power-on unit attention taken (TEST UNIT READY, tag 1). */
async function device(name: string): Promise<BotDevice> {
  const p = profile(name);
  const dev = new BotDevice(driveUnits(p, new MemoryStore(p.blockSize, p.blocks)));
  await dev.bulkOut(cbw(1, TEST_UNIT_READY, 0));
  expect(cswOf(await dev.bulkIn(13)).tag).toBe(1);
  return dev;
}

/**
 * The JMicron device with phase 1 of a self-test-log read done (tag 2), and
 * phase 2 — 1024 bytes in, above the 218h the bridge survives — sent as tag 3:
 * the returned promise is the CBW transfer, pending until the bridge answers.
 */
async function hungRead(): Promise<{ dev: BotDevice; pending: Promise<PipeResult> }> {
  const dev = await device('jmicron-nvme');
  await dev.bulkOut(cbw(2, jmicron(0, 512), 512, 'out'));
  await dev.bulkOut(selfTestLogCommand());
  expect(cswOf(await dev.bulkIn(13))).toMatchObject({ tag: 2, status: 0 });
  let settled = false;
  const pending = dev.bulkOut(cbw(3, jmicron(2, 1024), 1024, 'in')).finally(() => {
    settled = true;
  });
  await vi.advanceTimersByTimeAsync(30_000); // the host's timeout passes; the bridge has not answered
  expect(settled).toBe(false);
  return { dev, pending };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('a late answer after a reset (BOT 1.0 §5.3.4)', () => {
  it('without a reset, the hung read answers after HANG_MS with its own CSW (tag 3)', async () => {
    vi.useFakeTimers();
    const { dev, pending } = await hungRead();
    await vi.advanceTimersByTimeAsync(HANG_MS);
    expect((await pending).kind).toBe('ok');
    // ABORTED COMMAND: no data (case 4, padded or stalled), then CSW 01h for tag 3.
    let r = await dev.bulkIn(1024);
    if (r.kind === 'stall') await dev.clearHalt('in');
    if (r.kind !== 'ok' || r.data.length !== 13) r = await dev.bulkIn(13);
    expect(cswOf(r)).toMatchObject({ tag: 3, status: 1 });
  });

  it('after a Bulk-Only Mass Storage Reset, the old command sends neither data nor CSW; the next one gets its own', async () => {
    vi.useFakeTimers();
    const { dev, pending } = await hungRead();
    // Reset Recovery: the class reset, then CLEAR_FEATURE(HALT) on both pipes.
    expect((await dev.control(BOMS_RESET)).kind).toBe('ok');
    await dev.clearHalt('in');
    await dev.clearHalt('out');
    // The next command's CBW is in before the old one finishes.
    expect((await dev.bulkOut(cbw(4, INQUIRY, 36))).kind).toBe('ok');
    await vi.advanceTimersByTimeAsync(HANG_MS);
    expect((await pending).kind).toBe('ok');
    // INQUIRY's 36 bytes and CSW tag 4, not the hung read's ABORTED COMMAND for tag 3.
    const data = await dev.bulkIn(36);
    expect(data.kind === 'ok' && data.data.length).toBe(36);
    expect(cswOf(await dev.bulkIn(13))).toEqual({ tag: 4, residue: 0, status: 0 });
    expect((await dev.bulkIn(13)).kind).toBe('timeout');
  });

  it('after the reset, nothing of the old command waits on Bulk-In once it finishes', async () => {
    vi.useFakeTimers();
    const { dev, pending } = await hungRead();
    await dev.control(BOMS_RESET);
    await vi.advanceTimersByTimeAsync(HANG_MS);
    await pending;
    expect((await dev.bulkIn(1024)).kind).toBe('timeout');
    await dev.bulkOut(cbw(5, TEST_UNIT_READY, 0));
    expect(cswOf(await dev.bulkIn(13))).toEqual({ tag: 5, residue: 0, status: 0 });
  });

  it('a CLEAR_FEATURE(ENDPOINT_HALT) while the command runs drops its answer too', async () => {
    vi.useFakeTimers();
    const { dev, pending } = await hungRead();
    expect((await dev.control(CLEAR_HALT_IN)).kind).toBe('ok');
    await vi.advanceTimersByTimeAsync(HANG_MS);
    await pending;
    expect((await dev.bulkIn(13)).kind).toBe('timeout');
  });

  it('a halt cleared after the command ended keeps its CSW (the status-stage recovery, §5.3.3)', async () => {
    const dev = await device('jmicron-nvme');
    // INQUIRY with 4096 bytes asked for: 36 sent, then (case 5) Bulk-In stalls or pads.
    await dev.bulkOut(cbw(6, INQUIRY, 4096));
    const data = await dev.bulkIn(4096);
    if (data.kind === 'stall') await dev.clearHalt('in');
    else {
      await dev.control(CLEAR_HALT_IN);
      await dev.clearHalt('out');
    }
    expect(cswOf(await dev.bulkIn(13)).tag).toBe(6);
  });

  it('a data-out command whose latency outlasts a reset sends no CSW; the next command gets its own', async () => {
    const dev = await device('sata-bridge');
    vi.useFakeTimers();
    const block = new Uint8Array(4096).fill(0x5a);
    // WRITE(10) of one 4096-byte block at LBA 3: the profile's latency holds the answer back.
    await dev.bulkOut(cbw(7, [0x2a, 0, 0, 0, 0, 3, 0, 0, 1, 0], block.length, 'out'));
    let settled = false;
    const pending = dev.bulkOut(block).finally(() => {
      settled = true;
    });
    // The reset comes while the WRITE runs (its latency timer has not fired).
    await dev.control(BOMS_RESET);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect((await pending).kind).toBe('ok');
    expect((await dev.bulkIn(13)).kind).toBe('timeout');
    const next = dev.bulkOut(cbw(8, TEST_UNIT_READY, 0));
    await vi.advanceTimersByTimeAsync(1000);
    await next;
    expect(cswOf(await dev.bulkIn(13))).toEqual({ tag: 8, residue: 0, status: 0 });
  });
});
