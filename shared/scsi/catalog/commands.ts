/**
 * THE command catalog: one row per operation code (and service action) a
 * USB-storage user meets. Sorted by opcode, then service action. Layouts cite
 * the T10 standard section they come from. Bits no field covers are reserved.
 *
 * Adding a command is adding a row here (plus, for the emulator, a handler).
 */
import { bitField, bytesField, controlFields, legacyLunField, opcodeField } from './common-fields';
import type { CommandSpec } from './types';

export const COMMANDS: readonly CommandSpec[] = Object.freeze([
  {
    opcode: 0x00,
    name: 'TEST UNIT READY',
    aliases: ['tur', 'test-unit-ready'],
    cdbLength: 6,
    standard: 'SPC-5 6.47',
    summary: 'Asks whether the logical unit is ready to accept medium-access commands.',
    fields: [opcodeField(), legacyLunField(), ...controlFields(5)],
    length: [],
    effect: 'none',
    support: 'mandatory',
  },
  {
    opcode: 0x12,
    name: 'INQUIRY',
    aliases: ['inquiry', 'inq'],
    cdbLength: 6,
    standard: 'SPC-5 6.7',
    summary:
      'Returns the standard INQUIRY data (vendor, product, revision, version) or, with EVPD=1, a vital product data page.',
    fields: [
      opcodeField(),
      legacyLunField(),
      bitField('cmdDt', 'CMDDT', 1, 1, 'Obsolete (SPC-2 command support data); must be 0 in SPC-3 and later.', {
        obsolete: true,
      }),
      bitField('evpd', 'EVPD', 1, 0, '1 = return the vital product data page named by PAGE CODE; 0 = standard INQUIRY data.'),
      bytesField(
        'pageCode',
        'PAGE CODE',
        2,
        1,
        'VPD page to return when EVPD=1; must be 0 when EVPD=0 (else CHECK CONDITION 05/24/00).',
        {
          values: [
            { value: 0x00, name: 'Supported VPD pages' },
            { value: 0x80, name: 'Unit Serial Number' },
            { value: 0x83, name: 'Device Identification' },
            { value: 0x86, name: 'Extended INQUIRY Data' },
            { value: 0x89, name: 'ATA Information' },
            { value: 0xb0, name: 'Block Limits' },
            { value: 0xb1, name: 'Block Device Characteristics' },
            { value: 0xb2, name: 'Logical Block Provisioning' },
          ],
        },
      ),
      bytesField(
        'allocationLength',
        'ALLOCATION LENGTH',
        3,
        2,
        'Largest number of bytes the initiator has room for; the device returns at most this many. 36 is the classic standard-INQUIRY length.',
        { role: 'allocationLength', default: 36 },
      ),
      ...controlFields(5),
    ],
    length: [{ field: 'allocationLength', kind: 'allocation', unit: 'bytes', direction: 'in' }],
    effect: 'none',
    support: 'mandatory',
    legacy: [
      {
        standard: 'SPC-2',
        note: 'SPC-2 and earlier: byte 3 is reserved and the ALLOCATION LENGTH is the single byte 4. SPC-3 (r09) widened it to bytes 3–4, so a nonzero byte 3 means a length ≥ 256 to SPC-3+ devices and a reserved-field error to strict SPC-2 ones.',
        fields: [
          opcodeField(),
          legacyLunField(),
          bitField('cmdDt', 'CMDDT', 1, 1, 'Command support data (SPC-2 7.3.1); 1 with EVPD=0 returns data for the opcode in PAGE CODE.'),
          bitField('evpd', 'EVPD', 1, 0, '1 = return the vital product data page named by PAGE CODE.'),
          bytesField('pageCode', 'PAGE CODE', 2, 1, 'VPD page (EVPD=1) or operation code (CMDDT=1).'),
          bytesField(
            'allocationLength',
            'ALLOCATION LENGTH',
            4,
            1,
            'Largest number of bytes the initiator has room for (one byte in SPC-2).',
            { role: 'allocationLength', default: 36 },
          ),
          ...controlFields(5),
        ],
        length: [{ field: 'allocationLength', kind: 'allocation', unit: 'bytes', direction: 'in' }],
      },
    ],
  },
]);
