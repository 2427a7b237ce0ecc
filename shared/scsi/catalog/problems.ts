/**
 * The catalog's guarantees as one check, for every source of command
 * declarations: the standard catalog (its tests), the built-in vendor sets
 * and a user's vendor-set file (the vendor-set parser calls this and refuses
 * a file with problems). Builders, the decoder and lint rely on these
 * guarantees, and `buildCdb` throws — a programmer error — on a field that
 * lies outside its CDB.
 */
import { COMMANDS, opcodeGroup } from './index';
import { describePosition, fieldFits, fieldMaskAt, joinFields, widthText } from './fields';
import { t10Hex } from '../hex';
// BOT's CBWCB holds 1–16 bytes: the only bound on a vendor CDB's length.
import { MAX_CBW_CDB as MAX_CDB } from '../../bot/cbw';
import type { CommandSpec, FieldSpec, LengthRule } from './types';

export interface CatalogCheckOptions {
  /**
   * The specs are vendor declarations: opcodes must be vendor specific
   * (C0h–FFh, see resolve.ts for why) unless a command declares why its
   * bridge reuses a standard one (`standardRangeOpcode`) and has a selector
   * telling it apart (`serviceActionField` + `serviceAction`); the CDB
   * length is the vendor's
   * (1–16 bytes) rather than the opcode group's, and aliases must not
   * repeat the catalog's.
   */
  readonly vendor?: boolean;
}

const maxOf = (width: number): number => 2 ** width - 1;

/** Where a problem is: the path of the offending value from the checked list (`[0, 'fields', 2, 'byte']`). */
export type CatalogPath = readonly (string | number)[];

/** One broken guarantee: a sentence naming the command and field, and where the value sits. */
export interface CatalogProblem {
  readonly path: CatalogPath;
  readonly message: string;
}

/** Problems of one layout (current or legacy) of a spec; `at` names it, `path` locates it. */
function layoutProblems(
  at: string,
  path: CatalogPath,
  cdbLength: number,
  fields: readonly FieldSpec[],
  length: readonly LengthRule[],
): CatalogProblem[] {
  const out: CatalogProblem[] = [];
  const add = (where: CatalogPath, message: string): void => {
    out.push({ path: [...path, ...where], message: `${at}: ${message}` });
  };
  const opcode = fields.find((f) => f.role === 'opcode');
  if (!opcode || opcode.byte !== 0 || opcode.bit !== 0 || opcode.width !== 8)
    add(['fields'], 'needs an OPERATION CODE field (role "opcode") filling byte 0');
  const keys = new Set<string>();
  fields.forEach((f, j) => {
    if (keys.has(f.key)) add(['fields', j, 'key'], `field key "${f.key}" is used twice`);
    keys.add(f.key);
    if (!fieldFits(f, cdbLength)) {
      add(
        ['fields', j],
        `field ${f.key} (byte ${f.byte}, bit ${f.bit}, width ${f.width}) lies outside the ${cdbLength}-byte CDB`,
      );
      return;
    }
    (f.values ?? []).forEach((v, k) => {
      if (v.value < 0 || v.value > maxOf(f.width))
        add(
          ['fields', j, 'values', k, 'value'],
          `field ${f.key} is ${widthText(f.width)}; its value ${v.value} (${v.name}) does not fit`,
        );
    });
    for (const what of ['default', 'min', 'max'] as const) {
      const n = f[what];
      if (n !== undefined && (n < 0 || n > maxOf(f.width)))
        add(
          ['fields', j, what],
          `field ${f.key} is ${widthText(f.width)}; its ${what} ${n} does not fit`,
        );
    }
  });
  for (let i = 0; i < cdbLength; i++) {
    let used = 0;
    fields.forEach((f, j) => {
      if (!fieldFits(f, cdbLength)) return;
      const m = fieldMaskAt(f, i);
      if ((used & m) !== 0)
        add(
          ['fields', j],
          `field ${f.key} (${describePosition(f)}) overlaps another field at byte ${i}`,
        );
      used |= m;
    });
  }
  length.forEach((r, k) => {
    if (r.field !== undefined && !keys.has(r.field))
      add(
        ['length', k, 'field'],
        `a length rule names field "${r.field}", which the layout does not have`,
      );
    if (r.times !== undefined && r.field === undefined)
      add(
        ['length', k, 'times'],
        'a length rule multiplies the count of its field (times), but names no field',
      );
    if (r.highField !== undefined) {
      const high = fields.find((f) => f.key === r.highField);
      const low = fields.find((f) => f.key === r.field);
      if (!high)
        add(
          ['length', k, 'highField'],
          `a length rule names high field "${r.highField}", which the layout does not have`,
        );
      else if (!low)
        add(['length', k, 'highField'], 'a length rule has a high field but no field below it');
      else if (!joinFields(high, low))
        add(
          ['length', k, 'highField'],
          `a length rule's high field ${high.key} (${describePosition(high)}) does not end just before ${low.key} (${describePosition(low)})`,
        );
    }
    (r.when ?? []).forEach((w, m) => {
      if (!keys.has(w.field))
        add(
          ['length', k, 'when', m, 'field'],
          `a length rule's condition names field "${w.field}", which the layout does not have`,
        );
    });
  });
  return out;
}

