/**
 * Vendor command sets as data: the in-memory form of what a vendor-set JSON
 * file declares (the file format and its checks are format.ts; the built-in
 * sets are JSON files in this folder, read through the same checks). Nothing
 * here runs: the emulator, the lookup, the decoder and the sequence runner
 * read these records.
 *
 * A vendor command is declared exactly like a catalog row (`CommandSpec`:
 * fields with byte/bit positions, length rules, declared effect), so every
 * consumer treats it like a standard command; it may add how its response
 * decodes (`response`), how an emulated drive answers it (`emulation`), and a
 * set may chain commands into sequences.
 */
import type { CommandSpec, Effect, FieldCondition, FieldValue } from '../scsi/catalog/types';

/** Byte order of a multi-byte response field. */
export type Endian = 'be' | 'le';

interface LayoutFieldBase {
  /** Stable camelCase key: sequences and emulated answers name fields by it. */
  readonly key: string;
  /** The datasheet's name for the field. */
  readonly name: string;
  /** Offset of the field's first byte from the start of its layout. */
  readonly offset: number;
  /** One or two sentences: what the value means. */
  readonly meaning?: string;
}

/**
 * One field of a response layout. Offsets are relative to the layout that
 * holds the field (a nested layout's offset 0 is its parent field's offset).
 */
export type LayoutField =
  /** An unsigned integer of 1, 2, 4 or 8 bytes. */
  | (LayoutFieldBase & {
      readonly type: 'uint';
      readonly size: 1 | 2 | 4 | 8;
      readonly endian: Endian;
      readonly values?: readonly FieldValue[];
    })
  /** A two's-complement signed integer of 1, 2, 4 or 8 bytes. */
  | (LayoutFieldBase & {
      readonly type: 'int';
      readonly size: 1 | 2 | 4 | 8;
      readonly endian: Endian;
    })
  /** Bits `bit`…`bit + width − 1` of the byte at `offset` (bit 0 is the least significant). */
  | (LayoutFieldBase & {
      readonly type: 'bits';
      readonly bit: number;
      readonly width: number;
      readonly values?: readonly FieldValue[];
    })
  /** One bit of the byte at `offset`. */
  | (LayoutFieldBase & { readonly type: 'flag'; readonly bit: number })
  /** A fixed-length ASCII string, trailing spaces and NULs trimmed (like INQUIRY's VENDOR IDENTIFICATION). */
  | (LayoutFieldBase & { readonly type: 'ascii'; readonly length: number })
  /**
   * A fixed-length ATA string: each 16-bit word holds two characters, the
   * first in its high byte (ACS-4, IDENTIFY DEVICE strings), so the bytes
   * read swapped in pairs.
   */
  | (LayoutFieldBase & { readonly type: 'ata-string'; readonly length: number })
  /** Bytes shown as hex. */
  | (LayoutFieldBase & { readonly type: 'bytes'; readonly length: number })
  /** A nested layout at `offset`. */
  | (LayoutFieldBase & { readonly type: 'struct'; readonly layout: Layout })
  /**
   * `count` records of `layout`, `stride` bytes apart from `offset`. The
   * count is a number, or the value of an earlier field of the same layout
   * (`{ field: key }`); records past the end of the data are not decoded.
   */
  | (LayoutFieldBase & {
      readonly type: 'array';
      readonly count: number | { readonly field: string };
      readonly stride: number;
      readonly layout: Layout;
    });

/** A response layout: its fields in offset order. */
export type Layout = readonly LayoutField[];

/**
 * A value for one layout field, as an emulated answer or `encodeLayout`
 * takes it: a number (a 64-bit field also takes a decimal string or a
 * bigint), an enumerated value's name, a boolean or 0/1 for a flag, text for
 * `ascii`/`ata-string`, hex text for `bytes`, an object of values by key for
 * a `struct`, an array of such objects for an `array`.
 */
export type LayoutValue =
  | number
  | bigint
  | string
  | boolean
  | readonly LayoutValue[]
  | { readonly [key: string]: LayoutValue };

/** Values by layout key. */
export type LayoutValues = Readonly<Record<string, LayoutValue>>;

