/**
 * `--vendor-set FILE` (repeatable): the user's vendor-set files, read with
 * the format's own checks (src-main/vendor-sets/load.ts), for every command
 * that resolves a CDB or a name. Sets are used in the order given: the
 * first set declaring an opcode wins (shared/scsi/catalog/resolve.ts).
 */
import type { VendorSet } from '../../shared/vendor-sets/model';
import { loadVendorSetFile } from '../vendor-sets/load';
import type { OptionSpec, ParsedArgs } from './args';
import type { CliIo } from './io';

/** For usage texts. */
export const VENDOR_SET_OPTION = `  --vendor-set FILE  a vendor-set JSON file whose commands usbcdb then knows (repeatable)`;

/** The options of the commands that only read (no device): --vendor-set FILE and --json. */
export const READER_OPTION_SPEC: OptionSpec = { 'vendor-set': 'value', json: 'flag' };

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
    if (path === 'true') {
      io.err(`${command}: --vendor-set needs a file`);
      return undefined;
    }
    const r = await loadVendorSetFile(path);
    if (!r.ok) {
      io.err(`${command}: ${r.error.message}`);
      return undefined;
    }
    sets.push(r.value);
  }
  return sets;
}
