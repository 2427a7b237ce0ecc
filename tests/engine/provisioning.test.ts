/**
 * Logical block provisioning on the emulated drive (SBC-4): GET LBA STATUS(16)
 * after writes, UNMAP and WRITE SAME(16) with UNMAP=1, and the sense for a
 * service action the drive lacks of an operation code it implements (SPC-5).
 */
import { describe, expect, it } from 'vitest';
import { decodeSense } from '../../shared/scsi/sense';
import { lintCdb } from '../../shared/lint/lint';
import { findCommand } from '../../shared/scsi/catalog';
import { DiskLu } from '../../src-main/emulator/disk';
import { MemoryStore } from '../../src-main/emulator/store';
import { hex, profile } from './helpers';

const FLASH_STICK = profile('flash-stick');
const BLOCKS = FLASH_STICK.blocks;

/** A flash-stick unit past its power-on unit attention. */
async function drive(): Promise<DiskLu> {
  const lu = new DiskLu(FLASH_STICK, new MemoryStore(FLASH_STICK.blockSize, BLOCKS));
  await lu.execute(hex('00 00 00 00 00 00'));
  return lu;
}

/** GET LBA STATUS(16) from `lba`, ALLOCATION LENGTH `alloc`: the descriptors [LBA, count, status]. */
async function lbaStatus(lu: DiskLu, lba: number, alloc = 0x1000): Promise<number[][]> {
  const cdb = new Uint8Array(16);
  cdb[0] = 0x9e;
  cdb[1] = 0x12;
  new DataView(cdb.buffer).setBigUint64(2, BigInt(lba));
  new DataView(cdb.buffer).setUint32(10, alloc);
  const r = await lu.execute(cdb);
  expect(r.status).toBe('good');
  const v = new DataView(r.dataIn.buffer, r.dataIn.byteOffset, r.dataIn.length);
  expect(v.getUint32(0)).toBe(r.dataIn.length - 4); // PARAMETER DATA LENGTH
  const out: number[][] = [];
  for (let off = 8; off + 16 <= r.dataIn.length; off += 16)
    out.push([Number(v.getBigUint64(off)), v.getUint32(off + 8), (r.dataIn[off + 12] ?? 0) & 0x0f]);
  return out;
}

async function write10(lu: DiskLu, lba: number, count: number, fill: number): Promise<void> {
  const cdb = hex(`2a 00 00 00 00 00 00 00 00 00`);
  new DataView(cdb.buffer).setUint32(2, lba);
  new DataView(cdb.buffer).setUint16(7, count);
  expect((await lu.execute(cdb, new Uint8Array(count * 512).fill(fill))).status).toBe('good');
}

async function read10(lu: DiskLu, lba: number, count: number): Promise<Uint8Array> {
  const cdb = hex(`28 00 00 00 00 00 00 00 00 00`);
  new DataView(cdb.buffer).setUint32(2, lba);
  new DataView(cdb.buffer).setUint16(7, count);
  return (await lu.execute(cdb)).dataIn;
}

/** WRITE SAME(16) with byte 1 `flags` (UNMAP 08h, NDOB 01h) over `count` blocks from `lba`. */
function writeSame16(lba: number, count: number, flags: number): Uint8Array {
  const cdb = new Uint8Array(16);
  cdb[0] = 0x93;
  cdb[1] = flags;
  new DataView(cdb.buffer).setBigUint64(2, BigInt(lba));
  new DataView(cdb.buffer).setUint32(10, count);
  return cdb;
}

const MAPPED = 0;
const DEALLOCATED = 1;

