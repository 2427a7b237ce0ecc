/**
 * THE lookup: what a CDB, a name or a search means, across the standard
 * catalog and the vendor sets a caller knows the device speaks (the shipped
 * sets and the user's own files, all `VendorSet`s by the time they get
 * here). Lint, the CDB decoder, the doctor, the exports, the confirmation
 * policy, the response decoder, the editor's Find and the CLI all resolve
 * through these three functions, so a vendor command declared once is
 * understood everywhere.
 *
 * Precedence, for a CDB:
 * - Opcodes C0h–FFh are vendor specific (SPC-5, operation code groups):
 *   the first set in `sets` declaring the opcode (and, where its row has
 *   one, the service action) wins. The catalog has no rows there.
 * - Opcodes 00h–BFh belong to the standards, but a few bridges reuse one
 *   for their own pass-through (Cypress ATACB 24h; JMicron's NVMe
 *   pass-through on A1h, SAT's ATA PASS-THROUGH(12)). A set's command may
 *   do the same only when it says why (`standardRangeOpcode`) and has a
 *   selector (`serviceActionField` + `serviceAction`): then, when the CDB's
 *   selector field holds that value, the first such command of `sets` wins
 *   over the catalog; any other CDB with the opcode is the catalog's. That
 *   is why `sets` must hold only the sets the device speaks — on any other
 *   device an A1h with byte 1 = 82h is SAT's, not JMicron's. A set's
 *   declaration of a standard opcode without both is never used (a set may
 *   not redefine READ(10) for every other consumer), and `catalogProblems`
 *   (problems.ts) with `{ vendor: true }` reports it, so a vendor-set file
 *   declaring one is refused when it is read.
 *
 * For a name, the catalog's names, aliases and opcode text come first;
 * a vendor alias that repeats a catalog alias is likewise refused by
 * `catalogProblems`.
 */
import type { Opcode } from '../brand';
import type { VendorCommandDef, VendorSet } from '../../vendor-sets/model';
import { fieldFits, readField } from './fields';
import {
  findByName,
  findCommand,
  fieldValue,
  opcodeGroup,
  opcodeOf,
  searchCommands,
} from './index';
import type { CommandSpec, FieldSpec } from './types';

/** What a CDB or name resolved to: a catalog row, or a command of a vendor set. */
export type ResolvedCommand =
  | { readonly source: 'standard'; readonly spec: CommandSpec }
  | {
      readonly source: 'vendor';
      readonly spec: CommandSpec;
      readonly set: VendorSet;
      readonly command: VendorCommandDef;
    };

const standard = (spec: CommandSpec): ResolvedCommand => ({ source: 'standard', spec });

/**
 * Whether a vendor row may stand for a standard opcode (00h–BFh): it says
 * why (`standardRangeOpcode`) and has a selector. checks.ts refuses a file
 * where one is missing; the lookup checks again, as a set may be built in code.
 */
function reusesStandardOpcode(spec: CommandSpec): boolean {
  return (
    spec.standardRangeOpcode !== undefined &&
    spec.serviceAction !== undefined &&
    spec.serviceActionField !== undefined
  );
}

/**
 * The commands of `sets` the lookup uses, in order: those with vendor-specific
 * opcodes, and those that reuse a standard opcode the way the format allows.
 */
function vendorEntries(sets: readonly VendorSet[]): ResolvedCommand[] {
  return sets.flatMap((set) =>
    set.commands
      .filter(
        (command) =>
          opcodeGroup(command.spec.opcode).vendorSpecific || reusesStandardOpcode(command.spec),
      )
      .map((command): ResolvedCommand => ({ source: 'vendor', spec: command.spec, set, command })),
  );
}

/** `vendorEntries` of one list of sets, by opcode, and the sets it was made from. */
interface EntriesByOpcode {
  readonly sets: readonly VendorSet[];
  readonly byOpcode: ReadonlyMap<number, readonly ResolvedCommand[]>;
}

/**
 * Per list of sets: an emulated drive resolves every CDB it answers against the same list, and
 * building the entries again each time was a measurable part of answering a TEST UNIT READY.
 * A list changed in place (its length or any element) is indexed again.
 */
const indexed = new WeakMap<readonly VendorSet[], EntriesByOpcode>();

/** The commands of `sets` with opcode `op`, in the sets' order (indexed once per list of sets). */
export function entriesWithOpcode(
  sets: readonly VendorSet[],
  op: Opcode,
): readonly ResolvedCommand[] {
  if (sets.length === 0) return [];
  let index = indexed.get(sets);
  if (!index || index.sets.length !== sets.length || index.sets.some((s, i) => s !== sets[i])) {
    const byOpcode = new Map<number, ResolvedCommand[]>();
    for (const e of vendorEntries(sets)) {
      const same = byOpcode.get(e.spec.opcode);
      if (same) same.push(e);
      else byOpcode.set(e.spec.opcode, [e]);
    }
    index = { sets: [...sets], byOpcode };
    indexed.set(sets, index);
  }
  return index.byOpcode.get(op) ?? [];
}

