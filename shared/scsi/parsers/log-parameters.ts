/**
 * What the parameters of the log pages a USB disk or SAT bridge reports
 * mean (SPC-5 and SBC-4 log page definitions): names by page and parameter
 * code, and their values in words. A parameter usbcdb does not know is shown
 * by its FORMAT AND LINKING: a counter as a number, an ASCII list as text,
 * anything else as hex.
 */
import { asciiText } from '../bytes';
import { formatHex, t10Hex } from '../hex';
import { lookupAsc } from '../sense/asc';
import { senseKeyInfo } from '../sense/keys';
import type { LogParameter } from './log';

/** A value's bytes as one unsigned big-endian number (a counter: SPC-5 log parameter formats). */
export function counterValue(value: Uint8Array): bigint {
  return value.reduce((n, b) => (n << 8n) | BigInt(b), 0n);
}

/** A temperature byte (SPC-5, temperature log page): degrees Celsius, FFh = not available. */
function celsius(b: number | undefined): string {
  return b === undefined || b === 0xff ? 'not available' : `${b} °C`;
}

/** SPC-5, SELF-TEST CODE field of the self-test results parameter (SEND DIAGNOSTIC's codes). */
const SELF_TEST_CODES: Readonly<Record<number, string>> = {
  0b000: 'default self-test',
  0b001: 'background short self-test',
  0b010: 'background extended self-test',
  0b100: 'abort background self-test',
  0b101: 'foreground short self-test',
  0b110: 'foreground extended self-test',
};

/** SPC-5, SELF-TEST RESULTS field. */
const SELF_TEST_RESULTS: Readonly<Record<number, string>> = {
  0x0: 'completed without error',
  0x1: 'aborted by SEND DIAGNOSTIC (abort background self-test)',
  0x2: 'aborted by the application client by other means',
  0x3: 'not completed: an unknown error occurred',
  0x4: 'failed in an unknown segment',
  0x5: 'the first segment failed',
  0x6: 'the second segment failed',
  0x7: 'another segment failed (the SELF-TEST NUMBER says which)',
  0xf: 'in progress',
};

/** One self-test results parameter (SPC-5, self-test results log parameter; 16 bytes of value). */
export interface SelfTestResult {
  readonly code: number;
  readonly result: number;
  readonly number: number;
  readonly powerOnHours: number;
  /** ADDRESS OF FIRST FAILURE; all ones when there is none. */
  readonly firstFailure: bigint;
  readonly senseKey: number;
  readonly asc: number;
  readonly ascq: number;
}

/** The fields of a self-test results parameter, or undefined when its value is shorter than 16 bytes. */
export function selfTestResult(value: Uint8Array): SelfTestResult | undefined {
  if (value.length < 16) return undefined;
  const at = (i: number): number => value[i] ?? 0;
  return {
    code: at(0) >> 5,
    result: at(0) & 0x0f,
    number: at(1),
    powerOnHours: (at(2) << 8) | at(3),
    firstFailure: counterValue(value.subarray(4, 12)),
    senseKey: at(12) & 0x0f,
    asc: at(13),
    ascq: at(14),
  };
}

/** A self-test results parameter no self-test has filled: 16 bytes of zeros (SPC-5). */
export function unusedSelfTest(value: Uint8Array): boolean {
  return value.length === 16 && value.every((b) => b === 0);
}

const NO_FAILURE = 0xffffffffffffffffn;

/**
 * Whether ADDRESS OF FIRST FAILURE names a block: a result other than success (0h) or in progress
 * (Fh), and not all ones, which SPC-5 gives when there is no address.
 */
function failed(t: SelfTestResult): boolean {
  return t.result !== 0x0 && t.result !== 0xf && t.firstFailure !== NO_FAILURE;
}

function selfTestText(value: Uint8Array): string {
  const t = selfTestResult(value);
  if (!t) return hexText(value);
  if (unusedSelfTest(value)) return 'unused';
  const parts = [
    `${SELF_TEST_CODES[t.code] ?? `self-test code ${t.code}`}: ${SELF_TEST_RESULTS[t.result] ?? `result ${t10Hex(t.result, 1)} (reserved)`}`,
    `number ${t.number}`,
    `at ${t.powerOnHours} power-on hours`,
    ...(failed(t) ? [`first failure at LBA ${t.firstFailure}`] : []),
    ...(t.senseKey !== 0 || t.asc !== 0 || t.ascq !== 0
      ? [
          `sense ${senseKeyInfo(t.senseKey).name}, ${t10Hex(t.asc)}/${t10Hex(t.ascq)} ${lookupAsc(t.asc, t.ascq).text}`,
        ]
      : []),
  ];
  return parts.join(', ');
}

