/**
 * The emulated ATA SSD (ACS-4): IDENTIFY DEVICE words and integrity word,
 * SMART pages and checksums, the command table's outputs, the profile's
 * `ata` section, and the sense encoders' ATA registers (SAT-4).
 */
import { describe, expect, it } from 'vitest';
import { decodeSense, encodeDescriptorSense, encodeFixedSense } from '../../../shared/scsi/sense';
import { AtaDevice } from '../../../src-main/emulator/ata/device';
import { identifyDevice, readAtaString } from '../../../src-main/emulator/ata/identify';
import { ataInputs } from './ata-inputs';
import { pageSum } from '../../../src-main/emulator/ata/checksum';
import {
  logDirectory,
  smartData,
  smartThresholds,
  thresholdExceeded,
} from '../../../src-main/emulator/ata/smart';
import { AtaSchema, type AtaProfile } from '../../../src-main/emulator/profile';
import { MemoryStore } from '../../../src-main/emulator/store';

const ata: AtaProfile = AtaSchema.parse({
  model: 'Test SSD Model',
  serial: 'SER123',
  firmware: 'FW1',
});
const word = (d: Uint8Array, w: number): number => (d[2 * w] ?? 0) | ((d[2 * w + 1] ?? 0) << 8);

describe('IDENTIFY DEVICE (ACS-4)', () => {
  const d = identifyDevice(ata, { sectors: 0x12345678, sectorSize: 512 });

  it('ATA strings swap the two characters of each word and pad with spaces', () => {
    // "ABC" → word 27 = 'A''B' stored low byte first: 42h 41h; word 28 = 'C' ' ': 20h 43h.
    const abc = identifyDevice({ ...ata, model: 'ABC' }, { sectors: 8, sectorSize: 512 });
    expect(Array.from(abc.subarray(54, 60))).toEqual([0x42, 0x41, 0x20, 0x43, 0x20, 0x20]);
  });

  it('model (words 27–46), serial (10–19) and firmware (23–26) come from the profile', () => {
    expect(readAtaString(d, 27, 20)).toBe('Test SSD Model');
    expect(readAtaString(d, 10, 10)).toBe('SER123');
    expect(readAtaString(d, 23, 4)).toBe('FW1');
  });

  it('the integrity word: A5h, and the 512 bytes sum to 0 mod 256', () => {
    expect(d[510]).toBe(0xa5);
    expect(pageSum(d)).toBe(0);
  });

  it('28-bit capacity saturates at 0FFFFFFFh; the 48-bit count (words 100–103) is exact', () => {
    expect(word(d, 60) | (word(d, 61) << 16)).toBe(0x0fffffff);
    expect(word(d, 100) | (word(d, 101) << 16)).toBe(0x12345678);
    expect([word(d, 102), word(d, 103)]).toEqual([0, 0]);
  });

  it('feature bits: LBA, 48-bit, SMART supported and enabled, TRIM, ACS-4, solid state', () => {
    expect(word(d, 49) & 0x0200).toBe(0x0200); // LBA
    expect(word(d, 83) & 0x0400).toBe(0x0400); // 48-bit supported
    expect(word(d, 86) & 0x0400).toBe(0x0400); // 48-bit enabled
    expect(word(d, 82) & 1).toBe(1); // SMART supported
    expect(word(d, 85) & 1).toBe(1); // SMART enabled
    expect(word(d, 169) & 1).toBe(1); // TRIM
    expect(word(d, 80) & 0x0800).toBe(0x0800); // ACS-4
    expect(word(d, 217)).toBe(1); // non-rotating
  });

  it('512-byte sectors: word 106 bit 12 clear; 4096-byte sectors: set, words 117–118 = 2048 words', () => {
    expect(word(d, 106)).toBe(0x4000);
    const big = identifyDevice(ata, { sectors: 1000, sectorSize: 4096 });
    expect(word(big, 106)).toBe(0x5000);
    expect(word(big, 117) | (word(big, 118) << 16)).toBe(2048);
    expect(pageSum(big)).toBe(0);
  });
});

describe('SMART pages', () => {
  const attributes = ata.attributes;

  it('SMART READ DATA: 12-byte entries from byte 2 (id, flags LE, current, worst, raw LE48), checksum at 511', () => {
    const d = smartData([
      { id: 9, flags: 0x0032, current: 99, worst: 98, threshold: 0, raw: 0x010203040506 },
    ]);
    // prettier-ignore
    expect(Array.from(d.subarray(0, 14))).toEqual([
      0x10, 0x00, // data structure revision 0010h
      0x09, // attribute id
      0x32, 0x00, // flags, little-endian
      99, 98, // current, worst
      0x06, 0x05, 0x04, 0x03, 0x02, 0x01, // raw value, little-endian
      0x00, // reserved
    ]);
    expect(pageSum(d)).toBe(0);
  });

  it('SMART READ THRESHOLDS: id and threshold per entry, checksum at 511', () => {
    const t = smartThresholds(attributes);
    attributes.forEach((a, i) => {
      expect(t[2 + 12 * i]).toBe(a.id);
      expect(t[3 + 12 * i]).toBe(a.threshold);
    });
    expect(pageSum(t)).toBe(0);
  });

  it('health: failing only when a pre-failure attribute is at or below its nonzero threshold', () => {
    expect(thresholdExceeded(attributes)).toBe(false);
    const worn = attributes.map((a) => (a.id === 0x05 ? { ...a, current: a.threshold } : a));
    expect(thresholdExceeded(worn)).toBe(true);
    // An old-age attribute at its threshold does not fail the drive.
    expect(
      thresholdExceeded([{ id: 0xc2, flags: 0x0022, current: 5, worst: 5, threshold: 5, raw: 0 }]),
    ).toBe(false);
  });

  it('the log directory reports version 1 and no other log', () => {
    const d = logDirectory();
    expect(word(d, 0)).toBe(1);
    expect(d.subarray(2).every((b) => b === 0)).toBe(true);
  });
});

