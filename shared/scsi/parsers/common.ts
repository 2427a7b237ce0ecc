/**
 * Small pieces every response-data parser shares: the truncation note.
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
