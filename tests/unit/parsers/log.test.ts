import { describe, expect, it } from 'vitest';
import {
  counterValue,
  describeLogPage,
  genericValueText,
  numberRuns,
  logParameterText,
  parseLogSense,
  selfTestResult,
  unusedSelfTest,
  type LogParameter,
} from '../../../shared/scsi/parsers';
import { decodeResponse } from '../../../shared/scsi/parsers/for-command';
import { logPageCode, logPageName } from '../../../shared/scsi/page-names';
import { failure, hex, value } from './helpers';

/** The parameters of a parsed page (a page that lists pages has none). */
function parametersOf(text: string): readonly LogParameter[] {
  return value(parseLogSense(hex(text))).parameters ?? [];
}

describe('parseLogSense (SPC-5, log page structure and log parameters)', () => {
  it('reads the page header and each parameter with its control bits', () => {
    const page = value(
      parseLogSense(
        hex(
          '0d 00 00 0c' + //            Temperature, PAGE LENGTH 12
            ' 00 00 03 02 00 28' + //     0000h, FORMAT AND LINKING 11b, 2 bytes: 40 °C
            ' 00 01 b1 02 00 41', //      0001h, DU TSD ETC, FORMAT AND LINKING 01b: 65 °C
        ),
      ),
    );
    expect(page).toMatchObject({
      pageCode: 0x0d,
      subpageCode: 0,
      spf: false,
      ds: false,
      pageLength: 12,
      truncated: false,
    });
    expect(page.supported).toBeUndefined();
    expect(page.parameters?.map((p) => [p.offset, p.code, p.length, [...p.value]])).toEqual([
      [4, 0, 2, [0x00, 0x28]],
      [10, 1, 2, [0x00, 0x41]],
    ]);
    expect(page.parameters?.[1]).toMatchObject({
      du: true,
      tsd: true,
      etc: true,
      tmc: 0,
      formatAndLinking: 1,
    });
  });

  it('lists page codes for 00h, and page/subpage pairs for 00h/FFh and any page’s FFh', () => {
    expect(
      value(parseLogSense(hex('00 00 00 03 00 0d 2f'))).supported?.map((s) => [
        s.offset,
        s.pageCode,
        s.subpageCode,
      ]),
    ).toEqual([
      [4, 0x00, 0],
      [5, 0x0d, 0],
      [6, 0x2f, 0],
    ]);
    expect(
      value(parseLogSense(hex('40 ff 00 04 0d 00 0d 01'))).supported?.map((s) => [
        s.pageCode,
        s.subpageCode,
      ]),
    ).toEqual([
      [0x0d, 0],
      [0x0d, 1],
    ]);
    expect(value(parseLogSense(hex('4d ff 00 02 0d 02'))).supported).toEqual([
      { offset: 4, pageCode: 0x0d, subpageCode: 2 },
    ]);
  });

  it('keeps a parameter the data cuts short, marked, and reports the page as truncated', () => {
    const page = value(parseLogSense(hex('03 00 00 10 00 00 02 02 00 05 00 05 02 04 01 00')));
    expect(page).toMatchObject({ truncated: true, claimedLength: 20, length: 16 });
    expect(page.parameters?.map((p) => [p.code, p.truncated, p.value.length])).toEqual([
      [0, false, 2],
      [5, true, 2],
    ]);
  });

  it('reads no further than PAGE LENGTH, and names a header the data does not hold', () => {
    expect(
      value(parseLogSense(hex('06 00 00 06 00 00 02 02 00 2a ff ff'))).parameters,
    ).toHaveLength(1);
    expect(failure(parseLogSense(hex('0d 00 00')))).toMatchObject({
      code: 'out-of-bounds',
      message: 'LOG SENSE data is 3 bytes long, so PAGE LENGTH at bytes 2–3 is missing',
    });
  });
});

