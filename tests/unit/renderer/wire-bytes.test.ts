import { describe, expect, it } from 'vitest';
import { wireBytes } from '../../../src-renderer/wire-bytes';

describe('wireBytes', () => {
  it("hands the contract's bytes on as they are, without a copy", () => {
    const b = Uint8Array.from([0x12, 0x00, 0x24]);
    expect(wireBytes(b)).toBe(b);
  });

  it('reads none as an empty array', () => {
    expect(wireBytes(null)).toHaveLength(0);
    expect(wireBytes(undefined)).toHaveLength(0);
  });
});
