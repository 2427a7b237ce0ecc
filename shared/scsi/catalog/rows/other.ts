/**
 * Commands from outside SPC/SBC that USB storage users meet: READ FORMAT
 * CAPACITIES (MMC-6 / USB UFI; Windows sends it to every USB disk) and
 * SAT-4 ATA PASS-THROUGH (SAT-4, the ATA PASS-THROUGH (12) and (16) commands).
 */
import { asOpcode } from '../../brand';
import {
  allocationLength,
  bitField,
  bytesField,
  controlFields,
  legacyLunField,
  opcodeField,
} from '../common-fields';
import type { CommandSpec, FieldCondition, FieldSpec, LengthRule, LengthUnit } from '../types';

const ATA_PROTOCOLS: FieldSpec['values'] = [
  { value: 0, name: 'ATA hardware reset' },
  { value: 1, name: 'software reset' },
  { value: 3, name: 'non-data' },
  { value: 4, name: 'PIO data-in' },
  { value: 5, name: 'PIO data-out' },
  { value: 6, name: 'DMA' },
  { value: 7, name: 'DMA queued', note: 'SAT-1 only; reserved since SAT-2' },
  { value: 8, name: 'execute device diagnostic' },
  { value: 9, name: 'non-data reset (device reset)' },
  { value: 10, name: 'UDMA data-in' },
  { value: 11, name: 'UDMA data-out' },
  { value: 12, name: 'NCQ (FPDMA)' },
  { value: 15, name: 'return response information' },
];

/** Byte 1 and byte 2 of both ATA PASS-THROUGH CDBs (SAT-4). */
function ataControl(withExtend: boolean) {
  return [
    {
      key: 'multipleCount',
      name: 'MULTIPLE_COUNT',
      byte: 1,
      bit: 5,
      width: 3,
      meaning: 'log2 of sectors per DRQ block for READ/WRITE MULTIPLE.',
    },
    {
      key: 'protocol',
      name: 'PROTOCOL',
      byte: 1,
      bit: 1,
      width: 4,
      meaning: 'ATA protocol of the command.',
      values: ATA_PROTOCOLS,
    },
    ...(withExtend
      ? [
          bitField(
            'extend',
            'EXTEND',
            1,
            0,
            '1 = 48-bit command: the high (previous) register bytes are valid.',
          ),
        ]
      : []),
    {
      key: 'offLine',
      name: 'OFF_LINE',
      byte: 2,
      bit: 6,
      width: 2,
      // SAT-4, ATA PASS-THROUGH: the status is valid 2^(OFF_LINE+1) − 2 seconds after the command.
      meaning:
        'Seconds the SATL waits before it reads the ATA status: 2^(OFF_LINE+1) − 2, so 0, 2, 6 or 14.',
      values: [
        { value: 0, name: '0 seconds' },
        { value: 1, name: '2 seconds' },
        { value: 2, name: '6 seconds' },
        { value: 3, name: '14 seconds' },
      ],
    },
    bitField(
      'ckCond',
      'CK_COND',
      2,
      5,
      '1 = always return the ATA registers in the sense data (CHECK CONDITION 01/00/1D even on success).',
    ),
    bitField(
      'tType',
      'T_TYPE',
      2,
      4,
      'With BYT_BLOK=1: 0 = 512-byte blocks, 1 = the logical sector size.',
    ),
    bitField(
      'tDir',
      'T_DIR',
      2,
      3,
      'Transfer direction: 1 = from the device (data-in), 0 = to the device.',
    ),
    bitField('bytBlok', 'BYT_BLOK', 2, 2, '0 = the length counts bytes, 1 = blocks.'),
    {
      key: 'tLength',
      name: 'T_LENGTH',
      byte: 2,
      bit: 0,
      width: 2,
      meaning:
        'Where the transfer length is: 0 none, 1 FEATURES, 2 COUNT, 3 the transport (TPSIU, which USB Bulk-Only has none of).',
      values: [
        { value: 0, name: 'no data' },
        { value: 1, name: 'in FEATURES' },
        { value: 2, name: 'in COUNT (sector count)' },
        { value: 3, name: 'in the transport-specific field' },
      ],
    },
  ] as const satisfies readonly FieldSpec[];
}

