/** FNV-1a 32-bit, checked against the published test vectors (IETF draft-eastlake-fnv, section 8). */
import { describe, expect, it } from 'vitest';
import { fnv1a32Hex } from '../../shared/fnv1a';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('fnv1a32Hex', () => {
  it('gives the offset basis for no bytes and the published hashes of "a" and "foobar"', () => {
    expect(fnv1a32Hex(new Uint8Array())).toBe('811c9dc5');
    expect(fnv1a32Hex(ascii('a'))).toBe('e40c292c');
    expect(fnv1a32Hex(ascii('foobar'))).toBe('bf9cf968');
  });

  it('writes 8 digits even when the hash is small, and tells apart inputs that differ in one byte', () => {
    for (let b = 0; b < 256; b++) expect(fnv1a32Hex(Uint8Array.of(b))).toMatch(/^[0-9a-f]{8}$/);
    expect(fnv1a32Hex(Uint8Array.of(0x12, 0))).not.toBe(fnv1a32Hex(Uint8Array.of(0x12, 1)));
  });
});
