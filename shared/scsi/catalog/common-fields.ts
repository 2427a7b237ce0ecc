/**
 * Fields that recur in many CDBs, declared once. Each returns a FieldSpec
 * placed at the byte where a given CDB has it.
 */
import type { FieldSpec } from './types';

/**
 * A field whose key is known to the compiler: the rows keep these literal
 * (`as const satisfies`), so code that reads a command's field by key
 * (the emulator's handlers) fails to compile on a misspelt key.
 */
export type KeyedField<K extends string> = FieldSpec & { readonly key: K };

/** What a helper's caller may add or change: anything but the key. */
type Extra = Partial<Omit<FieldSpec, 'key'>>;

export function opcodeField(): KeyedField<'opcode'> {
  return {
    key: 'opcode',
    name: 'OPERATION CODE',
    byte: 0,
    bit: 0,
    width: 8,
    role: 'opcode',
    meaning:
      'Selects the command. Bits 7:5 are the group code, which fixes the CDB length (SPC-5, operation code groups).',
  };
}

/** The CONTROL byte (SAM-5 and SPC-5): NACA, obsolete LINK/FLAG, vendor bits. */
export function controlFields(
  byte: number,
): [KeyedField<'controlVendor'>, KeyedField<'naca'>, KeyedField<'flag'>, KeyedField<'link'>] {
  return [
    {
      key: 'controlVendor',
      name: 'VENDOR SPECIFIC (CONTROL)',
      byte,
      bit: 6,
      width: 2,
      meaning:
        'Vendor-specific bits of the CONTROL byte; leave 0 unless the vendor documents them.',
    },
    {
      key: 'naca',
      name: 'NACA',
      byte,
      bit: 2,
      width: 1,
      role: 'control',
      meaning:
        'Normal ACA: 1 asks for an ACA condition on CHECK CONDITION. USB bridges do not support ACA; leave 0.',
    },
    {
      key: 'flag',
      name: 'FLAG',
      byte,
      bit: 1,
      width: 1,
      obsolete: true,
      meaning: 'Obsolete (linked commands were removed in SAM-4).',
    },
    {
      key: 'link',
      name: 'LINK',
      byte,
      bit: 0,
      width: 1,
      obsolete: true,
      meaning: 'Obsolete (linked commands were removed in SAM-4); must be 0.',
    },
  ];
}

/**
 * SCSI-2 placed the LUN in byte 1 bits 7:5; SPC-2 made them reserved/obsolete
 * because the transport addresses the LUN (BOT: bCBWLUN). Declared so the
 * decoder can name them; lint warns when they are nonzero.
 */
export function legacyLunField(): KeyedField<'legacyLun'> {
  return {
    key: 'legacyLun',
    name: 'LOGICAL UNIT NUMBER (SCSI-2)',
    byte: 1,
    bit: 5,
    width: 3,
    role: 'legacyLun',
    obsolete: true,
    meaning:
      'SCSI-2 LUN bits, obsolete since SPC-2: the transport carries the LUN (bCBWLUN in a BOT CBW). Keep 0.',
  };
}

/** A big-endian byte-aligned field. */
export function bytesField<K extends string>(
  key: K,
  name: string,
  byte: number,
  count: number,
  meaning: string,
  extra: Extra = {},
): KeyedField<K> {
  return { key, name, byte, bit: 0, width: count * 8, meaning, ...extra };
}

/** A single bit. */
export function bitField<K extends string>(
  key: K,
  name: string,
  byte: number,
  bit: number,
  meaning: string,
  extra: Extra = {},
): KeyedField<K> {
  return { key, name, byte, bit, width: 1, meaning, ...extra };
}

/** ALLOCATION LENGTH: the most the device may return (SPC-5, allocation length). */
export function allocationLength(
  byte: number,
  count: number,
  extra: Extra = {},
): KeyedField<'allocationLength'> {
  return bytesField(
    'allocationLength',
    'ALLOCATION LENGTH',
    byte,
    count,
    'The most bytes the initiator has room for; the device returns at most this many (fewer is normal). 0 means no data.',
    { role: 'allocationLength', ...extra },
  );
}

/** PARAMETER LIST LENGTH: bytes of data-out (SPC-5, parameter list length). */
export function parameterListLength(
  byte: number,
  count: number,
  extra: Extra = {},
): KeyedField<'parameterListLength'> {
  return bytesField(
    'parameterListLength',
    'PARAMETER LIST LENGTH',
    byte,
    count,
    'Bytes of parameter data the initiator sends (data-out). 0 means none.',
    { role: 'parameterListLength', ...extra },
  );
}