describe('the ATA device', () => {
  const device = new AtaDevice(ata, new MemoryStore(512, 1024));
  const inputs = ataInputs;

  it('SMART RETURN STATUS: LBA mid/high 4Fh/C2h while healthy, F4h/2Ch once a threshold is exceeded', async () => {
    const status = inputs({ command: 0xb0, features: 0xda, lba: 0xc24f00n });
    const ok = await device.execute(status);
    expect(ok.ok && ok.outputs.lba).toBe(0xc24f00n);
    const worn = new AtaDevice(
      { ...ata, attributes: ata.attributes.map((a) => ({ ...a, current: 1 })) },
      new MemoryStore(512, 8),
    );
    const bad = await worn.execute(status);
    expect(bad.ok && bad.outputs.lba).toBe(0x2cf400n);
  });

  it('SMART without the C24Fh signature is aborted', async () => {
    const r = await device.execute(inputs({ command: 0xb0, features: 0xd0 }));
    expect(r.ok).toBe(false);
    expect(r.outputs).toMatchObject({ error: 0x04, status: 0x51 });
  });

  it('CHECK POWER MODE: COUNT FFh', async () => {
    const r = await device.execute(inputs({ command: 0xe5 }));
    expect(r.ok && r.outputs.count).toBe(0xff);
  });

  it('READ SECTOR(S): COUNT 0 means 256 sectors, LBA 27:24 comes from DEVICE', async () => {
    const r = await device.execute(inputs({ command: 0x20, count: 0, lba: 0n, device: 0x40 }));
    expect(r.ok && r.data.length).toBe(256 * 512);
    const far = await device.execute(inputs({ command: 0x20, count: 1, lba: 0n, device: 0x41 }));
    expect(far).toMatchObject({ ok: false, outputs: { error: 0x10, lba: 0x1000000n } });
  });

  it('an unknown command is aborted with ERROR ABRT and STATUS ERR', async () => {
    const r = await device.execute(inputs({ command: 0xef }));
    expect(r).toMatchObject({ ok: false, outputs: { error: 0x04, status: 0x51 } });
  });
});

describe('the profile’s ata section', () => {
  it('has defaults for everything', () => {
    const d = AtaSchema.parse({});
    expect(d.model.length).toBeGreaterThan(0);
    expect(d.attributes.map((a) => a.id)).toEqual([0x05, 0x09, 0x0c, 0xc2, 0xe7]);
  });

  it('refuses duplicate attribute ids and over-long strings', () => {
    const attr = { id: 5, current: 100, worst: 100, raw: 0 };
    expect(AtaSchema.safeParse({ attributes: [attr, attr] }).success).toBe(false);
    expect(AtaSchema.safeParse({ firmware: '123456789' }).success).toBe(false);
  });
});

describe('ATA registers in sense data (SAT-4)', () => {
  const regs = {
    extend: true,
    error: 0x04,
    count: 0x01ff,
    lba: 0x0605_0403_0201n,
    device: 0x40,
    status: 0x51,
  };

  it('descriptor format: the ATA Status Return descriptor, 15:8 before 7:0, round-trips through decodeSense', () => {
    const s = encodeDescriptorSense({ key: 0x0b, asc: 0, ascq: 0, ata: regs });
    // prettier-ignore
    expect(Array.from(s)).toEqual([
      0x72, 0x0b, 0x00, 0x00, 0, 0, 0, 14, // descriptor format, ABORTED COMMAND, additional length
      0x09, 0x0c, // ATA Status Return descriptor, additional length 0Ch
      0x01, // EXTEND
      0x04, // ERROR
      0x01, 0xff, // COUNT 15:8, 7:0
      0x04, 0x01, 0x05, 0x02, 0x06, 0x03, // LBA 31:24, 7:0, 39:32, 15:8, 47:40, 23:16
      0x40, // DEVICE
      0x51, // STATUS
    ]);
    const d = decodeSense(s);
    expect(d.ok && d.value.ata).toEqual(regs);
  });

  it('fixed format: ERROR, STATUS, DEVICE, COUNT 7:0 in INFORMATION; upper-bytes flags in byte 8; LBA 23:0', () => {
    const s = encodeFixedSense({ key: 0x01, asc: 0, ascq: 0x1d, ata: regs });
    // prettier-ignore
    expect(Array.from(s.subarray(0, 14))).toEqual([
      0xf0, // VALID, fixed format
      0, 0x01, // RECOVERED ERROR
      0x04, 0x51, 0x40, 0xff, // INFORMATION: ERROR, STATUS, DEVICE, COUNT 7:0
      10, // additional sense length
      0xe0, // EXTEND, COUNT 15:8 nonzero, LBA 47:24 nonzero
      0x01, 0x02, 0x03, // LBA 7:0, 15:8, 23:16
      0x00, 0x1d, // ATA PASS THROUGH INFORMATION AVAILABLE
    ]);
  });
});
