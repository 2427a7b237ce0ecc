/**
 * The catalog's small lookups and position words, pinned directly. Opcodes and service actions
 * are SPC-5's and SBC-4's (12h INQUIRY; 9Eh SERVICE ACTION IN(16) with 10h READ CAPACITY(16)
 * and 12h GET LBA STATUS(16)); positions are counted by hand.
 */
import { describe, expect, it } from 'vitest';
import { asOpcode, asServiceAction } from '../../../shared/scsi/brand';
import { commandsForOpcode, findByOpcode, opcodeOf } from '../../../shared/scsi/catalog';
import { bitsText, describeBytes, reservedCode } from '../../../shared/scsi/catalog/fields';
import type { FieldSpec } from '../../../shared/scsi/catalog';

describe('opcodeOf', () => {
  it('is byte 0, and 00h for an empty CDB', () => {
    expect(opcodeOf(Uint8Array.of(0x12, 0, 0, 0, 36, 0))).toBe(0x12);
    expect(opcodeOf(new Uint8Array())).toBe(0x00);
  });
});

describe('commandsForOpcode and findByOpcode', () => {
  it('lists every row of an opcode, service-action rows included, and none for a vendor opcode', () => {
    const names = commandsForOpcode(asOpcode(0x9e)).map((c) => c.name);
    expect(names).toContain('READ CAPACITY(16)');
    expect(names).toContain('GET LBA STATUS(16)');
    expect(commandsForOpcode(asOpcode(0x12)).map((c) => c.name)).toEqual(['INQUIRY']);
    expect(commandsForOpcode(asOpcode(0xc1))).toEqual([]);
  });

  it('finds a row by opcode, and by service action where one is given', () => {
    expect(findByOpcode(asOpcode(0x12))?.name).toBe('INQUIRY');
    expect(findByOpcode(asOpcode(0x9e), asServiceAction(0x12))?.name).toBe('GET LBA STATUS(16)');
    expect(findByOpcode(asOpcode(0x9e), asServiceAction(0x11))).toBeUndefined(); // READ LONG(16): not catalogued
    expect(findByOpcode(asOpcode(0xff))).toBeUndefined();
  });
});

describe('position words', () => {
  it('bitsText names the set bits of a mask, highest first', () => {
    expect(bitsText(0x04)).toBe('bit 2');
    expect(bitsText(0x38)).toBe('bits 5,4,3');
    expect(bitsText(0x81)).toBe('bits 7,0');
  });

  it('describeBytes says one byte or a run', () => {
    expect(describeBytes(4, 4)).toBe('byte 4');
    expect(describeBytes(2, 5)).toBe('bytes 2–5');
  });
});

describe('reservedCode (SPC-5: a reserved code in a defined field is an error)', () => {
  const field = (extra: Partial<FieldSpec>): FieldSpec => ({
    key: 'f',
    name: 'F',
    byte: 1,
    bit: 0,
    width: 3,
    meaning: '',
    ...extra,
  });
  const closed = field({
    values: [
      { value: 0, name: 'a' },
      { value: 1, name: 'reserved' },
    ],
  });

  it('is true for a value named reserved and, in a closed enumeration, for one it does not list', () => {
    expect(reservedCode(closed, 1)).toBe(true);
    expect(reservedCode(closed, 5)).toBe(true);
    expect(reservedCode(closed, 0)).toBe(false);
  });

  it('is false for an unlisted value where the field has a range, or no enumeration at all', () => {
    expect(reservedCode(field({ values: [{ value: 0, name: 'a' }], max: 7 }), 5)).toBe(false);
    expect(reservedCode(field({}), 5)).toBe(false);
  });
});
