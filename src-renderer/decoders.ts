/**
 * Which parser shows a command's data-in, by catalog command name, and for
 * INQUIRY by EVPD. One table; the results view only looks things up here.
 */
import { readField } from '../shared/scsi/catalog/fields';
import { findCommand, layoutOf } from '../shared/scsi/catalog';
import {
  describeCapacity,
  describeInquiry,
  describeModeParameters,
  describeReportLuns,
  describeSupportedOpcodes,
  describeVpd,
  parseInquiry,
  parseModeSense10,
  parseModeSense6,
  parseReadCapacity10,
  parseReadCapacity16,
  parseReportLuns,
  parseSupportedOpcodes,
  parseVpd,
  type FieldRow,
} from '../shared/scsi/parsers';
import type { Result } from '../shared/scsi/result';

type Decoder = (data: Uint8Array, field: (key: string) => number) => Result<FieldRow[]>;

function via<T>(parse: (b: Uint8Array) => Result<T>, describe: (v: T) => FieldRow[]): Decoder {
  return (data) => {
    const r = parse(data);
    return r.ok ? { ok: true, value: describe(r.value) } : r;
  };
}

const DECODERS: Readonly<Record<string, Decoder>> = {
  INQUIRY: (data, field) =>
    field('evpd') === 1
      ? via(parseVpd, describeVpd)(data, field)
      : via(parseInquiry, describeInquiry)(data, field),
  'READ CAPACITY(10)': via(parseReadCapacity10, describeCapacity),
  'READ CAPACITY(16)': via(parseReadCapacity16, describeCapacity),
  'REPORT LUNS': via(parseReportLuns, describeReportLuns),
  'MODE SENSE(6)': via(parseModeSense6, describeModeParameters),
  'MODE SENSE(10)': via(parseModeSense10, describeModeParameters),
  'REPORT SUPPORTED OPERATION CODES': (data, field) =>
    via(
      (b: Uint8Array) => parseSupportedOpcodes(b, field('reportingOptions') === 0 ? 'all' : 'one'),
      describeSupportedOpcodes,
    )(data, field),
};

/** The decoded view of `data` returned for `cdb`, if usbcdb knows how to read it. */
export function decodeResponse(
  cdb: Uint8Array,
  data: Uint8Array,
): { title: string; rows: Result<FieldRow[]> } | undefined {
  const spec = cdb.length > 0 ? findCommand(cdb) : undefined;
  const decoder = spec ? DECODERS[spec.name] : undefined;
  if (!spec || !decoder || data.length === 0) return undefined;
  const fields = layoutOf(spec).fields;
  const field = (key: string): number => {
    const f = fields.find((x) => x.key === key);
    return f ? Number(readField(cdb, f)) : 0;
  };
  return { title: spec.name, rows: decoder(data, field) };
}
