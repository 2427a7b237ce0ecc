/** Advice for particular ASC/ASCQ codes, and the fact that a mandatory command is never an unknown opcode (SPC-5). */
import { describe, expect, it } from 'vitest';
import { adviceFor, mandatoryOpcodeFact } from '../../../shared/scsi/sense/advice';

const INQUIRY = { name: 'INQUIRY', standard: 'SPC-5', support: 'mandatory' as const };
const READ_CAPACITY = {
  name: 'READ CAPACITY(10)',
  standard: 'SBC-4',
  support: 'mandatory' as const,
};
const GET_LBA_STATUS = {
  name: 'GET LBA STATUS(16)',
  standard: 'SBC-4',
  support: 'optional' as const,
};

describe('mandatoryOpcodeFact', () => {
  it('states it for a mandatory command, for its device type where SBC makes it mandatory', () => {
    expect(mandatoryOpcodeFact(INQUIRY)).toBe(
      'INQUIRY is mandatory (SPC-5), so no conforming device answers it with INVALID COMMAND OPERATION CODE',
    );
    expect(mandatoryOpcodeFact(READ_CAPACITY)).toBe(
      'READ CAPACITY(10) is mandatory for a direct-access block device (SBC-4), so no conforming device of that type answers it with INVALID COMMAND OPERATION CODE',
    );
  });

  it('says nothing for an optional command, or when the command is not known', () => {
    expect(mandatoryOpcodeFact(GET_LBA_STATUS)).toBeUndefined();
    expect(mandatoryOpcodeFact(undefined)).toBeUndefined();
  });
});

describe('adviceFor', () => {
  it('turns INVALID COMMAND OPERATION CODE (20h/00h) on a mandatory command into a transport question', () => {
    expect(adviceFor(0x20, 0x00, INQUIRY)).toMatchObject({
      action: 'check-transport',
      advice: expect.stringMatching(
        /^INQUIRY is mandatory \(SPC-5\).*the bytes that reached the device were not this CDB/,
      ) as unknown,
    });
    // On an optional command it is what it says: no such advice.
    expect(adviceFor(0x20, 0x00, GET_LBA_STATUS)?.action).not.toBe('check-transport');
  });

  it('prefers the row for the exact ASCQ, then the ASC’s row for any ASCQ, else nothing', () => {
    expect(adviceFor(0x04, 0x01)?.advice).toMatch(/becoming ready/);
    expect(adviceFor(0x04, 0x03)?.action).toBe('fatal');
    expect(adviceFor(0x3a, 0x02)?.advice).toMatch(/There is no medium/); // 3Ah/02h: tray open
    expect(adviceFor(0x29, 0x07)?.advice).toMatch(/power-on or reset/);
    expect(adviceFor(0x7e, 0x00)).toBeUndefined();
    expect(adviceFor(undefined, undefined)).toBeUndefined();
  });
});
