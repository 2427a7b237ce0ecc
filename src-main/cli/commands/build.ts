/** `usbcdb build COMMAND [--field value…]` */
import { findByName, layoutOf, type FieldSpec } from '../../../shared/scsi/catalog';
import { buildCdb } from '../../../shared/scsi/cdb/build';
import { decodeCdb, formatDecodedCdb } from '../../../shared/scsi/cdb/decode';
import { formatHex } from '../../../shared/scsi/hex';
import { lintCdb } from '../../../shared/lint/lint';
import { flag, parseBigNumber, type ParsedArgs } from '../args';
import type { CliCommand } from '../command';
import { EXIT } from '../exit-codes';
import { toJson, type CliIo } from '../io';
import { renderLint } from '../render/lint';

/** Short option names for fields by role, as sg3_utils users type them. */
const ROLE_ALIASES: Readonly<Record<string, FieldSpec['role']>> = {
  alloc: 'allocationLength',
  len: 'transferLength',
  blocks: 'transferLength',
  'param-len': 'parameterListLength',
  lba: 'lba',
  sa: 'serviceAction',
};

/** Options that are not fields. */
const NOT_FIELDS = new Set(['json', 'spc2', 'quiet', 'q', 'standard']);

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function fieldFor(fields: readonly FieldSpec[], option: string): FieldSpec | undefined {
  const o = option.toLowerCase();
  const role = ROLE_ALIASES[o];
  return fields.find(
    (f) =>
      f.key.toLowerCase() === o || kebab(f.key) === o || (role !== undefined && f.role === role),
  );
}

export const buildCommand: CliCommand = {
  name: 'build',
  summary: 'Build a CDB from catalog fields, e.g. usbcdb build inquiry --alloc 36',
  usage: `usbcdb build COMMAND [--FIELD VALUE…] [--spc2] [--quiet] [--json]

COMMAND is a catalog name or alias (inquiry, read10, "READ CAPACITY(16)") or opcode (12h, 0x9e/0x10).
Each field is given by its key (usbcdb catalog COMMAND lists them), in camelCase or kebab-case,
or by a short name: --alloc (ALLOCATION LENGTH), --lba, --len/--blocks (TRANSFER LENGTH),
--param-len (PARAMETER LIST LENGTH), --sa (SERVICE ACTION). Values: decimal, 0x.. or ..h.
Unset fields take their default (INQUIRY's ALLOCATION LENGTH defaults to 36) or 0.
  --spc2     use the SPC-2 layout where it differs (INQUIRY: one-byte ALLOCATION LENGTH in byte 4)
  --quiet    print only the CDB hex
  --json     JSON output: {command, standard, cdb, fields:[{key,name,position,value,valueName}], lint:{findings,corrected}}
Exit status: 0 built, 1 unknown command/field or a value that does not fit.`,
  run: (args: ParsedArgs, io: CliIo) => Promise.resolve(runBuild(args, io)),
};

function runBuild(args: ParsedArgs, io: CliIo): number {
  const name = args.positionals.join(' ');
  if (name === '') {
    io.err(
      'build: name the command, e.g. usbcdb build inquiry --alloc 36 (usbcdb catalog lists them)',
    );
    return EXIT.syntax;
  }
  const spec = findByName(name);
  if (!spec) {
    io.err(
      `build: "${name}" is not in the catalog; usbcdb catalog lists the commands, and vendor opcodes (C0h–FFh) are written as raw hex`,
    );
    return EXIT.syntax;
  }
  const standard = flag(args, 'spc2') ? 'SPC-2' : undefined;
  const layout = layoutOf(spec, standard);
  const values: Record<string, bigint> = {};
  for (const [opt, vals] of args.options) {
    if (NOT_FIELDS.has(opt)) continue;
    const f = fieldFor(layout.fields, opt);
    if (!f) {
      io.err(
        `build: ${spec.name} has no field "--${opt}"; its fields are ${layout.fields
          .filter((x) => x.role !== 'opcode')
          .map((x) => `--${kebab(x.key)}`)
          .join(', ')}`,
      );
      return EXIT.syntax;
    }
    const v = parseBigNumber(vals[vals.length - 1] ?? '', `--${opt}`);
    if (v instanceof Error) {
      io.err(`build: ${v.message}`);
      return EXIT.syntax;
    }
    values[f.key] = v;
  }
  const built = buildCdb(spec, values, standard ? { standard } : {});
  if (!built.ok) {
    io.err(`build: ${built.error.message}`);
    return EXIT.syntax;
  }
  const cdb = built.value;
  const decoded = decodeCdb(cdb, standard ? { standard } : {});
  const lint = lintCdb({ cdb, ...(standard ? { spcLevel: 2 } : {}) });
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
  } else if (flag(args, 'quiet', 'q')) {
    io.out(formatHex(cdb));
  } else {
    io.out(decoded.ok ? formatDecodedCdb(decoded.value) : formatHex(cdb));
    const notable = lint.findings.filter((f) => f.severity !== 'info');
    if (notable.length > 0) io.out(`\n${renderLint(cdb, 'lint', { findings: notable })}`);
  }
  return EXIT.ok;
}