/** Whether a vendor row describes this CDB: its opcode, and its service action when it has one. */
function selects(spec: CommandSpec, cdb: Uint8Array): boolean {
  if (spec.opcode !== cdb[0]) return false;
  if (spec.serviceAction === undefined) return true;
  return (
    spec.serviceActionField !== undefined &&
    fieldValue(cdb, spec, spec.serviceActionField) === spec.serviceAction
  );
}

/**
 * The first field of a vendor command whose declared bounds (`min`/`max`) the CDB breaks, or
 * that the CDB is too short to hold. A set's bounds say which CDBs its command is: a bridge
 * passes any value on (an ATA bridge's COMMAND register may hold any ATA command), so a CDB
 * outside them is a command the set does not describe, whatever its selector says.
 */
export function fieldOutsideBounds(spec: CommandSpec, cdb: Uint8Array): FieldSpec | undefined {
  return spec.fields.find((f) => {
    if (f.min === undefined && f.max === undefined) return false;
    if (!fieldFits(f, cdb.length)) return true;
    const v = Number(readField(cdb, f));
    return (f.min !== undefined && v < f.min) || (f.max !== undefined && v > f.max);
  });
}

/**
 * The definition of the command a CDB carries: for a standard opcode, the
 * first command of `sets` reusing it whose selector the CDB holds, else the
 * catalog row; for C0h–FFh, the first declaring set's command; undefined
 * when neither knows it (or the CDB is empty). Where several commands'
 * selectors match, one whose bounded fields all hold comes first (Cypress's
 * register read-back keeps the COMMAND of the command it follows, and only
 * its ACTION SELECT tells it apart).
 */
export function resolveCommand(
  cdb: Uint8Array,
  sets: readonly VendorSet[] = [],
): ResolvedCommand | undefined {
  if (cdb.length === 0) return undefined;
  const op = opcodeOf(cdb);
  const selected = entriesWithOpcode(sets, op).filter((r) => selects(r.spec, cdb));
  const fitting = selected.filter((r) => !fieldOutsideBounds(r.spec, cdb));
  const candidates = fitting.length > 0 ? fitting : selected;
  if (!opcodeGroup(op).vendorSpecific) {
    // Every candidate here has a selector (vendorEntries), and the CDB holds its value.
    const reused = candidates[0];
    if (reused) return reused;
    const spec = findCommand(cdb);
    return spec ? standard(spec) : undefined;
  }
  // A row keyed by service action is more specific than one of the same opcode without.
  return candidates.find((r) => r.spec.serviceAction !== undefined) ?? candidates[0];
}

const OPCODE_TEXT = /^(?:0x)?([0-9a-f]{1,2})h?(?:\/(?:0x)?([0-9a-f]{1,4})h?)?$/i;

/**
 * By catalog alias, full name or opcode text (`inquiry`, `READ(10)`, `12h`,
 * `0x9e/0x10`), then by a vendor command's alias or full name
 * (`example.read-log`), then by vendor opcode text (`C1h`, `0xc1`).
 */
export function resolveByName(
  name: string,
  sets: readonly VendorSet[] = [],
): ResolvedCommand | undefined {
  const spec = findByName(name);
  if (spec) return standard(spec);
  const n = name.trim().toLowerCase();
  const vendor = vendorEntries(sets);
  const byName = vendor.find(
    (r) => r.spec.aliases.some((a) => a.toLowerCase() === n) || r.spec.name.toLowerCase() === n,
  );
  if (byName) return byName;
  const m = OPCODE_TEXT.exec(n);
  if (!m) return undefined;
  const op = parseInt(m[1] as string, 16);
  const sa = m[2] !== undefined ? parseInt(m[2], 16) : undefined;
  return vendor.find(
    (r) => r.spec.opcode === op && (sa === undefined || r.spec.serviceAction === sa),
  );
}

const squash = (t: string): string => t.toLowerCase().replace(/[^0-9a-z]/g, '');

/**
 * The editor's Find: commands whose opcode is the typed hex (`c1`, `C1h`,
 * `0xc1`), catalog rows first; then catalog rows whose name or alias
 * contains the text (as `searchCommands` finds them), then vendor commands
 * whose name, alias, set name or vendor contains it (case, spaces and
 * punctuation ignored). An empty query lists everything.
 */
export function searchAll(query: string, sets: readonly VendorSet[] = []): ResolvedCommand[] {
  const std = searchCommands(query).map(standard);
  const q = query.trim().toLowerCase();
  const vendor = vendorEntries(sets);
  if (q === '') return [...std, ...vendor];
  const m = /^(?:0x)?([0-9a-f]{1,2})h?$/.exec(q);
  const op = m ? parseInt(m[1] as string, 16) : undefined;
  const text = squash(q);
  const isOpcode = (r: ResolvedCommand): boolean => r.spec.opcode === op;
  const byText = vendor.filter(
    (r) =>
      !isOpcode(r) &&
      text !== '' &&
      r.source === 'vendor' &&
      [r.spec.name, ...r.spec.aliases, r.set.name, r.set.vendor].some((s) =>
        squash(s).includes(text),
      ),
  );
  // Opcode matches first, whichever source declares them; then name matches.
  return [
    ...std.filter(isOpcode),
    ...vendor.filter(isOpcode),
    ...std.filter((r) => !isOpcode(r)),
    ...byText,
  ];
}