/** BYT_BLOK and T_TYPE, the unit of the transfer length (SAT-4, ATA PASS-THROUGH). */
const ATA_UNITS = [
  // BYT_BLOK=1, T_TYPE=0: 512-byte blocks whatever the drive's logical sector size.
  {
    unit: 'blocks512',
    when: [
      { field: 'bytBlok', equals: 1 },
      { field: 'tType', equals: 0 },
    ],
  },
  // BYT_BLOK=1, T_TYPE=1: the drive's logical sectors.
  { unit: 'blocks', when: [{ field: 'bytBlok', equals: 1 }] },
  // BYT_BLOK=0: bytes; T_TYPE does not matter.
  { unit: 'bytes', when: [] },
] as const satisfies readonly { unit: LengthUnit; when: readonly FieldCondition[] }[];

/**
 * THE length rules of ATA PASS-THROUGH (SAT-4, ATA PASS-THROUGH(12) and
 * (16), T_LENGTH, BYT_BLOK and T_TYPE): T_LENGTH picks where the length is
 * (1 FEATURES, 2 COUNT, 3 the transport's TPSIU), BYT_BLOK and T_TYPE its
 * unit, T_DIR the direction. In PT(16) with EXTEND=1 the length is 16 bits,
 * FEATURES (15:8) or COUNT (15:8) above the 7:0 byte (`highField`); with
 * EXTEND=0, and in PT(12), only 7:0 counts. T_LENGTH=0 has no rule: no data
 * is transferred. A FEATURES or COUNT of 0 is a transfer length of 0, so no
 * data phase either: the ATA meaning of COUNT 0 (256 or 65536 sectors, ACS-4)
 * is the drive's, not the transfer length's, so no `zeroMeans` here.
 */
function ataLength(hasExtend: boolean): LengthRule[] {
  const rules: LengthRule[] = [];
  for (const [tDir, direction] of [
    [1, 'in'],
    [0, 'out'],
  ] as const) {
    for (const [tLength, field, highField] of [
      [1, 'features', 'featuresHigh'],
      [2, 'count', 'countHigh'],
    ] as const) {
      for (const { unit, when } of ATA_UNITS) {
        const base = [
          { field: 'tLength', equals: tLength },
          { field: 'tDir', equals: tDir },
        ];
        if (hasExtend)
          rules.push({
            field,
            highField,
            kind: 'transfer',
            unit,
            direction,
            when: [...base, ...when, { field: 'extend', equals: 1 }],
          });
        rules.push({ field, kind: 'transfer', unit, direction, when: [...base, ...when] });
      }
    }
    rules.push({
      kind: 'transfer',
      unit: 'bytes',
      direction,
      when: [
        { field: 'tLength', equals: 3 },
        { field: 'tDir', equals: tDir },
      ],
      note: "T_LENGTH=3: the length is in the transport's TPSIU (SAT-4), which USB Bulk-Only has none of, so the CDB gives a USB bridge no length: usbcdb's emulated SAT bridge refuses it (INVALID FIELD IN CDB at T_LENGTH) and lint warns; give the length in COUNT (T_LENGTH=2).",
    });
  }
  return rules;
}

