/**
 * Reading and writing catalog fields in a CDB. Field positions are defined in
 * `types.ts`: `byte` = first byte, `bit` = LSB position in the last byte.
 */
import type { FieldSpec } from './types';

/** First and last byte index a field occupies. */
export function fieldSpan(f: Pick<FieldSpec, 'byte' | 'bit' | 'width'>): {
  first: number;
  last: number;
} {
  const bytes = Math.ceil((f.bit + f.width) / 8);
  return { first: f.byte, last: f.byte + bytes - 1 };
}

/** Bit mask of the field within byte `index` of the CDB (0 if it does not touch that byte). */
export function fieldMaskAt(f: Pick<FieldSpec, 'byte' | 'bit' | 'width'>, index: number): number {
  const { first, last } = fieldSpan(f);
  if (index < first || index > last) return 0;
  // Bit numbering across the field's bytes, from the LSB of the last byte.
  const lowBit = (last - index) * 8; // bit number of this byte's bit 0, counted from the last byte's bit 0
  let mask = 0;
  for (let b = 0; b < 8; b++) {
    const fieldBit = lowBit + b - f.bit;
    if (fieldBit >= 0 && fieldBit < f.width) mask |= 1 << b;
  }
  return mask;
}

/** True when the field lies inside a CDB of `length` bytes. */
export function fieldFits(f: Pick<FieldSpec, 'byte' | 'bit' | 'width'>, length: number): boolean {
  const { first, last } = fieldSpan(f);
  return first >= 0 && last < length && f.bit >= 0 && f.bit < 8 && f.width > 0;
}

/** The field's value. Bytes past the end of `cdb` read as zero; callers check `fieldFits` first. */
export function readField(cdb: Uint8Array, f: Pick<FieldSpec, 'byte' | 'bit' | 'width'>): bigint {
  const { first, last } = fieldSpan(f);
  let acc = 0n;
  for (let i = first; i <= last; i++) acc = (acc << 8n) | BigInt(cdb[i] ?? 0);
  return (acc >> BigInt(f.bit)) & ((1n << BigInt(f.width)) - 1n);
}

/**
 * The value of the field keyed `key` in a CDB laid out as `layout` (a
 * catalog row, a vendor declaration, or a legacy layout), or undefined when
 * the layout has no such field. A number: exact for fields up to 53 bits;
 * read a 64-bit LBA with `readField`.
 */
export function fieldValue(
  cdb: Uint8Array,
  layout: { readonly fields: readonly FieldSpec[] },
  key: string,
): number | undefined {
  const f = layout.fields.find((x) => x.key === key);
  return f ? Number(readField(cdb, f)) : undefined;
}

/**
 * Two fields read as one big-endian number, `high` above `low` (a length
 * rule's `highField` and `field`): the joined field, keyed and placed so
 * `readField` and `writeField` treat both at once, or undefined when they
 * do not abut — `high` must end in bit 0 of the byte just before `low`
 * begins, and `low` must fill its first byte from bit 7.
 */
export function joinFields(high: FieldSpec, low: FieldSpec): FieldSpec | undefined {
  if (high.bit !== 0 || (low.bit + low.width) % 8 !== 0) return undefined;
  if (fieldSpan(high).last + 1 !== low.byte) return undefined;
  return {
    key: low.key,
    name: `${high.name} + ${low.name}`,
    byte: high.byte,
    bit: low.bit,
    width: high.width + low.width,
    meaning: `${high.name} above ${low.name}, read as one number.`,
    ...(low.role !== undefined ? { role: low.role } : {}),
  };
}

/** Writes `value` into the field, leaving other bits alone. Throws (programmer error) if out of range. */
export function writeField(
  cdb: Uint8Array,
  f: Pick<FieldSpec, 'byte' | 'bit' | 'width' | 'name'>,
  value: bigint,
): void {
  const { first, last } = fieldSpan(f);
  if (last >= cdb.length) throw new RangeError(`${f.name} ends at byte ${last}, past the CDB`);
  const max = (1n << BigInt(f.width)) - 1n;
  if (value < 0n || value > max) throw new RangeError(`${f.name} must be 0–${max}, got ${value}`);
  // The value shifted to its bit offset in the last byte; byte i takes its slice of that.
  const placed = value << BigInt(f.bit);
  for (let i = first; i <= last; i++) {
    const mask = fieldMaskAt(f, i);
    const byteVal = Number((placed >> BigInt((last - i) * 8)) & 0xffn);
    cdb[i] = ((cdb[i] ?? 0) & ~mask) | (byteVal & mask);
  }
}

