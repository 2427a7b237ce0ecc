/**
 * What a command handler of the emulated logical unit gets: the CDB read
 * through the catalog layout the device uses, keyed by the command's catalog
 * name so field keys and handler names are checked against the catalog.
 */
import type { CommandSpec, FieldSpec } from '../../../shared/scsi/catalog';
import type { CommandName, FieldKeyOf } from '../../../shared/scsi/catalog/commands';
import type { DiskLu } from '../disk';
import { good, type CheckResult, type HandlerResult } from '../responses';

export interface Ctx<N extends CommandName = CommandName> {
  readonly cdb: Uint8Array;
  readonly spec: CommandSpec;
  /** The layout's fields (SPC-2 layouts on an SPC-2 device). */
  readonly fields: readonly FieldSpec[];
  readonly dataOut: Uint8Array;
  /** A field's value by catalog key (0 when the layout has no such field). */
  get(key: FieldKeyOf<N>): number;
  getBig(key: FieldKeyOf<N>): bigint;
  /** INVALID FIELD IN CDB pointing at the field's catalog position in this layout. */
  invalid(key: FieldKeyOf<N>): CheckResult;
}

/** One command's behaviour: the logical unit's state in, status and data out. */
export type Handler<N extends CommandName = CommandName> = (
  lu: DiskLu,
  ctx: Ctx<N>,
) => Promise<HandlerResult>;

/** The implemented commands: a handler per catalog name (a misspelt name does not compile). */
export type HandlerTable = { readonly [N in CommandName]?: Handler<N> };

/** Data-in cut to the allocation length (SPC-5, allocation length). */
export function withAllocation(data: Uint8Array, allocation: number): HandlerResult {
  return good(data.subarray(0, Math.min(data.length, allocation)));
}

/** A space-padded ASCII field (SPC-5, ASCII data fields). */
export function ascii(text: string, length: number): Uint8Array {
  const out = new Uint8Array(length).fill(0x20);
  for (let i = 0; i < Math.min(length, text.length); i++) out[i] = text.charCodeAt(i) & 0x7f;
  return out;
}
