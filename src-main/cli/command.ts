/** The shape every CLI command has; the dispatcher in usbcdb.ts lists them all. */
import type { OptionSpec, ParsedArgs } from './args';
import type { CliIo } from './io';

export interface CliCommand {
  readonly name: string;
  /** One line for `usbcdb help`. */
  readonly summary: string;
  /** Usage text for `usbcdb help NAME` / `usbcdb NAME --help`. */
  readonly usage: string;
  /** The options it takes (each is in `usage`); any other is refused by name. */
  readonly options: OptionSpec;
  /** Also takes catalog fields as options (`--alloc 36`), which it checks itself. */
  readonly fieldOptions?: boolean;
  /** How many words besides options it takes (none unless given; `Infinity` for a list). */
  readonly positionals?: number;
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}
