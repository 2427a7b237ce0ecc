/**
 * One generic row type for rendering parsed data: a label, the value as
 * text, and the bytes it came from, so a CLI can print it and a GUI can link
 * a hovered field to its bytes.
 */
export interface FieldRow {
  readonly label: string;
  readonly value: string;
  /** First and last byte offset in the response the value was read from. */
  readonly bytes: readonly [number, number];
}

export function row(
  label: string,
  value: string | number | bigint | boolean,
  first: number,
  last = first,
): FieldRow {
  const text = typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value);
  return { label, value: text, bytes: [first, last] };
}

/** "claims N bytes, M returned" note shared by parsers that report truncation. */
export interface Truncation {
  /** Bytes the data says it has (header + length field). */
  readonly claimedLength: number;
  /** Bytes actually present. */
  readonly length: number;
  /** The buffer ends before the data does: what is missing was not parsed. */
  readonly truncated: boolean;
}

export function truncation(claimed: number, length: number): Truncation {
  return { claimedLength: claimed, length, truncated: claimed > length };
}

export function hexValue(n: number | bigint, digits = 2): string {
  return `${n.toString(16).toUpperCase().padStart(digits, '0')}h`;
}
