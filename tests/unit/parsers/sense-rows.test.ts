/** REQUEST SENSE's answer as rows with their bytes (SPC-5 fixed and descriptor format sense data). */
import { describe, expect, it } from 'vitest';
import { parseHex } from '../../../shared/scsi/hex';
import { decodeResponse } from '../../../shared/scsi/parsers/for-command';
import { describeSenseData } from '../../../shared/scsi/parsers/sense-rows';
import { decodeSense } from '../../../shared/scsi/sense';

const bytes = (t: string): Uint8Array => {
  const r = parseHex(t);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const rows = (t: string) => {
  const s = decodeSense(bytes(t));
  if (!s.ok) throw new Error(s.error.message);
  return describeSenseData(s.value).map((r) => [r.label, r.value, r.bytes]);
};

describe('describeSenseData', () => {
  it('lays out fixed-format sense with a field pointer, each row on its bytes', () => {
    expect(rows('70 00 05 00 00 00 00 0a 00 00 00 00 24 00 00 c8 00 03')).toEqual([
      ['Response code', '70h fixed, current', [0, 0]],
      ['Sense key', '5h ILLEGAL REQUEST', [2, 2]],
      ['Additional sense length', '10', [7, 7]],
      ['Command-specific information', '0x0', [8, 11]],
      ['ASC', '24h', [12, 12]],
      ['Meaning', 'INVALID FIELD IN CDB', [12, 13]],
      ['ASCQ', '00h', [13, 13]],
      ['Sense key specific', 'CDB byte 3 bit 0', [15, 17]],
    ]);
  });

  it('lays out descriptor-format sense and its descriptors', () => {
    // NOT READY 04h/04h FORMAT IN PROGRESS, with a progress indication of 8000h (50 %).
    expect(rows('72 02 04 04 00 00 00 08 02 06 00 00 80 80 00 00')).toEqual([
      ['Response code', '72h descriptor, current', [0, 0]],
      ['Sense key', '2h NOT READY', [1, 1]],
      ['ASC', '04h', [2, 2]],
      ['Meaning', 'LOGICAL UNIT NOT READY, FORMAT IN PROGRESS', [2, 3]],
      ['ASCQ', '04h', [3, 3]],
      ['Additional sense length', '8', [7, 7]],
      ['Sense key specific descriptor', '8 bytes', [8, 15]],
      ['Sense key specific', 'progress 50.0 %', [12, 14]],
    ]);
  });

  it('shows what descriptor-format sense carries on the bytes of its descriptors', () => {
    // MEDIUM ERROR 11h/00h: Information 1234h (VALID), FRU 42h, Block commands with ILI.
    expect(
      rows('72 03 11 00 00 00 00 14 00 0a 80 00 00 00 00 00 00 00 12 34 03 02 00 42 05 02 00 20'),
    ).toEqual([
      ['Response code', '72h descriptor, current', [0, 0]],
      ['Sense key', '3h MEDIUM ERROR', [1, 1]],
      ['ASC', '11h', [2, 2]],
      ['Meaning', 'UNRECOVERED READ ERROR', [2, 3]],
      ['ASCQ', '00h', [3, 3]],
      ['Additional sense length', '20', [7, 7]],
      ['Information descriptor', '12 bytes', [8, 19]],
      ['Information', '4660', [12, 19]],
      ['Field replaceable unit descriptor', '4 bytes', [20, 23]],
      ['Field replaceable unit', '42h', [23, 23]],
      ['Block commands descriptor', '4 bytes', [24, 27]],
      ['FILEMARK / EOM / ILI', 'ILI', [27, 27]],
    ]);
    // The ATA Status Return descriptor (SAT-4): its registers, on bytes 2–13 of it.
    const ata = rows('72 01 00 1d 00 00 00 0e 09 0c 00 00 00 01 00 00 00 4f 00 c2 40 50').find(
      ([label]) => label === 'ATA registers',
    );
    expect(ata?.[1]).toMatch(
      /^STATUS 50h \(DRDY\), ERROR 00h, COUNT 01h, LBA low\/mid\/high 00h\/4Fh\/C2h/,
    );
    expect(ata?.[2]).toEqual([10, 21]);
  });

  it('rounds progress down, as the explanation does: FFFFh is not yet 100 %', () => {
    // NOT READY 04h/04h FORMAT IN PROGRESS, PROGRESS INDICATION FFFFh = 65535/65536.
    const progress = rows('70 00 02 00 00 00 00 0a 00 00 00 00 04 04 00 80 ff ff').find(
      ([name]) => name === 'Sense key specific',
    );
    expect(progress?.[1]).toBe('progress 99.9 %');
  });

  it('is what the results view shows for a REQUEST SENSE answer', () => {
    const d = decodeResponse(
      bytes('03 00 00 00 12 00'),
      bytes('70 00 06 00 00 00 00 0a 00 00 00 00 29 00 00 00 00 00'),
    );
    expect(d?.title).toBe('REQUEST SENSE');
    expect(d?.rows.ok && d.rows.value.find((r) => r.label === 'Meaning')?.value).toBe(
      'POWER ON, RESET, OR BUS DEVICE RESET OCCURRED',
    );
  });
});
