/**
 * ATA PASS-THROUGH (SAT-4) through the whole Bulk-Only path to the SSD
 * behind the emulated SATA bridge: each ATA command, CK_COND's register
 * return, an aborted command, and the CDB checks. Sense comes back as the
 * engine fetches it (REQUEST SENSE, DESC=0: fixed format, SAT-4 register
 * layout); descriptor format is checked on the logical unit directly.
 */
import { spawnSync } from 'node:child_process';
import { beforeEach, describe, expect, it } from 'vitest';
import { lintCdb } from '../../shared/lint/lint';
import { formatHex } from '../../shared/scsi/hex';
import { decodeSense } from '../../shared/scsi/sense';
import { readAtaString } from '../../src-main/emulator/ata/identify';
import { pageSum } from '../../src-main/emulator/ata/checksum';
import { DiskLu } from '../../src-main/emulator/disk';
import { MemoryStore } from '../../src-main/emulator/store';
import { openDevice } from '../../src-main/engine/device-string';
import type { Transport } from '../../src-main/engine/transport';
import { hex, openReady, profile, senseCodes } from './helpers';

const sat = profile('sata-bridge');
const ata = sat.ata;
if (!ata) throw new Error('sata-bridge has no ata section');

/** PT(16) CDBs, byte by byte: 85, PROTOCOL<<1|EXTEND, flags, FEATURES, COUNT, LBA, DEVICE, COMMAND, CONTROL. */
const IDENTIFY_16 = '85 08 0e 00 00 00 01 00 00 00 00 00 00 00 ec 00'; // PIO in, T_DIR, BYT_BLOK, T_LENGTH=COUNT
const IDENTIFY_12 = 'a1 08 0e 00 01 00 00 00 00 ec 00 00';
const SMART_DATA = '85 08 0e 00 d0 00 01 00 00 00 4f 00 c2 00 b0 00';
const SMART_THRESHOLDS = '85 08 0e 00 d1 00 01 00 00 00 4f 00 c2 00 b0 00';
const SMART_STATUS = '85 06 20 00 da 00 00 00 00 00 4f 00 c2 00 b0 00'; // non-data, CK_COND
const SMART_LOG_DIR = '85 08 0e 00 d5 00 01 00 00 00 4f 00 c2 00 b0 00';
const READ_LOG_EXT_DIR = '85 09 0e 00 00 00 01 00 00 00 00 00 00 00 2f 00'; // EXTEND=1
const CHECK_POWER = '85 06 20 00 00 00 00 00 00 00 00 00 00 00 e5 00';
const SET_FEATURES = '85 06 20 00 02 00 00 00 00 00 00 00 00 00 ef 00'; // not implemented: ABORT

let t: Transport;

/** The sense bytes of a CHECK CONDITION (empty when there were none, which fails the checks). */
const senseOf = (o: { readonly sense?: Uint8Array }): Uint8Array => o.sense ?? new Uint8Array();

async function send(cdb: string, transferLength = 0, dataOut?: Uint8Array) {
  return t.execute({
    cdb: hex(cdb),
    lun: 0,
    direction: dataOut ? 'out' : transferLength > 0 ? 'in' : 'none',
    transferLength: dataOut ? dataOut.length : transferLength,
    timeoutMs: 5000,
    ...(dataOut ? { dataOut } : {}),
  });
}

beforeEach(async () => {
  t = await openReady('sata-bridge');
});

