import { describe, expect, it } from 'vitest';
import { findByName, type CommandSpec } from '../../../shared/scsi/catalog';
import { fieldPointerOf, invalidFieldOf } from '../../../src-main/emulator/field-pointer';

function row(name: string): CommandSpec {
  const spec = findByName(name);
  if (!spec) throw new Error(name);
  return spec;
}

const pointerOf = (name: string, key: string): unknown =>
  invalidFieldOf(row(name), key).senseKeySpecific;

describe('field pointers from the catalog', () => {
  it('name a whole-byte field by its first byte, without a bit pointer', () => {
    expect(pointerOf('INQUIRY', 'pageCode')).toEqual({
      kind: 'field-pointer',
      inCdb: true,
      bitPointerValid: false,
      bitPointer: 0,
      fieldPointer: 2,
    });
    // REPORT LUNS ALLOCATION LENGTH is bytes 6–9.
    expect(pointerOf('REPORT LUNS', 'allocationLength')).toMatchObject({
      fieldPointer: 6,
      bitPointerValid: false,
    });
  });

  it('name a field of bits by its left-most bit (SPC-5, field pointer)', () => {
    expect(pointerOf('MODE SENSE(6)', 'pageCode')).toMatchObject({
      fieldPointer: 2,
      bitPointerValid: true,
      bitPointer: 5,
    });
    expect(pointerOf('SEND DIAGNOSTIC', 'selfTestCode')).toMatchObject({
      fieldPointer: 1,
      bitPointer: 7,
    });
    expect(pointerOf('REPORT SUPPORTED OPERATION CODES', 'reportingOptions')).toMatchObject({
      fieldPointer: 2,
      bitPointer: 2,
    });
    expect(pointerOf('WRITE BUFFER', 'mode')).toMatchObject({ fieldPointer: 1, bitPointer: 4 });
    expect(pointerOf('MODE SELECT(6)', 'sp')).toMatchObject({ fieldPointer: 1, bitPointer: 0 });
  });

  it('point into the first byte of a field that spans bytes unaligned', () => {
    // READ(6) LOGICAL BLOCK ADDRESS: byte 1 bits 4:0, then bytes 2–3.
    expect(fieldPointerOf({ byte: 1, bit: 0, width: 21 })).toMatchObject({
      fieldPointer: 1,
      bitPointerValid: true,
      bitPointer: 4,
    });
  });

  it('carry ILLEGAL REQUEST, INVALID FIELD IN CDB', () => {
    expect(invalidFieldOf(row('INQUIRY'), 'evpd')).toMatchObject({
      kind: 'check',
      key: 0x05,
      asc: 0x24,
      ascq: 0x00,
    });
  });

  it('refuse a key the layout does not declare (a programmer error)', () => {
    expect(() => invalidFieldOf(row('INQUIRY'), 'noSuchField')).toThrow(/noSuchField/);
  });
});
