/** `usbcdb decode-sense HEX… | -` */
import { explainSenseFor } from '../../../shared/scsi/sense/for-command';
import { parseHex } from '../../../shared/scsi/hex';
import { flag, option, type ParsedArgs } from '../args';
import type { CliCommand } from '../command';
import { EXIT } from '../exit-codes';
import { hexInput, toJson, type CliIo } from '../io';
import { renderSense } from '../render/sense';
import { READER_OPTION_SPEC, vendorSetRow, vendorSetsFromArgs } from '../vendor-set-options';
import { optionRows } from '../usage';

export const decodeSenseCommand: CliCommand = {
  name: 'decode-sense',
  options: { ...READER_OPTION_SPEC, cdb: 'value' },
  positionals: Infinity,
  summary: 'Sense data in plain words (fixed and descriptor formats, field pointers named)',
  usage: `usbcdb decode-sense HEX… [--cdb HEX] [--json]
usbcdb decode-sense -            read the hex from standard input

The sense bytes may be one argument or several ("70 00 05 …" or 70 00 05 …).
${optionRows([
  [
    '--cdb HEX',
    'the CDB that failed, so a field pointer is named (e.g. "ALLOCATION LENGTH of INQUIRY")',
  ],
  vendorSetRow('(a field pointer into one of its CDBs is named too)'),
  [
    '--json',
    'JSON output: {bytes, sense:{responseCode,format,deferred,senseKey,asc,ascq,filemark,eom,ili,',
    'information,commandSpecific,fru,senseKeySpecific,ata,descriptors,claimedLength,length,truncated},',
    'explanation:{headline,keyName,ascText,action,details,advice,pointer}}',
  ],
])}
Exit status: 0 decoded, 97 the bytes are not sense data, 1 bad input.`,
  run: async (args: ParsedArgs, io: CliIo) => {
    const bytes = await hexInput(args.positionals, io, {
      command: 'decode-sense',
      what: 'sense',
      ask: 'give the sense bytes, e.g. usbcdb decode-sense 70 00 05 00 00 00 00 0a 00 00 00 00 24 00 00 00 00 00',
    });
    if (!bytes) return EXIT.syntax;
    const cdbText = option(args, 'cdb');
    const cdb = cdbText !== undefined ? parseHex(cdbText, 'CDB') : undefined;
    if (cdb && !cdb.ok) {
      io.err(`decode-sense: ${cdb.error.message}`);
      return EXIT.syntax;
    }
    const vendorSets = await vendorSetsFromArgs(args, io, 'decode-sense');
    if (!vendorSets) return EXIT.fileError;
    const read = explainSenseFor(bytes, {
      vendorSets,
      ...(cdb?.ok ? { cdb: cdb.value } : {}),
    });
    if (!read.ok) {
      io.err(`decode-sense: ${read.error.message}`);
      return EXIT.malformed;
    }
    const { sense, explanation } = read.value;
    io.out(
      flag(args, 'json')
        ? toJson({ bytes, sense, explanation })
        : renderSense(bytes, sense, explanation),
    );
    return EXIT.ok;
  },
};
