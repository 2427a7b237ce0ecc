/**
 * Blocks the store cannot read or write (an image file's I/O error) are answered as a drive
 * answers a bad block — CHECK CONDITION, MEDIUM ERROR, the block in INFORMATION — by the logical
 * unit, the Bulk-Only device and an exporter alike; the drive goes on serving the other blocks.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BotDevice } from '../../src-main/emulator/bot-device';
import type { DeferredData } from '../../src-main/emulator/data-in';
import type { DiskLu } from '../../src-main/emulator/disk';
import { driveUnits } from '../../src-main/emulator/drive';
import { MediumError, mediumErrorResult } from '../../src-main/emulator/medium-error';
import { findProfile } from '../../src-main/emulator/profiles';
import { MemoryStore, type BlockStore } from '../../src-main/emulator/store';
import type { BlockCount, Lba } from '../../shared/scsi/brand';
import { ExportedDrive } from '../../src-main/export/exported-drive';
import { serveUsbredir, type UsbredirExport } from '../../src-main/export/usbredir';
import { STATUS } from '../../src-main/export/usbredir-codec';
import { cbw, Guest } from './exporter-peers';

const profile = findProfile('flash-stick') ?? expect.fail('no flash-stick profile');
const BLOCK = profile.blockSize;
/** The block no read or write gets past. */
const BAD = 10;

/** A memory store whose blocks in `bad` fail as an image file on a failing disk does (EIO). */
class BadBlocks implements BlockStore {
  private readonly inner = new MemoryStore(BLOCK, profile.blocks);
  readonly blockSize = BLOCK;
  readonly blocks = profile.blocks;
  constructor(private readonly bad: ReadonlySet<number>) {}

  private firstBad(lba: number, count: number): number | undefined {
    for (let b = lba; b < lba + count; b++) if (this.bad.has(b)) return b;
    return undefined;
  }

  private fail(operation: 'read' | 'write', lba: number, count: number): MediumError | undefined {
    const b = this.firstBad(lba, count);
    return b === undefined ? undefined : new MediumError(operation, b, 'EIO: i/o error');
  }

  read(lba: Lba, count: BlockCount): Promise<Uint8Array> {
    const e = this.fail('read', Number(lba), count);
    return e ? Promise.reject(e) : this.inner.read(lba, count);
  }

  readLater(lba: Lba, count: BlockCount): DeferredData {
    const d = this.inner.readLater(lba, count);
    const start = Number(lba);
    return {
      length: d.length,
      copyTo: (target, at, from, n) => {
        const first = start + Math.floor(from / BLOCK);
        const e = this.fail('read', first, start + Math.ceil((from + n) / BLOCK) - first);
        if (e) throw e;
        d.copyTo(target, at, from, n);
      },
    };
  }

  write(lba: Lba, data: Uint8Array): Promise<void> {
    const e = this.fail('write', Number(lba), data.length / BLOCK);
    return e ? Promise.reject(e) : this.inner.write(lba, data);
  }

  flush(): Promise<void> {
    return this.inner.flush();
  }
}

const cdb10 = (opcode: number, lba: number, blocks: number): number[] => [
  opcode,
  0,
  0,
  0,
  0,
  lba,
  0,
  0,
  blocks,
  0,
];
const READ_10 = 0x28;
const WRITE_10 = 0x2a;
const REQUEST_SENSE = [0x03, 0, 0, 0, 18, 0];
/** Runs `cdb` on the unit as the app's own drives do. */
const run = (lu: DiskLu, cdb: number[], dataOut?: Uint8Array) =>
  lu.execute(Uint8Array.from(cdb), dataOut);

/** Sense key, ASC, ASCQ and INFORMATION (with its VALID bit) of fixed-format sense. */
const senseOf = (s: Uint8Array): [number, number, number, number | undefined] => [
  (s[2] ?? 0) & 0x0f,
  s[12] ?? 0,
  s[13] ?? 0,
  ((s[0] ?? 0) & 0x80) !== 0 ? Buffer.from(s).readUInt32BE(3) : undefined,
];

/** A logical unit past its power-on unit attention. */
async function unit(): Promise<{ lu: DiskLu; events: string[] }> {
  const [lu] = driveUnits(profile, new BadBlocks(new Set([BAD])));
  if (!lu) throw new Error('no unit');
  const events: string[] = [];
  lu.onEvent((l) => events.push(l));
  await run(lu, [0, 0, 0, 0, 0, 0]);
  return { lu, events };
}

describe('mediumErrorResult', () => {
  it.each([
    ['read', 0x11, 0x00],
    ['write', 0x0c, 0x00],
  ] as const)('answers a %s failure with MEDIUM ERROR %s/%s and the block', (op, asc, ascq) => {
    expect(mediumErrorResult(new MediumError(op, 77, 'EIO'))).toEqual({
      kind: 'check',
      key: 0x03,
      asc,
      ascq,
      information: 77n,
    });
  });
});

