/**
 * Fields that recur in many CDBs, declared once. Each returns a FieldSpec
 * placed at the byte where a given CDB has it.
 */
import type { FieldSpec } from './types';

export function opcodeField(): FieldSpec {
  return {
    key: 'opcode',
    name: 'OPERATION CODE',
    byte: 0,
    bit: 0,
    width: 8,
    role: 'opcode',
    meaning:
      'Selects the command. Bits 7:5 are the group code, which fixes the CDB length (SPC-5 4.2.5.1).',
  };
}

/** CONTROL byte (SAM-5 5.2, SPC-5 4.2.5.8): NACA, obsolete LINK/FLAG, vendor bits. */
export function controlFields(byte: number): FieldSpec[] {
  return [
    {
      key: 'controlVendor',
      name: 'VENDOR SPECIFIC (CONTROL)',
      byte,
      bit: 6,
      width: 2,
      meaning: 'Vendor-specific bits of the CONTROL byte; leave 0 unless the vendor documents them.',
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
export function legacyLunField(): FieldSpec {
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
export function bytesField(
  key: string,
  name: string,
  byte: number,
  count: number,
  meaning: string,
  extra: Partial<FieldSpec> = {},
): FieldSpec {
  return { key, name, byte, bit: 0, width: count * 8, meaning, ...extra };
}

/** A single bit. */
export function bitField(
  key: string,
  name: string,
  byte: number,
  bit: number,
  meaning: string,
  extra: Partial<FieldSpec> = {},
): FieldSpec {
  return { key, name, byte, bit, width: 1, meaning, ...extra };
}
