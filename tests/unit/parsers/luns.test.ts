import { describe, expect, it } from 'vitest';
import { readBounded } from '../../../shared/scsi/bytes';
import { ok } from '../../../shared/scsi/result';
import {
  describeReportLuns,
  lunLevels,
  lunText,
  parseReportLuns,
  simpleLun,
} from '../../../shared/scsi/parsers';
import { failure, hex, value } from './helpers';

describe('parseReportLuns (SPC-5, REPORT LUNS parameter data; SAM-5 LUN addressing)', () => {
  it('lists LUNs with their addressing method and number', () => {
    const l = value(
      parseReportLuns(
        hex(
          '00 00 00 20 00 00 00 00' + //  LUN LIST LENGTH 32 (four LUNs); reserved
            ' 00 00 00 00 00 00 00 00' + // LUN 0, peripheral device addressing (00b), bus 0
            ' 00 01 00 00 00 00 00 00' + // LUN 1, peripheral device addressing
            ' 40 05 00 00 00 00 00 00' + // LUN 5, flat space addressing (01b)
            ' 80 23 00 00 00 00 00 00', //  logical unit addressing (10b): bus 1, LUN 3
        ),
      ),
    );
    expect(l).toMatchObject({ listLength: 32, truncated: false, claimedLength: 40, length: 40 });
    expect(l.luns.map((x) => [x.offset, x.method, x.lun])).toEqual([
      [8, 'peripheral device', 0],
      [16, 'peripheral device', 1],
      [24, 'flat space', 5],
      [32, 'logical unit', 3],
    ]);
  });

  it('gives flat space LUNs all 14 bits and leaves unknown numbering undefined', () => {
    const l = value(
      parseReportLuns(
        hex(
          '00 00 00 18 00 00 00 00' +
            ' 7f ff 00 00 00 00 00 00' + // flat space, LUN 3FFFh
            ' 01 02 00 00 00 00 00 00' + // peripheral device on bus 1: no simple LUN
            ' c1 00 00 00 00 00 00 00', //  extended logical unit addressing
        ),
      ),
    );
    expect(l.luns.map((x) => [x.method, x.lun])).toEqual([
      ['flat space', 0x3fff],
      ['peripheral device', undefined],
      ['extended logical unit', undefined],
    ]);
  });

  it('reports a list longer than the buffer and keeps the whole entries present', () => {
    expect(
      value(parseReportLuns(hex('00 00 00 40 00 00 00 00 00 00 00 00 00 00 00 00 00 01 00'))),
    ).toMatchObject({
      truncated: true,
      claimedLength: 72,
      length: 19,
      luns: [{ lun: 0 }],
    });
  });

  it('an empty list is fine; a header shorter than LUN LIST LENGTH is an error', () => {
    expect(value(parseReportLuns(hex('00 00 00 00 00 00 00 00'))).luns).toEqual([]);
    expect(failure(parseReportLuns(hex('00 00 00')))).toMatchObject({
      code: 'out-of-bounds',
      message: 'REPORT LUNS data is 3 bytes long, so LUN LIST LENGTH at bytes 0–3 is missing',
    });
  });
});

describe('LUN levels (SAM-5, logical unit number structures)', () => {
  const levelsOf = (lun: string) => {
    const data = hex(`00 00 00 08 00 00 00 00 ${lun}`);
    const entry = value(readBounded(data, 'LUN', (r) => ok(lunLevels(r, 8))));
    return entry;
  };

  it('follows a bus to the next level, and stops at a level that names the logical unit', () => {
    expect(levelsOf('01 07 02 09 00 04 00 00')).toEqual({
      levels: [
        { method: 'peripheral device', bus: 1, targetOrLun: 7 },
        { method: 'peripheral device', bus: 2, targetOrLun: 9 },
        { method: 'peripheral device', bus: 0, targetOrLun: 4 },
      ],
      used: 6,
    });
    // Logical unit addressing is a last level: what follows is not read as a level.
    expect(levelsOf('81 23 00 05 00 00 00 00')).toEqual({
      levels: [{ method: 'logical unit', target: 1, bus: 1, lun: 3 }],
      used: 2,
    });
  });

  it('reads extended logical unit addressing by its LENGTH and EXTENDED ADDRESS METHOD', () => {
    expect(levelsOf('c1 04 00 00 00 00 00 00').levels).toEqual([{ method: 'well known', wlun: 4 }]);
    expect(levelsOf('d2 12 34 56 00 00 00 00')).toEqual({
      levels: [{ method: 'extended flat space', lun: 0x123456 }],
      used: 4,
    });
    expect(levelsOf('e2 12 34 56 78 ab 00 00').levels).toEqual([
      { method: 'long extended flat space', lun: 0x12345678ab },
    ]);
    expect(levelsOf('ff ff ff ff ff ff ff ff')).toEqual({
      levels: [{ method: 'not specified' }],
      used: 8,
    });
    expect(levelsOf('f3 00 00 00 00 00 01 02').levels).toEqual([
      { method: 'extended (reserved)', lengthCode: 3, extendedMethod: 3, value: 0x0102n },
    ]);
  });

  it('reads an extended level that would run past the 8 bytes only as far as they go', () => {
    expect(levelsOf('01 07 01 07 01 07 f5 09')).toEqual({
      levels: [
        { method: 'peripheral device', bus: 1, targetOrLun: 7 },
        { method: 'peripheral device', bus: 1, targetOrLun: 7 },
        { method: 'peripheral device', bus: 1, targetOrLun: 7 },
        { method: 'extended (reserved)', lengthCode: 3, extendedMethod: 5, value: 9n },
      ],
      used: 8,
    });
  });

  it('gives a simple LUN only for one level that numbers the logical unit', () => {
    const simple = (lun: string) => simpleLun(levelsOf(lun).levels);
    expect(simple('00 05 00 00 00 00 00 00')).toBe(5);
    expect(simple('7f ff 00 00 00 00 00 00')).toBe(0x3fff);
    expect(simple('d2 00 01 00 00 00 00 00')).toBe(256);
    expect(simple('01 02 00 00 00 00 00 00')).toBeUndefined(); // a target on bus 1, then LUN 0
    expect(simple('c1 01 00 00 00 00 00 00')).toBeUndefined(); // REPORT LUNS well known LU
    expect(simple('ff ff ff ff ff ff ff ff')).toBeUndefined();
    expect(simpleLun([])).toBeUndefined();
  });

  it('words every level, naming well known logical units', () => {
    expect(lunText(levelsOf('01 02 00 03 00 00 00 00').levels)).toBe(
      'peripheral device addressing: bus 1, target 2; next level: peripheral device addressing: LUN 3',
    );
    expect(lunText(levelsOf('c1 01 00 00 00 00 00 00').levels)).toBe(
      'well known logical unit 01h (REPORT LUNS)',
    );
    expect(lunText(levelsOf('c1 09 00 00 00 00 00 00').levels)).toBe('well known logical unit 09h');
    expect(lunText(levelsOf('e2 00 00 00 01 00 00 00').levels)).toBe(
      'long extended flat space addressing: LUN 256',
    );
  });

  it('REPORT LUNS rows say when bytes after the last level are not zero', () => {
    const rows = describeReportLuns(
      value(parseReportLuns(hex('00 00 00 08 00 00 00 00 81 02 03 04 00 00 00 00'))),
    );
    expect(rows[1]).toMatchObject({
      label: 'LUN 2',
      value:
        '81 02 03 04 00 00 00 00: logical unit addressing: bus 0, target 1, LUN 2; bytes 2–7 of the LUN follow its last level and are not zero (SAM-5: null levels are 0000h)',
    });
  });
});
