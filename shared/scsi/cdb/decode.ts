/**
 * Field decoder: CDB bytes → named fields, driven by the catalog and the
 * vendor sets the caller passes (catalog/resolve.ts). Opcodes neither knows
 * decode to their opcode group.
 */
import type { VendorSet } from '../../vendor-sets/model';
import {
  dataPhaseOf,
  layoutOf,
  opcodeGroup,
  opcodeOf,
  reservedMask,
  type CommandSpec,
  type DataPhase,
  type FieldSpec,
  type OpcodeGroup,
  unitCount,
} from '../catalog';
import { describeBytes, describePosition, fieldApplies, readField } from '../catalog/fields';
import { resolveCommand, type ResolvedCommand } from '../catalog/resolve';
import { formatHex, hexByte, t10Hex } from '../hex';
import { err, ok, type Result } from '../result';

export interface DecodedField {
  readonly field: FieldSpec;
  readonly value: bigint;
  /** The name of the value when the catalog enumerates it. */
  readonly valueName?: string;
  readonly position: string;
}

export interface ReservedBits {
  readonly byte: number;
  readonly mask: number;
  readonly value: number;
}

export interface DecodedCdb {
  readonly cdb: Uint8Array;
  readonly spec: CommandSpec | undefined;
  /** Where the definition came from: the catalog or a vendor set (undefined when unknown). */
  readonly resolved: ResolvedCommand | undefined;
  readonly group: OpcodeGroup;
  /** Which layout the fields come from, e.g. "SPC-5" or "SPC-2". */
  readonly standard: string | undefined;
  readonly fields: readonly DecodedField[];
  /** Reserved bits that are set. */
  readonly reserved: readonly ReservedBits[];
  readonly dataPhase: DataPhase | undefined;
  /** Bytes beyond the command's length. */
  readonly trailing: number;
}

export interface DecodeOptions {
  /** A legacy layout by standard name (`SPC-2`). */
  readonly standard?: string;
  /** Vendor sets whose C0h–FFh commands decode field by field (default none). */
  readonly vendorSets?: readonly VendorSet[];
}

export function decodeCdb(cdb: Uint8Array, opts: DecodeOptions = {}): Result<DecodedCdb> {
  if (cdb.length === 0)
    return err({
      code: 'empty',
      message: 'The CDB is empty: byte 0 must hold the operation code.',
    });
  const op = opcodeOf(cdb);
  const group = opcodeGroup(op);
  const resolved = resolveCommand(cdb, opts.vendorSets);
  const spec = resolved?.spec;
  if (!spec) {
    return ok({
      cdb,
      spec: undefined,
      resolved: undefined,
      group,
      standard: undefined,
      fields: [],
      reserved: [],
      dataPhase: undefined,
      trailing: 0,
    });
  }
  if (cdb.length < spec.cdbLength) {
    return err({
      code: 'short-cdb',
      message: `${spec.name} is ${spec.cdbLength} bytes; ${describeBytes(cdb.length, spec.cdbLength - 1)} ${spec.cdbLength - cdb.length === 1 ? 'is' : 'are'} missing`,
      offset: cdb.length,
    });
  }
  const layout = layoutOf(spec, opts.standard);
  const fields = layout.fields.map((f): DecodedField => {
    const value = readField(cdb, f);
    // A value's name holds only where the field means something (PAGE CODE 0 is no VPD page with EVPD=0).
    const named = fieldApplies(cdb, layout.fields, f)
      ? f.values?.find((v) => BigInt(v.value) === value)
      : undefined;
    return {
      field: f,
      value,
      position: describePosition(f),
      ...(named ? { valueName: named.name } : {}),
    };
  });
  const reserved: ReservedBits[] = [];
  for (let i = 0; i < spec.cdbLength; i++) {
    const mask = reservedMask(layout.fields, i) & (cdb[i] as number);
    if (mask !== 0) reserved.push({ byte: i, mask, value: cdb[i] as number });
  }
  return ok({
    cdb,
    spec,
    resolved,
    group,
    standard: layout.standard,
    fields,
    reserved,
    dataPhase: dataPhaseOf(cdb, layout.fields, layout.length),
    trailing: cdb.length - spec.cdbLength,
  });
}

/** One line per field: position, name, value in hex and decimal, value name. */
export function formatDecodedCdb(d: DecodedCdb): string {
  const from =
    d.resolved?.source === 'vendor'
      ? `vendor set ${d.resolved.set.name}, ${d.resolved.set.vendor}`
      : d.standard;
  const head = d.spec
    ? `${formatHex(d.cdb)}  ${d.spec.name} (${from}), ${d.spec.cdbLength} bytes`
    : `${formatHex(d.cdb)}  opcode ${t10Hex(d.cdb[0] ?? 0)}: ${d.group.vendorSpecific ? 'vendor specific' : 'not in the catalog'} — ${d.group.description}`;
  const lines = [head];
  const width = Math.max(0, ...d.fields.map((f) => f.position.length));
  for (const f of d.fields) {
    const v = f.value;
    const hex = `0x${v.toString(16)}`;
    lines.push(
      `  ${f.position.padEnd(width)}  ${f.field.name} = ${v < 10n ? v.toString() : `${hex} (${v})`}${f.valueName ? ` — ${f.valueName}` : ''}${f.field.obsolete && v !== 0n ? '  [obsolete]' : ''}`,
    );
  }
  for (const r of d.reserved)
    lines.push(
      `  byte ${r.byte}: reserved bits ${hexByte(r.mask)} set (byte is ${hexByte(r.value)})`,
    );
  if (d.trailing > 0) lines.push(`  ${d.trailing} byte(s) past the ${d.spec?.cdbLength}-byte CDB`);
  if (d.dataPhase) {
    const p = d.dataPhase;
    lines.push(
      p.direction === 'none'
        ? '  data phase: none'
        : `  data phase: ${p.direction}, ${p.units === undefined ? 'length set by the parameter data' : unitCount(p.units, p.rule?.unit ?? 'bytes')}`,
    );
  }
  return lines.join('\n');
}
