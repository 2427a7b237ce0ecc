/**
 * Block commands (SBC-4, T10/BSR INCITS 506) for direct-access devices:
 * reads, writes, verify, capacity, cache, unmap, write same, format,
 * sanitize, start/stop, medium removal, and the writes that verify, compare or
 * write long.
 */
import { asOpcode, asServiceAction } from '../../brand';
import {
  allocationLength,
  bitField,
  bytesField,
  controlFields,
  elementIdentifierField,
  groupNumber,
  lbaField,
  legacyLunField,
  opcodeField,
  parameterListLength,
  protectDpoFua,
  relAdr,
  serviceActionField,
  transferLength,
} from '../common-fields';
import type { CommandSpec, FieldSpec, LengthRule } from '../types';

/** READ(6)/WRITE(6): 21-bit LBA in byte 1 bits 4:0 and bytes 2–3; TRANSFER LENGTH 0 means 256 blocks. */
function sixByteRw<Name extends string>(
  opcode: number,
  name: Name,
  aliases: string[],
  direction: 'in' | 'out',
) {
  // Inferred, not widened to CommandSpec: the field keys stay literal (FieldKeyOf).
  return {
    opcode: asOpcode(opcode),
    name,
    aliases,
    cdbLength: 6,
    standard: 'SBC-4',
    summary: `${direction === 'in' ? 'Reads' : 'Writes'} up to 256 blocks in the first 2 M blocks (21-bit LBA). Obsolete in SBC-4 but still what old hosts send.`,
    fields: [
      opcodeField(),
      legacyLunField(),
      lbaField(1, 0, {
        width: 21,
        meaning: 'First logical block (21 bits: byte 1 bits 4:0, then bytes 2–3).',
      }),
      bytesField(
        'transferLength',
        'TRANSFER LENGTH',
        4,
        1,
        'Number of logical blocks; 0 means 256.',
        { role: 'transferLength' },
      ),
      ...controlFields(5),
    ],
    length: [
      {
        field: 'transferLength',
        kind: 'transfer',
        unit: 'blocks',
        direction,
        zeroMeans: 256,
        note: 'In the 6-byte READ and WRITE a TRANSFER LENGTH of 0 means 256 blocks (SBC-4); use TEST UNIT READY to move no data.',
      },
    ],
    effect: direction === 'in' ? 'reads' : 'changes-data',
    support: 'obsolete',
  } satisfies CommandSpec;
}

function transfer(direction: 'in' | 'out', when?: LengthRule['when']): LengthRule[] {
  return [
    {
      field: 'transferLength',
      kind: 'transfer',
      unit: 'blocks',
      direction,
      ...(when ? { when } : {}),
    },
  ];
}

/**
 * READ(16) and WRITE(16) (SBC-4): the protection field, DPO, FUA (and RARC for
 * reads), a 64-bit LBA, a 32-bit TRANSFER LENGTH and the three DLD bits.
 */
function rw16Fields(protect: 'RDPROTECT' | 'WRPROTECT') {
  return [
    opcodeField(),
    ...protectDpoFua(protect, true),
    ...(protect === 'RDPROTECT'
      ? [bitField('rarc', 'RARC', 1, 2, 'Rebuild assist recovery control.')]
      : []),
    bitField('dld2', 'DLD2', 1, 0, 'Duration limit descriptor, bit 2.'),
    lbaField(2, 8),
    transferLength(10, 4),
    bitField('dld1', 'DLD1', 14, 7, 'Duration limit descriptor, bit 1.'),
    bitField('dld0', 'DLD0', 14, 6, 'Duration limit descriptor, bit 0.'),
    groupNumber(14),
    ...controlFields(15),
  ];
}

const BYTCHK = {
  key: 'bytChk',
  name: 'BYTCHK',
  byte: 1,
  bit: 1,
  width: 2,
  meaning:
    '00b: verify the medium only, no data; 01b: compare VERIFICATION LENGTH blocks of data-out; 11b: compare one block of data-out against every block.',
  values: [
    { value: 0, name: 'medium verification, no data-out' },
    { value: 1, name: 'byte-by-byte comparison of the data-out' },
    { value: 2, name: 'reserved', note: 'reserved' },
    { value: 3, name: 'compare one block of data-out with each block' },
  ],
} as const satisfies FieldSpec;

const VERIFY_LENGTH = (byte: number, count: number) =>
  bytesField(
    'verificationLength',
    'VERIFICATION LENGTH',
    byte,
    count,
    'Number of logical blocks to verify.',
    { role: 'transferLength' },
  );

const VERIFY_RULES: LengthRule[] = [
  {
    field: 'verificationLength',
    kind: 'transfer',
    unit: 'blocks',
    direction: 'out',
    when: [{ field: 'bytChk', equals: 1 }],
  },
  {
    fixedUnits: 1,
    kind: 'transfer',
    unit: 'blocks',
    direction: 'out',
    when: [{ field: 'bytChk', equals: 3 }],
    note: 'BYTCHK 11b sends a single block.',
  },
];

