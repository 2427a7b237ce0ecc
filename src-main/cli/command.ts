/** The shape every CLI command has; the dispatcher in usbcdb.ts lists them all. */
import type { ParsedArgs } from './args';
import type { CliIo } from './io';

export interface CliCommand {
  readonly name: string;
  /** One line for `usbcdb help`. */
  readonly summary: string;
  /** Usage text for `usbcdb help NAME` / `usbcdb NAME --help`. */
  readonly usage: string;
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}
