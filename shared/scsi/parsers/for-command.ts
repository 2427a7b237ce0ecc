/**
 * THE choice of how a command's data-in reads: the standard parser for a
 * catalog command (by its row, and for INQUIRY by EVPD, for REPORT
 * SUPPORTED OPERATION CODES by REPORTING OPTIONS), the response layout a
 * vendor set declares for its command (shared/vendor-sets/layout.ts), or for
 * an ATA PASS-THROUGH the layout of the ATA command it carries (the `sat`
 * set's ATA sub-catalog, shared/scsi/ata-commands.ts). The
 * GUI's results view, the CLI's device commands, `usbcdb raw` and
 * `usbcdb parse --cdb` all ask here.
 */
import type { VendorSet } from '../../vendor-sets/model';
import { decodeLayout, type DecodedRow } from '../../vendor-sets/layout';
import type { Layout } from '../../vendor-sets/model';
import { passThroughLayout, readPassThrough } from '../ata-commands';
import { fieldValue, layoutOf } from '../catalog';
import { resolveCommand } from '../catalog/resolve';
import type { Result } from '../result';
import {
  describeCapacity,
  describeInquiry,
  describeLbaStatus,
  describeLogPage,
  describeModeParameters,
  describeReportLuns,
  describeSupportedOpcodes,
  describeVpd,
  row,
  type FieldRow,
} from './describe';
import { parseReadCapacity10, parseReadCapacity16 } from './capacity';
import { parseInquiry } from './inquiry';
import { parseLbaStatus } from './lba-status';
import { parseLogSense } from './log';
import { parseReportLuns } from './luns';
import { parseModeSense10, parseModeSense6 } from './mode';
import { parseSupportedOpcodes } from './rsoc';
import { parseVpd } from './vpd';
import { decodeSense } from '../sense';
import { describeSenseData } from './sense-rows';
import { t10Hex } from '../hex';
import { logPageCode, VPD_PAGE_NAMES } from '../page-names';

/** Data-in, decoded. */
export interface DecodedResponse {
  /** The command's name. */
  readonly title: string;
  /** Rows for a table: label, value, the bytes each came from (every range inside the data). */
  readonly rows: Result<FieldRow[]>;
  /** For a vendor response layout, its rows as nested fields (structs, array records). */
  readonly tree?: readonly DecodedRow[];
  /** Where the data is not what the CDB asked for (another VPD page): said before the rows. */
  readonly notes: readonly string[];
}

export interface ResponseParser {
  readonly title: string;
  readonly decode: (data: Uint8Array) => DecodedResponse;
}

/** A standard parser, given a field of the CDB by key (INQUIRY's EVPD picks VPD or standard data). */
type StandardParser = (data: Uint8Array, field: (key: string) => number) => Result<FieldRow[]>;

function via<T>(
  parse: (b: Uint8Array) => Result<T>,
  describe: (v: T) => FieldRow[],
): StandardParser {
  return (data) => {
    const r = parse(data);
    return r.ok ? { ok: true, value: describe(r.value) } : r;
  };
}

/** The one table: catalog command name → parser. */
const STANDARD: Readonly<Record<string, StandardParser>> = {
  INQUIRY: (data, field) =>
    field('evpd') === 1
      ? via(parseVpd, describeVpd)(data, field)
      : via(parseInquiry, describeInquiry)(data, field),
  'READ CAPACITY(10)': via(parseReadCapacity10, describeCapacity),
  'READ CAPACITY(16)': via(parseReadCapacity16, describeCapacity),
  'REPORT LUNS': via(parseReportLuns, describeReportLuns),
  'LOG SENSE': via(parseLogSense, describeLogPage),
  'GET LBA STATUS(16)': via(parseLbaStatus, describeLbaStatus),
  'MODE SENSE(6)': via(parseModeSense6, describeModeParameters),
  'MODE SENSE(10)': via(parseModeSense10, describeModeParameters),
  'REQUEST SENSE': via(decodeSense, describeSenseData),
  'REPORT SUPPORTED OPERATION CODES': (data, field) =>
    via(
      (b: Uint8Array) => parseSupportedOpcodes(b, field('reportingOptions') === 0 ? 'all' : 'one'),
      describeSupportedOpcodes,
    )(data, field),
};