/**
 * Where the 10-, 12- and 16-byte forms of VERIFY and WRITE AND VERIFY put LBA, the length (in
 * blocks) and GROUP NUMBER (SBC-4; the 12-byte forms as libiscsi's scsi_cdb_verify12 and
 * scsi_cdb_writeverify12 build them). Byte 1 bit 0 is the obsolete RELADR in the 10- and 12-byte
 * forms only. Inferred, not widened to CommandSpec: the field keys stay literal (FieldKeyOf).
 */
function blockRangeLayout<Length extends FieldSpec>(
  cdbLength: 10 | 12 | 16,
  length: (byte: number, count: number) => Length,
) {
  const layouts = {
    10: [relAdr(), lbaField(2, 4), groupNumber(6), length(7, 2), ...controlFields(9)],
    12: [relAdr(), lbaField(2, 4), length(6, 4), groupNumber(10), ...controlFields(11)],
    16: [lbaField(2, 8), length(10, 4), groupNumber(14), ...controlFields(15)],
  };
  return layouts[cdbLength];
}

/**
 * VERIFY(10), (12) and (16) (SBC-4): checks blocks on the medium, or with BYTCHK compares them
 * with the data-out.
 */
function verifyCommand<Name extends string>(
  opcode: number,
  name: Name,
  aliases: string[],
  cdbLength: 10 | 12 | 16,
) {
  return {
    opcode: asOpcode(opcode),
    name,
    aliases,
    cdbLength,
    standard: 'SBC-4',
    summary: `Checks that blocks can be read (BYTCHK=0) or compares them with data-out (${cdbLength === 16 ? '64' : '32'}-bit LBA).`,
    fields: [
      opcodeField(),
      ...protectDpoFua('VRPROTECT', false),
      BYTCHK,
      ...blockRangeLayout(cdbLength, VERIFY_LENGTH),
    ],
    length: VERIFY_RULES,
    effect: 'reads',
    support: 'optional',
  } satisfies CommandSpec;
}

const IMMED = bitField(
  'immed',
  'IMMED',
  1,
  1,
  '1 = return status as soon as the command is accepted, before it finishes.',
);

const WRITE_SAME_BLOCKS = (byte: number, count: number) =>
  bytesField(
    'numberOfBlocks',
    'NUMBER OF LOGICAL BLOCKS',
    byte,
    count,
    'Blocks to write with the one block of data (0: to the end of the medium, if the device allows).',
    // A command built from the catalog writes one block, never the whole medium (SBC-4, WRITE SAME).
    { default: 1 },
  );

/**
 * BYTCHK of WRITE AND VERIFY (SBC-4, WRITE AND VERIFY(10)): after the write,
 * 00b verifies the medium only and 01b also compares the written blocks with
 * the data-out. Values are given in the meaning only, as SBC revisions differ
 * on the others.
 */
const WRITE_VERIFY_BYTCHK = {
  key: 'bytChk',
  name: 'BYTCHK',
  byte: 1,
  bit: 1,
  width: 2,
  meaning:
    '00b: verify the written blocks on the medium; 01b: also compare them byte by byte with the data-out.',
} as const satisfies FieldSpec;

/**
 * WRITE AND VERIFY(10), (12) and (16) (SBC-4): a WRITE whose blocks are then
 * verified. The data-out is TRANSFER LENGTH blocks, exactly as for WRITE.
 */
function writeAndVerify<Name extends string>(
  opcode: number,
  name: Name,
  aliases: string[],
  cdbLength: 10 | 12 | 16,
) {
  return {
    opcode: asOpcode(opcode),
    name,
    aliases,
    cdbLength,
    standard: 'SBC-4',
    summary: `Writes logical blocks, then verifies them on the medium (${cdbLength === 16 ? '64' : '32'}-bit LBA).`,
    fields: [
      opcodeField(),
      ...protectDpoFua('WRPROTECT', false),
      WRITE_VERIFY_BYTCHK,
      ...blockRangeLayout(cdbLength, transferLength),
    ],
    length: transfer('out'),
    effect: 'changes-data',
    support: 'optional',
  } satisfies CommandSpec;
}

/**
 * COR_DIS, WR_UNCOR and PBLOCK of WRITE LONG (SBC-4, WRITE LONG(10)): with
 * COR_DIS or WR_UNCOR set no data is transferred and the block is marked
 * uncorrectable, so the command destroys data even without a data-out phase.
 */
const WRITE_LONG_BITS = [
  bitField(
    'corDis',
    'COR_DIS',
    1,
    7,
    '1 = mark the block so that reading it returns an unrecovered error, without sending data.',
  ),
  bitField(
    'wrUncor',
    'WR_UNCOR',
    1,
    6,
    '1 = write the block as uncorrectable (reads fail) without sending data.',
  ),
  bitField(
    'pblock',
    'PBLOCK',
    1,
    5,
    '1 = the data is a physical block rather than a logical block.',
  ),
];

