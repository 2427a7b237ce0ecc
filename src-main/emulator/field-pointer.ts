/**
 * Sense field pointers computed from the catalog: the byte and bit a sense
 * key specific field pointer names come from the field's declared position,
 * never from a number typed next to the check.
 */
import type { FieldSpec } from '../../shared/scsi/catalog';
import type { SenseKeySpecific } from '../../shared/scsi/sense';
import { check, type CheckResult } from './responses';

/**
 * The field pointer to a CDB field (SPC-5, field pointer sense key specific
 * data): FIELD POINTER is the field's first byte; a field that is not whole
 * bytes also gets BPV=1 and BIT POINTER at its left-most bit ("when a
 * multiple-bit field is in error, the bit pointer points to the most
 * significant bit of the field").
 */
export function fieldPointerOf(field: Pick<FieldSpec, 'byte' | 'bit' | 'width'>): SenseKeySpecific {
  const wholeBytes = field.bit === 0 && field.width % 8 === 0;
  return {
    kind: 'field-pointer',
    inCdb: true,
    bitPointerValid: !wholeBytes,
    bitPointer: wholeBytes ? 0 : (field.bit + field.width - 1) % 8,
    fieldPointer: field.byte,
  };
}

/** The field `key` of a command or a layout; throws when it has none (a programmer error the tests catch). */
export function fieldOf(of: { readonly fields: readonly FieldSpec[] }, key: string): FieldSpec {
  const f = of.fields.find((x) => x.key === key);
  if (!f) throw new Error(`no field "${key}" in this layout`);
  return f;
}

/** ILLEGAL REQUEST, INVALID FIELD IN CDB (05/24/00) pointing at field `key` of a command or layout. */
export function invalidFieldOf(
  of: { readonly fields: readonly FieldSpec[] },
  key: string,
): CheckResult {
  return check(0x05, 0x24, 0x00, { senseKeySpecific: fieldPointerOf(fieldOf(of, key)) });
}
