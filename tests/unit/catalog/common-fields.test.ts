/**
 * The fields many CDBs share, placed where the standards put them: CONTROL (SAM-5: vendor bits
 * 7:6, NACA bit 2, obsolete FLAG and LINK bits 1 and 0), the SCSI-2 LUN (byte 1 bits 7:5), SBC-4's
 * RDPROTECT/DPO/FUA (byte 1 bits 7:5, 4, 3), RELADR (byte 1 bit 0), GROUP NUMBER (bits 5:0),
 * PC (bits 7:6 beside PAGE CODE's 5:0), SERVICE ACTION (byte 1 bits 4:0), ELEMENT IDENTIFIER
 * (bytes 10–13 of a 9Eh CDB).
 */
import { describe, expect, it } from 'vitest';
import * as common from '../../../shared/scsi/catalog/common-fields';
import { describePosition } from '../../../shared/scsi/catalog/fields';

/** Where a field sits, in the words the editor uses. */
const at = (f: { byte: number; bit: number; width: number }): string => describePosition(f);

describe('common fields', () => {
  it('put OPERATION CODE in byte 0 and the CONTROL byte’s fields where SAM-5 does', () => {
    expect(at(common.opcodeField())).toBe('byte 0');
    expect(common.opcodeField().role).toBe('opcode');
    expect(common.controlFields(9).map((f) => [f.key, at(f)])).toEqual([
      ['controlVendor', 'byte 9 bits 7:6'],
      ['naca', 'byte 9 bit 2'],
      ['flag', 'byte 9 bit 1'],
      ['link', 'byte 9 bit 0'],
    ]);
    expect(
      common
        .controlFields(5)
        .filter((f) => f.obsolete)
        .map((f) => f.key),
    ).toEqual(['flag', 'link']);
  });

  it('place byte 1’s legacy, protection and service-action fields', () => {
    expect([at(common.legacyLunField()), common.legacyLunField().obsolete]).toEqual([
      'byte 1 bits 7:5',
      true,
    ]);
    expect(common.protectDpoFua('RDPROTECT', true).map((f) => [f.key, at(f)])).toEqual([
      ['rdprotect', 'byte 1 bits 7:5'],
      ['dpo', 'byte 1 bit 4'],
      ['fua', 'byte 1 bit 3'],
    ]);
    expect(common.protectDpoFua('VRPROTECT', false).map((f) => f.key)).toEqual([
      'vrprotect',
      'dpo',
    ]);
    expect([at(common.relAdr()), common.relAdr().obsolete]).toEqual(['byte 1 bit 0', true]);
    expect(at(common.serviceActionField())).toBe('byte 1 bits 4:0');
    expect(common.serviceActionField([{ value: 0x10, name: 'X' }]).values).toEqual([
      { value: 0x10, name: 'X' },
    ]);
  });

  it('size the byte-wide and bit fields they are given, and the LBA, group and page-control fields', () => {
    expect(at(common.bytesField('k', 'K', 2, 4, ''))).toBe('bytes 2–5');
    expect(at(common.bitField('b', 'B', 1, 3, ''))).toBe('byte 1 bit 3');
    expect([at(common.lbaField(2, 8)), common.lbaField(2, 8).role]).toEqual(['bytes 2–9', 'lba']);
    expect(at(common.groupNumber(14))).toBe('byte 14 bits 5:0');
    expect(at(common.pageControl(2, '', []))).toBe('byte 2 bits 7:6');
    expect(at(common.elementIdentifierField())).toBe('bytes 10–13');
  });
});