const BYTE_TRANSFER_LENGTH = (byte: number) =>
  bytesField(
    'byteTransferLength',
    'BYTE TRANSFER LENGTH',
    byte,
    2,
    'Bytes of data-out: the block with its ECC and vendor bytes, as READ LONG returned it.',
  );

const WRITE_LONG_LENGTH: LengthRule[] = [
  {
    field: 'byteTransferLength',
    kind: 'transfer',
    unit: 'bytes',
    direction: 'out',
    when: [
      { field: 'corDis', equals: 0 },
      { field: 'wrUncor', equals: 0 },
    ],
    note: 'With COR_DIS or WR_UNCOR set there is no data-out (SBC-4, WRITE LONG).',
  },
];

export const SBC_COMMANDS = [
  {
    opcode: asOpcode(0x04),
    name: 'FORMAT UNIT',
    aliases: ['format-unit', 'format'],
    cdbLength: 6,
    standard: 'SBC-4',
    summary: 'Formats the medium: every block is rewritten and user data is lost.',
    fields: [
      opcodeField(),
      {
        key: 'fmtpInfo',
        name: 'FMTPINFO',
        byte: 1,
        bit: 6,
        width: 2,
        meaning:
          'Protection information to format with (with PROTECTION FIELD USAGE in the parameter list).',
      },
      bitField(
        'longList',
        'LONGLIST',
        1,
        5,
        '1 = the parameter list has the long (8-byte) header.',
      ),
      bitField(
        'fmtData',
        'FMTDATA',
        1,
        4,
        '1 = a parameter list follows (its header gives its length).',
      ),
      bitField('cmpLst', 'CMPLST', 1, 3, '1 = the defect list replaces the grown list.'),
      {
        key: 'defectListFormat',
        name: 'DEFECT LIST FORMAT',
        byte: 1,
        bit: 0,
        width: 3,
        meaning: 'Format of the defect list in the parameter data.',
      },
      bytesField('vendorSpecific', 'VENDOR SPECIFIC', 2, 1, 'Vendor specific.'),
      // SBC-4 (revision 10 on) keeps only byte 3 obsolete: byte 4 bits 1:0 became FFMT.
      bytesField('interleave', 'INTERLEAVE', 3, 1, 'Obsolete (interleave factor); must be 0.', {
        obsolete: true,
      }),
      {
        key: 'ffmt',
        name: 'FFMT',
        byte: 4,
        bit: 0,
        width: 2,
        meaning:
          'Fast format: 01b or 10b initialise the medium without writing it (SBC-4); 00b formats as the CDB and parameter list say. A device older than SBC-4 reads these bits as obsolete.',
        values: [
          { value: 0, name: 'format as specified (medium may be written)' },
          { value: 1, name: 'fast format; unwritten blocks read without error' },
          { value: 2, name: 'fast format; unwritten blocks may read with an error' },
          { value: 3, name: 'reserved', note: 'reserved' },
        ],
      },
      ...controlFields(5),
    ],
    length: [
      {
        kind: 'parameterList',
        unit: 'bytes',
        direction: 'out',
        when: [{ field: 'fmtData', equals: 1 }],
        note: 'The length of the FORMAT UNIT parameter list is given by its own header, not the CDB.',
      },
    ],
    effect: 'changes-data',
    support: 'optional',
  },
  sixByteRw(0x08, 'READ(6)', ['read6', 'read-6'], 'in'),
  sixByteRw(0x0a, 'WRITE(6)', ['write6', 'write-6'], 'out'),
  {
    opcode: asOpcode(0x1b),
    name: 'START STOP UNIT',
    aliases: ['start-stop-unit', 'start-stop', 'sss'],
    cdbLength: 6,
    standard: 'SBC-4',
    summary: 'Spins the unit up or down, changes its power condition, or loads/ejects the medium.',
    fields: [
      opcodeField(),
      legacyLunField(),
      bitField('immed', 'IMMED', 1, 0, '1 = return status as soon as the command is accepted.'),
      {
        key: 'powerConditionModifier',
        name: 'POWER CONDITION MODIFIER',
        byte: 3,
        bit: 0,
        width: 4,
        meaning: 'Refines POWER CONDITION (e.g. which idle or standby level).',
      },
      {
        key: 'powerCondition',
        name: 'POWER CONDITION',
        byte: 4,
        bit: 4,
        width: 4,
        meaning: 'Power condition to enter; 0 = use START and LOEJ.',
        values: [
          { value: 0x0, name: 'START_VALID (process START and LOEJ)' },
          { value: 0x1, name: 'ACTIVE' },
          { value: 0x2, name: 'IDLE' },
          { value: 0x3, name: 'STANDBY' },
          { value: 0x5, name: 'obsolete', note: 'obsolete' },
          { value: 0x7, name: 'LU_CONTROL' },
          { value: 0xa, name: 'FORCE_IDLE_0' },
          { value: 0xb, name: 'FORCE_STANDBY_0' },
        ],
      },
      bitField('noFlush', 'NO_FLUSH', 4, 2, '1 = do not flush the cache before stopping.'),
      bitField(
        'loej',
        'LOEJ',
        4,
        1,
        'Load/eject: with START=0 eject the medium, with START=1 load it.',
      ),
      bitField('start', 'START', 4, 0, '1 = make the unit ready (spin up); 0 = stop.'),
      ...controlFields(5),
    ],
    length: [],
    effect: 'changes-state',
    support: 'optional',
  },
  {
    opcode: asOpcode(0x1e),
    name: 'PREVENT ALLOW MEDIUM REMOVAL',
    aliases: ['prevent-allow-medium-removal', 'prevent-allow', 'prevent'],
    cdbLength: 6,
    standard: 'SBC-4',
    summary: 'Locks or unlocks removal of the medium (the eject button of a card reader).',
    fields: [
      opcodeField(),
      legacyLunField(),
      {
        key: 'prevent',
        name: 'PREVENT',
        byte: 4,
        bit: 0,
        width: 2,
        meaning: '00b allow removal, 01b prevent removal.',
        values: [
          { value: 0, name: 'allow medium removal' },
          { value: 1, name: 'prevent medium removal' },
          { value: 2, name: 'obsolete', note: 'obsolete' },
          { value: 3, name: 'obsolete', note: 'obsolete' },
        ],
      },
      ...controlFields(5),
    ],
    length: [],
    effect: 'changes-state',
    support: 'optional',
  },
  {
    opcode: asOpcode(0x25),
    name: 'READ CAPACITY(10)',
    aliases: ['read-capacity10', 'read-capacity-10', 'readcap', 'readcap10'],
    cdbLength: 10,
    standard: 'SBC-4',
    summary:
      'Returns the last LBA (32-bit; FFFFFFFFh means use READ CAPACITY(16)) and the block length: 8 bytes.',
    fields: [
      opcodeField(),
      legacyLunField(),
      relAdr(),
      lbaField(2, 4, {
        obsolete: true,
        meaning: 'Obsolete since SBC-3 (used with PMI); must be 0.',
      }),
      bitField('pmi', 'PMI', 8, 0, 'Obsolete since SBC-3 (partial medium indicator); must be 0.', {
        obsolete: true,
      }),
      ...controlFields(9),
    ],
    length: [
      {
        fixedUnits: 8,
        kind: 'allocation',
        unit: 'bytes',
        direction: 'in',
        note: 'READ CAPACITY(10) always returns 8 bytes.',
      },
    ],
    effect: 'reads',
    support: 'mandatory',
  },
  {
    opcode: asOpcode(0x28),
    name: 'READ(10)',
    aliases: ['read10', 'read-10', 'read'],
    cdbLength: 10,
    standard: 'SBC-4',
    summary: 'Reads logical blocks (32-bit LBA, up to 65535 blocks).',
    fields: [
      opcodeField(),
      ...protectDpoFua('RDPROTECT', true),
      bitField('rarc', 'RARC', 1, 2, 'Rebuild assist recovery control.'),
      bitField('fuaNv', 'FUA_NV', 1, 1, 'Obsolete (force unit access, non-volatile cache).', {
        obsolete: true,
      }),
      relAdr(),
      lbaField(2, 4),
      groupNumber(6),
      transferLength(7, 2),
      ...controlFields(9),
    ],
    length: transfer('in'),
    effect: 'reads',
    support: 'mandatory',
  },
  {
    opcode: asOpcode(0x2a),
    name: 'WRITE(10)',
    aliases: ['write10', 'write-10', 'write'],
    cdbLength: 10,
    standard: 'SBC-4',
    summary: 'Writes logical blocks (32-bit LBA, up to 65535 blocks).',
    fields: [
      opcodeField(),
      ...protectDpoFua('WRPROTECT', true),
      bitField('fuaNv', 'FUA_NV', 1, 1, 'Obsolete (force unit access, non-volatile cache).', {
        obsolete: true,
      }),
      relAdr(),
      lbaField(2, 4),
      groupNumber(6),
      transferLength(7, 2),
      ...controlFields(9),
    ],
    length: transfer('out'),
    effect: 'changes-data',
    support: 'optional',
  },
  writeAndVerify(
    0x2e,
    'WRITE AND VERIFY(10)',
    ['write-and-verify10', 'write-and-verify', 'write-verify10'],
    10,
  ),
  verifyCommand(0x2f, 'VERIFY(10)', ['verify10', 'verify-10', 'verify'], 10),
  {
    opcode: asOpcode(0x35),
    name: 'SYNCHRONIZE CACHE(10)',
    aliases: ['synchronize-cache10', 'synchronize-cache', 'sync-cache', 'sync'],
    cdbLength: 10,
    standard: 'SBC-4',
    summary: 'Writes cached data for the range (0 blocks = all) to the medium.',
    fields: [
      opcodeField(),
      legacyLunField(),
      bitField('syncNv', 'SYNC_NV', 1, 2, 'Obsolete.', { obsolete: true }),
      IMMED,
      relAdr(),
      lbaField(2, 4),
      groupNumber(6),
      bytesField(
        'numberOfBlocks',
        'NUMBER OF LOGICAL BLOCKS',
        7,
        2,
        'Blocks to synchronize from the LBA; 0 = to the end of the medium.',
      ),
      ...controlFields(9),
    ],
    length: [],
    effect: 'changes-state',
    support: 'optional',
  },
  {
    // SBC-4 (from revision 18); layout as sg3_utils' sg_format --preset builds it.
    opcode: asOpcode(0x38),
    name: 'FORMAT WITH PRESET',
    aliases: ['format-with-preset', 'format-preset'],
    cdbLength: 10,
    standard: 'SBC-4',
    summary:
      'Formats the medium as one of the device’s format presets (Format Presets VPD page B8h): user data is lost.',
    fields: [
      opcodeField(),
      bitField(
        'immed',
        'IMMED',
        1,
        7,
        '1 = return status as soon as the format starts (poll with REQUEST SENSE for progress).',
      ),
      bitField(
        'fmtMaxLba',
        'FMTMAXLBA',
        1,
        6,
        '1 = format to the most logical blocks the preset allows rather than its stated capacity.',
      ),
      bytesField(
        'presetIdentifier',
        'PRESET IDENTIFIER',
        2,
        4,
        'Which format preset, as the Format Presets VPD page lists them.',
      ),
      ...controlFields(9),
    ],
    length: [],
    effect: 'changes-data',
    effectNote: 'It has no data phase: the CDB alone formats the medium.',
    support: 'optional',
  },
  {
    opcode: asOpcode(0x3f),
    name: 'WRITE LONG(10)',
    aliases: ['write-long10', 'write-long'],
    cdbLength: 10,
    standard: 'SBC-4',
    summary:
      'Writes one block including its ECC bytes, or (COR_DIS/WR_UNCOR) marks it unreadable: a tool for testing error recovery.',
    fields: [
      opcodeField(),
      ...WRITE_LONG_BITS,
      relAdr(),
      lbaField(2, 4),
      BYTE_TRANSFER_LENGTH(7),
      ...controlFields(9),
    ],
    length: WRITE_LONG_LENGTH,
    effect: 'changes-data',
    support: 'optional',
  },
  {
    opcode: asOpcode(0x41),
    name: 'WRITE SAME(10)',
    aliases: ['write-same10', 'write-same-10', 'write-same'],
    cdbLength: 10,
    standard: 'SBC-4',
    summary: 'Writes one block of data-out to a range of blocks, or unmaps them (UNMAP=1).',
    fields: [
      opcodeField(),
      {
        key: 'wrprotect',
        name: 'WRPROTECT',
        byte: 1,
        bit: 5,
        width: 3,
        meaning: 'Protection information checking; 000b without protection information.',
      },
      bitField('anchor', 'ANCHOR', 1, 4, 'Anchor the unmapped blocks (with UNMAP=1).'),
      bitField(
        'unmap',
        'UNMAP',
        1,
        3,
        '1 = unmap the blocks if the device can (thin provisioning).',
      ),
      bitField('pbdata', 'PBDATA', 1, 2, 'Obsolete.', { obsolete: true }),
      bitField('lbdata', 'LBDATA', 1, 1, 'Obsolete.', { obsolete: true }),
      relAdr(),
      lbaField(2, 4),
      groupNumber(6),
      WRITE_SAME_BLOCKS(7, 2),
      ...controlFields(9),
    ],
    length: [
      {
        fixedUnits: 1,
        kind: 'transfer',
        unit: 'blocks',
        direction: 'out',
        note: 'WRITE SAME sends exactly one logical block.',
      },
    ],
    effect: 'changes-data',
    support: 'optional',
  },
  {
    opcode: asOpcode(0x42),
    name: 'UNMAP',
    aliases: ['unmap', 'trim'],
    cdbLength: 10,
    standard: 'SBC-4',
    summary: 'Unmaps (trims) the LBA ranges listed in the parameter data: their data is gone.',
    // No SCSI-2 LUN bits: UNMAP arrived in SBC-3, and byte 1 bits 7:1 are reserved (SBC-4, UNMAP).
    fields: [
      opcodeField(),
      bitField('anchor', 'ANCHOR', 1, 0, 'Anchor the ranges instead of deallocating them.'),
      groupNumber(6),
      parameterListLength(7, 2),
      ...controlFields(9),
    ],
    length: [
      { field: 'parameterListLength', kind: 'parameterList', unit: 'bytes', direction: 'out' },
    ],
    effect: 'changes-data',
    support: 'optional',
  },
  {
    opcode: asOpcode(0x48),
    name: 'SANITIZE',
    aliases: ['sanitize'],
    cdbLength: 10,
    standard: 'SBC-4',
    summary: 'Erases all user data, cache included (overwrite, block erase or crypto erase).',
    fields: [
      opcodeField(),
      bitField(
        'immed',
        'IMMED',
        1,
        7,
        '1 = return status as soon as the sanitize starts (poll with REQUEST SENSE for progress).',
      ),
      bitField(
        'znr',
        'ZNR',
        1,
        6,
        'Zone no reset (SBC-4, from revision 7): on a zoned device, 1 = the sanitize does not reset the write pointers of the zones to their starts.',
      ),
      bitField(
        'ause',
        'AUSE',
        1,
        5,
        'Allow unrestricted sanitize exit: 1 = EXIT FAILURE MODE may be used if the sanitize fails.',
      ),
      serviceActionField([
        { value: 0x01, name: 'OVERWRITE' },
        { value: 0x02, name: 'BLOCK ERASE' },
        { value: 0x03, name: 'CRYPTOGRAPHIC ERASE' },
        { value: 0x1f, name: 'EXIT FAILURE MODE' },
      ]),
      parameterListLength(7, 2),
      ...controlFields(9),
    ],
    // One row: the service action is an enumerated field, because every SANITIZE shares one layout.
    length: [
      {
        field: 'parameterListLength',
        kind: 'parameterList',
        unit: 'bytes',
        direction: 'out',
        when: [{ field: 'serviceAction', equals: 1 }],
        note: 'Only OVERWRITE has a parameter list (the pattern).',
      },
    ],
    effect: 'changes-data',
    support: 'optional',
  },
  {
    opcode: asOpcode(0x88),
    name: 'READ(16)',
    aliases: ['read16', 'read-16'],
    cdbLength: 16,
    standard: 'SBC-4',
    summary: 'Reads logical blocks (64-bit LBA, 32-bit length).',
    fields: rw16Fields('RDPROTECT'),
    length: transfer('in'),
    effect: 'reads',
    support: 'optional',
  },
  {
    opcode: asOpcode(0x89),
    name: 'COMPARE AND WRITE',
    aliases: ['compare-and-write', 'caw'],
    cdbLength: 16,
    standard: 'SBC-4',
    summary:
      'Compares blocks with the first half of the data-out and, if they match, writes the second half over them (atomic test-and-set).',
    fields: [
      opcodeField(),
      ...protectDpoFua('WRPROTECT', true),
      bitField('fuaNv', 'FUA_NV', 1, 1, 'Obsolete.', { obsolete: true }),
      lbaField(2, 8),
      bytesField(
        'numberOfBlocks',
        'NUMBER OF LOGICAL BLOCKS',
        13,
        1,
        'Blocks to compare and then write; 0 means none.',
      ),
      groupNumber(14),
      ...controlFields(15),
    ],
    length: [
      {
        field: 'numberOfBlocks',
        times: 2,
        kind: 'transfer',
        unit: 'blocks',
        direction: 'out',
        note: 'The data-out is twice NUMBER OF LOGICAL BLOCKS: the compare data, then the write data (SBC-4, COMPARE AND WRITE).',
      },
    ],
    effect: 'changes-data',
    support: 'optional',
  },
  {
    opcode: asOpcode(0x8a),
    name: 'WRITE(16)',
    aliases: ['write16', 'write-16'],
    cdbLength: 16,
    standard: 'SBC-4',
    summary: 'Writes logical blocks (64-bit LBA, 32-bit length).',
    fields: rw16Fields('WRPROTECT'),
    length: transfer('out'),
    effect: 'changes-data',
    support: 'optional',
  },
  writeAndVerify(0x8e, 'WRITE AND VERIFY(16)', ['write-and-verify16', 'write-verify16'], 16),
  verifyCommand(0x8f, 'VERIFY(16)', ['verify16', 'verify-16'], 16),
  {
    opcode: asOpcode(0x91),
    name: 'SYNCHRONIZE CACHE(16)',
    aliases: ['synchronize-cache16', 'sync-cache16', 'sync16'],
    cdbLength: 16,
    standard: 'SBC-4',
    summary: 'Writes cached data for the range (64-bit LBA) to the medium.',
    fields: [
      opcodeField(),
      bitField('syncNv', 'SYNC_NV', 1, 2, 'Obsolete.', { obsolete: true }),
      IMMED,
      lbaField(2, 8),
      bytesField(
        'numberOfBlocks',
        'NUMBER OF LOGICAL BLOCKS',
        10,
        4,
        'Blocks to synchronize; 0 = to the end of the medium.',
      ),
      groupNumber(14),
      ...controlFields(15),
    ],
    length: [],
    effect: 'changes-state',
    support: 'optional',
  },
  {
    opcode: asOpcode(0x93),
    name: 'WRITE SAME(16)',
    aliases: ['write-same16', 'write-same-16'],
    cdbLength: 16,
    standard: 'SBC-4',
    summary:
      'Writes one block (or, with NDOB, zeros) to a range of blocks (64-bit LBA), or unmaps them.',
    fields: [
      opcodeField(),
      {
        key: 'wrprotect',
        name: 'WRPROTECT',
        byte: 1,
        bit: 5,
        width: 3,
        meaning: 'Protection information checking; 000b without protection information.',
      },
      bitField('anchor', 'ANCHOR', 1, 4, 'Anchor the unmapped blocks (with UNMAP=1).'),
      bitField('unmap', 'UNMAP', 1, 3, '1 = unmap the blocks if the device can.'),
      bitField('pbdata', 'PBDATA', 1, 2, 'Obsolete.', { obsolete: true }),
      bitField('lbdata', 'LBDATA', 1, 1, 'Obsolete.', { obsolete: true }),
      bitField('ndob', 'NDOB', 1, 0, 'No data-out buffer: 1 = write zeros, no data phase.'),
      lbaField(2, 8),
      WRITE_SAME_BLOCKS(10, 4),
      groupNumber(14),
      ...controlFields(15),
    ],
    length: [
      {
        fixedUnits: 1,
        kind: 'transfer',
        unit: 'blocks',
        direction: 'out',
        when: [{ field: 'ndob', equals: 0 }],
        note: 'One logical block of data-out unless NDOB=1.',
      },
    ],
    effect: 'changes-data',
    support: 'optional',
  },
  {
    opcode: asOpcode(0x9e),
    serviceAction: asServiceAction(0x10),
    serviceActionField: 'serviceAction',
    name: 'READ CAPACITY(16)',
    aliases: ['read-capacity16', 'read-capacity-16', 'readcap16'],
    cdbLength: 16,
    standard: 'SBC-4',
    summary:
      'Returns the last LBA (64-bit), block length, protection and provisioning details. SERVICE ACTION IN(16), service action 10h.',
    fields: [
      opcodeField(),
      serviceActionField([{ value: 0x10, name: 'READ CAPACITY(16)' }]),
      lbaField(2, 8, {
        obsolete: true,
        meaning: 'Obsolete since SBC-3 (used with PMI); must be 0.',
      }),
      allocationLength(10, 4, { default: 32 }),
      bitField('pmi', 'PMI', 14, 0, 'Obsolete since SBC-3; must be 0.', { obsolete: true }),
      ...controlFields(15),
    ],
    length: [{ field: 'allocationLength', kind: 'allocation', unit: 'bytes', direction: 'in' }],
    effect: 'reads',
    // SBC-4 makes it mandatory only for a logical unit that supports protection information
    // (as Seagate's SCSI Commands Reference Manual, rev. J, 3.23.1 restates); a USB disk without
    // protection information may refuse it, so the doctor must not call that refusal impossible.
    support: 'optional',
  },
  {
    opcode: asOpcode(0x9e),
    serviceAction: asServiceAction(0x12),
    serviceActionField: 'serviceAction',
    name: 'GET LBA STATUS(16)',
    aliases: ['get-lba-status', 'get-lba-status16', 'lba-status'],
    cdbLength: 16,
    standard: 'SBC-4',
    summary:
      'Returns LBA status descriptors from an LBA on: extents that are mapped or deallocated (logical block provisioning). SERVICE ACTION IN(16), service action 12h.',
    fields: [
      opcodeField(),
      serviceActionField([{ value: 0x12, name: 'GET LBA STATUS(16)' }]),
      lbaField(2, 8, {
        meaning: 'STARTING LOGICAL BLOCK ADDRESS: the first descriptor starts here.',
      }),
      allocationLength(10, 4, { default: 24 }),
      {
        key: 'reportType',
        name: 'REPORT TYPE',
        // The whole of byte 14: SBC-5 added 10h, past the three bits SBC-4's values used
        // (sg3_utils' sg_get_lba_status writes byte 14 whole and names 16).
        byte: 14,
        bit: 0,
        width: 8,
        meaning: 'Which extents to report.',
        values: [
          { value: 0, name: 'all LBAs' },
          { value: 1, name: 'LBAs with a nonzero provisioning status' },
          { value: 2, name: 'mapped LBAs' },
          { value: 3, name: 'deallocated LBAs' },
          { value: 4, name: 'anchored LBAs' },
          { value: 0x10, name: 'LBAs that may return an unrecovered error (SBC-5)' },
        ],
      },
      ...controlFields(15),
    ],
    length: [{ field: 'allocationLength', kind: 'allocation', unit: 'bytes', direction: 'in' }],
    effect: 'reads',
    support: 'optional',
  },
  {
    // SBC-4 (from revision 13); layout as sg3_utils' sg_rem_rest_elem --remove builds it.
    opcode: asOpcode(0x9e),
    serviceAction: asServiceAction(0x18),
    serviceActionField: 'serviceAction',
    name: 'REMOVE ELEMENT AND TRUNCATE',
    aliases: ['remove-element-and-truncate', 'remove-element'],
    cdbLength: 16,
    standard: 'SBC-4',
    summary:
      'Depopulates a storage element (a platter side, say) and shrinks the capacity: SERVICE ACTION IN(16), service action 18h.',
    fields: [
      opcodeField(),
      serviceActionField([{ value: 0x18, name: 'REMOVE ELEMENT AND TRUNCATE' }]),
      bytesField(
        'requestedCapacity',
        'REQUESTED CAPACITY',
        2,
        8,
        'Logical blocks the device is to have afterwards; 0 = the device decides.',
      ),
      elementIdentifierField(),
      ...controlFields(15),
    ],
    length: [],
    effect: 'changes-data',
    effectNote:
      'It has no data phase: the device rebuilds itself around the removed element and user data is lost, as with FORMAT UNIT.',
    support: 'optional',
  },
  {
    // SBC-4 (from revision 19); sg3_utils' sg_rem_rest_elem --restore sends only the service action.
    opcode: asOpcode(0x9e),
    serviceAction: asServiceAction(0x19),
    serviceActionField: 'serviceAction',
    name: 'RESTORE ELEMENTS AND REBUILD',
    aliases: ['restore-elements-and-rebuild', 'restore-elements'],
    cdbLength: 16,
    standard: 'SBC-4',
    summary:
      'Returns depopulated storage elements to service and rebuilds the logical unit: SERVICE ACTION IN(16), service action 19h.',
    fields: [
      opcodeField(),
      serviceActionField([{ value: 0x19, name: 'RESTORE ELEMENTS AND REBUILD' }]),
      ...controlFields(15),
    ],
    length: [],
    effect: 'changes-data',
    effectNote: 'It has no data phase: the rebuild loses user data, as with FORMAT UNIT.',
    support: 'optional',
  },
  {
    opcode: asOpcode(0x9f),
    serviceAction: asServiceAction(0x11),
    serviceActionField: 'serviceAction',
    name: 'WRITE LONG(16)',
    aliases: ['write-long16'],
    cdbLength: 16,
    standard: 'SBC-4',
    summary: 'WRITE LONG with a 64-bit LBA: SERVICE ACTION OUT(16), service action 11h.',
    fields: [
      opcodeField(),
      ...WRITE_LONG_BITS,
      serviceActionField([{ value: 0x11, name: 'WRITE LONG(16)' }]),
      lbaField(2, 8),
      BYTE_TRANSFER_LENGTH(12),
      ...controlFields(15),
    ],
    length: WRITE_LONG_LENGTH,
    effect: 'changes-data',
    support: 'optional',
  },
  {
    opcode: asOpcode(0xa8),
    name: 'READ(12)',
    aliases: ['read12', 'read-12'],
    cdbLength: 12,
    standard: 'SBC-4',
    summary: 'Reads logical blocks (32-bit LBA, 32-bit length).',
    fields: [
      opcodeField(),
      ...protectDpoFua('RDPROTECT', true),
      bitField('rarc', 'RARC', 1, 2, 'Rebuild assist recovery control.'),
      bitField('fuaNv', 'FUA_NV', 1, 1, 'Obsolete.', { obsolete: true }),
      relAdr(),
      lbaField(2, 4),
      transferLength(6, 4),
      groupNumber(10),
      ...controlFields(11),
    ],
    length: transfer('in'),
    effect: 'reads',
    support: 'optional',
  },
  {
    opcode: asOpcode(0xaa),
    name: 'WRITE(12)',
    aliases: ['write12', 'write-12'],
    cdbLength: 12,
    standard: 'SBC-4',
    summary: 'Writes logical blocks (32-bit LBA, 32-bit length).',
    fields: [
      opcodeField(),
      ...protectDpoFua('WRPROTECT', true),
      bitField('fuaNv', 'FUA_NV', 1, 1, 'Obsolete.', { obsolete: true }),
      relAdr(),
      lbaField(2, 4),
      transferLength(6, 4),
      groupNumber(10),
      ...controlFields(11),
    ],
    length: transfer('out'),
    effect: 'changes-data',
    support: 'optional',
  },
  writeAndVerify(0xae, 'WRITE AND VERIFY(12)', ['write-and-verify12', 'write-verify12'], 12),
  verifyCommand(0xaf, 'VERIFY(12)', ['verify12', 'verify-12'], 12),
] as const satisfies readonly CommandSpec[];
