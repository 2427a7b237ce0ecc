/**
 * FNV-1a, 32 bits (Fowler, Noll and Vo; IETF draft-eastlake-fnv): a short,
 * stable name for a run of bytes where the bytes themselves are too long to
 * be one, such as a preset id for a long CDB. Not for anything an attacker
 * must not be able to collide.
 */
const OFFSET_BASIS = 0x811c9dc5;
const PRIME = 0x01000193;

/** The FNV-1a hash of `bytes`, as 8 lowercase hex digits. */
export function fnv1a32Hex(bytes: Uint8Array): string {
  let h = OFFSET_BASIS;
  for (const b of bytes) h = Math.imul(h ^ b, PRIME) >>> 0;
  return h.toString(16).padStart(8, '0');
}
