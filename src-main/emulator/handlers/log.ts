/**
 * LOG SENSE (SPC-5) for a drive whose profile has log pages: the supported
 * pages and subpages lists, Temperature (0Dh), Self-Test Results (10h, what
 * SEND DIAGNOSTIC left: self-tests.ts) and Informational Exceptions (2Fh,
 * none to report). Every page answers the same whatever PC asks for
 * (thresholds and cumulative values alike: the drive keeps no others), and
 * nothing is saved, so SP is refused and DS is set.
 */
import { putBe16 } from '../../../shared/scsi/bytes';
import type { DiskLu } from '../disk';
import { SELF_TEST_LOG_SIZE } from '../self-tests';
import { withAllocation, type Handler } from './context';

/** A log parameter: PARAMETER CODE, control byte, PARAMETER LENGTH, value (SPC-5). */
interface Parameter {
  readonly code: number;
  readonly control: number;
  readonly value: readonly number[];
}

/** Control byte: TSD set, FORMAT AND LINKING 11b (binary format list), as SPC-5 gives temperature. */
const TSD_BINARY = 0x23;
/** Control byte: FORMAT AND LINKING 11b, as SPC-5 gives self-test results and informational exceptions. */
const BINARY = 0x03;

/** Parameter bytes of a self-test result with no failure: ADDRESS OF FIRST FAILURE all ones. */
const NO_ADDRESS = Array<number>(8).fill(0xff);

/** The pages a drive has, by page code, each building its parameters from the unit's state. */
const PAGES: Readonly<Record<number, (lu: DiskLu) => readonly Parameter[]>> = {
  // Temperature (SPC-5): 0000h the current temperature, 0001h the reference, in °C.
  0x0d: (lu) => [
    { code: 0x0000, control: TSD_BINARY, value: [0, lu.profile.logPages?.temperature ?? 0xff] },
    {
      code: 0x0001,
      control: TSD_BINARY,
      value: [0, lu.profile.logPages?.referenceTemperature ?? 0xff],
    },
  ],
  // Self-Test Results (SPC-5): 20 parameters, the newest first, unused ones all zero.
  0x10: (lu) =>
    Array.from({ length: SELF_TEST_LOG_SIZE }, (_, i) => {
      const t = lu.selfTests.results[i];
      return {
        code: i + 1,
        control: BINARY,
        value: t
          ? [
              (t.code << 5) | t.result,
              0, // SELF-TEST NUMBER: the tests are not segmented
              (t.powerOnHours >> 8) & 0xff,
              t.powerOnHours & 0xff,
              ...NO_ADDRESS,
              0,
              0,
              0,
              0,
            ]
          : Array<number>(16).fill(0),
      };
    }),
  // Informational Exceptions (SPC-5): none to report (00h/00h), with the current temperature.
  0x2f: (lu) => [
    { code: 0x0000, control: BINARY, value: [0, 0, lu.profile.logPages?.temperature ?? 0xff] },
  ],
};

/** The pages listed as supported: 00h itself, then the pages above (each with subpage 00h only). */
const PAGE_CODES = [0x00, ...Object.keys(PAGES).map(Number)];

/** A page: DS (nothing is saved), SPF with a subpage, PAGE LENGTH, then the body. */
function page(code: number, subpage: number, body: readonly number[]): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  out[0] = 0x80 | (subpage !== 0 ? 0x40 : 0) | code;
  out[1] = subpage;
  putBe16(out, 2, body.length);
  out.set(body, 4);
  return out;
}

export const logSense: Handler<'LOG SENSE'> = (lu, ctx) => {
  if (ctx.get('sp') === 1) return Promise.resolve(ctx.invalid('sp'));
  const code = ctx.get('pageCode');
  const subpage = ctx.get('subpageCode');
  const pointer = ctx.get('parameterPointer');
  if (!PAGE_CODES.includes(code)) return Promise.resolve(ctx.invalid('pageCode'));
  if (subpage !== 0 && subpage !== 0xff) return Promise.resolve(ctx.invalid('subpageCode'));
  const build = PAGES[code];
  // Lists (00h/00h, 00h/FFh, any page's FFh) have no parameter codes for a pointer to select.
  if ((!build || subpage === 0xff) && pointer !== 0)
    return Promise.resolve(ctx.invalid('parameterPointer'));
  let body: number[];
  if (subpage === 0xff)
    body = (code === 0x00 ? PAGE_CODES : [code]).flatMap((c) => [c, 0x00, c, 0xff]);
  else if (!build) body = PAGE_CODES;
  else {
    // Parameters with codes from PARAMETER POINTER on; one past the last is an invalid field.
    const parameters = build(lu).filter((p) => p.code >= pointer);
    if (parameters.length === 0) return Promise.resolve(ctx.invalid('parameterPointer'));
    body = parameters.flatMap((p) => [
      p.code >> 8,
      p.code & 0xff,
      p.control,
      p.value.length,
      ...p.value,
    ]);
  }
  return Promise.resolve(withAllocation(page(code, subpage, body), ctx.get('allocationLength')));
};
