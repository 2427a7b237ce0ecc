/**
 * Every parser faces hostile bytes: whatever it is given, it returns a value
 * (never throws), an error's offset lies inside the buffer, truncation is
 * reported honestly, and every described row points at bytes that exist.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  describeCapacity,
  describeInquiry,
  describeLbaStatus,
  describeLogPage,
  describeModeParameters,
  describeReportLuns,
  describeSupportedOpcodes,
  describeVpd,
  parseAllCommands,
  parseAtaInformation,
  parseBlockDeviceCharacteristics,
  parseBlockLimits,
  parseDeviceIdentification,
  parseExtendedInquiry,
  parseInquiry,
  parseLbaStatus,
  parseLogSense,
  parseLogicalBlockProvisioning,
  parseModeSense10,
  parseModeSense6,
  parseOneCommand,
  parseOtherVpdPage,
  parseReadCapacity10,
  parseReadCapacity16,
  parseReportLuns,
  parseSupportedPages,
  parseUnitSerialNumber,
  parseVpd,
  type FieldRow,
} from '../../../shared/scsi/parsers';
import type { Result } from '../../../shared/scsi/result';

type Parser = (b: Uint8Array) => Result<unknown>;

const PARSERS: Readonly<Record<string, Parser>> = {
  parseInquiry,
  parseVpd,
  parseSupportedPages,
  parseUnitSerialNumber,
  parseDeviceIdentification,
  parseExtendedInquiry,
  parseAtaInformation,
  parseBlockLimits,
  parseBlockDeviceCharacteristics,
  parseLogicalBlockProvisioning,
  parseOtherVpdPage,
  parseReadCapacity10,
  parseReadCapacity16,
  parseReportLuns,
  parseModeSense6,
  parseModeSense10,
  parseAllCommands,
  parseOneCommand,
  parseLogSense,
  parseLbaStatus,
};

const anyBytes = fc.uint8Array({ minLength: 0, maxLength: 600 });

/** Bytes that look like a VPD page header of a code usbcdb parses, with a plausible length. */
const vpdLike = fc
  .tuple(
    fc.constantFrom(0x00, 0x80, 0x83, 0x86, 0x89, 0xb0, 0xb1, 0xb2, 0xc0),
    fc.uint8Array({ minLength: 2, maxLength: 600 }),
    fc.integer({ min: 0, max: 700 }),
  )
  .map(([code, body, pageLength]) => {
    const b = body.slice();
    b[1] = code; // PAGE CODE
    if (b.length >= 4) {
      b[2] = pageLength >> 8; // PAGE LENGTH
      b[3] = pageLength & 0xff;
    }
    return b;
  });

/** Bytes that look like a log page usbcdb names the parameters of, with a plausible PAGE LENGTH. */
const logLike = fc
  .tuple(
    fc.constantFrom(0x00, 0x02, 0x03, 0x06, 0x0d, 0x0e, 0x10, 0x2f, 0x30),
    fc.constantFrom(0x00, 0x00, 0xff, 0x01),
    fc.uint8Array({ minLength: 4, maxLength: 600 }),
    fc.integer({ min: 0, max: 700 }),
  )
  .map(([code, subpage, body, pageLength]) => {
    const b = body.slice();
    b[0] = code | (subpage !== 0 ? 0x40 : 0);
    b[1] = subpage;
    b[2] = pageLength >> 8; // PAGE LENGTH
    b[3] = pageLength & 0xff;
    return b;
  });

function checkResult(r: Result<unknown>, b: Uint8Array): void {
  if (r.ok) {
    const v = r.value as { truncated?: boolean; claimedLength?: number; length?: number };
    if (v.truncated !== undefined) {
      expect(v.length).toBe(b.length);
      expect(v.truncated).toBe((v.claimedLength ?? 0) > b.length);
    }
    return;
  }
  expect(r.error.code.length).toBeGreaterThan(0);
  expect(r.error.message.length).toBeGreaterThan(0);
  expect(r.error.offset ?? 0).toBeGreaterThanOrEqual(0);
  expect(r.error.offset ?? 0).toBeLessThanOrEqual(b.length);
}

function checkRows(rows: readonly FieldRow[], b: Uint8Array): void {
  for (const x of rows) {
    expect(x.bytes[0]).toBeGreaterThanOrEqual(0);
    expect(x.bytes[0]).toBeLessThanOrEqual(x.bytes[1]);
    expect(x.bytes[1]).toBeLessThan(b.length);
  }
}

describe('parsers on arbitrary bytes', () => {
  for (const [name, parse] of Object.entries(PARSERS)) {
    it(`${name} never throws; errors point inside the buffer; truncation is honest`, () => {
      fc.assert(
        fc.property(anyBytes, (b) => checkResult(parse(b), b)),
        { numRuns: 1000 },
      );
    });
  }

  it('VPD parsers on page-shaped input (right code, any length) stay bounded', () => {
    fc.assert(
      fc.property(vpdLike, (b) => {
        for (const parse of Object.values(PARSERS)) checkResult(parse(b), b);
      }),
      { numRuns: 1500 },
    );
  });
});

describe('described rows point at bytes that exist', () => {
  const describers: readonly [string, Parser, (v: never) => FieldRow[]][] = [
    ['INQUIRY', parseInquiry, describeInquiry],
    ['VPD', parseVpd, describeVpd],
    ['READ CAPACITY(10)', parseReadCapacity10, describeCapacity],
    ['READ CAPACITY(16)', parseReadCapacity16, describeCapacity],
    ['REPORT LUNS', parseReportLuns, describeReportLuns],
    ['MODE SENSE(6)', parseModeSense6, describeModeParameters],
    ['MODE SENSE(10)', parseModeSense10, describeModeParameters],
    ['RSOC all', parseAllCommands, describeSupportedOpcodes],
    ['RSOC one', parseOneCommand, describeSupportedOpcodes],
    ['LOG SENSE', parseLogSense, describeLogPage],
    ['GET LBA STATUS', parseLbaStatus, describeLbaStatus],
  ];
  for (const [name, parse, describeIt] of describers) {
    it(`${name}`, () => {
      fc.assert(
        fc.property(
          name === 'VPD'
            ? fc.oneof(anyBytes, vpdLike)
            : name === 'LOG SENSE'
              ? fc.oneof(anyBytes, logLike)
              : anyBytes,
          (b) => {
            const r = parse(b);
            if (r.ok) checkRows(describeIt(r.value as never), b);
          },
        ),
        { numRuns: 1000 },
      );
    });
  }
});
