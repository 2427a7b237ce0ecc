/**
 * The emulated NVMe SSD on its own (NVMe 1.4): which admin commands it
 * answers, how Get Log Page's NUMD and offset cut a log, and the byte
 * positions of the fields the bridges' layouts read.
 */
import { describe, expect, it } from 'vitest';
import {
  ADMIN_GET_LOG_PAGE,
  ADMIN_IDENTIFY,
  NvmeDevice,
} from '../../../src-main/emulator/nvme/device';
import { NvmeSchema } from '../../../src-main/emulator/profile';

const profile = NvmeSchema.parse({
  model: 'TEST MODEL',
  serial: 'SN123',
  firmware: 'FW9',
  smart: { temperatureKelvin: 300, powerOnHours: 0x0102030405, criticalWarning: 0x04 },
});
const ssd = new NvmeDevice(profile, { blocks: 1000, blockSize: 4096 });
const le = (d: Uint8Array, at: number, n: number): number =>
  Array.from(d.subarray(at, at + n)).reduceRight((v, b) => v * 256 + b, 0);

describe('emulated NVMe SSD', () => {
  it('Identify Controller: space-padded text at 4, 24 and 64; NN 1 at 516', () => {
    const d = ssd.answer({ opcode: ADMIN_IDENTIFY, cdw10: 0x01 });
    expect(d).toHaveLength(4096);
    const text = (at: number, n: number): string =>
      new TextDecoder().decode((d ?? new Uint8Array()).subarray(at, at + n));
    expect(text(4, 20)).toBe('SN123'.padEnd(20));
    expect(text(24, 40)).toBe('TEST MODEL'.padEnd(40));
    expect(text(64, 8)).toBe('FW9'.padEnd(8));
    expect(le(d ?? new Uint8Array(), 516, 4)).toBe(1);
  });

  it('Identify Namespace: NSZE in blocks, LBADS 12 for 4096-byte blocks', () => {
    const d = ssd.answer({ opcode: ADMIN_IDENTIFY, cdw10: 0x00 }) ?? new Uint8Array();
    expect(le(d, 0, 8)).toBe(1000);
    expect(d[128 + 2]).toBe(12);
  });

  it('Get Log Page returns (NUMDL + 1) × 4 bytes from the offset', () => {
    const whole = ssd.answer({ opcode: ADMIN_GET_LOG_PAGE, cdw10: (127 << 16) | 0x02 });
    expect(whole).toHaveLength(512);
    const w = whole ?? new Uint8Array();
    expect(w[0]).toBe(0x04);
    expect(le(w, 1, 2)).toBe(300);
    expect(le(w, 128, 16)).toBe(0x0102030405);
    const part = ssd.answer({
      opcode: ADMIN_GET_LOG_PAGE,
      cdw10: (1 << 16) | 0x02,
      logOffset: 128,
    });
    expect(Array.from(part ?? [])).toEqual(Array.from(w.subarray(128, 136)));
  });

  it('a read past the end of a log is zero filled', () => {
    const d = ssd.answer({ opcode: ADMIN_GET_LOG_PAGE, cdw10: (255 << 16) | 0x02 });
    expect(d).toHaveLength(1024);
    expect((d ?? new Uint8Array()).subarray(512).every((b) => b === 0)).toBe(true);
  });

  it('answers nothing for a CNS, log or opcode it does not implement', () => {
    expect(ssd.answer({ opcode: ADMIN_IDENTIFY, cdw10: 0x02 })).toBeUndefined();
    expect(ssd.answer({ opcode: ADMIN_GET_LOG_PAGE, cdw10: 0x06 })).toBeUndefined();
    expect(ssd.answer({ opcode: 0x0a, cdw10: 0 })).toBeUndefined();
  });
});
