/**
 * Differential test: usbcdb's LOG SENSE decoding (shared/scsi/parsers/log.ts,
 * log-parameters.ts and the rows a person sees) against sg3_utils'
 * `sg_logs --in=FILE`, which decodes a log page from hex without a device.
 * Pages a USB disk or SAT bridge reports, built from a fixed seed: supported
 * pages and subpages lists, temperature, informational exceptions, the error
 * counter pages, solid state media, non-medium errors, start-stop cycles and
 * self-test results.
 * Each parameter must agree in name (where both name it) and value.
 *
 * Deliberate differences, normalised below:
 * - usbcdb calls parameter 0000h of the temperature page "Temperature" (SPC-5's name);
 *   sg_logs says "Current temperature".
 * - sg_logs prints an informational exception's byte 3 as a "threshold temperature" (a common
 *   vendor extension SPC-5 does not define); usbcdb does not read it.
 * - A self-test's sense is shown by sg_logs only when its sense key is not 0; usbcdb also shows an
 *   ASC/ASCQ that comes with sense key 0. The comparison takes the sense where sg_logs gives one.
 * - sg_logs stops at the first unused self-test entry; the generator leaves every unused one last.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatHex } from '../../shared/scsi/hex';
import {
  describeLogPage,
  parseLogSense,
  selfTestResult,
  type LogPage,
} from '../../shared/scsi/parsers';
import { testTempDir } from '../temp-dir';
import { runSg3 } from './peers';
import { seeded } from './seeded';

const next = seeded(0x10950);
const bytes = (n: number): number[] => Array.from({ length: n }, () => next(256));

/** A log parameter: PARAMETER CODE, control byte, PARAMETER LENGTH, value (SPC-5). */
function parameter(code: number, control: number, value: readonly number[]): number[] {
  return [code >> 8, code & 0xff, control, value.length, ...value];
}

function page(code: number, subpage: number, body: readonly number[]): Uint8Array {
  const spf = subpage !== 0 ? 0x40 : 0;
  return Uint8Array.from([code | spf, subpage, body.length >> 8, body.length & 0xff, ...body]);
}

/** Distinct values below `below`, `count` of them, ascending. */
function distinct(count: number, below: number): number[] {
  const set = new Set<number>();
  while (set.size < count) set.add(next(below));
  return [...set].sort((a, b) => a - b);
}

const PAGES: Uint8Array[] = [
  // Supported log pages, and supported pages and subpages.
  ...Array.from({ length: 6 }, () => page(0x00, 0, distinct(1 + next(12), 0x30))),
  ...Array.from({ length: 6 }, () =>
    page(
      0x00,
      0xff,
      distinct(1 + next(10), 0x30 * 256).flatMap((x) => [x >> 8, next(3) === 0 ? 0xff : x & 3]),
    ),
  ),
  // Temperature: current and reference, FFh now and then (not available).
  ...Array.from({ length: 10 }, () =>
    page(0x0d, 0, [
      ...parameter(0x0000, 0x03, [0, next(4) === 0 ? 0xff : next(120)]),
      ...parameter(0x0001, 0x03, [0, next(4) === 0 ? 0xff : next(120)]),
    ]),
  ),
  // Informational exceptions: none, or a failure prediction (5Dh) or any ASC/ASCQ.
  ...Array.from({ length: 10 }, () => {
    const [asc, ascq] = next(3) === 0 ? [0, 0] : next(2) === 0 ? [0x5d, next(0x70)] : bytes(2);
    return page(
      0x2f,
      0,
      parameter(0x0000, 0x03, [asc ?? 0, ascq ?? 0, next(5) === 0 ? 0xff : next(90), 0]),
    );
  }),
  // Error counters: some of parameters 0000h–0006h, 1 to 8 bytes each, and one vendor specific.
  ...[0x02, 0x03, 0x05].flatMap((code) =>
    Array.from({ length: 6 }, () =>
      page(code, 0, [
        ...distinct(1 + next(7), 7).flatMap((p) => parameter(p, 0x02, bytes(1 + next(8)))),
        ...(next(2) === 0 ? parameter(0x8000 + next(0x100), 0x02, bytes(1 + next(4))) : []),
      ]),
    ),
  ),
  // Solid state media: the percentage of endurance used.
  ...Array.from({ length: 5 }, () => page(0x11, 0, parameter(0x0001, 0x03, [0, 0, 0, next(256)]))),
  // Non-medium errors.
  ...Array.from({ length: 5 }, () => page(0x06, 0, parameter(0x0000, 0x02, bytes(1 + next(6))))),
  // Start-stop cycle counter: the two dates (ASCII YYYYWW, or spaces: not set), four counters.
  ...Array.from({ length: 6 }, () => {
    const date = (): number[] =>
      next(4) === 0
        ? Array<number>(6).fill(0x20)
        : [...`${1990 + next(40)}${String(1 + next(52)).padStart(2, '0')}`].map((c) =>
            c.charCodeAt(0),
          );
    return page(0x0e, 0, [
      ...parameter(0x0001, 0x01, date()),
      ...parameter(0x0002, 0x01, date()),
      ...[3, 4, 5, 6].flatMap((p) => parameter(p, 0x03, bytes(4))),
    ]);
  }),
  // Self-test results: 20 entries, the used ones first.
  ...Array.from({ length: 8 }, () => {
    const used = 1 + next(20);
    return page(
      0x10,
      0,
      Array.from({ length: 20 }, (_, i) => {
        if (i >= used) return parameter(i + 1, 0x03, Array<number>(16).fill(0));
        const result = [0, 1, 2, 3, 4, 5, 6, 7, 0xf][next(9)] ?? 0;
        const code = [0, 1, 2, 5, 6][next(5)] ?? 0;
        const address = next(3) === 0 ? Array<number>(8).fill(0xff) : [0, 0, 0, 0, ...bytes(4)];
        const sense = next(2) === 0 ? [0, 0, 0] : [next(16), ...bytes(2)];
        return parameter(i + 1, 0x03, [
          (code << 5) | result,
          next(4),
          0,
          1 + (next(60000) % 255),
          ...address,
          ...sense,
          0,
        ]);
      }).flat(),
    );
  }),
];