describe('ATA PASS-THROUGH to the SSD behind the SATA bridge', () => {
  it('IDENTIFY DEVICE over PT(16): the profile’s model, serial, firmware and capacity, checksum correct', async () => {
    const o = await send(IDENTIFY_16, 512);
    expect(o.status).toBe(0);
    expect(o.dataIn).toHaveLength(512);
    expect(readAtaString(o.dataIn, 27, 20)).toBe(ata.model);
    expect(readAtaString(o.dataIn, 10, 10)).toBe(ata.serial);
    expect(readAtaString(o.dataIn, 23, 4)).toBe(ata.firmware);
    const v = new DataView(o.dataIn.buffer, o.dataIn.byteOffset);
    expect(v.getUint32(200, true)).toBe(sat.blocks); // words 100–101: 48-bit sector count
    expect(o.dataIn[510]).toBe(0xa5);
    expect(pageSum(o.dataIn)).toBe(0);
  });

  it('IDENTIFY DEVICE over PT(12) returns the same data', async () => {
    const a = await send(IDENTIFY_16, 512);
    const b = await send(IDENTIFY_12, 512);
    expect(b.status).toBe(0);
    expect(Array.from(b.dataIn)).toEqual(Array.from(a.dataIn));
  });

  it('SMART READ DATA: every attribute of the profile, checksum correct', async () => {
    const o = await send(SMART_DATA, 512);
    expect(o.status).toBe(0);
    expect(pageSum(o.dataIn)).toBe(0);
    ata.attributes.forEach((a, i) => {
      const at = 2 + 12 * i;
      expect(o.dataIn[at]).toBe(a.id);
      expect(o.dataIn[at + 3]).toBe(a.current);
      expect(o.dataIn[at + 4]).toBe(a.worst);
      expect((o.dataIn[at + 5] ?? 0) | ((o.dataIn[at + 6] ?? 0) << 8)).toBe(a.raw);
    });
  });

  it('SMART READ THRESHOLDS: the profile’s thresholds, checksum correct', async () => {
    const o = await send(SMART_THRESHOLDS, 512);
    expect(o.status).toBe(0);
    expect(pageSum(o.dataIn)).toBe(0);
    ata.attributes.forEach((a, i) => {
      expect(o.dataIn[2 + 12 * i]).toBe(a.id);
      expect(o.dataIn[3 + 12 * i]).toBe(a.threshold);
    });
  });

  it('SMART RETURN STATUS with CK_COND: RECOVERED ERROR 00/1D, LBA mid/high 4Fh/C2h (healthy) in fixed sense', async () => {
    const o = await send(SMART_STATUS);
    expect(o.status).toBe(2);
    expect(senseCodes(o)).toBe('1/00/1d');
    const s = senseOf(o);
    // SAT-4 fixed format: ERROR 3, STATUS 4, DEVICE 5, COUNT 6, LBA low/mid/high 9/10/11.
    expect(s[0]).toBe(0xf0);
    expect([s[3], s[4], s[10], s[11]]).toEqual([0x00, 0x50, 0x4f, 0xc2]);
  });

  it('SMART READ LOG and READ LOG EXT of the log directory: version 1', async () => {
    for (const cdb of [SMART_LOG_DIR, READ_LOG_EXT_DIR]) {
      const o = await send(cdb, 512);
      expect(o.status).toBe(0);
      expect(Array.from(o.dataIn.subarray(0, 2))).toEqual([0x01, 0x00]);
    }
  });

  it('CHECK POWER MODE with CK_COND: COUNT FFh (active or idle)', async () => {
    const o = await send(CHECK_POWER);
    expect(senseCodes(o)).toBe('1/00/1d');
    expect(senseOf(o)[6]).toBe(0xff);
  });

  it('an ATA command the drive lacks: ABORTED COMMAND, ERROR ABRT, STATUS ERR', async () => {
    const o = await send(SET_FEATURES);
    expect(o.status).toBe(2);
    expect(senseCodes(o)).toBe('b/00/00');
    expect(Array.from(senseOf(o).subarray(3, 5))).toEqual([0x04, 0x51]);
  });

  it('a data-out command the drive lacks (WRITE SECTOR(S)): the data is taken, the command aborted, the medium unchanged', async () => {
    const o = await send(
      '85 0a 06 00 00 00 01 00 00 00 00 00 00 40 30 00',
      0,
      new Uint8Array(512).fill(0xee),
    );
    expect(senseCodes(o)).toBe('b/00/00');
    const back = await send('28 00 00 00 00 00 00 00 01 00', sat.blockSize);
    expect(back.dataIn.every((b) => b === 0)).toBe(true);
  });

  it('a log the drive does not keep is aborted', async () => {
    const o = await send('85 08 0e 00 d5 00 01 00 01 00 4f 00 c2 00 b0 00', 512);
    expect(senseCodes(o)).toBe('b/00/00');
  });

  it('READ DMA EXT and READ SECTOR(S) read what WRITE(10) wrote', async () => {
    const block = new Uint8Array(2 * sat.blockSize).map((_, i) => (i * 7) & 0xff);
    expect((await send('2a 00 00 00 00 10 00 00 02 00', 0, block)).status).toBe(0);
    // DMA, EXTEND; T_TYPE=1: COUNT is in logical sectors (4096 bytes); LBA 16, COUNT 2.
    const dma = await send('85 0d 1e 00 00 00 02 00 10 00 00 00 00 40 25 00', 8192);
    expect(dma.status).toBe(0);
    expect(Array.from(dma.dataIn)).toEqual(Array.from(block));
    // READ SECTOR(S), 28-bit PIO in: LBA 17, one sector.
    const pio = await send('85 08 1e 00 00 00 01 00 11 00 00 00 00 40 20 00', 4096);
    expect(pio.status).toBe(0);
    expect(Array.from(pio.dataIn)).toEqual(Array.from(block.subarray(4096)));
  });

  it('a 48-bit read of 256 sectors (EXTEND=1, COUNT 0100h): all 256 come back', async () => {
    // READ DMA EXT: DMA, EXTEND; T_DIR=1, BYT_BLOK=1, T_TYPE=1, T_LENGTH=COUNT; COUNT 01h 00h; LBA 0.
    const o = await send('85 0d 1e 00 00 01 00 00 00 00 00 00 00 40 25 00', 256 * sat.blockSize);
    expect(o.status).toBe(0);
    expect(o.dataIn).toHaveLength(256 * sat.blockSize);
  });

  it('the Bulk-Only device sizes a 48-bit data-out by COUNT 15:8 and 7:0 when EXTEND=1, by 7:0 alone when EXTEND=0', () => {
    const lu = new DiskLu(sat, new MemoryStore(sat.blockSize, sat.blocks));
    // WRITE DMA EXT: DMA; T_DIR=0, BYT_BLOK=1, T_TYPE=1, T_LENGTH=COUNT; COUNT 01h 00h.
    expect(lu.plan(hex('85 0d 16 00 00 01 00 00 00 00 00 00 00 40 35 00'))).toEqual({
      direction: 'out',
      bytes: 256 * sat.blockSize,
    });
    // The same with EXTEND=0: COUNT (7:0) is 0, no data phase.
    expect(lu.plan(hex('85 0c 16 00 00 01 00 00 00 00 00 00 00 40 35 00'))).toEqual({
      direction: 'none',
      bytes: 0,
    });
  });

  it('a 48-bit data-out of 256 sectors the drive lacks: the data is taken, the command aborted', async () => {
    const o = await send(
      '85 0d 16 00 00 01 00 00 00 00 00 00 00 40 35 00',
      0,
      new Uint8Array(256 * sat.blockSize).fill(0xee),
    );
    expect(o.transportError).toBeUndefined();
    expect(senseCodes(o)).toBe('b/00/00');
  });

  it('a read past the last sector: ABORTED COMMAND with ID NOT FOUND', async () => {
    const o = await send('85 08 1e 00 00 00 01 00 00 00 00 00 10 40 20 00', 4096); // LBA 100000h > capacity
    expect(senseCodes(o)).toBe('b/00/00');
    expect(senseOf(o)[3]).toBe(0x10);
  });

  it('IDENTIFY with CK_COND: the 512 bytes, then the registers (RECOVERED ERROR 00/1D)', async () => {
    const o = await send('85 08 2e 00 00 00 01 00 00 00 00 00 00 00 ec 00', 512);
    expect(o.status).toBe(2);
    expect(senseCodes(o)).toBe('1/00/1d');
    expect(readAtaString(o.dataIn, 10, 10)).toBe(ata.serial);
  });
});

