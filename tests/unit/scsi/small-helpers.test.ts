/**
 * Small helpers other modules build on, pinned directly: expected values are the standards'
 * (SPC-5 sense and INQUIRY data, SAT-4 opcodes, ACS-4 command codes), worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { isVendorAsc } from '../../../shared/scsi/sense/asc';
import { progressPercent } from '../../../shared/scsi/sense/explain';
import { peripheralQualifierText } from '../../../shared/scsi/parsers/inquiry';
import { vpdPageName } from '../../../shared/scsi/parsers/vpd';
import { ataCommandName, isPassThroughOpcode } from '../../../shared/scsi/ata-commands';

describe('isVendorAsc (SPC-5: ASC 80h–FFh are vendor specific)', () => {
  it('is true from 80h up and false below', () => {
    expect([0x00, 0x20, 0x7f].map(isVendorAsc)).toEqual([false, false, false]);
    expect([0x80, 0xc1, 0xff].map(isVendorAsc)).toEqual([true, true, true]);
  });
});

describe('progressPercent (SPC-5 PROGRESS INDICATION, in 65536ths)', () => {
  it('gives tenths of a percent, rounded down so that FFFFh is not yet 100 %', () => {
    expect(progressPercent(0)).toBe('0.0');
    expect(progressPercent(0x8000)).toBe('50.0'); // 32768 / 65536
    expect(progressPercent(0x4000)).toBe('25.0');
    expect(progressPercent(6553)).toBe('9.9'); // 9.9990… %
    expect(progressPercent(0xffff)).toBe('99.9'); // 99.998… %
  });
});

describe('peripheralQualifierText (SPC-5, byte 0 bits 7:5 of INQUIRY data)', () => {
  it('names 000b, 001b and 011b; calls 010b reserved and 1xxb vendor specific', () => {
    expect([0, 1, 2, 3, 4, 7].map(peripheralQualifierText)).toEqual([
      'connected',
      'supported but not connected',
      'reserved (2)',
      'not supported (no logical unit here)',
      'vendor specific (4)',
      'vendor specific (7)',
    ]);
  });
});

describe('vpdPageName', () => {
  it('names the pages usbcdb parses and nothing else', () => {
    expect(vpdPageName(0x80)).toBe('Unit Serial Number');
    expect(vpdPageName(0xb0)).toBe('Block Limits');
    expect(vpdPageName(0x87)).toBeUndefined(); // Mode Page Policy: not one usbcdb decodes
  });
});

describe('ATA PASS-THROUGH opcodes and ATA command names', () => {
  it('knows 85h and A1h (SAT-4) as the pass-through opcodes, nothing else', () => {
    expect([0x85, 0xa1].map(isPassThroughOpcode)).toEqual([true, true]);
    expect([0x84, 0xa0, 0xa2, undefined].map(isPassThroughOpcode)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('names a command by code, a SMART sub-command by its FEATURES, an unknown one by its code', () => {
    expect(ataCommandName(0xec, 0)).toBe('IDENTIFY DEVICE (ECh)');
    expect(ataCommandName(0xb0, 0xda)).toBe('SMART RETURN STATUS (B0h/DAh)');
    expect(ataCommandName(0x35, 0)).toBe('WRITE DMA EXT (35h)');
    expect(ataCommandName(0x0f, 0)).toBe('ATA command 0Fh');
  });
});
