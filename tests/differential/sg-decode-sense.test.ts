/**
 * Differential test: usbcdb's sense decoder against sg3_utils' sg_decode_sense
 * on a few hundred deterministic sense buffers — every sense key, fixed and
 * descriptor formats, ASC/ASCQ pairs drawn from the T10 table (ranges and
 * vendor-specific codes included), sense-key specific field pointers and
 * progress indications. Key names and ASC/ASCQ texts must agree, ignoring
 * case and punctuation; deliberate differences are listed with the reason.
 */
import { describe, expect, it } from 'vitest';
import { ASC_ENTRIES, ASC_RANGES } from '../../shared/scsi/sense/asc-table.generated';
import {
  decodeSense,
  encodeDescriptorSense,
  encodeFixedSense,
  explainSense,
  lookupAsc,
  type SenseFields,
} from '../../shared/scsi/sense';
import { formatHex } from '../../shared/scsi/hex';
import { runSg3 } from './peers';

/**
 * Where usbcdb and sg3_utils 1.46 word things differently on purpose:
 * - sense key 0Ch: SPC-5 lists it as obsolete (it was EQUAL); sg3_utils still says "Equal".
 * - sense key 09h: sg3_utils appends the number ("Vendor specific(9)").
 * - codes T10's list marks "OBSOLETE": usbcdb says so, as T10 does; sg3_utils keeps the old
 *   meaning with "(obs)" appended. Agreement there means sg3_utils also calls it obsolete.
 * - ASCQ ranges ("NN"): sg3_utils writes the value as [0x85] or 0x85 and drops T10's
 *   parenthetical; agreement means the same text before NN and the same value.
 */
const KEY_NAME_DIFFERENCES: Readonly<Record<number, string>> = {
  0x0c: 'equal',
  0x09: 'vendorspecific9',
};

function sameAscText(theirs: string, info: ReturnType<typeof lookupAsc>): boolean {
  if (info.kind === 'range') {
    const range = ASC_RANGES.find((r) => r.asc === info.asc);
    const before = norm((range?.text ?? '').split('NN')[0] ?? '');
    return (
      norm(theirs).startsWith(before) &&
      new RegExp(`0x0*${info.ascq.toString(16)}\\b`, 'i').test(theirs)
    );
  }
  if (/^obsolete$/i.test(info.text)) return /\(obs\)$/i.test(theirs);
  return norm(theirs) === norm(info.text);
}

function norm(s: string): string {
  return s
    .toLowerCase()
    .replace(/\[0x([0-9a-f]+)\]/g, '$1h')
    .replace(/[^a-z0-9]/g, '');
}

/** Deterministic vectors: ~every third T10 entry, all range rows, vendor and reserved codes, for all keys. */
function vectors(): { fields: SenseFields; format: 'fixed' | 'descriptor' }[] {
  const out: { fields: SenseFields; format: 'fixed' | 'descriptor' }[] = [];
  const pairs: [number, number][] = ASC_ENTRIES.filter((_, i) => i % 3 === 0).map((e) => [
    e[0],
    e[1],
  ]);
  for (const r of ASC_RANGES) pairs.push([r.asc, r.from], [r.asc, r.to]);
  pairs.push([0x8a, 0x01], [0xff, 0xff], [0x24, 0x85], [0x04, 0xf0], [0x75, 0x00], [0x0f, 0x00]);
  pairs.forEach(([asc, ascq], i) => {
    const key = i % 16;
    out.push({ fields: { key, asc, ascq }, format: i % 2 === 0 ? 'fixed' : 'descriptor' });
  });
  // Sense-key specific: field pointers (CDB and parameter data, with and without bit pointer) and progress.
  for (let b = 0; b < 12; b++) {
    out.push({
      fields: {
        key: 5,
        asc: 0x24,
        ascq: 0,
        senseKeySpecific: {
          kind: 'field-pointer',
          inCdb: true,
          bitPointerValid: b % 2 === 0,
          bitPointer: b % 8,
          fieldPointer: b,
        },
      },
      format: b % 3 === 0 ? 'descriptor' : 'fixed',
    });
    out.push({
      fields: {
        key: 5,
        asc: 0x26,
        ascq: 0,
        senseKeySpecific: {
          kind: 'field-pointer',
          inCdb: false,
          bitPointerValid: false,
          bitPointer: 0,
          fieldPointer: 2 + b,
        },
      },
      format: 'fixed',
    });
    out.push({
      fields: {
        key: 2,
        asc: 0x04,
        ascq: 0x04,
        senseKeySpecific: { kind: 'progress', progress: b * 5000, percent: 0 },
      },
      format: b % 2 === 0 ? 'fixed' : 'descriptor',
    });
  }
  return out;
}