describe('GET LBA STATUS(16) (SBC-4)', () => {
  it('reads REPORT TYPE as the whole of byte 14: 10h is refused at byte 14, not read as 0 (all LBAs)', async () => {
    const lu = await drive();
    const cdb = hex('9e 12 00 00 00 00 00 00 00 00 00 00 10 00 10 00');
    expect((await lu.execute(cdb)).status).toBe('check-condition');
    // The drive keeps no record of LBAs that may fail to read, so it does not offer that report.
    expect(lu.takeSense()).toMatchObject({
      key: 0x05,
      asc: 0x24,
      senseKeySpecific: { fieldPointer: 14 },
    });
    const lint = lintCdb({ cdb, dataIn: 16 });
    expect(lint.findings.filter((f) => f.byte === 14)).toEqual([]);
    const row = findCommand(cdb)?.fields.find((f) => f.key === 'reportType');
    expect(row?.values?.find((v) => v.value === 0x10)?.name).toMatch(/unrecovered error/);
  });

  it('reports a fresh drive as one deallocated extent from the starting LBA to the end', async () => {
    const lu = await drive();
    expect(await lbaStatus(lu, 0)).toEqual([[0, BLOCKS, DEALLOCATED]]);
    expect(await lbaStatus(lu, 1000)).toEqual([[1000, BLOCKS - 1000, DEALLOCATED]]);
  });

  it('reports written blocks as mapped, between deallocated extents', async () => {
    const lu = await drive();
    await write10(lu, 16, 8, 0xa5);
    expect(await lbaStatus(lu, 0)).toEqual([
      [0, 16, DEALLOCATED],
      [16, 8, MAPPED],
      [24, BLOCKS - 24, DEALLOCATED],
    ]);
    // The first descriptor starts at the starting LBA, even inside an extent.
    expect((await lbaStatus(lu, 20))[0]).toEqual([20, 4, MAPPED]);
  });

  it('returns as many descriptors as the allocation length holds (24 bytes: one)', async () => {
    const lu = await drive();
    await write10(lu, 0, 4, 1);
    expect(await lbaStatus(lu, 0, 24)).toEqual([[0, 4, MAPPED]]);
  });

  it('reports blocks UNMAP deallocated, which read as zeros (LBPRZ)', async () => {
    const lu = await drive();
    await write10(lu, 0, 32, 0xff);
    const param = hex('00 16 00 10 00 00 00 00  00 00 00 00 00 00 00 08  00 00 00 04 00 00 00 00');
    const r = await lu.execute(hex('42 00 00 00 00 00 00 00 18 00'), param);
    expect(r.status).toBe('good');
    expect(await lbaStatus(lu, 0)).toEqual([
      [0, 8, MAPPED],
      [8, 4, DEALLOCATED],
      [12, 20, MAPPED],
      [32, BLOCKS - 32, DEALLOCATED],
    ]);
    expect((await read10(lu, 8, 4)).every((b) => b === 0)).toBe(true);
    expect((await read10(lu, 12, 1)).every((b) => b === 0xff)).toBe(true);
  });

  it('refuses a starting LBA past the last one with 05/21/00', async () => {
    const lu = await drive();
    const cdb = hex('9e 12 00 00 00 00 00 04 00 00 00 00 00 18 00 00');
    expect((await lu.execute(cdb)).status).toBe('check-condition');
    expect(lu.takeSense()).toMatchObject({ key: 0x05, asc: 0x21, ascq: 0x00 });
  });
});

