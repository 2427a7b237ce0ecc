/**
 * Look-ups over the command catalog. Everything that needs to know about an
 * opcode asks here; nothing restates the table.
 */
import { asOpcode, asServiceAction, type Opcode, type ServiceAction } from '../brand';
import { COMMANDS } from './commands';
import { fieldMaskAt, fieldValue, joinFields, readField } from './fields';
import type {
  CommandSpec,
  Direction,
  FieldSpec,
  LengthRule,
  LengthUnit,
  LegacyLayout,
} from './types';

export { COMMANDS, fieldValue };
export type * from './types';

/**
 * Opcode groups (SPC-5, operation code groups, Table 9): bits 7:5 of the operation code fix
 * the CDB length, except group 3 (reserved; 7Fh is the variable-length CDB)
 * and groups 6–7 (C0h–FFh, vendor specific, length set by the vendor).
 */
export interface OpcodeGroup {
  readonly group: number;
  /** The CDB length the group defines, or undefined when the group does not define one. */
  readonly cdbLength: number | undefined;
  readonly vendorSpecific: boolean;
  readonly description: string;
}

const GROUPS: readonly OpcodeGroup[] = [
  { group: 0, cdbLength: 6, vendorSpecific: false, description: 'group 0 (00h–1Fh): 6-byte CDBs' },
  {
    group: 1,
    cdbLength: 10,
    vendorSpecific: false,
    description: 'group 1 (20h–3Fh): 10-byte CDBs',
  },
  {
    group: 2,
    cdbLength: 10,
    vendorSpecific: false,
    description: 'group 2 (40h–5Fh): 10-byte CDBs',
  },
  {
    group: 3,
    cdbLength: undefined,
    vendorSpecific: false,
    description: 'group 3 (60h–7Fh): reserved; 7Fh is the variable-length CDB',
  },
  {
    group: 4,
    cdbLength: 16,
    vendorSpecific: false,
    description: 'group 4 (80h–9Fh): 16-byte CDBs',
  },
  {
    group: 5,
    cdbLength: 12,
    vendorSpecific: false,
    description: 'group 5 (A0h–BFh): 12-byte CDBs',
  },
  {
    group: 6,
    cdbLength: undefined,
    vendorSpecific: true,
    description: 'group 6 (C0h–DFh): vendor specific, length set by the vendor',
  },
  {
    group: 7,
    cdbLength: undefined,
    vendorSpecific: true,
    description: 'group 7 (E0h–FFh): vendor specific, length set by the vendor',
  },
];

export function opcodeGroup(opcode: Opcode): OpcodeGroup {
  return GROUPS[(opcode >> 5) & 7] as OpcodeGroup;
}

/** Rows by opcode, built once: look-ups run for every command the emulator and engine handle. */
const BY_OPCODE = new Map<Opcode, CommandSpec[]>();
for (const c of COMMANDS) BY_OPCODE.set(c.opcode, [...(BY_OPCODE.get(c.opcode) ?? []), c]);

/** All rows for an opcode (several when service actions distinguish them). */
export function commandsForOpcode(opcode: Opcode): readonly CommandSpec[] {
  return BY_OPCODE.get(opcode) ?? [];
}

/** The row a CDB selects: by opcode and, where rows have one, by service action. */
export function findCommand(cdb: Uint8Array): CommandSpec | undefined {
  if (cdb.length === 0) return undefined;
  const rows = commandsForOpcode(opcodeOf(cdb));
  if (rows.length <= 1 && rows[0]?.serviceAction === undefined) return rows[0];
  return rows.find(
    (c) =>
      c.serviceActionField !== undefined &&
      fieldValue(cdb, c, c.serviceActionField) === c.serviceAction,
  );
}

/**
 * The operation code of a CDB: byte 0 (SPC-5, the CDB's OPERATION CODE field); 00h when the CDB
 * is empty, which callers that care refuse first.
 */
export function opcodeOf(cdb: Uint8Array): Opcode {
  return asOpcode(cdb[0] ?? 0);
}

export function findByOpcode(
  opcode: Opcode,
  serviceAction?: ServiceAction,
): CommandSpec | undefined {
  return COMMANDS.find(
    (c) =>
      c.opcode === opcode && (serviceAction === undefined || c.serviceAction === serviceAction),
  );
}