function specProblems(spec: CommandSpec, i: number, vendor: boolean): CatalogProblem[] {
  const out: CatalogProblem[] = [];
  const name = spec.name === '' ? `command ${i}` : spec.name;
  const add = (where: CatalogPath, message: string): void => {
    out.push({ path: [i, ...where], message: `${name}: ${message}` });
  };
  if (!Number.isInteger(spec.opcode) || spec.opcode < 0 || spec.opcode > 0xff) {
    add(['opcode'], `opcode ${spec.opcode} is not a byte`);
    return out;
  }
  const group = opcodeGroup(spec.opcode);
  if (vendor) {
    const selector = spec.serviceAction !== undefined && spec.serviceActionField !== undefined;
    if (!group.vendorSpecific && spec.standardRangeOpcode === undefined)
      add(
        ['opcode'],
        `${t10Hex(spec.opcode)} is a standard opcode (${group.description}); a vendor set may declare only C0h–FFh, unless the command says why its bridge reuses a standard opcode ("standardRangeOpcode") and has a selector (serviceActionField and serviceAction) that tells it apart`,
      );
    else if (!group.vendorSpecific && !selector)
      add(
        ['standardRangeOpcode'],
        `reuses the standard opcode ${t10Hex(spec.opcode)} (${group.description}) without a selector: it needs serviceActionField naming the field and serviceAction the value that tells it apart from the standard command`,
      );
    else if (group.vendorSpecific && spec.standardRangeOpcode !== undefined)
      add(
        ['standardRangeOpcode'],
        `is only for opcodes 00h–BFh; ${t10Hex(spec.opcode)} is vendor specific already`,
      );
    if (!Number.isInteger(spec.cdbLength) || spec.cdbLength < 1 || spec.cdbLength > MAX_CDB)
      add(
        ['cdbLength'],
        `a CDB is 1–${MAX_CDB} bytes over USB (BOT 1.0, 5.1), not ${spec.cdbLength}`,
      );
  } else if (spec.standardRangeOpcode !== undefined) {
    add(
      ['standardRangeOpcode'],
      'only a vendor set reuses a standard opcode; a catalog row is the standard',
    );
  } else if (group.cdbLength !== undefined && spec.cdbLength !== group.cdbLength) {
    add(
      ['cdbLength'],
      `${group.description} fixes the CDB length at ${group.cdbLength}, not ${spec.cdbLength}`,
    );
  }
  if (spec.aliases.length === 0)
    add(['aliases'], 'needs at least one alias (its command-line name)');
  if (spec.serviceAction !== undefined) {
    const f = spec.fields.find((x) => x.key === spec.serviceActionField);
    if (!f)
      add(
        ['serviceActionField'],
        `must name the field holding service action ${spec.serviceAction}`,
      );
    else if (spec.serviceAction < 0 || spec.serviceAction > maxOf(f.width))
      add(
        ['serviceAction'],
        `service action ${spec.serviceAction} does not fit ${f.key} (${f.width} bits)`,
      );
  }
  if (!Number.isInteger(spec.cdbLength) || spec.cdbLength < 1) return out;
  out.push(
    ...layoutProblems(`${name} (${spec.standard})`, [i], spec.cdbLength, spec.fields, spec.length),
  );
  (spec.legacy ?? []).forEach((l, k) =>
    out.push(
      ...layoutProblems(
        `${name} (${l.standard} layout)`,
        [i, 'legacy', k],
        spec.cdbLength,
        l.fields,
        l.length,
      ),
    ),
  );
  return out;
}

/**
 * Everything wrong with a list of command declarations, each problem a
 * sentence naming the command and field plus the path of the offending
 * value; empty when the list keeps every guarantee: an opcode field filling
 * byte 0, unique field keys, every field inside the CDB, no two fields
 * sharing a bit, length rules and their conditions naming real fields (a
 * rule's high field too, ending just before the field below it),
 * enumerated values, defaults and bounds that fit their field, a service
 * action its field can hold, a CDB length the opcode group allows, no two
 * rows for the same opcode and service action, and unique aliases.
 */
export function catalogProblems(
  specs: readonly CommandSpec[],
  options: CatalogCheckOptions = {},
): CatalogProblem[] {
  const vendor = options.vendor ?? false;
  const out = specs.flatMap((s, i) => specProblems(s, i, vendor));
  const rows = new Map<string, string>();
  const aliases = new Map<string, string>();
  if (vendor)
    for (const c of COMMANDS)
      for (const a of [c.name, ...c.aliases])
        aliases.set(a.toLowerCase(), `the catalog's ${c.name}`);
  specs.forEach((s, i) => {
    const key = `${s.opcode}/${s.serviceAction ?? '-'}`;
    const earlier = rows.get(key);
    if (earlier !== undefined)
      out.push({
        path: [i, 'opcode'],
        message: `${s.name}: opcode ${t10Hex(s.opcode)}${s.serviceAction !== undefined ? ` service action ${t10Hex(s.serviceAction)}` : ''} is already declared by ${earlier}`,
      });
    else rows.set(key, s.name);
    s.aliases.forEach((a, k) => {
      const owner = aliases.get(a.toLowerCase());
      if (owner !== undefined)
        out.push({
          path: [i, 'aliases', k],
          message: `${s.name}: alias "${a}" is already used by ${owner}`,
        });
      else aliases.set(a.toLowerCase(), s.name);
    });
  });
  return out;
}
