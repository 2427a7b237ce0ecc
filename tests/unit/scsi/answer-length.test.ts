/** The length an answer states for itself, by format, and nothing past a short header. */
import { describe, expect, it } from 'vitest';
import { answerLength } from '../../../shared/scsi/answer-length';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

describe('answerLength', () => {
  it.each([
    [
      'standard INQUIRY: ADDITIONAL LENGTH + 5',
      bytes(0x12, 0, 0, 0, 0xff, 0),
      bytes(0, 0x80, 5, 2, 91),
      96,
    ],
    ['a VPD page: PAGE LENGTH + 4', bytes(0x12, 1, 0x80, 0, 0xff, 0), bytes(0, 0x80, 0, 8), 12],
    [
      'REQUEST SENSE: ADDITIONAL SENSE LENGTH + 8',
      bytes(3, 0, 0, 0, 252, 0),
      bytes(0x70, 0, 5, 0, 0, 0, 0, 10),
      18,
    ],
    ['MODE SENSE(6): MODE DATA LENGTH + 1', bytes(0x1a, 0, 0x3f, 0, 0xff, 0), bytes(35), 36],
    [
      'MODE SENSE(10): MODE DATA LENGTH + 2',
      bytes(0x5a, 0, 0x3f, 0, 0, 0, 0, 0, 0xff, 0),
      bytes(0, 38),
      40,
    ],
    ['LOG SENSE: PAGE LENGTH + 4', bytes(0x4d, 0, 0, 0, 0, 0, 0, 1, 0, 0), bytes(0, 0, 0, 6), 10],
    [
      'REPORT LUNS: LUN LIST LENGTH + 8',
      bytes(0xa0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0),
      bytes(0, 0, 0, 16),
      24,
    ],
    ['READ CAPACITY(10): always 8', bytes(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0), bytes(), 8],
    [
      'READ CAPACITY(16): 32',
      bytes(0x9e, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0),
      bytes(),
      32,
    ],
  ])('%s', (_name, cdb, data, expected) => {
    expect(answerLength(cdb, data)?.bytes).toBe(expected);
  });

  it('names the field that states the length', () => {
    expect(answerLength(bytes(0x12, 0, 0, 0, 36, 0), bytes(0, 0, 5, 2, 31))?.field).toBe(
      'INQUIRY ADDITIONAL LENGTH (byte 4)',
    );
  });

  it('says nothing when the header did not arrive or the format is not known', () => {
    expect(answerLength(bytes(0x12, 0, 0, 0, 36, 0), bytes(0, 0, 5))).toBeUndefined();
    expect(
      answerLength(bytes(0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0), new Uint8Array(512)),
    ).toBeUndefined();
  });
});