describe('the CDB is checked against the ATA command (05/24/00 with a field pointer)', () => {
  const pointer = (o: Awaited<ReturnType<typeof send>>) => {
    const s = decodeSense(senseOf(o));
    if (!s.ok) throw new Error(s.error.message);
    return s.value.senseKeySpecific;
  };

  it('T_DIR=0 (to the device) on IDENTIFY: points at byte 2 bit 3', async () => {
    // The host sends the 512 bytes T_DIR announces; IDENTIFY reads, so the bridge refuses the CDB.
    const o = await send('85 08 06 00 00 00 01 00 00 00 00 00 00 00 ec 00', 0, new Uint8Array(512));
    expect(senseCodes(o)).toBe('5/24/00');
    expect(pointer(o)).toMatchObject({ fieldPointer: 2, bitPointerValid: true, bitPointer: 3 });
  });

  it('T_LENGTH=0 (no data) on IDENTIFY: points at T_LENGTH, byte 2 bit 1', async () => {
    const o = await send('85 08 0c 00 00 00 01 00 00 00 00 00 00 00 ec 00', 512);
    expect(senseCodes(o)).toBe('5/24/00');
    expect(pointer(o)).toMatchObject({ fieldPointer: 2, bitPointer: 1 });
  });

  it('T_LENGTH=3 (the TPSIU, which Bulk-Only has none of): refused at T_LENGTH, as lint warns; its fix runs', async () => {
    const cdb = '85 08 0f 00 00 00 01 00 00 00 00 00 00 00 ec 00';
    const o = await send(cdb, 512);
    expect(senseCodes(o)).toBe('5/24/00');
    expect(pointer(o)).toMatchObject({ fieldPointer: 2, bitPointer: 1 });
    const lint = lintCdb({ cdb: hex(cdb), dataIn: 512 });
    expect(lint.findings.find((f) => f.id === 'ata-pass-through')?.severity).toBe('warning');
    const fixed = lint.corrected?.cdb ?? expect.fail('lint offers no fix');
    expect((await send(formatHex(fixed), 512)).status).toBe(0);
  });

  it('T_TYPE=1 announces 4096 bytes for IDENTIFY’s 512: T_LENGTH is refused', async () => {
    const o = await send('85 08 1e 00 00 00 01 00 00 00 00 00 00 00 ec 00', 4096);
    expect(senseCodes(o)).toBe('5/24/00');
    expect(pointer(o)).toMatchObject({ fieldPointer: 2, bitPointer: 1 });
  });

  it('a non-data protocol for IDENTIFY: points at PROTOCOL, byte 1 bit 4', async () => {
    const o = await send('85 06 0e 00 00 00 01 00 00 00 00 00 00 00 ec 00', 512);
    expect(senseCodes(o)).toBe('5/24/00');
    expect(pointer(o)).toMatchObject({ fieldPointer: 1, bitPointer: 4 });
  });
});

