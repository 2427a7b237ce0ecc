/**
 * Builders: catalog fields → CDB bytes. Driven only by the catalog row, so
 * every command builds the same way and none restates its layout.
 */
import { findByName, layoutOf, type CommandSpec } from '../catalog';
import { describePosition, fieldFits, widthText, writeField } from '../catalog/fields';
import { t10Hex } from '../hex';
import { err, ok, type Result } from '../result';

export type FieldValues = Readonly<Record<string, bigint | number>>;

/**
 * Builds the CDB for `spec` from field values (by field key). The opcode and
 * service action are set automatically, field defaults apply, and an unknown
 * key or an out-of-range value is an error naming the field and its position.
 */
export function buildCdb(
  spec: CommandSpec,
  values: FieldValues,
  opts: { standard?: string } = {},
): Result<Uint8Array> {
  const layout = layoutOf(spec, opts.standard);
  const cdb = new Uint8Array(spec.cdbLength);
  const known = new Map(layout.fields.map((f) => [f.key, f]));
  for (const key of Object.keys(values)) {
    if (!known.has(key)) {
      return err({
        code: 'unknown-field',
        message: `${spec.name} (${layout.standard}) has no field "${key}"; its fields are ${[...known.keys()].filter((k) => k !== 'opcode').join(', ')}`,
      });
    }
  }
  for (const f of layout.fields) {
    const given = values[f.key];
    let v: bigint;
    // The opcode and the service action (a vendor command's selector field too) say which
    // command the CDB is: building a command never yields another one.
    const selector =
      spec.serviceAction !== undefined &&
      (f.role === 'serviceAction' || f.key === spec.serviceActionField)
        ? spec.serviceAction
        : undefined;
    if (f.role === 'opcode') v = BigInt(spec.opcode);
    else if (selector !== undefined) v = BigInt(selector);
    else v = BigInt(given ?? f.default ?? 0);
    if (f.role === 'opcode' && given !== undefined && BigInt(given) !== BigInt(spec.opcode)) {
      return err({
        code: 'opcode',
        message: `${spec.name} is opcode ${spec.opcode.toString(16)}h; OPERATION CODE cannot be ${given.toString(16)}h`,
      });
    }
    if (selector !== undefined && given !== undefined && BigInt(given) !== BigInt(selector)) {
      return err({
        code: 'service-action',
        message: `${spec.name} is service action ${t10Hex(selector)}; ${f.name} (${describePosition(f)}) cannot be ${t10Hex(Number(given))}: that selects another command`,
        offset: f.byte,
      });
    }
    const max = (1n << BigInt(f.width)) - 1n;
    if (v < 0n || v > max) {
      return err({
        code: 'out-of-range',
        message: `${f.name} (${describePosition(f)}) is ${widthText(f.width)}, so it holds 0–${max}; ${v} does not fit`,
        offset: f.byte,
      });
    }
    if (!fieldFits(f, cdb.length)) {
      // A catalog row whose field lies outside its CDB is a programmer error, caught by the catalog tests.
      throw new Error(
        `catalog row ${spec.name}: field ${f.key} lies outside the ${cdb.length}-byte CDB`,
      );
    }
    writeField(cdb, f, v);
  }
  return ok(cdb);
}

/**
 * A standard command usbcdb itself sends (the REQUEST SENSE after a CHECK CONDITION, the
 * INQUIRY a device is settled with), built from its catalog row so no module hand-assembles
 * CDB bytes. `name` and `values` are the program's, not a person's: a name the catalog lacks or
 * a value a field cannot hold is a bug, and throws.
 */
export function standardCdb(name: string, values: FieldValues = {}): Uint8Array {
  const spec = findByName(name);
  if (!spec) throw new Error(`the catalog has no command ${name}`);
  const built = buildCdb(spec, values);
  if (!built.ok) throw new Error(built.error.message);
  return built.value;
}