/** TRANSFER LENGTH in logical blocks (SBC-4). */
export function transferLength(
  byte: number,
  count: number,
  extra: Extra = {},
): KeyedField<'transferLength'> {
  return bytesField(
    'transferLength',
    'TRANSFER LENGTH',
    byte,
    count,
    'Number of logical blocks to transfer (bytes = blocks × the block length READ CAPACITY reports).',
    { role: 'transferLength', ...extra },
  );
}

export function lbaField(byte: number, count: number, extra: Extra = {}): KeyedField<'lba'> {
  return bytesField(
    'lba',
    'LOGICAL BLOCK ADDRESS',
    byte,
    count,
    'First logical block the command acts on.',
    {
      role: 'lba',
      ...extra,
    },
  );
}

/** GROUP NUMBER (SBC-4): an I/O grouping hint; 0 unless the device documents groups. */
export function groupNumber(byte: number): KeyedField<'groupNumber'> {
  return {
    key: 'groupNumber',
    name: 'GROUP NUMBER',
    byte,
    bit: 0,
    width: 6,
    meaning:
      'Groups commands for statistics or I/O advice; leave 0 unless the device documents groups.',
  };
}

/** PC (page control) and PAGE CODE, shared by MODE SENSE and LOG SENSE/SELECT (SPC-5). */
export function pageControl(
  byte: number,
  meaning: string,
  values: FieldSpec['values'],
): KeyedField<'pc'> {
  return { key: 'pc', name: 'PC', byte, bit: 6, width: 2, meaning, values };
}

/** `fallback`: the page a builder asks for when not told (0 unless given). */
export function pageCode(
  byte: number,
  meaning: string,
  values?: FieldSpec['values'],
  fallback?: number,
): KeyedField<'pageCode'> {
  return {
    key: 'pageCode',
    name: 'PAGE CODE',
    byte,
    bit: 0,
    width: 6,
    meaning,
    ...(values ? { values, min: 0, max: 0x3f } : {}),
    ...(fallback !== undefined ? { default: fallback } : {}),
  };
}

export function subpageCode(byte: number): KeyedField<'subpageCode'> {
  return bytesField(
    'subpageCode',
    'SUBPAGE CODE',
    byte,
    1,
    'Subpage of the page (00h = the page itself, FFh = all subpages).',
  );
}

/** Byte 1 of SBC-4 READ/WRITE/VERIFY CDBs: protection field, DPO, FUA. */
export function protectDpoFua<P extends 'RDPROTECT' | 'WRPROTECT' | 'VRPROTECT'>(
  protect: P,
  withFua: boolean,
): (KeyedField<Lowercase<P>> | KeyedField<'dpo'> | KeyedField<'fua'>)[] {
  const fields: (KeyedField<Lowercase<P>> | KeyedField<'dpo'> | KeyedField<'fua'>)[] = [
    {
      key: protect.toLowerCase() as Lowercase<P>,
      name: protect,
      byte: 1,
      bit: 5,
      width: 3,
      meaning:
        'Protection information checking (SBC-4, protection information); must be 000b for a device formatted without protection information, else CHECK CONDITION 05/24/00.',
    },
    bitField('dpo', 'DPO', 1, 4, 'Disable page out: the data need not be kept in cache.'),
  ];
  if (withFua)
    fields.push(
      bitField(
        'fua',
        'FUA',
        1,
        3,
        'Force unit access: read from / write to the medium, not the cache.',
      ),
    );
  return fields;
}

/** The obsolete RELADR bit 0 of byte 1 (removed in SBC-2). */
export function relAdr(): KeyedField<'relAdr'> {
  return bitField(
    'relAdr',
    'RELADR',
    1,
    0,
    'Obsolete (relative addressing for linked commands); must be 0.',
    { obsolete: true },
  );
}

/** A 5-bit SERVICE ACTION in byte 1 (SERVICE ACTION IN(16), MAINTENANCE IN, SANITIZE). */
export function serviceActionField(values?: FieldSpec['values']): KeyedField<'serviceAction'> {
  return {
    key: 'serviceAction',
    name: 'SERVICE ACTION',
    byte: 1,
    bit: 0,
    width: 5,
    role: 'serviceAction',
    meaning: 'Selects which command of the operation code is meant.',
    ...(values ? { values } : {}),
  };
}

/** ELEMENT IDENTIFIER of the depopulation commands (SBC-4, ZBC-2): bytes 10–13 of a 9Eh CDB. */
export function elementIdentifierField(): KeyedField<'elementIdentifier'> {
  return bytesField(
    'elementIdentifier',
    'ELEMENT IDENTIFIER',
    10,
    4,
    'Which element to remove, as GET PHYSICAL ELEMENT STATUS numbers them (from 1).',
  );
}
