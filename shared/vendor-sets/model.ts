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
import type { CommandSpec, FieldCondition, FieldValue } from '../scsi/catalog/types';

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

/** Sense an emulated answer returns: key, ASC, ASCQ, and the CDB field a field pointer names. */
export interface EmulatedSense {
  readonly key: number;
  readonly asc: number;
  readonly ascq: number;
  /** Key of the CDB field the sense key specific field pointer points at (SPC-5, field pointer). */
  readonly field?: string;
}

/**
 * How an emulated drive answers a vendor command, in order: the first
 * `senseWhen` rule whose conditions hold gives CHECK CONDITION; otherwise
 * the data-in is `data` (cut to the allocation length), or GOOD with no data.
 * `behaviour` names answers that need state and live in code
 * (src-main/emulator/vendor/), such as a firmware download into the
 * drive's microcode machinery.
 */
export interface Emulation {
  readonly senseWhen?: readonly {
    readonly when: readonly FieldCondition[];
    readonly sense: EmulatedSense;
  }[];
  readonly data?:
    | { readonly hex: string }
    /** Values by layout key, encoded into the response layout; `length` bytes in all (zeros elsewhere). */
    | {
        readonly values: Readonly<Record<string, number | string | readonly unknown[]>>;
        readonly length: number;
      };
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
  readonly emulation?: Emulation;
}

/** Where a sequence step takes a value from: a response field of an earlier step. */
export interface StepReference {
  /** Index of the earlier step (0-based). */
  readonly step: number;
  /** Key of a field of that step's response layout. */
  readonly field: string;
}

export interface SequenceStep {
  /** Alias of a command of the same set. */
  readonly command: string;
  /** CDB field values by key: a number, or a field of an earlier step's response. */
  readonly fields?: Readonly<Record<string, number | StepReference>>;
  /** Data-out as hex, or the data-in of an earlier step (`{ step }`). */
  readonly dataOut?: { readonly hex: string } | { readonly step: number };
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

export interface VendorSet {
  /** Short name used in profiles and on the command line (`example`). */
  readonly name: string;
  readonly vendor: string;
  readonly description: string;
  readonly commands: readonly VendorCommandDef[];
  readonly sequences: readonly SequenceDef[];
}
