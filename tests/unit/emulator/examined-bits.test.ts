import { describe, expect, it } from 'vitest';
import { findByName, layoutOf, type CommandSpec } from '../../../shared/scsi/catalog';
import { examinedBits, refusedControlField } from '../../../src-main/emulator/examined-bits';

function row(name: string): CommandSpec {
  const spec = findByName(name);
  if (!spec) throw new Error(name);
  return spec;
}

describe('the CDB bits the emulated drive reads', () => {
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

  it('reports the CONTROL byte as NACA and LINK only', () => {
    expect(examinedBits(row('READ(10)').fields, 9, false)).toBe(0x05);
  });

  it('reports the obsolete fields it never reads as not examined, and those it refuses as examined', () => {
    // READ(10) byte 1 (SBC-4): RDPROTECT, DPO, FUA, RARC examined; obsolete FUA_NV and RELADR not.
    expect(examinedBits(row('READ(10)').fields, 1, false)).toBe(0xfc);
    // WRITE SAME(10) byte 1: PBDATA (bit 2) and LBDATA (bit 1) are obsolete but refused.
    expect(examinedBits(row('WRITE SAME(10)').fields, 1, false) & 0x06).toBe(0x06);
  });

  it('counts reserved bits as examined only where the drive refuses them (SPC-2)', () => {
    const inquiry = row('INQUIRY');
    const spc5 = layoutOf(inquiry).fields;
    const spc2 = layoutOf(inquiry, 'SPC-2').fields;
    // INQUIRY byte 1: EVPD (bit 0) in both; CMDDT (bit 1) defined by SPC-2, obsolete after it;
    // the rest reserved or the obsolete SCSI-2 LUN bits.
    expect(examinedBits(spc5, 1, false)).toBe(0x01);
    expect(examinedBits(spc2, 1, true) & 0x03).toBe(0x03);
  });
});