const squash = (t: string): string => t.toLowerCase().replace(/[^0-9a-z]/g, '');

/**
 * The editor's catalog search: rows whose opcode is the typed hex (`12`,
 * `12h`, `0x12`), then rows whose name or an alias contains the text
 * (case, spaces and punctuation ignored: `readcap16` finds READ CAPACITY(16)).
 */
export function searchCommands(query: string): readonly CommandSpec[] {
  const q = query.trim().toLowerCase();
  if (q === '') return COMMANDS;
  const m = /^(?:0x)?([0-9a-f]{1,2})h?$/.exec(q);
  const byOpcode = m ? commandsForOpcode(asOpcode(parseInt(m[1] as string, 16))) : [];
  const text = squash(q);
  const byName = COMMANDS.filter(
    (c) =>
      !byOpcode.includes(c) &&
      text !== '' &&
      (squash(c.name).includes(text) || c.aliases.some((a) => squash(a).includes(text))),
  );
  return [...byOpcode, ...byName];
}

/** By alias (`inquiry`, `read10`), full name (`READ(10)`), or opcode text (`12h`, `0x12`). */
export function findByName(name: string): CommandSpec | undefined {
  const n = name.trim().toLowerCase();
  const byAlias = COMMANDS.find((c) => c.aliases.includes(n) || c.name.toLowerCase() === n);
  if (byAlias) return byAlias;
  const m = /^(?:0x)?([0-9a-f]{1,2})h?(?:\/(?:0x)?([0-9a-f]{1,4})h?)?$/i.exec(n);
  if (!m) return undefined;
  return findByOpcode(
    asOpcode(parseInt(m[1] as string, 16)),
    m[2] ? asServiceAction(parseInt(m[2], 16)) : undefined,
  );
}

/** The layout to use: the current one, or a legacy one by standard name (`SPC-2`). */
export function layoutOf(
  spec: CommandSpec,
  standard?: string,
): { fields: readonly FieldSpec[]; length: readonly LengthRule[]; standard: string } {
  const legacy: LegacyLayout | undefined = standard
    ? spec.legacy?.find((l) => l.standard.toLowerCase() === standard.toLowerCase())
    : undefined;
  return legacy
    ? { fields: legacy.fields, length: legacy.length, standard: legacy.standard }
    : { fields: spec.fields, length: spec.length, standard: spec.standard };
}

/** Mask of reserved bits in byte `index`: bits no field covers. */
export function reservedMask(fields: readonly FieldSpec[], index: number): number {
  let used = 0;
  for (const f of fields) used |= fieldMaskAt(f, index);
  return ~used & 0xff;
}

/** The field covering a byte (and, if given, bit) — used to name what a sense field pointer points at. */
export function fieldAt(
  fields: readonly FieldSpec[],
  byte: number,
  bit?: number,
): FieldSpec | undefined {
  return fields.find((f) => {
    const mask = fieldMaskAt(f, byte);
    return bit === undefined ? mask !== 0 : (mask & (1 << bit)) !== 0;
  });
}

/**
 * What byte `index` holds: the fields with bits in it, highest bits first, and the bits no field
 * covers. A field pointer without a bit pointer (SPC-5, BPV 0) names only the byte, so this is all
 * it says when the byte holds more than one field.
 */
export function byteContents(
  fields: readonly FieldSpec[],
  index: number,
): { readonly fields: readonly FieldSpec[]; readonly reserved: number } {
  return {
    fields: fields
      .filter((f) => fieldMaskAt(f, index) !== 0)
      .sort((a, b) => fieldMaskAt(b, index) - fieldMaskAt(a, index)),
    reserved: reservedMask(fields, index),
  };
}

/** The first length rule whose conditions hold for this CDB. */
export function applicableLengthRule(
  rules: readonly LengthRule[],
  fields: readonly FieldSpec[],
  cdb: Uint8Array,
): LengthRule | undefined {
  return rules.find((r) =>
    (r.when ?? []).every((c) => fieldValue(cdb, { fields }, c.field) === c.equals),
  );
}

/** The data phase a CDB asks for: direction, and the length in the rule's unit. */
export interface DataPhase {
  readonly direction: Direction;
  readonly rule?: LengthRule;
  /** The field holding the length; with a `highField`, the two joined (`joinFields`). */
  readonly field?: FieldSpec;
  /** Length in the rule's unit (with `zeroMeans` and `times` applied); undefined when the CDB does not say. */
  readonly units: number | undefined;
}