/**
 * The stateful answers an emulated drive implements in code
 * (src-main/emulator/vendor/), named by `Emulation.behaviour`. Each reads the
 * CDB fields it needs by key, so a command naming one must declare them:
 *
 * - `event-log`: data-in is the device's event log as text, one line per
 *   event, each ending in LF, oldest first, cut to the data-in length.
 * - `led-get`: data-in is one byte, the activity LED state (0 off, 1 on,
 *   2 blinking), cut to the data-in length.
 * - `led-set`: sets the LED state from CDB field `state`; no data.
 * - `firmware-revision`: data-in is the running firmware's PRODUCT REVISION
 *   LEVEL (INQUIRY, SPC-5) as ASCII, cut to the data-in length.
 * - `microcode-download`: data-out is a chunk of a firmware image written at
 *   CDB field `offset` into the microcode machinery WRITE BUFFER uses
 *   (src-main/emulator/microcode.ts); CDB field `activate` = 1 on the last
 *   chunk checks and activates the image (docs/vendor-example.md).
 * - `nvme-asmedia`: an NVMe admin command through an ASMedia bridge's E6h
 *   CDB (Identify, Get Log Page) to the drive's NVMe SSD: CDB fields
 *   `command` (admin opcode in 23:16, CDW10 7:0 in 7:0), `numdl` (CDW10
 *   31:16), `cdw12`, `cdw13`; data-in is the command's data.
 * - `nvme-realtek`: the same through a Realtek bridge's E4h CDB: CDB fields
 *   `command` (admin opcode in 15:8, CDW10 7:0 in 7:0) and the
 *   little-endian transfer length in `transferLengthLsb`/`transferLengthMsb`;
 *   log reads above 512 bytes return only the first 512.
 */
export const EMULATION_BEHAVIOURS = [
  'event-log',
  'led-get',
  'led-set',
  'firmware-revision',
  'microcode-download',
  'nvme-asmedia',
  'nvme-realtek',
] as const;
export type EmulationBehaviour = (typeof EMULATION_BEHAVIOURS)[number];

/** Sense an emulated answer returns: key, ASC, ASCQ, and the CDB field a field pointer names. */
export interface EmulatedSense {
  readonly key: number;
  readonly asc: number;
  readonly ascq: number;
  /** Key of the CDB field the sense key specific field pointer points at (SPC-5, field pointer). */
  readonly field?: string;
}

/**
 * How an emulated drive answers a vendor command, in order:
 * 1. a CDB field holding a value outside its declared `min`/`max` gives
 *    CHECK CONDITION, ILLEGAL REQUEST, INVALID FIELD IN CDB (05/24/00) with
 *    the field pointer at that field (SPC-5, sense key specific data);
 * 2. the first `senseWhen` rule whose conditions all hold gives CHECK
 *    CONDITION with its sense;
 * 3. `behaviour` (one of `EMULATION_BEHAVIOURS`) answers from the drive's state;
 * 4. otherwise the data-in is `data`, cut to the data-in length, or GOOD
 *    with no data.
 */
export interface Emulation {
  readonly senseWhen?: readonly {
    readonly when: readonly FieldCondition[];
    readonly sense: EmulatedSense;
  }[];
  readonly data?:
    | { readonly hex: string }
    /** Values by layout key, encoded into the response layout; `length` bytes in all (zeros elsewhere). */
    | { readonly values: LayoutValues; readonly length: number };
  /** One of `EMULATION_BEHAVIOURS`; format.ts refuses other names. */
  readonly behaviour?: string;
}

export interface VendorCommandDef {
  /**
   * The catalog-shaped declaration. `aliases[0]` is the command's name on the
   * command line (`example.read-log`); `standard` names the set.
   */
  readonly spec: CommandSpec;
  /** How data-in decodes, field by field. */
  readonly response?: Layout;
  /**
   * Set when the file wrote `response` as a reference to an ATA command's
   * layout rather than a layout of its own: `response` then holds that
   * command's layout, and format.ts writes the reference back.
   */
  readonly responseFrom?: AtaLayoutReference;
  readonly emulation?: Emulation;
}

/**
 * A response given as the layout of an ATA command (`AtaCommandDef.response`),
 * by its name: a row of the same set's `ataCommands`, else of the built-in
 * `sat` set's — a bridge tunnelling IDENTIFY DEVICE through its own CDB
 * returns the same 512 bytes the sat set already describes.
 */
export interface AtaLayoutReference {
  readonly ataCommand: string;
}