export const OTHER_COMMANDS = [
  {
    opcode: asOpcode(0x23),
    name: 'READ FORMAT CAPACITIES',
    aliases: ['read-format-capacities', 'rfc'],
    cdbLength: 10,
    standard: 'MMC-6 / USB UFI 1.0',
    summary:
      'Returns the capacity list (current/maximum capacity and formattable ones). Not in SBC, yet Windows sends it to USB disks; many bridges implement it.',
    fields: [
      opcodeField(),
      legacyLunField(),
      allocationLength(7, 2, { default: 0xfc }),
      ...controlFields(9),
    ],
    length: [{ field: 'allocationLength', kind: 'allocation', unit: 'bytes', direction: 'in' }],
    effect: 'reads',
    support: 'optional',
  },
  {
    opcode: asOpcode(0x85),
    name: 'ATA PASS-THROUGH(16)',
    aliases: ['ata-pass-through16', 'ata16', 'sat16'],
    cdbLength: 16,
    standard: 'SAT-4',
    summary:
      'Sends an ATA command (48-bit capable) through a SCSI/ATA translating bridge: SMART, IDENTIFY, security, firmware…',
    fields: [
      opcodeField(),
      ...ataControl(true),
      bytesField(
        'featuresHigh',
        'FEATURES (15:8)',
        3,
        1,
        'Features register, high byte (EXTEND=1).',
      ),
      bytesField('features', 'FEATURES (7:0)', 4, 1, 'Features register.'),
      bytesField('countHigh', 'COUNT (15:8)', 5, 1, 'Sector count, high byte (EXTEND=1).'),
      bytesField('count', 'COUNT (7:0)', 6, 1, 'Sector count.'),
      bytesField('lba3', 'LBA (31:24)', 7, 1, 'LBA bits 31:24 (EXTEND=1).'),
      bytesField('lba0', 'LBA (7:0)', 8, 1, 'LBA low.'),
      bytesField('lba4', 'LBA (39:32)', 9, 1, 'LBA bits 39:32 (EXTEND=1).'),
      bytesField('lba1', 'LBA (15:8)', 10, 1, 'LBA mid.'),
      bytesField('lba5', 'LBA (47:40)', 11, 1, 'LBA bits 47:40 (EXTEND=1).'),
      bytesField('lba2', 'LBA (23:16)', 12, 1, 'LBA high.'),
      bytesField('device', 'DEVICE', 13, 1, 'Device register (bit 6 = LBA mode).'),
      bytesField(
        'command',
        'COMMAND',
        14,
        1,
        'The ATA command (ECh IDENTIFY DEVICE, B0h SMART, …).',
      ),
      ...controlFields(15),
    ],
    length: ataLength(true),
    // Any ATA command can be tunnelled, WRITE DMA and SECURITY ERASE UNIT included (SAT-4, ATA PASS-THROUGH);
    // one the ATA sub-catalog knows speaks for itself.
    effect: 'changes-data',
    effectFrom: 'ata-command',
    support: 'optional',
  },
  {
    opcode: asOpcode(0xa1),
    name: 'ATA PASS-THROUGH(12)',
    aliases: ['ata-pass-through12', 'ata12', 'sat12'],
    cdbLength: 12,
    standard: 'SAT-4',
    summary:
      'Sends a 28-bit ATA command through a SCSI/ATA translating bridge. (A1h is BLANK on MMC devices.)',
    fields: [
      opcodeField(),
      ...ataControl(false),
      bytesField('features', 'FEATURES', 3, 1, 'Features register.'),
      bytesField('count', 'COUNT', 4, 1, 'Sector count.'),
      bytesField('lba0', 'LBA (7:0)', 5, 1, 'LBA low.'),
      bytesField('lba1', 'LBA (15:8)', 6, 1, 'LBA mid.'),
      bytesField('lba2', 'LBA (23:16)', 7, 1, 'LBA high.'),
      bytesField('device', 'DEVICE', 8, 1, 'Device register.'),
      bytesField('command', 'COMMAND', 9, 1, 'The ATA command.'),
      ...controlFields(11),
    ],
    length: ataLength(false),
    // Any ATA command can be tunnelled, WRITE DMA and SECURITY ERASE UNIT included (SAT-4, ATA PASS-THROUGH).
    // Not refined by the ATA command it carries, as 85h is: an optical drive reads A1h as BLANK (MMC-6),
    // which erases a rewritable disc whatever bytes 3–9 hold.
    effect: 'changes-data',
    effectNote:
      'Whatever ATA command it carries, it is asked about: an optical drive reads A1h as BLANK (MMC-6), which erases a rewritable disc; ATA PASS-THROUGH(16) is judged by the ATA command.',
    support: 'optional',
  },
] as const satisfies readonly CommandSpec[];
