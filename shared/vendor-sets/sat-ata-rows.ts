/**
 * The built-in sat set's ATA sub-catalog as its file holds it, unparsed: what a
 * command's `{ "ataCommand": NAME }` response resolves against when its own
 * file has no such row. format.ts parses it on first use; it cannot ask
 * registry.ts, which imports format.ts.
 */
import satFile from './sat/sat.json';

/** The file, as messages name it. */
export const SAT_SET_FILE = 'shared/vendor-sets/sat/sat.json';

/** `ataCommands` of the sat set's file, before any check. */
export const SAT_ATA_ROWS: unknown = satFile.ataCommands;