/** Where a sequence step takes a value from: a response field of an earlier step. */
export interface StepReference {
  /** Index of the earlier step (0-based). */
  readonly step: number;
  /**
   * Key of a row of that step's decoded response (`decodeLayout`): a
   * top-level layout key (`status`), or a dotted path into a struct or an
   * array record (`records.0.id`). The row must hold a number or a flag.
   */
  readonly field: string;
}

export interface SequenceStep {
  /** Alias of a command of the same set. */
  readonly command: string;
  /** CDB field values by key: a number, or a field of an earlier step's response. */
  readonly fields?: Readonly<Record<string, number | StepReference>>;
  /** Data-out as hex, or the data-in of an earlier step (`{ step }`). */
  readonly dataOut?: { readonly hex: string } | { readonly step: number };
  /**
   * How this step's data-in decodes, in place of the command's `response`:
   * for a pass-through whose data phase carries whatever structure an
   * earlier step asked for (JMicron's NVMe phase 2 moves Identify data or a
   * log page, and its CDB cannot say which).
   */
  readonly response?: Layout;
}

/**
 * A command that takes several CDBs (a three-phase NVMe pass-through, a
 * register write then read-back), run as one action: the steps in order,
 * stopping at the first that fails.
 */
export interface SequenceDef {
  /** `set.name`-style alias, e.g. `example.led-blink-check`. */
  readonly alias: string;
  readonly name: string;
  readonly summary: string;
  readonly steps: readonly SequenceStep[];
}

/** How an ATA command moves data (ACS-4 protocol classes, as SAT-4 PROTOCOL names them). */
export const ATA_PROTOCOL_CLASSES = ['non-data', 'pio-in', 'pio-out', 'dma-in', 'dma-out'] as const;
export type AtaProtocolClass = (typeof ATA_PROTOCOL_CLASSES)[number];

/**
 * One ATA command a pass-through carries (SAT-4 ATA PASS-THROUGH, or a
 * bridge's own ATA pass-through): what goes in the ATA registers, how it
 * moves data and how its data-in reads. Identified by COMMAND, and FEATURES
 * 7:0 where that selects a sub-command (SMART, B0h).
 */
export interface AtaCommandDef {
  /** COMMAND register value. */
  readonly code: number;
  /** FEATURES 7:0 selecting a sub-command (SMART READ DATA is B0h with D0h). */
  readonly features?: number;
  /** ACS name (`IDENTIFY DEVICE`); unique in the set. */
  readonly name: string;
  readonly summary: string;
  readonly protocol: AtaProtocolClass;
  /** 512-byte blocks moved: a fixed number (0 without data), or COUNT's value. */
  readonly blocks: number | 'count';
  /** What the command can do to the drive, as a SCSI command's effect. */
  readonly effect: Effect;
  /** A 48-bit command: needs ATA PASS-THROUGH(16) with EXTEND=1. */
  readonly ext?: boolean;
  /** The answer is in the returned registers (CK_COND=1), not in data: what they say. */
  readonly answerInRegisters?: string;
  /** How data-in decodes, field by field. */
  readonly response?: Layout;
  /**
   * Input registers (7:0) that must hold these values for `response` to
   * apply: a log read decodes as the log directory only for log address
   * 00h (`[{ register: 'lbaLow', equals: 0 }]`). Absent: always.
   */
  readonly responseWhen?: readonly AtaRegisterCondition[];
}

/** ATA input registers a condition may name (bits 7:0 of each, ACS-4 field names). */
export const ATA_INPUT_REGISTERS = [
  'features',
  'count',
  'lbaLow',
  'lbaMid',
  'lbaHigh',
  'device',
] as const;
export type AtaInputRegister = (typeof ATA_INPUT_REGISTERS)[number];

export interface AtaRegisterCondition {
  readonly register: AtaInputRegister;
  readonly equals: number;
}

export interface VendorSet {
  /** Short name used in profiles and on the command line (`example`). */
  readonly name: string;
  readonly vendor: string;
  readonly description: string;
  readonly commands: readonly VendorCommandDef[];
  readonly sequences: readonly SequenceDef[];
  /** ATA commands the set's pass-throughs carry (the built-in `sat` set holds ACS-4's). */
  readonly ataCommands?: readonly AtaCommandDef[];
}
