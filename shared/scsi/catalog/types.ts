/**
 * The shape of the command catalog: one declarative record per operation
 * code (and service action). The CDB editor, builders, field decoder, lint,
 * doctor, emulator dispatcher and CLI all read these records; nothing else
 * restates an opcode's name, length, direction, fields or length rules.
 *
 * Bit positions follow T10 tables: byte 0 is the operation code, bit 7 is the
 * most significant bit of a byte, and multi-byte fields are big-endian
 * (SPC-5, bit and byte ordering).
 */

import type { Opcode, ServiceAction } from '../brand';
/** Data-phase direction, from the initiator's point of view. */
export type Direction = 'none' | 'in' | 'out';

/**
 * What a command can do to the device if sent: its declared effect, the one
 * fact the confirmation policy (shared/scsi/confirm-policy.ts), lint's
 * `destructive` and `changes-state` findings and the CLI's catalog listing
 * read. Declared per row for the worst case of any field value (WRITE SAME
 * with NDOB=1 still writes; WRITE BUFFER is `firmware` in every mode).
 */
export type Effect =
  /** Returns status, information or medium data; changes nothing on the device (INQUIRY, READ(10), VERIFY(10)). */
  | 'reads'
  /**
   * Changes device state or settings but not stored user data or firmware:
   * power condition, medium lock, cache flush, mode and log parameters, self-tests.
   * Another command or a power cycle undoes it.
   */
  | 'changes-state'
  /** Can overwrite, erase or make unreadable user data on the medium (WRITE, FORMAT UNIT, SANITIZE, UNMAP…). */
  | 'changes-data'
  /** Can replace or activate the device's microcode (WRITE BUFFER download modes, vendor firmware download). */
  | 'firmware';

/** A named value a field may take. */
export interface FieldValue {
  readonly value: number;
  readonly name: string;
  /** Set when the value is defined but should not be used (obsolete, reserved). */
  readonly note?: string;
}

/**
 * Roles tie fields to meaning that code needs: lint finds the allocation
 * length through its role, the CLI maps `--alloc` to it, and so on.
 */
export type FieldRole =
  | 'opcode'
  | 'serviceAction'
  | 'allocationLength'
  | 'transferLength'
  | 'parameterListLength'
  | 'lba'
  | 'control'
  /** SCSI-2 LUN bits (byte 1 bits 7:5), obsolete since SPC-2 (SAM-2 removed CDB LUN addressing). */
  | 'legacyLun';

/**
 * A field of a CDB.
 *
 * Position: `byte` is the field's first (most significant) byte, `bit` is the
 * bit position (0–7) of the field's least significant bit within its last
 * byte, and `width` is its size in bits. So INQUIRY's EVPD is
 * `{byte:1, bit:0, width:1}`, SPC-3 INQUIRY's ALLOCATION LENGTH is
 * `{byte:3, bit:0, width:16}` (bytes 3–4), and READ(6)'s 21-bit LBA is
 * `{byte:1, bit:0, width:21}` (byte 1 bits 4:0, then bytes 2–3).
 */
export interface FieldSpec {
  /** Stable camelCase key, used by builders, the CLI (`--key value`) and JSON. */
  readonly key: string;
  /** The T10 field name, e.g. `ALLOCATION LENGTH`. */
  readonly name: string;
  readonly byte: number;
  readonly bit: number;
  readonly width: number;
  /** What the field means, in one or two sentences. */
  readonly meaning: string;
  /** Enumerated values where the standard names them. */
  readonly values?: readonly FieldValue[];
  /** Inclusive bounds when not the full width (e.g. a page code 00h–3Fh). */
  readonly min?: number;
  readonly max?: number;
  readonly role?: FieldRole;
  /** The field is obsolete in the current standard; a nonzero value deserves a warning. */
  readonly obsolete?: boolean;
  /** Value used when a builder is not given one (default 0). */
  readonly default?: number;
  /**
   * The field must be 0 unless another field has its value here (any one of them), or the
   * device answers CHECK CONDITION 05/24/00: INQUIRY's PAGE CODE without EVPD (SPC-5), or
   * without EVPD or CMDDT (SPC-2).
   */
  readonly zeroUnless?: readonly FieldCondition[];
}

/** A condition on another field's value, used to select length rules. */
export interface FieldCondition {
  readonly field: string;
  readonly equals: number;
}

/** Units of a length field. */
export type LengthUnit =
  /** Bytes. */
  | 'bytes'
  /** Logical blocks of the medium's block size (READ CAPACITY tells it). */
  | 'blocks'
  /** 512-byte blocks regardless of the medium (ATA PASS-THROUGH with T_TYPE=0). */
  | 'blocks512';

/**
 * Where the data-phase length comes from. A command with no applicable rule
 * has no data phase. Rules with conditions apply only when every condition
 * holds; the first applicable rule wins.
 */
