/**
 * Bytes of an answer as they crossed the IPC contract (already Uint8Array,
 * bounded by the contract), or null when there were none. An empty array
 * stands for "none", so views and traces need no second check.
 */
const NONE = new Uint8Array();

export function wireBytes(bytes: Uint8Array | null | undefined): Uint8Array {
  return bytes ?? NONE;
}
