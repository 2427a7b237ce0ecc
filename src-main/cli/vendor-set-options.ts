/**
 * `--vendor-set FILE` (repeatable): the user's vendor-set files, read with
 * the format's own checks (src-main/vendor-sets/load.ts), for every command
 * that resolves a CDB or a name. Sets are used in the order given: the
 * first set declaring an opcode wins (shared/scsi/catalog/resolve.ts).
 */
import type { Opcode } from '../../shared/scsi/brand';
import { existsSync } from 'node:fs';
import type { VendorSet } from '../../shared/vendor-sets/model';
import { entriesWithOpcode } from '../../shared/scsi/catalog/resolve';
import { BUILT_IN_SETS, findVendorSet } from '../../shared/vendor-sets/registry';
import { loadVendorSetFile } from '../vendor-sets/load';
import { nearest, type OptionSpec, type ParsedArgs } from './args';
import type { CliIo } from './io';
import type { OptionRow } from './usage';

/** The --vendor-set row of usage texts; `more` says what the sets do for this command. */
export function vendorSetRow(...more: string[]): OptionRow {
  return [
    '--vendor-set FILE',
    'a vendor-set JSON file whose commands usbcdb then knows (repeatable);',
    'or a shipped set by name (usbcdb vendor lists them: asmedia, example…)',
    ...more,
  ];
}

/** The options of the commands that only read (no device): --vendor-set FILE and --json. */
export const READER_OPTION_SPEC: OptionSpec = { 'vendor-set': 'values', json: 'flag' };

/**
 * The sets named by --vendor-set, in order; undefined after saying which
 * file could not be read or does not parse (the message names the line and
 * field).
 */
export async function vendorSetsFromArgs(
  args: ParsedArgs,
  io: CliIo,
  command: string,
): Promise<readonly VendorSet[] | undefined> {
  const sets: VendorSet[] = [];
  for (const path of args.options.get('vendor-set') ?? []) {
    // A bare name that is no file here names a shipped set (`--vendor-set asmedia`).
    const bareName = /^[\w-]+$/.test(path) && !existsSync(path);
    const shipped = bareName ? findVendorSet(path) : undefined;
    if (shipped) {
      sets.push(shipped);
      continue;
    }
    // Neither: most likely a shipped set's name mistyped, which "no such file" alone would hide.
    if (bareName) {
      const names = BUILT_IN_SETS.map((s) => s.name);
      const guess = nearest(path.toLowerCase(), names);
      io.err(
        `${command}: --vendor-set ${path}: no such file, nor a shipped set of that name (${names.join(', ')})${guess ? `; did you mean ${guess}?` : ''}`,
      );
      return undefined;
    }
    const r = await loadVendorSetFile(path);
    if (!r.ok) {
      io.err(`${command}: --vendor-set: ${r.error.message}`);
      return undefined;
    }
    sets.push(r.value);
  }
  return sets;
}

/**
 * `sets` and, when `name` is a shipped set's qualified command name (`example.get-led`, as
 * `usbcdb vendor` lists them), that set: the name says which vendor's command it is, so `build`
 * and `catalog` know it without --vendor-set, as `vendor` does.
 */
export function withSetOfName(name: string, sets: readonly VendorSet[]): readonly VendorSet[] {
  const prefix = /^([\w-]+)\./.exec(name.trim())?.[1];
  const set = prefix === undefined ? undefined : findVendorSet(prefix);
  return set && !sets.includes(set) ? [...sets, set] : sets;
}

/** The shipped sets that declare `opcode`, for a hint where a vendor opcode is not known. */
export function shippedSetsWithOpcode(opcode: Opcode): readonly string[] {
  return [
    ...new Set(
      entriesWithOpcode(BUILT_IN_SETS, opcode).flatMap((r) =>
        r.source === 'vendor' ? [r.set.name] : [],
      ),
    ),
  ];
}
