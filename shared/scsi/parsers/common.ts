/**
 * Small pieces every response-data parser shares: the truncation note and
 * the `12h` style of writing a code.
 */

/**
 * "Claims N bytes, M returned". A length field in the data is never trusted
 * over the real buffer: parsers read what is present and set `truncated`.
 */
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

/** 0x12 → "12h", the way T10 standards write codes. */
export function hexValue(n: number | bigint, digits = 2): string {
  return `${n.toString(16).toUpperCase().padStart(digits, '0')}h`;
}