describe('the logical unit', () => {
  it('fails a READ over a bad block with UNRECOVERED READ ERROR naming it, and reads the others', async () => {
    const { lu, events } = await unit();
    const r = await run(lu, cdb10(READ_10, 8, 4));
    expect(r).toEqual({ status: 'check-condition', dataIn: new Uint8Array() });
    const sense = await run(lu, REQUEST_SENSE);
    expect(senseOf(sense.dataIn)).toEqual([0x03, 0x11, 0x00, BAD]);
    expect(events).toEqual([expect.stringMatching(/read of block 10 failed: EIO/)]);
    expect((await run(lu, cdb10(READ_10, 0, 4))).status).toBe('good');
  });

  it('fails a WRITE over a bad block with WRITE ERROR naming it', async () => {
    const { lu } = await unit();
    const r = await run(lu, cdb10(WRITE_10, 9, 2), new Uint8Array(2 * BLOCK));
    expect(r.status).toBe('check-condition');
    expect(senseOf((await run(lu, REQUEST_SENSE)).dataIn)).toEqual([0x03, 0x0c, 0x00, BAD]);
    expect((await run(lu, cdb10(WRITE_10, 0, 2), new Uint8Array(2 * BLOCK))).status).toBe('good');
  });
});

describe('the Bulk-Only device', () => {
  // Case 6 (Hi = Di) and case 4 (Hi > Di: the one block padded to N, still read as it is sent).
  it.each([
    ['READ(10) of 4 blocks', cdb10(READ_10, 8, 4), 4 * BLOCK],
    ['READ(10) of the bad block alone, N = 2 blocks', cdb10(READ_10, BAD, 1), 2 * BLOCK],
  ])(
    'ends the data stage of a %s with a stall and a failed CSW, then serves the next command',
    async (_, cdb, n) => {
      const dev = new BotDevice(driveUnits(profile, new BadBlocks(new Set([BAD]))));
      await dev.bulkOut(cbw(1, [0, 0, 0, 0, 0, 0], 0));
      await dev.bulkIn(13);
      expect((await dev.bulkOut(cbw(2, cdb, n))).kind).toBe('ok');
      expect(await dev.bulkIn(n)).toEqual({ kind: 'stall' });
      // The host clears the halt and reads the CSW (BOT 1.0 §6.7.2): command failed, nothing sent.
      await dev.clearHalt('in');
      const csw = await dev.bulkIn(13);
      if (csw.kind !== 'ok') throw new Error(csw.kind);
      const view = Buffer.from(csw.data);
      expect([view.readUInt32LE(4), view.readUInt32LE(8), csw.data[12]]).toEqual([2, n, 1]);
      await dev.bulkOut(cbw(3, REQUEST_SENSE, 18));
      const sense = await dev.bulkIn(18);
      expect(sense.kind === 'ok' && senseOf(sense.data)).toEqual([0x03, 0x11, 0x00, BAD]);
      await dev.bulkIn(13);
      await dev.bulkOut(cbw(4, cdb10(READ_10, 0, 2), 2 * BLOCK));
      expect((await dev.bulkIn(2 * BLOCK)).kind).toBe('ok');
      const last = await dev.bulkIn(13);
      expect(last.kind === 'ok' && last.data[12]).toBe(0);
    },
  );
});

describe('the usbredir exporter', () => {
  let server: UsbredirExport | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('answers a READ over a bad block with a stall and a failed CSW, and keeps the guest', async () => {
    const drive = new ExportedDrive(profile, new BadBlocks(new Set([BAD])));
    const events: string[] = [];
    drive.onEvent((l) => events.push(l));
    const logs: string[] = [];
    server = await serveUsbredir({ drive, log: (l) => logs.push(l) });
    const g = await Guest.open(server.port);
    await g.handshake();
    await g.bulkOut(cbw(1, [0, 0, 0, 0, 0, 0], 0));
    await g.bulkIn(13);
    await g.bulkOut(cbw(2, cdb10(READ_10, 8, 4), 4 * BLOCK));
    expect((await g.bulkIn(4 * BLOCK)).status).toBe(STATUS.stall);
    // CLEAR_FEATURE(ENDPOINT_HALT) on Bulk-In, as Linux usb-storage sends it.
    expect((await g.control(0x02, 0x01, 0, 0x81, 0)).status).toBe(STATUS.success);
    const csw = await g.bulkIn(13);
    expect(csw.data[12]).toBe(1);
    await g.bulkOut(cbw(3, REQUEST_SENSE, 18));
    expect(senseOf((await g.bulkIn(18)).data)).toEqual([0x03, 0x11, 0x00, BAD]);
    await g.bulkIn(13);
    expect(events).toEqual([expect.stringMatching(/read of block 10 failed/)]);
    expect(logs.join('\n')).not.toMatch(/closing the connection/);
    expect(g.closed).toBe(false);
    g.socket.destroy();
  });
});