/** What a command's answer must echo of its CDB, checked by name: a mismatch is a note. */
const ECHOES: Readonly<
  Record<string, (data: Uint8Array, field: (key: string) => number) => string[]>
> = {
  // SPC-5 VPD pages: byte 1 is the PAGE CODE of the page returned.
  INQUIRY: (data, field) => {
    const asked = field('pageCode');
    const got = data[1];
    if (field('evpd') !== 1 || got === undefined || got === asked) return [];
    const name = (p: number): string =>
      `${t10Hex(p)}${VPD_PAGE_NAMES[p] ? ` (${VPD_PAGE_NAMES[p]})` : ''}`;
    // Standard INQUIRY data's byte 1 is RMB and LU_CONG (bits 7 and 6): a device that ignored EVPD
    // and sent it shows 00h, 40h, 80h or C0h here.
    const maybeStandard = (got & 0x3f) === 0;
    return [
      `The device returned VPD page ${name(got)}${maybeStandard ? ' (or, if it ignored EVPD, standard INQUIRY data)' : ''}, but the CDB asked for page ${name(asked)}: the rows read the page it returned.`,
    ];
  },
  // SPC-5 log pages: byte 0 bits 5:0 and byte 1 are the PAGE CODE and SUBPAGE CODE returned.
  'LOG SENSE': (data, field) => {
    if (data.length < 2) return [];
    const asked = logPageCode(field('pageCode'), field('subpageCode'));
    const got = logPageCode((data[0] ?? 0) & 0x3f, data[1] ?? 0);
    return got === asked
      ? []
      : [
          `The device returned log page ${got}, but the CDB asked for page ${asked}: the rows read the page it returned.`,
        ];
  },
};

/**
 * A layout's rows as table rows: nested names joined with " › ", rows the
 * data does not reach and empty containers left out (they have no bytes to
 * point at).
 */
function layoutTableRows(rows: readonly DecodedRow[], parent = ''): FieldRow[] {
  return rows.flatMap((r) => {
    const label = parent === '' ? r.name : `${parent} › ${r.name}`;
    const own =
      r.absent || r.length === 0 || r.value === ''
        ? []
        : [row(label, r.value, r.offset, r.offset + r.length - 1)];
    return [...own, ...layoutTableRows(r.children ?? [], label)];
  });
}

function layoutParser(title: string, layout: Layout): ResponseParser {
  return {
    title,
    decode: (data) => {
      const tree = decodeLayout(layout, data);
      return { title, rows: { ok: true, value: layoutTableRows(tree) }, tree, notes: [] };
    },
  };
}

/** How the data-in of this CDB reads, or undefined when usbcdb has no parser or layout for it. */
export function responseParserFor(
  cdb: Uint8Array,
  sets: readonly VendorSet[] = [],
): ResponseParser | undefined {
  const resolved = resolveCommand(cdb, sets);
  if (!resolved) return undefined;
  const title = resolved.spec.name;
  if (resolved.source === 'vendor') {
    const layout = resolved.command.response;
    return layout ? layoutParser(title, layout) : undefined;
  }
  // ATA PASS-THROUGH (SAT-4): the data-in is the carried ATA command's, read by its row's layout.
  const pt = readPassThrough(cdb);
  if (pt?.row) {
    const layout = passThroughLayout(pt);
    return layout ? layoutParser(`${title}: ${pt.row.name}`, layout) : undefined;
  }
  const parser = STANDARD[title];
  if (!parser) return undefined;
  const fields = layoutOf(resolved.spec);
  const field = (key: string): number => fieldValue(cdb, fields, key) ?? 0;
  const echoes = ECHOES[title];
  return {
    title,
    decode: (data) => ({
      title,
      rows: parser(data, field),
      notes: echoes ? echoes(data, field) : [],
    }),
  };
}

/** The decoded view of `data` returned for `cdb`, when there is data and usbcdb knows how to read it. */
export function decodeResponse(
  cdb: Uint8Array,
  data: Uint8Array,
  sets: readonly VendorSet[] = [],
): DecodedResponse | undefined {
  if (data.length === 0) return undefined;
  return responseParserFor(cdb, sets)?.decode(data);
}