/** A number in sg_logs' text (decimal, or 0x… hex) as a decimal string. */
const num = (t: string): string => BigInt(t.startsWith('0x') ? t : t).toString();

/** sg_logs' lines as comparable ones. */
function theirs(data: Uint8Array, dir: string, i: number): string[] {
  const file = join(dir, `page-${i}.hex`);
  writeFileSync(file, `${formatHex(data)}\n`);
  // -v lists the supported pages sg_logs has no name for, which it leaves out otherwise.
  const out = runSg3('sg_logs', [`--in=${file}`, ...(((data[0] ?? 0) & 0x3f) === 0 ? ['-v'] : [])]);
  const lines: string[] = [];
  let selfTest: string[] | undefined;
  const flush = (): void => {
    if (selfTest) lines.push(selfTest.join(' '));
    selfTest = undefined;
  };
  for (const raw of out.split('\n')) {
    const l = raw.trim();
    let m: RegExpMatchArray | null;
    if ((m = l.match(/^Parameter code = (\d+), accumulated power-on hours = (\d+)/))) {
      flush();
      selfTest = [`self-test ${m[1]} hours=${m[2]}`];
    } else if (selfTest && (m = l.match(/^self-test code: .*\[(\d+)\]$/)))
      selfTest.push(`code=${m[1]}`);
    else if (selfTest && (m = l.match(/^self-test result: .*\[(\d+)\]$/)))
      selfTest.push(`result=${m[1]}`);
    else if (selfTest && (m = l.match(/^self-test number = (\d+)/)))
      selfTest.push(`number=${m[1]}`);
    else if (selfTest && (m = l.match(/^address of first error = (0x[0-9a-f]+)/)))
      selfTest.push(`address=${num(m[1] ?? '0')}`);
    else if (
      selfTest &&
      (m = l.match(/^sense key = (0x[0-9a-f]+).*asc = (0x[0-9a-f]+), ascq = (0x[0-9a-f]+)/))
    )
      selfTest.push(`sense=${num(m[1] ?? '0')}/${num(m[2] ?? '0')}/${num(m[3] ?? '0')}`);
    else if ((m = l.match(/^0x([0-9a-f]+)(?:,0x([0-9a-f]+))?(?:\s|$)/)))
      lines.push(`supported ${parseInt(m[1] ?? '', 16)}/${parseInt(m[2] ?? '0', 16)}`);
    else if ((m = l.match(/^IE asc = (0x[0-9a-f]+), ascq = (0x[0-9a-f]+)/)))
      lines.push(`informational exception ${num(m[1] ?? '')}/${num(m[2] ?? '')}`);
    else if ((m = l.match(/^Percentage used endurance indicator: (\d+) ?%/)))
      lines.push(`percentage used endurance indicator = ${m[1]}`);
    else if ((m = l.match(/^Current temperature = (?:(\d+) C|<not available>)/)))
      lines.push(`temperature = ${m[1] ?? 'n/a'}`);
    else if ((m = l.match(/^Reference temperature = (?:(\d+) C|<not available>)/)))
      lines.push(`reference temperature = ${m[1] ?? 'n/a'}`);
    else if ((m = l.match(/^(.+), year: (.*), week:\s*(.*)$/)))
      lines.push(
        `${m[1]?.toLowerCase()} = ${m[2]?.trim() === '' ? 'not set' : `year ${m[2]}, week ${m[3]}`}`,
      );
    else if (
      (m = l.match(/^(?:Reserved or vendor specific|Vendor specific) \[0x([0-9a-f]+)\] = (\d+)/))
    )
      lines.push(`parameter ${parseInt(m[1] ?? '', 16)} = ${m[2]}`);
    else if ((m = l.match(/^([A-Za-z][A-Za-z -]+) = (\d+)/)) && !/temperature/i.test(m[1] ?? ''))
      lines.push(`${m[1]?.toLowerCase()} = ${m[2]}`);
  }
  flush();
  return lines;
}

