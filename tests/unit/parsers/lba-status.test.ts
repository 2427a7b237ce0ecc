import { describe, expect, it } from 'vitest';
import { describeLbaStatus, parseLbaStatus } from '../../../shared/scsi/parsers';
import { decodeResponse } from '../../../shared/scsi/parsers/for-command';
import { failure, hex, value } from './helpers';

const ANSWER =
  '00 00 00 24 00 00 00 05' + //                              PARAMETER DATA LENGTH 36; scan length met, RTP
  ' 00 00 00 00 00 00 00 00 00 00 00 10 00 00 00 00' + //     LBA 0, 16 blocks, mapped or unknown
  ' 00 00 00 01 00 00 00 10 00 00 10 00 01 01 00 00'; //      LBA 1_0000_0010h, 4096 blocks, deallocated, 01h

describe('parseLbaStatus (SBC-5, GET LBA STATUS parameter data)', () => {
  it('reads the header and each descriptor', () => {
    const s = value(parseLbaStatus(hex(ANSWER)));
    expect(s).toMatchObject({
      parameterDataLength: 36,
      completion: 2,
      rtp: true,
      truncated: false,
    });
    expect(s.descriptors).toEqual([
      { offset: 8, lba: 0n, blocks: 16, provisioning: 0, additional: 0 },
      { offset: 24, lba: 0x100000010n, blocks: 4096, provisioning: 1, additional: 1 },
    ]);
  });

  it('lists only whole descriptors, reports truncation, and names a header that is not there', () => {
    const s = value(parseLbaStatus(hex(ANSWER).subarray(0, 30)));
    expect(s).toMatchObject({ truncated: true, claimedLength: 40, length: 30 });
    expect(s.descriptors).toHaveLength(1);
    expect(failure(parseLbaStatus(hex('00 00 00 24 00')))).toMatchObject({
      code: 'out-of-bounds',
      message: 'GET LBA STATUS data is 5 bytes long, so COMPLETION CONDITION at byte 7 is missing',
    });
  });

  it('describes each run in words, reserved values by number', () => {
    const rows = describeLbaStatus(value(parseLbaStatus(hex(ANSWER))));
    expect(rows.map((r) => [r.label, r.value, r.bytes])).toEqual([
      ['Parameter data length', '36 (2 descriptors)', [0, 3]],
      ['Completion condition', 'the scan length was met', [7, 7]],
      ['REPORT TYPE honoured (RTP)', 'yes', [7, 7]],
      ['LBA 0', '16 blocks mapped or unknown', [8, 23]],
      ['LBA 4294967312', '4096 blocks deallocated, may return unrecovered errors', [24, 39]],
    ]);
    const odd = hex(ANSWER);
    odd[7] = 0x0a; // COMPLETION CONDITION 5 (reserved), RTP 0
    odd[20] = 0x09; // PROVISIONING STATUS 9h (reserved)
    odd[21] = 0x07;
    expect(describeLbaStatus(value(parseLbaStatus(odd))).map((r) => r.value)).toEqual([
      '36 (2 descriptors)',
      '5 (reserved)',
      'no',
      '16 blocks provisioning status 9h (reserved), ADDITIONAL STATUS 07h',
      '4096 blocks deallocated, may return unrecovered errors',
    ]);
  });

  it('is how the answer to GET LBA STATUS(16) reads', () => {
    const decoded = decodeResponse(
      hex('9e 12 00 00 00 00 00 00 00 00 00 00 00 28 00 00'),
      hex(ANSWER),
    );
    expect(decoded?.title).toBe('GET LBA STATUS(16)');
    expect(decoded?.rows.ok && decoded.rows.value.at(-1)?.label).toBe('LBA 4294967312');
  });
});
