/** `usbcdb parse KIND HEX…` — decode data a device returned. */
import { parseHex } from '../../../shared/scsi/hex';
import type { Result } from '../../../shared/scsi/result';
import {
  describeCapacity,
  describeInquiry,
  describeModeParameters,
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
  parseReportLuns,
  parseVpd,
  type FieldRow,
} from '../../../shared/scsi/parsers';
import { flag, type ParsedArgs } from '../args';
import type { CliCommand } from '../command';
import { EXIT } from '../exit-codes';
import { toJson, type CliIo } from '../io';
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
  summary:
    'Decode data a device returned (INQUIRY, VPD pages, capacity, LUNs, mode pages, opcodes)',
  usage: `usbcdb parse KIND HEX… [--json]
usbcdb parse KIND -              read the hex from standard input

KIND:
${Object.entries(KINDS)
  .map(([k, v]) => `  ${k.padEnd(11)} ${v.what}`)
  .join('\n')}
  --json   JSON output: {kind, data, rows:[{label, value, bytes:[first,last]}]}
Exit status: 0 parsed, 97 the bytes are malformed or too short (the message names the field), 1 bad input.`,
  run: async (args: ParsedArgs, io: CliIo) => {
    const [kindName, ...rest] = args.positionals;
    const kind = kindName !== undefined ? KINDS[kindName] : undefined;
    if (!kind) {
      io.err(`parse: give a KIND (${Object.keys(KINDS).join(', ')}) and the bytes`);
      return EXIT.syntax;
    }
    const text = rest.length === 1 && rest[0] === '-' ? await io.readStdin() : rest.join(' ');
    const bytes = parseHex(text, kindName as string);
    if (!bytes.ok) {
      io.err(`parse: ${bytes.error.message}`);
      return EXIT.syntax;
    }
    const r = kind.parse(bytes.value);
    if (!r.ok) {
      io.err(`parse: ${r.error.message}`);
      return EXIT.malformed;
    }
    const rows = kind.describe(r.value as never);
    io.out(flag(args, 'json') ? toJson({ kind: kindName, data: r.value, rows }) : renderRows(rows));
    return EXIT.ok;
  },
};
