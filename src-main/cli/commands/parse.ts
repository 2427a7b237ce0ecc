/**
 * `usbcdb parse KIND HEX…` — decode data a device returned, as KIND; or
 * `usbcdb parse --cdb CDB HEX…` — as the command that returned it reads
 * (shared/scsi/parsers/for-command.ts, a vendor set's layout included).
 */
import { resolveCommand } from '../../../shared/scsi/catalog/resolve';
import { decodeResponse } from '../../../shared/scsi/parsers/for-command';
import { READER_OPTION_SPEC, vendorSetRow, vendorSetsFromArgs } from '../vendor-set-options';
import { optionRows } from '../usage';
import { formatHex, parseHex } from '../../../shared/scsi/hex';
import { type Result } from '../../../shared/scsi/result';
import {
  describeCapacity,
  describeInquiry,
  describeModeParameters,
  describeLbaStatus,
  describeLogPage,
  describeReportLuns,
  describeSupportedOpcodes,
  describeVpd,
  parseAllCommands,
  parseInquiry,
  parseModeSense10,
  parseModeSense6,
  parseOneCommand,
  parseReadCapacity10,
  parseReadCapacity16,
  parseLbaStatus,
  parseLogSense,
  parseReportLuns,
  parseVpd,
  type FieldRow,
} from '../../../shared/scsi/parsers';
import { flag, option, type ParsedArgs } from '../args';
import type { CliCommand } from '../command';
import { EXIT } from '../exit-codes';
import { hexInput, toJson, type CliIo, type HexInputWords } from '../io';
import { renderRows } from '../render/rows';

interface Kind {
  readonly what: string;
  readonly parse: (b: Uint8Array) => Result<unknown>;
  readonly describe: (v: never) => FieldRow[];
}

/** What each KIND parses, and how it is described (the parser and describer of the same data type). */
const KINDS: Readonly<Record<string, Kind>> = {
  inquiry: { what: 'standard INQUIRY data', parse: parseInquiry, describe: describeInquiry },
  vpd: {
    what: 'a VPD page (00h, 80h, 83h, 86h, 89h, B0h, B1h, B2h; others raw)',
    parse: parseVpd,
    describe: describeVpd,
  },
  readcap10: {
    what: 'READ CAPACITY(10) data',
    parse: parseReadCapacity10,
    describe: describeCapacity,
  },
  readcap16: {
    what: 'READ CAPACITY(16) data',
    parse: parseReadCapacity16,
    describe: describeCapacity,
  },
  luns: { what: 'REPORT LUNS data', parse: parseReportLuns, describe: describeReportLuns },
  log: { what: 'a LOG SENSE log page', parse: parseLogSense, describe: describeLogPage },
  'lba-status': {
    what: 'GET LBA STATUS data',
    parse: parseLbaStatus,
    describe: describeLbaStatus,
  },
  mode6: { what: 'MODE SENSE(6) data', parse: parseModeSense6, describe: describeModeParameters },
  mode10: {
    what: 'MODE SENSE(10) data',
    parse: parseModeSense10,
    describe: describeModeParameters,
  },
  opcodes: {
    what: 'REPORT SUPPORTED OPERATION CODES data, all commands',
    parse: parseAllCommands,
    describe: describeSupportedOpcodes,
  },
  'opcode-one': {
    what: 'REPORT SUPPORTED OPERATION CODES data, one command',
    parse: parseOneCommand,
    describe: describeSupportedOpcodes,
  },
};

