/**
 * What a command handler of the emulated logical unit gets: the CDB read
 * through the catalog layout the device uses, keyed by the command's catalog
 * name so field keys and handler names are checked against the catalog.
 */
import type { CommandSpec, FieldSpec } from '../../../shared/scsi/catalog';
import type { AnyFieldKey, CommandName, FieldKeyOf } from '../../../shared/scsi/catalog/commands';
import type { DiskLu } from '../disk';
import { good, type CheckResult, type HandlerResult } from '../responses';

/**
 * A handler's view of its CDB, typed by the field keys it may read: `K` only
 * appears as a parameter, so a context offering more keys stands in for one
 * offering fewer (a READ(10) context serves a handler shared by all READs).
 */
export interface FieldsCtx<K extends string> {
  readonly cdb: Uint8Array;
  readonly spec: CommandSpec;
  /** The layout's fields (SPC-2 layouts on an SPC-2 device). */
  readonly fields: readonly FieldSpec[];
  /**
   * The command's data-out, valid while the handler runs: an exporter reuses the buffer it
   * arrived in once the command has ended, so whatever a handler keeps it copies (the store,
   * the microcode staging area, the WRITE BUFFER data buffer all do).
   */
  readonly dataOut: Uint8Array;
  /** A field's value by catalog key (0 when the layout has no such field). */
  get(key: K): number;
  getBig(key: K): bigint;
  /**
   * A field only some commands of a shared handler have (WRITE(6) has no FUA
   * bit, WRITE(10) does): its value, or undefined where this command lacks it.
   * Still checked against every key the catalog declares.
   */
  optional(key: AnyFieldKey): number | undefined;
  /** INVALID FIELD IN CDB pointing at the field's catalog position in this layout. */
  invalid(key: K): CheckResult;
}

/** The context of command `N` (or of every command of a union: their common keys). */
export type Ctx<N extends CommandName = CommandName> = FieldsCtx<FieldKeyOf<N>>;

/** One command's behaviour: the logical unit's state in, status and data out. */
export type Handler<N extends CommandName = CommandName> = KeyedHandler<FieldKeyOf<N>>;

/** A handler typed by the keys it reads (see FieldsCtx: fewer keys serve more commands). */
export type KeyedHandler<K extends string> = (
  lu: DiskLu,
  ctx: FieldsCtx<K>,
) => Promise<HandlerResult>;

/** The implemented commands: a handler per catalog name (a misspelt name does not compile). */
export type HandlerTable = { readonly [N in CommandName]?: KeyedHandler<FieldKeyOf<N>> };

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