/** usbcdb's rows as the same comparable lines. */
function ours(data: Uint8Array): string[] {
  const parsed = parseLogSense(data);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const l: LogPage = parsed.value;
  const rows = describeLogPage(l);
  const selfTests = new Map(
    (l.parameters ?? []).map((p) => [p.offset, selfTestResult(p.value)] as const),
  );
  return rows.flatMap((r): string[] => {
    let m: RegExpMatchArray | null;
    if (r.label === 'Page' || r.label === 'Page length' || r.label.startsWith('Unused')) return [];
    if (r.label === 'Supported' && (m = r.value.match(/^([0-9A-F]{2})h(?:\/([0-9A-F]{2})h)?/)))
      return [`supported ${parseInt(m[1] ?? '', 16)}/${parseInt(m[2] ?? '0', 16)}`];
    if (
      r.label === 'Informational exception' &&
      (m = r.value.match(
        /^(?:none reported \(00h\/00h\)|([0-9A-F]{2})h\/([0-9A-F]{2})h .*); most recent temperature (?:(\d+) °C|not available)$/,
      ))
    )
      return [
        `informational exception ${parseInt(m[1] ?? '0', 16)}/${parseInt(m[2] ?? '0', 16)}`,
        ...(m[3] !== undefined ? [`temperature = ${m[3]}`] : ['temperature = n/a']),
      ];
    if (/temperature$/i.test(r.label))
      return [
        `${r.label.toLowerCase()} = ${r.value === 'not available' ? 'n/a' : r.value.replace(' °C', '')}`,
      ];
    const t = selfTests.get(r.bytes[0]);
    if (r.label.startsWith('Self-test result ') && t) {
      const address = r.value.match(/first failure at LBA (\d+)/)?.[1];
      return [
        [
          `self-test ${r.label.slice('Self-test result '.length)} hours=${t.powerOnHours}`,
          `code=${t.code}`,
          `result=${t.result}`,
          ...(t.number !== 0 ? [`number=${t.number}`] : []),
          ...(address !== undefined ? [`address=${address}`] : []),
          ...(t.senseKey !== 0 ? [`sense=${t.senseKey}/${t.asc}/${t.ascq}`] : []),
        ].join(' '),
      ];
    }
    if (r.label === 'Percentage used endurance indicator')
      return [`percentage used endurance indicator = ${r.value.replace(' %', '')}`];
    if ((m = r.label.match(/^Parameter ([0-9A-F]{4})h$/)))
      return [`parameter ${parseInt(m[1] ?? '', 16)} = ${r.value}`];
    return [`${r.label.toLowerCase()} = ${r.value}`];
  });
}

describe('LOG SENSE pages against sg_logs --in', () => {
  it(`decodes ${PAGES.length} log pages as sg_logs does`, () => {
    const dir = testTempDir('sg-logs');
    const differences = PAGES.flatMap((data, i) => {
      const mine = ours(data);
      const sg = theirs(data, dir, i);
      return JSON.stringify(mine) === JSON.stringify(sg)
        ? []
        : [
            `${formatHex(data.subarray(0, 24))}…: usbcdb ${JSON.stringify(mine)}, sg_logs ${JSON.stringify(sg)}`,
          ];
    });
    expect(differences).toEqual([]);
  });

  it('compared something on every page', () => {
    expect(PAGES.filter((data) => ours(data).length === 0).map((d) => formatHex(d))).toEqual([]);
  });
});
