/** `usbcdb lint CDB-HEX… [--data-in N | --data-out N] [--lun N] [--block-size N] [--spc2]` */
import { resolveCommand } from '../../../shared/scsi/catalog/resolve';
import { blockSizeProblem } from '../../../shared/scsi/catalog';
import type { VendorSet } from '../../../shared/vendor-sets/model';
import { READER_OPTION_SPEC, vendorSetRow, vendorSetsFromArgs } from '../vendor-set-options';
import { optionRows } from '../usage';
import { parseHex, t10Hex } from '../../../shared/scsi/hex';
import { lintCdb, RULES } from '../../../shared/lint/lint';
import { flag, isOneByteWord, type ParsedArgs } from '../args';
import type { CliCommand } from '../command';
import { EXIT } from '../exit-codes';
import { toJson, type CliIo } from '../io';
import { renderLint } from '../render/lint';
import { numericOptions } from './shared-options';
import { bothDirectionsProblem } from '../../../shared/lint/bot-pairing';

export const lintCommand: CliCommand = {
  name: 'lint',
  positionals: Infinity,
  options: {
    ...READER_OPTION_SPEC,
    rules: 'flag',
    spc2: 'flag',
    'data-in': 'value',
    'data-out': 'value',
    lun: 'value',
    'block-size': 'value',
  },
  summary:
    'Check CDBs byte by byte: length, reserved bits, length vs buffer, direction, LUN, obsolete fields',
  usage: `usbcdb lint CDB-HEX [CDB-HEX…] [options]

Each CDB is one argument ("12 00 00 24 00 00", "120000240000" or "0x12,0x00,…"); bytes given
as separate words (12 00 00 24 00 00, as sg_raw and usbcdb raw take them) are one CDB, since no
command is one byte long.
Options:
${optionRows([
  [
    '--data-in N',
    "the host's data-in buffer / transfer length in bytes (at most 4294967295,",
    "as a CBW's dCBWDataTransferLength)",
  ],
  ['--data-out N', "the host's data-out length in bytes (at most 4294967295)"],
  ['--lun N', 'the LUN the transport addresses (0–15)'],
  ['--block-size N', 'logical block size for block-unit lengths (default 512)'],
  ['--spc2', 'judge the CDB as an SPC-2 device would (INQUIRY byte 3 reserved)'],
  vendorSetRow(),
  ['--rules', 'list every rule with its stable id'],
  [
    '--json',
    'JSON output: [{cdb, command, findings:[{id,severity,byte,mask,field,position,message,why,fix:{cdb,description,transferLength}}], corrected:{cdb,transferLength,steps}}]',
  ],
])}
Exit status: 0 when no finding is an error, 5 when at least one is (a device would likely reject the command), 1 on bad input,
31 for --data-in with --data-out.`,
  run: async (args: ParsedArgs, io: CliIo) => {
    const vendorSets = await vendorSetsFromArgs(args, io, 'lint');
    return vendorSets ? runLint(args, io, vendorSets) : EXIT.fileError;
  },
};

function runLint(args: ParsedArgs, io: CliIo, vendorSets: readonly VendorSet[]): number {
  if (flag(args, 'rules')) {
    if (flag(args, 'json')) io.out(toJson(RULES.map((r) => ({ id: r.id, summary: r.summary }))));
    else for (const r of RULES) io.out(`${r.id.padEnd(20)} ${r.summary}`);
    return EXIT.ok;
  }
  if (args.positionals.length === 0) {
    io.err('lint: give at least one CDB, e.g. usbcdb lint "12 00 00 24 00 00" --data-in 512');
    return EXIT.syntax;
  }
  const nums = numericOptions(args, ['data-in', 'data-out', 'lun', 'block-size']);
  if (nums instanceof Error) {
    io.err(`lint: ${nums.message}`);
    return EXIT.syntax;
  }
  // Options that exclude each other exit as raw's --in with --out does (sg3_utils' SG_LIB_CONTRADICT).
  const both = bothDirectionsProblem(nums['data-in'], nums['data-out'], '--data-in', '--data-out');
  if (both) {
    io.err(`lint: ${both}`);
    return EXIT.contradict;
  }
  const badBlockSize =
    nums['block-size'] !== undefined
      ? blockSizeProblem(nums['block-size'], '--block-size')
      : undefined;
  if (badBlockSize) {
    io.err(`lint: ${badBlockSize}`);
    return EXIT.syntax;
  }
  const results = [];
  for (const text of cdbTexts(args.positionals)) {
    const cdb = parseHex(text, 'CDB');
    if (!cdb.ok) {
      io.err(`lint: ${cdb.error.message}`);
      return EXIT.syntax;
    }
    const report = lintCdb({
      cdb: cdb.value,
      ...(nums['data-in'] !== undefined ? { dataIn: nums['data-in'] } : {}),
      ...(nums['data-out'] !== undefined ? { dataOut: nums['data-out'] } : {}),
      ...(nums.lun !== undefined ? { lun: nums.lun } : {}),
      ...(nums['block-size'] !== undefined ? { blockSize: nums['block-size'] } : {}),
      ...(flag(args, 'spc2') ? { spcLevel: 2 } : {}),
      vendorSets,
    });
    const spec = resolveCommand(cdb.value, vendorSets)?.spec;
    const title = spec
      ? spec.name
      : cdb.value.length > 0
        ? `opcode ${t10Hex(cdb.value[0] ?? 0)}`
        : 'empty';
    results.push({ cdb: cdb.value, command: spec?.name ?? null, ...report, title });
  }
  if (flag(args, 'json')) {
    io.out(toJson(results.map(({ title: _t, ...r }) => r)));
  } else {
    io.out(results.map((r) => renderLint(r.cdb, r.title, r)).join('\n\n'));
  }
  return results.some((r) => r.findings.some((f) => f.severity === 'error'))
    ? EXIT.illegalRequest
    : EXIT.ok;
}

/**
 * The CDBs a list of words names. A word is one CDB ("12 00 00 24 00 00"), except that a run of
 * one-byte words is one CDB together: `usbcdb lint 12 00 00 24 00 00` means the INQUIRY, as
 * sg_raw and `usbcdb raw` read those words, not six one-byte CDBs (the shortest command is six).
 */
function cdbTexts(words: readonly string[]): string[] {
  const texts: string[] = [];
  let run: string[] = [];
  for (const w of words) {
    if (isOneByteWord(w)) {
      run.push(w.trim());
      continue;
    }
    if (run.length > 0) texts.push(run.join(' '));
    run = [];
    texts.push(w);
  }
  if (run.length > 0) texts.push(run.join(' '));
  return texts;
}
