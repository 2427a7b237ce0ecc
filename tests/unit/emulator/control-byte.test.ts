import { describe, expect, it } from 'vitest';
import { findByName, type CommandSpec } from '../../../shared/scsi/catalog';
import { ignoredBits, refusedControlField } from '../../../src-main/emulator/control-byte';

function row(name: string): CommandSpec {
  const spec = findByName(name);
  if (!spec) throw new Error(name);
  return spec;
}

describe('the CONTROL byte as the emulated drive reads it', () => {
  it('refuses NACA and LINK, naming NACA first when both are set', () => {
    const tur = row('TEST UNIT READY');
    expect(refusedControlField(Uint8Array.of(0, 0, 0, 0, 0, 0x01), tur)).toBe('link');
    expect(refusedControlField(Uint8Array.of(0, 0, 0, 0, 0, 0x05), tur)).toBe('naca');
  });

  it('lets FLAG and the vendor-specific bits through', () => {
    expect(refusedControlField(Uint8Array.of(0, 0, 0, 0, 0, 0xc2), row('TEST UNIT READY'))).toBe(
      undefined,
    );
  });

  it('lists FLAG and the vendor-specific bits as ignored, on the CONTROL byte only', () => {
    const read10 = row('READ(10)');
    expect(ignoredBits(read10.fields, 9)).toBe(0xc2);
    expect(ignoredBits(read10.fields, 1)).toBe(0);
  });
});
