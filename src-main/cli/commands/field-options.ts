/**
 * Catalog fields as command-line options (`--allocation-length 36`,
 * `--alloc 36`), shared by `build` and `vendor` so both accept the same
 * spellings.
 */
import type { FieldSpec } from '../../../shared/scsi/catalog';
import { ContradictingOptions, parseBigNumber, type OptionSpec, type ParsedArgs } from '../args';

/** Short option names for fields by role, as sg3_utils users type them. */
const ROLE_ALIASES: Readonly<Record<string, FieldSpec['role']>> = {
  alloc: 'allocationLength',
  len: 'transferLength',
  blocks: 'transferLength',
  'param-len': 'parameterListLength',
  lba: 'lba',
  sa: 'serviceAction',
};

export function kebab(key: string): string {
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

/**
 * Field values from the options the command does not declare itself (`own`); an unknown option
 * or a bad number is an Error naming the valid fields, and one field given under two of its
 * names (`--alloc 36 --allocation-length 40`) is ContradictingOptions, as an option given twice is.
 */
export function fieldValuesFromOptions(
  args: ParsedArgs,
  command: string,
  fields: readonly FieldSpec[],
  own: OptionSpec,
): Record<string, bigint> | Error {
  const values: Record<string, bigint> = {};
  const givenAs: Record<string, string> = {};
  for (const [opt, vals] of args.options) {
    if (opt in own) continue;
    const f = fieldFor(fields, opt);
    if (!f) {
      const valid = fields.filter((x) => x.role !== 'opcode').map((x) => `--${kebab(x.key)}`);
      return new Error(`${command} has no field "--${opt}"; its fields are ${valid.join(', ')}`);
    }
    const before = givenAs[f.key];
    if (before !== undefined)
      return new ContradictingOptions(`--${opt} and --${before} both set ${f.name}; give it once`);
    const v = parseBigNumber(vals[vals.length - 1] ?? '', `--${opt}`);
    if (v instanceof Error) return v;
    values[f.key] = v;
    givenAs[f.key] = opt;
  }
  return values;
}
