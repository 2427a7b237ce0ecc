import { describe, expect, it } from 'vitest';
import { wireBytes } from '../../../src-renderer/wire-bytes';

describe('wireBytes', () => {
  it('turns contract hex into bytes, and none into an empty array', () => {
    expect(Array.from(wireBytes('12 00 24'))).toEqual([0x12, 0x00, 0x24]);
    expect(wireBytes(null)).toHaveLength(0);
    expect(wireBytes(undefined)).toHaveLength(0);
    expect(wireBytes('')).toHaveLength(0);
  });
});
