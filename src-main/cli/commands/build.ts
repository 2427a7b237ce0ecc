/** `usbcdb build COMMAND [--field value…]` */
import { dataTransferOf, layoutOf } from '../../../shared/scsi/catalog';
import { resolveByName } from '../../../shared/scsi/catalog/resolve';
import { buildCdb } from '../../../shared/scsi/cdb/build';
import { decodeCdb, formatDecodedCdb } from '../../../shared/scsi/cdb/decode';
import { formatHex } from '../../../shared/scsi/hex';
import { lintCdb } from '../../../shared/lint/lint';
import { flag, type ParsedArgs } from '../args';
import type { CliCommand } from '../command';
import { EXIT, exitCodeForArgs } from '../exit-codes';
import { toJson, type CliIo } from '../io';
import { renderLint } from '../render/lint';
import type { VendorSet } from '../../../shared/vendor-sets/model';
import { fieldValuesFromOptions } from './field-options';
import {
  READER_OPTION_SPEC,
  vendorSetRow,
  vendorSetsFromArgs,
  withSetOfName,
} from '../vendor-set-options';
import { optionRows } from '../usage';
import { notCatalogued } from '../not-catalogued';

export const buildCommand: CliCommand = {
  name: 'build',
  options: { ...READER_OPTION_SPEC, spc2: 'flag', quiet: 'flag', q: { aliasOf: 'quiet' } },
  positionals: Infinity,
  fieldOptions: true,
  summary: 'Build a CDB from catalog fields, e.g. usbcdb build inquiry --alloc 36',
  usage: `usbcdb build COMMAND [--FIELD VALUE…] [--spc2] [--quiet] [--json]

COMMAND is a catalog name or alias (inquiry, read10, "READ CAPACITY(16)") or opcode (12h, 0x9e/0x10),
or a command of a --vendor-set file (its alias, name or opcode, e.g. acme.unlock or C1h).
Each field is given by its key (usbcdb catalog COMMAND lists them), in camelCase or kebab-case,
or by a short name: --alloc (ALLOCATION LENGTH), --lba, --len/--blocks (TRANSFER LENGTH),
--param-len (PARAMETER LIST LENGTH), --sa (SERVICE ACTION). Values: decimal, 0x.. or ..h.
Unset fields take their default (INQUIRY's ALLOCATION LENGTH defaults to 36) or 0.
${optionRows([
  [
    '--spc2',
    'use the SPC-2 layout where it differs (INQUIRY: one-byte ALLOCATION LENGTH in byte 4)',
  ],
  vendorSetRow(),
  ['--quiet', 'print only the CDB hex'],
  [
    '--json',
    'JSON output: {command, standard, cdb, fields:[{key,name,position,value,valueName}], lint:{findings,corrected}}',
  ],
])}
Exit status: 0 built, 1 unknown command/field or a value that does not fit.`,
  run: async (args: ParsedArgs, io: CliIo) => {
    const vendorSets = await vendorSetsFromArgs(args, io, 'build');
    return vendorSets ? runBuild(args, io, vendorSets) : EXIT.fileError;
  },
};

function runBuild(args: ParsedArgs, io: CliIo, vendorSets: readonly VendorSet[]): number {
  const name = args.positionals.join(' ');
  if (name === '') {
    io.err(
      'build: name the command, e.g. usbcdb build inquiry --alloc 36 (usbcdb catalog lists them)',
    );
    return EXIT.syntax;
  }
  const sets = withSetOfName(name, vendorSets);
  const spec = resolveByName(name, sets)?.spec;
  if (!spec) {
    io.err(notCatalogued('build', name, sets));
    return EXIT.syntax;
  }
  const standard = flag(args, 'spc2') ? 'SPC-2' : undefined;
  const layout = layoutOf(spec, standard);
  const values = fieldValuesFromOptions(args, spec.name, layout.fields, buildCommand.options);
  if (values instanceof Error) {
    io.err(`build: ${values.message}`);
    return exitCodeForArgs(values);
  }
  const built = buildCdb(spec, values, standard ? { standard } : {});
  if (!built.ok) {
    io.err(`build: ${built.error.message}`);
    return EXIT.syntax;
  }
  const cdb = built.value;
  const decoded = decodeCdb(cdb, { vendorSets: sets, ...(standard ? { standard } : {}) });
  // The built CDB's own data phase is the transfer it goes with: lint judges the CDB against it.
  const transfer = dataTransferOf(cdb, layout);
  const lint = lintCdb({
    cdb,
    vendorSets: sets,
    ...(transfer.bytes === undefined || transfer.direction === 'none'
      ? {}
      : transfer.direction === 'in'
        ? { dataIn: transfer.bytes }
        : { dataOut: transfer.bytes }),
    ...(standard ? { spcLevel: 2 } : {}),
  });
  if (flag(args, 'json')) {
    io.out(
      toJson({
        command: spec.name,
        standard: layout.standard,
        cdb,
        fields: decoded.ok
          ? decoded.value.fields.map((f) => ({
              key: f.field.key,
              name: f.field.name,
              position: f.position,
              value: f.value,
              valueName: f.valueName ?? null,
            }))
          : [],
        lint,
      }),
    );
  } else if (flag(args, 'quiet')) {
    io.out(formatHex(cdb));
  } else {
    io.out(decoded.ok ? formatDecodedCdb(decoded.value) : formatHex(cdb));
    const notable = lint.findings.filter((f) => f.severity !== 'info');
    if (notable.length > 0) io.out(`\n${renderLint(cdb, 'lint', { findings: notable })}`);
  }
  return EXIT.ok;
}