/** Human position, e.g. `byte 1 bit 0`, `byte 1 bits 7:5`, `bytes 3–4`, `byte 1 bits 4:0 – byte 3`. */
export function describePosition(f: Pick<FieldSpec, 'byte' | 'bit' | 'width'>): string {
  const { first, last } = fieldSpan(f);
  if (first === last) {
    if (f.width === 8) return `byte ${first}`;
    if (f.width === 1) return `byte ${first} bit ${f.bit}`;
    return `byte ${first} bits ${f.bit + f.width - 1}:${f.bit}`;
  }
  const headBits = (f.bit + f.width) % 8; // bits used in the first byte (0 = all 8)
  const tailPartial = f.bit !== 0;
  if (headBits === 0 && !tailPartial) return `bytes ${first}–${last}`;
  const head = headBits === 0 ? `byte ${first}` : `byte ${first} bits ${headBits - 1}:0`;
  const tail = tailPartial ? `byte ${last} bits 7:${f.bit}` : `byte ${last}`;
  return `${head} – ${tail}`;
}

/** "1 bit wide" or "16 bits wide": a field's width, as a bound's message states it. */
export function widthText(width: number): string {
  return `${width} ${width === 1 ? 'bit' : 'bits'} wide`;
}

/** "bit 2" or "bits 5,4,3": the set bits of a one-byte mask, highest first. */
export function bitsText(mask: number): string {
  const bits: number[] = [];
  for (let b = 7; b >= 0; b--) if (mask & (1 << b)) bits.push(b);
  return bits.length === 1 ? `bit ${bits[0]}` : `bits ${bits.join(',')}`;
}

/** "byte 5" or "bytes 5–7": the whole bytes `first` to `last`, as a field over them reads. */
export function describeBytes(first: number, last: number): string {
  return describePosition({ byte: first, bit: 0, width: 8 * (last - first + 1) });
}

/**
 * Whether `value` is a code field `f` leaves reserved: one its enumeration names reserved or,
 * for a closed enumeration (values without min or max), one it does not list. SPC-5 (keywords,
 * reserved): "receipt of reserved code values in defined fields shall be reported as an error".
 */
export function reservedCode(f: FieldSpec, value: number): boolean {
  const named = f.values?.find((v) => v.value === value);
  if (named) return named.name === 'reserved';
  return f.values !== undefined && f.min === undefined && f.max === undefined;
}

const NO_CONDITIONS: readonly never[] = Object.freeze([]);

/** The conditions of `field.zeroUnless` whose fields fit in `cdb` with it, each with its field. */
function zeroUnlessNeeds(
  cdb: Uint8Array,
  fields: readonly FieldSpec[],
  field: FieldSpec,
): readonly { readonly needs: FieldSpec; readonly equals: number }[] {
  // Most fields have no rule: no array is made for them (the drive asks for every field of
  // every command it answers, and TEST UNIT READY's rate is a target of issue 13).
  if (field.zeroUnless === undefined || !fieldFits(field, cdb.length)) return NO_CONDITIONS;
  return field.zeroUnless.flatMap((rule) => {
    const needs = fields.find((f) => f.key === rule.field);
    return needs && fieldFits(needs, cdb.length) ? [{ needs, equals: rule.equals }] : [];
  });
}

/**
 * Whether `field` means anything in `cdb`: one with `zeroUnless` only while a field it names
 * holds that value (INQUIRY's PAGE CODE names a VPD page only with EVPD=1, SPC-5 6.7.1).
 */
export function fieldApplies(
  cdb: Uint8Array,
  fields: readonly FieldSpec[],
  field: FieldSpec,
): boolean {
  const conditions = zeroUnlessNeeds(cdb, fields, field);
  return (
    conditions.length === 0 || conditions.some((c) => readField(cdb, c.needs) === BigInt(c.equals))
  );
}

/**
 * The fields of `fields` that hold a nonzero value the layout allows only with another field set
 * (`FieldSpec.zeroUnless`), each with the conditions any one of which would allow it; the CDB
 * must hold the fields.
 */
export function zeroUnlessBroken(
  cdb: Uint8Array,
  fields: readonly FieldSpec[],
): readonly {
  readonly field: FieldSpec;
  readonly conditions: readonly { readonly needs: FieldSpec; readonly equals: number }[];
}[] {
  const broken = [];
  for (const field of fields) {
    const conditions = zeroUnlessNeeds(cdb, fields, field);
    if (conditions.length > 0 && readField(cdb, field) !== 0n && !fieldApplies(cdb, fields, field))
      broken.push({ field, conditions });
  }
  return broken;
}