describe('log parameter values', () => {
  it('counterValue reads any number of bytes big-endian', () => {
    expect(counterValue(hex('01 00'))).toBe(256n);
    expect(counterValue(hex('ff ff ff ff ff ff ff ff'))).toBe(0xffffffffffffffffn);
    expect(counterValue(new Uint8Array())).toBe(0n);
  });

  it('selfTestResult reads the SPC-5 fields of a 16-byte value, and refuses a shorter one', () => {
    expect(selfTestResult(hex('25 03 01 23 00 00 00 00 00 00 12 34 03 11 00 00'))).toEqual({
      code: 1,
      result: 5,
      number: 3,
      powerOnHours: 0x123,
      firstFailure: 0x1234n,
      senseKey: 3,
      asc: 0x11,
      ascq: 0,
    });
    expect(selfTestResult(hex('25 03 01 23'))).toBeUndefined();
  });

  it('unusedSelfTest: 16 bytes of zeros, no fewer', () => {
    expect(unusedSelfTest(new Uint8Array(16))).toBe(true);
    expect(unusedSelfTest(new Uint8Array(15))).toBe(false);
    expect(unusedSelfTest(Uint8Array.from([...new Array<number>(15).fill(0), 1]))).toBe(false);
  });

  it('genericValueText reads a value by its FORMAT AND LINKING', () => {
    const p = (control: number, v: string): LogParameter =>
      parametersOf(
        `30 00 00 ${(4 + hex(v).length).toString(16).padStart(2, '0')} 00 07 ${control.toString(16).padStart(2, '0')} ${hex(v).length.toString(16).padStart(2, '0')} ${v}`,
      )[0] as LogParameter;
    expect(genericValueText(p(0b00, '00 00 01 00'))).toBe('256');
    expect(genericValueText(p(0b10, '07'))).toBe('7');
    expect(genericValueText(p(0b01, '41 42 1b 20'))).toBe('"AB."');
    expect(genericValueText(p(0b11, '41 42'))).toBe('41 42');
  });

  it('logParameterText names known parameters and words their values', () => {
    const text = (page: string) => {
      const [first] = parametersOf(page);
      const pageCode = hex(page)[0] ?? 0;
      return first ? logParameterText(pageCode, 0, first) : undefined;
    };
    expect(text('0d 00 00 06 00 00 03 02 00 ff')).toEqual({
      name: 'Temperature',
      value: 'not available',
    });
    expect(text('2f 00 00 08 00 00 03 04 5d 10 25 00')).toEqual({
      name: 'Informational exception',
      value:
        '5Dh/10h HARDWARE IMPENDING FAILURE GENERAL HARD DRIVE FAILURE; most recent temperature 37 °C',
    });
    // The start-stop counters are binary lists (FORMAT AND LINKING 11b) holding a count.
    expect(text('0e 00 00 08 00 04 03 04 00 00 00 2a')).toEqual({
      name: 'Accumulated start-stop cycles',
      value: '42',
    });
    expect(text('0e 00 00 0a 00 01 01 06 32 30 32 34 32 30')?.value).toBe('year 2024, week 20');
    expect(text('0e 00 00 0a 00 02 01 06 20 20 20 20 20 20')?.value).toBe('not set');
    expect(text('03 00 00 06 80 01 02 02 00 05')).toEqual({ name: 'Parameter 8001h', value: '5' });
    expect(text('11 00 00 08 00 01 03 04 00 00 00 07')).toEqual({
      name: 'Percentage used endurance indicator',
      value: '7 %',
    });
    expect(
      text('10 00 00 14 00 01 03 10 25 03 01 23 00 00 00 00 00 00 12 34 03 11 00 00')?.value,
    ).toBe(
      'background short self-test: the first segment failed, number 3, at 291 power-on hours, first failure at LBA 4660, sense MEDIUM ERROR, 11h/00h UNRECOVERED READ ERROR',
    );
    // In progress: ADDRESS OF FIRST FAILURE names no block.
    expect(
      text('10 00 00 14 00 01 03 10 1f 00 00 05 00 00 00 00 00 00 00 00 00 00 00 00')?.value,
    ).toBe('default self-test: in progress, number 0, at 5 power-on hours');
  });

  it('logPageCode writes a page and its subpage as T10 does', () => {
    expect(logPageCode(0x0d, 0)).toBe('0Dh');
    expect(logPageCode(0x0d, 0x01)).toBe('0Dh/01h');
    expect(logPageCode(0x00, 0xff)).toBe('00h/FFh');
  });

  it('logPageName names pages, subpages, vendor pages and supported-subpages lists', () => {
    expect(logPageName(0x0d, 0)).toBe('Temperature');
    expect(logPageName(0x0d, 0x01)).toBe('Environmental Reporting');
    expect(logPageName(0x19, 0x05)).toBe('Group Statistics and Performance');
    expect(logPageName(0x31, 0)).toBe('vendor specific');
    expect(logPageName(0x0d, 0xff)).toBe('Supported Subpages of Temperature');
    expect(logPageName(0x00, 0xff)).toBe('Supported Log Pages and Subpages');
    expect(logPageName(0x20, 0)).toBeUndefined();
  });
});

describe('numberRuns', () => {
  it('writes runs of three or more as ranges', () => {
    expect(numberRuns([2, 3, 5, 6, 7, 9])).toBe('2, 3, 5–7, 9');
    expect(
      numberRuns([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]),
    ).toBe('1–20');
    expect(numberRuns([])).toBe('');
  });
});

describe('LOG SENSE rows', () => {
  it('describeLogPage labels the page, each parameter, and sums up unused self-test entries', () => {
    const zero = ' 00'.repeat(16);
    const rows = describeLogPage(
      value(
        parseLogSense(
          hex(
            `10 00 00 3c 00 01 03 10 25 03 01 23 00 00 00 00 00 00 12 34 03 11 00 00 00 02 03 10${zero} 00 03 03 10${zero}`,
          ),
        ),
      ),
    );
    expect(rows.map((r) => [r.label, r.bytes])).toEqual([
      ['Page', [0, 0]],
      ['Page length', [2, 3]],
      ['Self-test result 1', [4, 23]],
      ['Unused self-test results', [24, 63]],
    ]);
    expect(rows[0]?.value).toBe('10h Self-Test Results');
    expect(rows[3]?.value).toBe('2, 3');
  });

  it('decodeResponse reads LOG SENSE data and notes a page other than the one asked for', () => {
    const asked = hex('4d 00 4d 00 00 00 00 00 40 00'); // page 0Dh, current cumulative values
    const decoded = decodeResponse(asked, hex('2f 00 00 08 00 00 03 04 00 00 25 00'));
    expect(decoded?.title).toBe('LOG SENSE');
    expect(decoded?.notes).toEqual([
      'The device returned log page 2Fh, but the CDB asked for page 0Dh: the rows read the page it returned.',
    ]);
    const rows = decoded?.rows;
    expect(rows?.ok && rows.value.map((r) => r.label)).toEqual([
      'Page',
      'Page length',
      'Informational exception',
    ]);
    expect(decodeResponse(asked, hex('0d 00 00 06 00 00 03 02 00 28'))?.notes).toEqual([]);
  });
});