describe('WRITE SAME(16) (SBC-4)', () => {
  it('with UNMAP=1 and a zero block deallocates the range: mapped → deallocated, reads zeros', async () => {
    const lu = await drive();
    await write10(lu, 0, 64, 0x5a);
    const r = await lu.execute(writeSame16(10, 20, 0x08), new Uint8Array(512));
    expect(r.status).toBe('good');
    expect(await lbaStatus(lu, 0)).toEqual([
      [0, 10, MAPPED],
      [10, 20, DEALLOCATED],
      [30, 34, MAPPED],
      [64, BLOCKS - 64, DEALLOCATED],
    ]);
    expect((await read10(lu, 10, 20)).every((b) => b === 0)).toBe(true);
    expect((await read10(lu, 30, 1)).every((b) => b === 0x5a)).toBe(true);
  });

  it('with UNMAP=1 deallocates whatever block the data-out holds (libiscsi WriteSame10.UnmapUntilEnd sends 0xFF)', async () => {
    const lu = await drive();
    await write10(lu, 0, 8, 0xff);
    expect((await lu.execute(writeSame16(0, 8, 0x08), new Uint8Array(512).fill(0xff))).status).toBe(
      'good',
    );
    expect((await read10(lu, 0, 8)).every((b) => b === 0)).toBe(true);
    expect((await lbaStatus(lu, 0))[0]).toEqual([0, BLOCKS, DEALLOCATED]);
  });

  it('refuses more blocks than the Block Limits page reports (MAXIMUM WRITE SAME LENGTH, 1 MiB) at NUMBER OF LOGICAL BLOCKS', async () => {
    const lu = await drive();
    const limit = (1024 * 1024) / 512;
    expect((await lu.execute(writeSame16(0, limit, 0x08), new Uint8Array(512))).status).toBe(
      'good',
    );
    expect((await lu.execute(writeSame16(0, limit + 1, 0x08), new Uint8Array(512))).status).toBe(
      'check-condition',
    );
    expect(lu.takeSense()).toMatchObject({
      key: 0x05,
      asc: 0x24,
      senseKeySpecific: { fieldPointer: 10, bitPointerValid: false },
    });
  });

  it('with UNMAP=1 and NDOB=1 deallocates without a data-out block', async () => {
    const lu = await drive();
    await write10(lu, 0, 8, 0x11);
    expect((await lu.execute(writeSame16(0, 8, 0x09))).status).toBe('good');
    expect((await lbaStatus(lu, 0))[0]).toEqual([0, BLOCKS, DEALLOCATED]);
  });

  it('without UNMAP writes the block to every LBA of the range, mapping it', async () => {
    const lu = await drive();
    const block = new Uint8Array(512).map((_, i) => i & 0xff);
    expect((await lu.execute(writeSame16(100, 3, 0x00), block)).status).toBe('good');
    const back = await read10(lu, 100, 3);
    for (let i = 0; i < 3; i++)
      expect(Uint8Array.from(back.subarray(i * 512, (i + 1) * 512))).toEqual(block);
    expect((await lbaStatus(lu, 100))[0]).toEqual([100, 3, MAPPED]);
  });

  it('refuses a range past the end with 05/21/00 and ANCHOR=1 with 05/24/00 at byte 1 bit 4', async () => {
    const lu = await drive();
    expect((await lu.execute(writeSame16(BLOCKS - 1, 2, 0x08), new Uint8Array(512))).status).toBe(
      'check-condition',
    );
    expect(lu.takeSense()).toMatchObject({ key: 0x05, asc: 0x21 });
    expect((await lu.execute(writeSame16(0, 1, 0x18), new Uint8Array(512))).status).toBe(
      'check-condition',
    );
    expect(lu.takeSense()).toMatchObject({
      key: 0x05,
      asc: 0x24,
      senseKeySpecific: { fieldPointer: 1, bitPointerValid: true, bitPointer: 4 },
    });
  });
});

describe('an unsupported service action of an implemented operation code (SPC-5)', () => {
  it.each([
    ['SERVICE ACTION IN(16) 9Eh/1Fh', '9e 1f 00 00 00 00 00 00 00 00 00 00 00 20 00 00'],
    ['MAINTENANCE IN A3h/0Ah (REPORT TARGET PORT GROUPS)', 'a3 0a 00 00 00 00 00 00 10 00 00 00'],
  ])(
    '%s: 05/24/00 INVALID FIELD IN CDB, pointing at SERVICE ACTION (byte 1, bit 4)',
    async (_n, cdb) => {
      const lu = await drive();
      expect((await lu.execute(hex(cdb))).status).toBe('check-condition');
      const sense = lu.takeSense();
      expect(sense).toMatchObject({ key: 0x05, asc: 0x24, ascq: 0x00 });
      expect(sense?.senseKeySpecific).toEqual({
        kind: 'field-pointer',
        inCdb: true,
        bitPointerValid: true,
        bitPointer: 4,
        fieldPointer: 1,
      });
    },
  );

  it('keeps 05/20/00 for an operation code with no implemented service action', async () => {
    const lu = await drive();
    // SERVICE ACTION OUT(16) 9Fh: WRITE LONG(16) is catalogued but not implemented.
    expect((await lu.execute(hex('9f 11 00 00 00 00 00 00 00 00 00 00 02 00 00 00'))).status).toBe(
      'check-condition',
    );
    expect(lu.takeSense()).toMatchObject({ key: 0x05, asc: 0x20, ascq: 0x00 });
  });

  it('reaches the host as fixed sense data with SKSV and the field pointer', async () => {
    const lu = await drive();
    await lu.execute(hex('9e 1f 00 00 00 00 00 00 00 00 00 00 00 20 00 00'));
    const rs = await lu.execute(hex('03 00 00 00 12 00'));
    const s = decodeSense(rs.dataIn);
    expect(s.ok && [s.value.senseKey, s.value.asc, s.value.ascq]).toEqual([0x05, 0x24, 0x00]);
    expect(s.ok && s.value.senseKeySpecific).toMatchObject({ fieldPointer: 1, bitPointer: 4 });
  });
});