export const parseCommand: CliCommand = {
  name: 'parse',
  options: { ...READER_OPTION_SPEC, cdb: 'value' },
  positionals: Infinity,
  summary:
    'Decode data a device returned (INQUIRY, VPD pages, capacity, LUNs, mode pages, opcodes)',
  usage: `usbcdb parse KIND HEX… [--json]
usbcdb parse KIND -              read the hex from standard input
usbcdb parse --cdb CDB HEX…      read the data as the answer to the command CDB

KIND:
${Object.entries(KINDS)
  .map(([k, v]) => `  ${k.padEnd(11)} ${v.what}`)
  .join('\n')}
${optionRows([
  [
    '--cdb CDB',
    'the command that returned the data (e.g. "12 01 80 00 fc 00" reads a VPD page);',
    "a vendor command reads by its set's response layout",
  ],
  vendorSetRow('(with --cdb only)'),
  [
    '--json',
    'JSON output: {kind, data, rows:[{label, value, bytes:[first,last]}]};',
    'with --cdb: {command, notes:[string], rows}',
  ],
])}
Exit status: 0 parsed, 97 the bytes are malformed or too short (the message names the field), 1 bad input,
31 a KIND and --cdb both given.`,
  run: async (args: ParsedArgs, io: CliIo) => {
    const [kindName, ...rest] = args.positionals;
    if (option(args, 'cdb') !== undefined) {
      // Two ways of saying how to read the bytes: which was meant is not for usbcdb to pick.
      if (kindName !== undefined && kindName in KINDS) {
        io.err(
          `parse: give a KIND (${kindName}) or --cdb, not both: each says how to read the bytes`,
        );
        return EXIT.contradict;
      }
      return parseForCommand(args, io);
    }
    const kind = kindName !== undefined ? KINDS[kindName] : undefined;
    if (!kind) {
      io.err(`parse: give a KIND (${Object.keys(KINDS).join(', ')}) and the bytes`);
      return EXIT.syntax;
    }
    // A KIND is a standard page, read the same whatever sets are loaded: a --vendor-set given
    // with one would be read for nothing (and a file that does not load would pass unseen).
    if (args.options.has('vendor-set')) {
      io.err(
        `parse: --vendor-set applies to --cdb (a vendor command's answer); a KIND (${kindName}) is read as the standard lays it out, so leave --vendor-set out`,
      );
      return EXIT.syntax;
    }
    const bytes = await hexInput(rest, io, asked(kindName as string));
    if (!bytes) return EXIT.syntax;
    const r = kind.parse(bytes);
    if (!r.ok) {
      io.err(`parse: ${r.error.message}`);
      return EXIT.malformed;
    }
    const rows = kind.describe(r.value as never);
    io.out(flag(args, 'json') ? toJson({ kind: kindName, data: r.value, rows }) : renderRows(rows));
    return EXIT.ok;
  },
};

/** How parse asks for the bytes of `what` (a KIND, or "data" after --cdb); none is bad input (1). */
const asked = (what: string): HexInputWords => ({
  command: 'parse',
  what,
  ask: `give the ${what} bytes as hex, or - to read them from standard input`,
});

/** The data read as the answer to --cdb: its parser, or its vendor set's response layout. */
async function parseForCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  const cdb = parseHex(option(args, 'cdb') ?? '', 'CDB');
  if (!cdb.ok || cdb.value.length === 0) {
    io.err(
      `parse: ${cdb.ok ? 'give the CDB with --cdb, e.g. --cdb "12 00 00 00 24 00"' : cdb.error.message}`,
    );
    return EXIT.syntax;
  }
  const vendorSets = await vendorSetsFromArgs(args, io, 'parse');
  if (!vendorSets) return EXIT.fileError;
  // Which answer the bytes are can hang on any byte of the CDB (EVPD and PAGE CODE, a service
  // action, a vendor selector): a CDB cut short, as `--cdb 12 01 80 …` unquoted leaves it, would
  // be read as another command, and the rest of it as data.
  const spec = resolveCommand(cdb.value, vendorSets)?.spec;
  if (spec && cdb.value.length < spec.cdbLength) {
    io.err(
      `parse: --cdb "${formatHex(cdb.value)}" is ${cdb.value.length} byte${cdb.value.length === 1 ? '' : 's'}, but ${spec.name} is a ${spec.cdbLength}-byte CDB: give the whole CDB as one argument (quote it)`,
    );
    return EXIT.syntax;
  }
  const bytes = await hexInput(args.positionals, io, asked('data'));
  if (!bytes) return EXIT.syntax;
  const decoded = decodeResponse(cdb.value, bytes, vendorSets);
  if (!decoded) {
    io.err(
      `parse: usbcdb has no parser for the answer to ${formatHex(cdb.value)}; a vendor command needs a response layout in its set`,
    );
    return EXIT.syntax;
  }
  if (!decoded.rows.ok) {
    io.err(`parse: ${decoded.rows.error.message}`);
    return EXIT.malformed;
  }
  io.out(
    flag(args, 'json')
      ? toJson({ command: decoded.title, notes: decoded.notes, rows: decoded.rows.value })
      : `${decoded.title}\n${decoded.notes.map((n) => `note: ${n}\n`).join('')}${renderRows(decoded.rows.value)}`,
  );
  return EXIT.ok;
}