function hexText(value: Uint8Array): string {
  return value.length === 0 ? '(no value)' : formatHex(value);
}

/** A value by its FORMAT AND LINKING alone: counters as numbers, an ASCII list as text. */
export function genericValueText(p: LogParameter): string {
  if (p.truncated || p.value.length === 0) return hexText(p.value);
  if (p.formatAndLinking === 0b01) return `"${asciiText(p.value)}"`;
  if (p.formatAndLinking === 0b11) return formatHex(p.value);
  return countText(p.value);
}

/** A count, whatever FORMAT AND LINKING says (the start-stop counters are binary lists, SPC-5). */
function countText(value: Uint8Array): string {
  return String(counterValue(value));
}

interface ParameterMeaning {
  readonly name: string;
  /** The value in words; a count when absent. */
  readonly text?: (value: Uint8Array) => string;
}

/** Read, write, read reverse and verify error counter pages (SPC-5): the same parameters. */
const ERROR_COUNTERS: Readonly<Record<number, ParameterMeaning>> = {
  0x0000: { name: 'Errors corrected without substantial delay' },
  0x0001: { name: 'Errors corrected with possible delays' },
  0x0002: { name: 'Total rewrites or rereads' },
  0x0003: { name: 'Total errors corrected' },
  0x0004: { name: 'Total times correction algorithm processed' },
  0x0005: { name: 'Total bytes processed' },
  0x0006: { name: 'Total uncorrected errors' },
};

/** The ASCII year and week of the start-stop cycle counter page's dates (YYYYWW; spaces = not set). */
function yearWeek(value: Uint8Array): string {
  const text = asciiText(value);
  if (text === '') return 'not set';
  return /^\d{6}$/.test(text) ? `year ${text.slice(0, 4)}, week ${text.slice(4)}` : `"${text}"`;
}

/** The one table: page code → parameter code → meaning. */
const PAGES: Readonly<Record<number, Readonly<Record<number, ParameterMeaning>>>> = {
  0x02: ERROR_COUNTERS,
  0x03: ERROR_COUNTERS,
  0x04: ERROR_COUNTERS,
  0x05: ERROR_COUNTERS,
  0x06: { 0x0000: { name: 'Non-medium error count' } },
  0x0d: {
    0x0000: { name: 'Temperature', text: (v) => celsius(v[1]) },
    0x0001: { name: 'Reference temperature', text: (v) => celsius(v[1]) },
  },
  0x0e: {
    0x0001: { name: 'Date of manufacture', text: yearWeek },
    0x0002: { name: 'Accounting date', text: yearWeek },
    0x0003: { name: 'Specified cycle count over device lifetime' },
    0x0004: { name: 'Accumulated start-stop cycles' },
    0x0005: { name: 'Specified load-unload count over device lifetime' },
    0x0006: { name: 'Accumulated load-unload cycles' },
  },
  // SBC-4, Solid State Media log page: byte 3 of 0001h's value is how much of the rated
  // endurance is used, in per cent (past 100 when it is exceeded; 255 for 255 or more).
  0x11: {
    0x0001: { name: 'Percentage used endurance indicator', text: (v) => `${v[3] ?? 0} %` },
  },
  0x2f: {
    0x0000: {
      name: 'Informational exception',
      text: (v) => {
        const asc = v[0] ?? 0;
        const ascq = v[1] ?? 0;
        const what =
          asc === 0 && ascq === 0
            ? 'none reported (00h/00h)'
            : `${t10Hex(asc)}/${t10Hex(ascq)} ${lookupAsc(asc, ascq).text}`;
        return `${what}; most recent temperature ${celsius(v[2])}`;
      },
    },
  },
};

/** Self-test results (SPC-5): parameters 0001h–0014h, the 20 most recent self-tests. */
function selfTestMeaning(code: number): ParameterMeaning | undefined {
  return code >= 0x0001 && code <= 0x0014
    ? { name: `Self-test result ${code}`, text: selfTestText }
    : undefined;
}

/** A parameter's name and value in words, for a page of subpage 00h. */
export function logParameterText(
  pageCode: number,
  subpageCode: number,
  p: LogParameter,
): { readonly name: string; readonly value: string } {
  const meaning =
    subpageCode !== 0
      ? undefined
      : pageCode === 0x10
        ? selfTestMeaning(p.code)
        : PAGES[pageCode]?.[p.code];
  const name = meaning?.name ?? `Parameter ${t10Hex(p.code, 4)}`;
  return {
    name,
    value:
      meaning && !p.truncated && p.value.length > 0
        ? (meaning.text ?? countText)(p.value)
        : genericValueText(p),
  };
}
