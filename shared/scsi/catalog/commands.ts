/**
 * THE command catalog: one row per operation code (and service action) a
 * USB-storage user meets, sorted by opcode then service action. The rows live
 * by standard in rows/; this is the one list everything reads. Bits no field
 * covers are reserved. C0h–FFh are vendor specific and have no rows
 * (index.ts `opcodeGroup` knows them).
 *
 * Adding a command is adding a row (plus, for the emulator, a handler).
 */
import { OTHER_COMMANDS } from './rows/other';
import { SBC_COMMANDS } from './rows/sbc';
import { SPC_COMMANDS } from './rows/spc';
import { ZBC_COMMANDS } from './rows/zbc';
import type { CommandSpec } from './types';

/**
 * One catalog row with its name as a literal type: the rows are declared
 * `as const`, so code keyed by command (the emulator's handler table) names
 * commands by a type the compiler checks against this list.
 */
export type CatalogRow =
  | (typeof SPC_COMMANDS)[number]
  | (typeof SBC_COMMANDS)[number]
  | (typeof ZBC_COMMANDS)[number]
  | (typeof OTHER_COMMANDS)[number];

/** Every command name the catalog declares (`'INQUIRY' | 'READ(10)' | …`). */
export type CommandName = CatalogRow['name'];

/** The catalog row named `N`. */
export type CatalogRowNamed<N extends CommandName> = Extract<CatalogRow, { readonly name: N }>;

/** Keys of the fields row `N` declares, in its current layout and any legacy one. */
type RowFieldKey<N extends CommandName> =
  CatalogRowNamed<N>['fields'][number]['key'] | LegacyFieldKey<CatalogRowNamed<N>>;

/** Every field key the catalog declares, in any command. */
export type AnyFieldKey = RowFieldKey<CommandName>;

/**
 * The field keys every command of `N` declares: for one command, its keys;
 * for a union (a handler shared by READ(6)…READ(16)), only the keys they all
 * have, so shared code cannot read a field one of them lacks. (Inferring a
 * parameter from a union of functions intersects the parameter types.)
 */
export type FieldKeyOf<N extends CommandName> = {
  [M in N]: (key: RowFieldKey<M>) => void;
}[N] extends (key: infer K) => void
  ? K & string
  : never;

type LegacyFieldKey<R> = R extends { readonly legacy: readonly (infer L)[] }
  ? L extends { readonly fields: readonly { readonly key: infer K }[] }
    ? K
    : never
  : never;

const ROWS: CommandSpec[] = [...SPC_COMMANDS, ...SBC_COMMANDS, ...ZBC_COMMANDS, ...OTHER_COMMANDS];

export const COMMANDS: readonly CommandSpec[] = Object.freeze(
  ROWS.sort((a, b) => a.opcode - b.opcode || (a.serviceAction ?? -1) - (b.serviceAction ?? -1)),
);
