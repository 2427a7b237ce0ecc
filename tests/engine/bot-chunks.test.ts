/** The Bulk-Only device receives data-out in as many transfers as the host splits it into (USB/IP sends one per page). */
import { describe, expect, it } from 'vitest';
import { encodeCbw } from '../../shared/bot/cbw';
import { asByteCount, asLun, type Lba } from '../../shared/scsi/brand';
import { BotDevice } from '../../src-main/emulator/bot-device';
import { driveUnits } from '../../src-main/emulator/drive';
import { findProfile } from '../../src-main/emulator/profiles';
import { MemoryStore } from '../../src-main/emulator/store';

function cbw(tag: number, cdb: number[], length: number, direction: 'in' | 'out'): Uint8Array {
  const r = encodeCbw({
    tag,
    dataTransferLength: asByteCount(length),
    direction,
    lun: asLun(0),
    cdb: Uint8Array.from(cdb),
  });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('data-out split over several transfers', () => {
  it('waits for all N bytes of a WRITE(10), in 512-byte packets, then writes them', async () => {
    const p = findProfile('flash-stick');
    if (!p) throw new Error('no profile');
    const dev = new BotDevice(driveUnits(p, new MemoryStore(p.blockSize, p.blocks)));
    const ok = { kind: 'ok', data: new Uint8Array() };
    // Clear the power-on unit attention first.
    await dev.bulkOut(cbw(1, [0, 0, 0, 0, 0, 0], 0, 'in'));
    await dev.bulkIn(13);
    const payload = Uint8Array.from({ length: 2048 }, (_, i) => (i * 7) & 0xff);
    expect(await dev.bulkOut(cbw(2, [0x2a, 0, 0, 0, 0, 9, 0, 0, 4, 0], 2048, 'out'))).toEqual(ok);
    for (let off = 0; off < 2048; off += 512) {
      // Nothing is answered on Bulk-In until the last packet came.
      expect((await dev.bulkIn(13)).kind).toBe('timeout');
      expect(await dev.bulkOut(payload.subarray(off, off + 512))).toEqual(ok);
    }
    const csw = await dev.bulkIn(13);
    expect(csw.kind === 'ok' && csw.data[12]).toBe(0);
    await dev.bulkOut(cbw(3, [0x28, 0, 0, 0, 0, 9, 0, 0, 4, 0], 2048, 'in'));
    const back = await dev.bulkIn(2048);
    expect(back.kind === 'ok' && Array.from(back.data)).toEqual(Array.from(payload));
  });

  it('ends the transfer early on a short packet', async () => {
    const p = findProfile('flash-stick');
    if (!p) throw new Error('no profile');
    const dev = new BotDevice(driveUnits(p, new MemoryStore(p.blockSize, p.blocks)));
    await dev.bulkOut(cbw(1, [0, 0, 0, 0, 0, 0], 0, 'in'));
    await dev.bulkIn(13);
    // MODE SELECT(6) with a 4-byte header promised as 12: a 4-byte packet is short, so it ends the data.
    await dev.bulkOut(cbw(2, [0x15, 0x10, 0, 0, 12, 0], 12, 'out'));
    await dev.bulkOut(new Uint8Array(4));
    const csw = await dev.bulkIn(13);
    // The CSW is there at once: the device did not wait for the 8 bytes never sent.
    expect(csw.kind === 'ok' && csw.data.length).toBe(13);
  });

  it('accepts and discards data-out past what the command takes: case 11, residue N − processed', async () => {
    const p = findProfile('flash-stick');
    if (!p) throw new Error('no profile');
    const dev = new BotDevice(driveUnits(p, new MemoryStore(p.blockSize, p.blocks)));
    await dev.bulkOut(cbw(1, [0, 0, 0, 0, 0, 0], 0, 'in'));
    await dev.bulkIn(13);
    // USBCV TD1.15: WRITE(10) of one block with N = two blocks (BOT 1.0 §6.7.3, Ho > Do).
    await dev.bulkOut(cbw(2, [0x2a, 0, 0, 0, 0, 3, 0, 0, 1, 0], 1024, 'out'));
    const sent = Uint8Array.from({ length: 1024 }, (_, i) => (i * 3) & 0xff);
    expect((await dev.bulkOut(sent.subarray(0, 512))).kind).toBe('ok');
    expect((await dev.bulkOut(sent.subarray(512))).kind).toBe('ok');
    const csw = await dev.bulkIn(13);
    if (csw.kind !== 'ok') throw new Error(csw.kind);
    expect([
      new DataView(csw.data.buffer, csw.data.byteOffset).getUint32(8, true),
      csw.data[12],
    ]).toEqual([512, 0]);
    await dev.bulkOut(cbw(3, [0x28, 0, 0, 0, 0, 3, 0, 0, 2, 0], 1024, 'in'));
    const back = await dev.bulkIn(1024);
    // The first block is what was sent; the discarded second never reached LBA 4.
    expect(back.kind === 'ok' && Array.from(back.data.subarray(0, 512))).toEqual(
      Array.from(sent.subarray(0, 512)),
    );
    expect(back.kind === 'ok' && back.data.subarray(512).every((b) => b === 0)).toBe(true);
  });
});

describe('data-in into the buffer it leaves in', () => {
  it("copies a READ's blocks straight into the given buffer, across transfers, and makes its own without one", async () => {
    const p = findProfile('flash-stick');
    if (!p) throw new Error('no profile');
    const dev = new BotDevice(driveUnits(p, new MemoryStore(p.blockSize, p.blocks)));
    await dev.bulkOut(cbw(1, [0, 0, 0, 0, 0, 0], 0, 'in'));
    await dev.bulkIn(13);
    const payload = Uint8Array.from({ length: 4096 }, (_, i) => (i * 5 + 3) & 0xff);
    await dev.bulkOut(cbw(2, [0x2a, 0, 0, 0, 0, 4, 0, 0, 8, 0], 4096, 'out'));
    await dev.bulkOut(payload);
    await dev.bulkIn(13);
    // READ(10) of 8 blocks taken as 1 KiB into a buffer of the caller's, then 3 KiB without one.
    await dev.bulkOut(cbw(3, [0x28, 0, 0, 0, 0, 4, 0, 0, 8, 0], 4096, 'in'));
    const into = new Uint8Array(2048);
    const first = await dev.bulkIn(1024, 0, into);
    if (first.kind !== 'ok') throw new Error(first.kind);
    expect(first.data.buffer === into.buffer).toBe(true);
    expect(Array.from(first.data)).toEqual(Array.from(payload.subarray(0, 1024)));
    const rest = await dev.bulkIn(3072);
    if (rest.kind !== 'ok') throw new Error(rest.kind);
    expect(Array.from(rest.data)).toEqual(Array.from(payload.subarray(1024)));
    const csw = await dev.bulkIn(13);
    expect(csw.kind === 'ok' && [csw.data[12], csw.data[8]]).toEqual([0, 0]);
    // Bytes made by the device (INQUIRY) are not copied: `into` is left as it was.
    const untouched = new Uint8Array(64).fill(0xee);
    await dev.bulkOut(cbw(4, [0x12, 0, 0, 0, 36, 0], 36, 'in'));
    const inquiry = await dev.bulkIn(36, 0, untouched);
    expect(inquiry.kind === 'ok' && inquiry.data.length).toBe(36);
    expect(untouched.every((b) => b === 0xee)).toBe(true);
  });

  it('treats a Bulk-Out transfer while a command runs as an invalid CBW, and runs the command once', async () => {
    const p = findProfile('flash-stick');
    if (!p) throw new Error('no profile');
    const store = new MemoryStore(p.blockSize, p.blocks);
    const written: number[] = [];
    const slowStore = Object.assign(Object.create(store) as MemoryStore, {
      write: async (lba: Lba, data: Uint8Array): Promise<void> => {
        written.push(data[0] ?? -1);
        await new Promise((r) => setTimeout(r, 30));
        return store.write(lba, data);
      },
    });
    const dev = new BotDevice(driveUnits(p, slowStore));
    await dev.bulkOut(cbw(1, [0, 0, 0, 0, 0, 0], 0, 'in'));
    await dev.bulkIn(13);
    await dev.bulkOut(cbw(2, [0x2a, 0, 0, 0, 0, 5, 0, 0, 1, 0], 512, 'out'));
    const data = dev.bulkOut(new Uint8Array(512).fill(1));
    await new Promise((r) => setTimeout(r, 5));
    // More data, or a CBW, before the CSW: BOT gives it no meaning (§5).
    expect(await dev.bulkOut(new Uint8Array(512).fill(2))).toEqual({ kind: 'stall' });
    expect((await data).kind).toBe('ok');
    expect(written).toEqual([1]);
  });
});