export function dataPhaseOf(
  cdb: Uint8Array,
  fields: readonly FieldSpec[],
  rules: readonly LengthRule[],
): DataPhase {
  const rule = applicableLengthRule(rules, fields, cdb);
  if (!rule) return { direction: 'none', units: 0 };
  if (rule.fixedUnits !== undefined)
    return { direction: rule.direction, rule, units: rule.fixedUnits };
  const low = fields.find((f) => f.key === rule.field);
  const high =
    rule.highField === undefined ? undefined : fields.find((f) => f.key === rule.highField);
  // A `highField` that is missing or does not abut `field` is a catalog problem (problems.ts).
  const field =
    rule.highField === undefined ? low : low && high ? joinFields(high, low) : undefined;
  if (!field) return { direction: rule.direction, rule, units: undefined };
  const raw = Number(readField(cdb, field));
  const units =
    (raw === 0 && rule.zeroMeans !== undefined ? rule.zeroMeans : raw) * (rule.times ?? 1);
  return { direction: units === 0 ? 'none' : rule.direction, rule, field, units };
}

/**
 * The block size assumed for `blocks` lengths when the device's is not known
 * (READ CAPACITY tells it): 512, the block size of nearly every USB drive.
 */
export const DEFAULT_BLOCK_SIZE = 512;

/**
 * Why `size` cannot be a logical block size, or undefined. READ CAPACITY reports it in LOGICAL
 * BLOCK LENGTH IN BYTES, a 32-bit field (SBC-4 5.20.2, 5.21.2), and a block holds at least one
 * byte: at 0 every length counted in blocks would read as no data. `name` is how the front end
 * calls the value (`--block-size`).
 */
export function blockSizeProblem(size: number, name: string): string | undefined {
  return size >= 1 && size <= 0xffff_ffff
    ? undefined
    : `${name} is a logical block length in bytes, 1–4294967295 (READ CAPACITY's LOGICAL BLOCK LENGTH IN BYTES), not ${size}`;
}

/** A length unit in words, as messages name it. */
export const UNIT_TEXT: Readonly<Record<LengthUnit, string>> = {
  bytes: 'bytes',
  blocks: 'logical blocks',
  blocks512: '512-byte blocks',
};

const UNIT_ONE: Readonly<Record<LengthUnit, string>> = {
  bytes: 'byte',
  blocks: 'logical block',
  blocks512: '512-byte block',
};

/** `count` of a length unit in words: "1 logical block", "8 bytes". */
export function unitCount(count: number | bigint, unit: LengthUnit): string {
  return `${count} ${count === 1 || count === 1n ? UNIT_ONE[unit] : UNIT_TEXT[unit]}`;
}

/** Bytes in one unit of a length field. */
export function unitBytes(unit: LengthUnit, blockSize: number): number {
  return unit === 'bytes' ? 1 : unit === 'blocks512' ? 512 : blockSize;
}

/** The data phase a CDB asks for, in bytes. */
export interface DataTransfer {
  readonly direction: Direction;
  /** Bytes the data phase moves (units × unit size); undefined when only the parameter data says. */
  readonly bytes: number | undefined;
  /** Bytes in one unit of the length field (1, the block size, or 512). */
  readonly unitBytes: number;
  readonly phase: DataPhase;
}

/**
 * THE data-phase size of a CDB: its length field × the field's unit × the
 * device's block size (for `blocks`; `blockSize` defaults to
 * DEFAULT_BLOCK_SIZE when the device's is not known). Every front end asks
 * here rather than multiplying on its own.
 */
export function dataTransferOf(
  cdb: Uint8Array,
  layout: { readonly fields: readonly FieldSpec[]; readonly length: readonly LengthRule[] },
  blockSize: number = DEFAULT_BLOCK_SIZE,
): DataTransfer {
  const phase = dataPhaseOf(cdb, layout.fields, layout.length);
  const unit = phase.rule ? unitBytes(phase.rule.unit, blockSize) : 1;
  return {
    direction: phase.direction,
    bytes: phase.units === undefined ? undefined : phase.units * unit,
    unitBytes: unit,
    phase,
  };
}