export interface LengthRule {
  /**
   * Key of the field holding the length. Absent when the length is fixed
   * (`fixedUnits`) or is set by the parameter data itself (FORMAT UNIT's
   * header) or by the transport (ATA PASS-THROUGH with T_LENGTH=3), in
   * which case it cannot be known from the CDB.
   */
  readonly field?: string;
  /**
   * Key of a field holding the length's more significant bits. It ends in
   * bit 0 of the byte just before `field` begins, and `field` fills its
   * bytes from bit 7, so the two read as one big-endian number: ATA
   * PASS-THROUGH(16) with EXTEND=1 counts COUNT (15:8) in byte 5 above
   * COUNT (7:0) in byte 6 (SAT-4, ATA PASS-THROUGH(16)). `dataPhaseOf`
   * reports the joined field, keyed as `field`.
   */
  readonly highField?: string;
  /** A data phase of this many units whatever the CDB says (READ CAPACITY(10): 8 bytes). */
  readonly fixedUnits?: number;
  readonly kind: 'allocation' | 'transfer' | 'parameterList';
  readonly unit: LengthUnit;
  readonly direction: Exclude<Direction, 'none'>;
  readonly when?: readonly FieldCondition[];
  /**
   * Each count of `field` moves this many units (absent: 1). COMPARE AND WRITE's data-out is
   * the verify data then the write data, each NUMBER OF LOGICAL BLOCKS long: 2 (SBC-4,
   * COMPARE AND WRITE).
   */
  readonly times?: number;
  /**
   * A zero value does not mean "no data" but this many units
   * (READ(6)/WRITE(6): 0 means 256 blocks, SBC-4, READ(6)).
   */
  readonly zeroMeans?: number;
  /**
   * For an allocation length: the most bytes the device can return whatever the field says, as
   * the answer's own length field bounds it (standard INQUIRY data: ADDITIONAL LENGTH is one
   * byte, so 260). A larger allocation length cannot overrun a buffer at least this big.
   */
  readonly mostReturned?: number;
  /** Why the rule is the way it is, shown in lint and the editor. */
  readonly note?: string;
}

/** An earlier standard's layout of the same CDB (e.g. SPC-2 INQUIRY). */
export interface LegacyLayout {
  /** Which standard, e.g. `SPC-2`. */
  readonly standard: string;
  /** What changed and when, citing the revision. */
  readonly note: string;
  readonly fields: readonly FieldSpec[];
  readonly length: readonly LengthRule[];
}

/** One row of the command catalog. */
export interface CommandSpec {
  readonly opcode: Opcode;
  /** Service action value for commands selected by opcode + service action. */
  readonly serviceAction?: ServiceAction;
  /** Key of the field holding the service action. */
  readonly serviceActionField?: string;
  /**
   * Vendor declarations only: why a bridge reuses this standard opcode
   * (00h–BFh), e.g. "Cypress ATACB reuses 24h, which SBC does not define for
   * disks". Such a command must also have a selector (`serviceActionField`
   * and `serviceAction`) telling it apart; the lookup then prefers it over
   * the catalog when the CDB holds that value and the caller says the device
   * speaks its set (resolve.ts). Catalog rows never set it.
   */
  readonly standardRangeOpcode?: string;
  /** Full T10 name, e.g. `READ CAPACITY(16)`. */
  readonly name: string;
  /** Short lowercase names accepted by the CLI (`inquiry`, `read10`). */
  readonly aliases: readonly string[];
  readonly cdbLength: number;
  /** The standard defining the current layout, e.g. `SPC-5`. */
  readonly standard: string;
  /** One-sentence summary of what the command does. */
  readonly summary: string;
  /** Every defined field, excluding none: opcode and control included. Undeclared bits are reserved. */
  readonly fields: readonly FieldSpec[];
  /** Data-phase length rules, first applicable wins; empty means no data phase. */
  readonly length: readonly LengthRule[];
  readonly effect: Effect;
  /** Why the effect is what it is, where the name does not say: added to the confirmation's reason. */
  readonly effectNote?: string;
  /**
   * Set where a CDB's effect is the command it tunnels rather than the row's
   * worst case. `ata-command`: a CDB sent without data-out takes the effect
   * the ATA sub-catalog (shared/scsi/ata-commands.ts) declares for its
   * COMMAND and FEATURES, so IDENTIFY DEVICE reads while WRITE DMA EXT changes
   * data; an ATA command the sub-catalog lacks keeps `effect`.
   */
  readonly effectFrom?: 'ata-command';
  /** Mandatory, optional or obsolete in the current standards for a direct-access device. */
  readonly support?: 'mandatory' | 'optional' | 'obsolete';
  /** Layouts from earlier standards where the CDB changed shape. */
  readonly legacy?: readonly LegacyLayout[];
}