describe('decodeSense vs sg_decode_sense', () => {
  const all = vectors();
  let compared = 0;
  it(`agrees on key and ASC/ASCQ text for ${all.length} buffers`, () => {
    const failures: string[] = [];
    for (const v of all) {
      const bytes =
        v.format === 'fixed' ? encodeFixedSense(v.fields) : encodeDescriptorSense(v.fields);
      const decoded = decodeSense(bytes);
      if (!decoded.ok) {
        failures.push(`${formatHex(bytes)}: usbcdb could not decode: ${decoded.error.message}`);
        continue;
      }
      const s = decoded.value;
      const e = explainSense(s);
      const out = runSg3('sg_decode_sense', formatHex(bytes).split(' '));
      const keyLine = /Sense key: (.*)$/m.exec(out)?.[1]?.trim() ?? '';
      const expectedKey = KEY_NAME_DIFFERENCES[s.senseKey] ?? norm(e.keyName);
      if (norm(keyLine) !== expectedKey)
        failures.push(`${formatHex(bytes)}: key "${keyLine}" vs usbcdb "${e.keyName}"`);
      const info = lookupAsc(s.asc ?? 0, s.ascq ?? 0);
      const additional = /Additional sense: (.*)$/m.exec(out)?.[1]?.trim();
      if (info.kind === 'vendor') {
        if (!/vendor specific/i.test(out))
          failures.push(
            `${formatHex(bytes)}: usbcdb says vendor specific, sg3_utils: ${out.split('\n')[1]}`,
          );
      } else if (info.kind === 'reserved') {
        if (additional !== undefined)
          failures.push(`${formatHex(bytes)}: usbcdb says unassigned, sg3_utils: "${additional}"`);
      } else if (additional === undefined || !sameAscText(additional, info)) {
        failures.push(
          `${formatHex(bytes)}: ASC/ASCQ "${additional ?? out.split('\n')[1]}" vs usbcdb "${info.text}"`,
        );
      }
      const sks = s.senseKeySpecific;
      if (sks?.kind === 'field-pointer') {
        const m = /Error in (Command|Data(?: parameters)?): byte (\d+)(?: bit (\d+))?/i.exec(out);
        const ok =
          m !== null &&
          (m[1] === 'Command') === sks.inCdb &&
          Number(m[2]) === sks.fieldPointer &&
          (sks.bitPointerValid ? Number(m[3]) === sks.bitPointer : m[3] === undefined);
        if (!ok)
          failures.push(
            `${formatHex(bytes)}: field pointer ${JSON.stringify(sks)} vs sg3_utils "${m?.[0] ?? 'none'}"`,
          );
      }
      if (sks?.kind === 'progress') {
        const m = /Progress indication: ([\d.]+)%/.exec(out);
        if (!m || Math.abs(Number(m[1]) - sks.percent) > 0.01)
          failures.push(`${formatHex(bytes)}: progress ${sks.percent}% vs sg3_utils ${m?.[1]}`);
      }
      compared++;
    }
    process.stdout.write(
      `sg_decode_sense differential: ${compared} sense buffers compared, ${failures.length} disagreements\n`,
    );
    expect(failures).toEqual([]);
    expect(compared).toBeGreaterThanOrEqual(250);
  });
});
