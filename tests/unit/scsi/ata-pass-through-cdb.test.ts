import { describe, expect, it } from 'vitest';
import { ATA_COMMAND_NAMES } from '../../../shared/scsi/ata-commands';
import { passThroughCdb } from '../../../shared/scsi/ata-pass-through-cdb';
import { formatHex } from '../../../shared/scsi/hex';
import { lintCdb } from '../../../shared/lint/lint';

/** The SMART signature in LBA mid/high (ACS-4, SMART feature set). */
const SMART = { lba1: 0x4f, lba2: 0xc2 };

function hexOf(...args: Parameters<typeof passThroughCdb>): string {
  const r = passThroughCdb(...args);
  if (!r.ok) throw new Error(r.error.message);
  return formatHex(r.value.cdb);
}

describe('passThroughCdb', () => {
  it('builds IDENTIFY DEVICE as PIO data-in, one 512-byte block in COUNT (SAT-4)', () => {
    // 85h; PROTOCOL 4 (byte 1 = 08h); T_DIR 1, BYT_BLOK 1, T_LENGTH 2 (byte 2 = 0Eh); COUNT 1; COMMAND ECh.
    expect(hexOf('ata16', 'IDENTIFY DEVICE')).toBe(
      '85 08 0e 00 00 00 01 00 00 00 00 00 00 00 ec 00',
    );
    // A1h: FEATURES 3, COUNT 4, LBA 5–7, DEVICE 8, COMMAND 9.
    expect(hexOf('ata12', 'IDENTIFY DEVICE')).toBe('a1 08 0e 00 01 00 00 00 00 ec 00 00');
  });

  it('builds SMART RETURN STATUS non-data with CK_COND, T_DIR and BYT_BLOK set as smartctl sends them', () => {
    // PROTOCOL 3 (06h); CK_COND 1, T_DIR 1, BYT_BLOK 1, T_LENGTH 0 (2Ch); FEATURES DAh; B0h.
    expect(hexOf('ata16', 'SMART RETURN STATUS', SMART)).toBe(
      '85 06 2c 00 da 00 00 00 00 00 4f 00 c2 00 b0 00',
    );
  });

  it('sets EXTEND for a 48-bit command and refuses it through the 12-byte CDB', () => {
    expect(hexOf('ata16', 'READ LOG EXT', { count: 1 })).toBe(
      '85 09 0e 00 00 00 01 00 00 00 00 00 00 00 2f 00',
    );
    const r = passThroughCdb('ata12', 'READ LOG EXT', { count: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/48-bit command.*ATA PASS-THROUGH\(16\)/);
  });

  it('points a data-out command at the drive (T_DIR 0)', () => {
    // PROTOCOL 6 DMA with EXTEND (0Dh); BYT_BLOK 1, T_LENGTH 2, T_DIR 0 (06h).
    expect(hexOf('ata16', 'WRITE DMA EXT', { count: 8 })).toBe(
      '85 0d 06 00 00 00 08 00 00 00 00 00 00 00 35 00',
    );
  });

  it('lets registers the caller gives win, and names a value that does not fit', () => {
    expect(hexOf('ata16', 'SMART READ THRESHOLDS', { ...SMART, lba0: 1 })).toBe(
      '85 08 0e 00 d1 00 01 00 01 00 4f 00 c2 00 b0 00',
    );
    const r = passThroughCdb('ata16', 'IDENTIFY DEVICE', { command: 0x1ff });
    expect(r.ok).toBe(false);
  });

  it('builds every command of the sub-catalog into a CDB lint finds no error in', () => {
    for (const name of ATA_COMMAND_NAMES) {
      const r = passThroughCdb('ata16', name, { count: 1, ...SMART });
      expect(r.ok, name).toBe(true);
      if (!r.ok) continue;
      const errors = lintCdb({ cdb: r.value.cdb }).findings.filter((f) => f.severity === 'error');
      expect(errors, name).toEqual([]);
    }
  });
});
