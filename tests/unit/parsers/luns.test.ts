import { describe, expect, it } from 'vitest';
import { parseReportLuns } from '../../../shared/scsi/parsers';
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