describe('drives without an ATA device, and descriptor-format sense', () => {
  it('a flash stick refuses ATA PASS-THROUGH: 05/20/00', async () => {
    const r = await openDevice('emu:flash-stick');
    if (!r.ok) throw new Error(r.error.message);
    t = r.value;
    await send('00 00 00 00 00 00');
    expect(senseCodes(await send(SMART_STATUS))).toBe('5/20/00');
  });

  it('REQUEST SENSE with DESC=1 returns the ATA Status Return descriptor (SAT-4), decoded by decodeSense', async () => {
    const lu = new DiskLu(sat, new MemoryStore(sat.blockSize, sat.blocks));
    await lu.execute(hex('00 00 00 00 00 00'));
    expect((await lu.execute(hex(SMART_STATUS))).status).toBe('check-condition');
    const r = await lu.execute(hex('03 01 00 00 fc 00'));
    expect(Array.from(r.dataIn.subarray(0, 8))).toEqual([0x72, 0x01, 0x00, 0x1d, 0, 0, 0, 14]);
    expect(Array.from(r.dataIn.subarray(8, 10))).toEqual([0x09, 0x0c]);
    // sg3_utils reads the same registers from it (an independent decoder).
    const sg = spawnSync('sg_decode_sense', formatHex(r.dataIn).split(' '), { encoding: 'utf8' });
    expect(sg.stdout).toMatch(/Recovered Error/);
    expect(sg.stdout).toMatch(
      /ATA Status Return: extend=0 error=0x0\s+count=0x0 lba=0xc24f00 device=0x0 status=0x50/,
    );
    const s = decodeSense(r.dataIn);
    expect(s.ok && s.value.ata).toEqual({
      extend: false,
      error: 0,
      count: 0,
      lba: 0xc24f00n,
      device: 0,
      status: 0x50,
    });
  });
});
