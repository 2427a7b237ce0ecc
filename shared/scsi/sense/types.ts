/** Decoded sense data (SPC-5, sense data). */

/** Sense-key specific information (SPC-5, sense key specific field), by sense key. */
export type SenseKeySpecific =
  | {
      /** ILLEGAL REQUEST: which byte (and bit) of the CDB or parameter list is wrong (4.4.2.4.2). */
      readonly kind: 'field-pointer';
      /** C/D: true = the CDB, false = the parameter data. */
      readonly inCdb: boolean;
      readonly bitPointerValid: boolean;
      readonly bitPointer: number;
      readonly fieldPointer: number;
    }
  | {
      /** NOT READY / NO SENSE: progress of a long operation, as a fraction of 65536 (4.4.2.4.4). */
      readonly kind: 'progress';
      readonly progress: number;
      readonly percent: number;
    }
  | {
      /** RECOVERED, MEDIUM or HARDWARE ERROR: retries the device made (4.4.2.4.3). */
      readonly kind: 'retry-count';
      readonly count: number;
    }
  | {
      /** COPY ABORTED: the byte of the segment descriptor in error (4.4.2.4.5). */
      readonly kind: 'segment-pointer';
      /** SD: true = relative to a segment descriptor, false = to the parameter list. */
      readonly segmentDescriptor: boolean;
      readonly bitPointerValid: boolean;
      readonly bitPointer: number;
      readonly fieldPointer: number;
    }
  | {
      /** UNIT ATTENTION: the unit attention condition queue overflowed (4.4.2.4.6). */
      readonly kind: 'unit-attention-overflow';
      readonly overflow: boolean;
    }
  | {
      /** A key whose sense-key specific bytes SPC-5 does not define. */
      readonly kind: 'unspecified';
      readonly bytes: Uint8Array;
    };

/** ATA Status Return descriptor (SAT-4, ATA Status Return sense data descriptor; descriptor 09h). */
export interface AtaReturn {
  readonly extend: boolean;
  readonly error: number;
  readonly count: number;
  readonly lba: bigint;
  /**
   * Fixed-format sense only (SAT-4, COUNT UPPER NONZERO): COUNT(15:8) is not zero but has no room
   * there, so `count` is COUNT(7:0) alone.
   */
  readonly countUpperNonzero?: boolean;
  /** Fixed-format sense only (SAT-4, LBA UPPER NONZERO): likewise, `lba` is LBA(23:0) alone. */
  readonly lbaUpperNonzero?: boolean;
  readonly device: number;
  readonly status: number;
}

export interface SenseDescriptor {
  readonly type: number;
  readonly name: string;
  /** Offset of the descriptor in the sense buffer. */
  readonly offset: number;
  /** The whole descriptor, header included (as much as the buffer holds). */
  readonly bytes: Uint8Array;
  /** Set when ADDITIONAL LENGTH is below this, the length its standard gives it: it was not read. */
  readonly requiredLength?: number;
}

/** The values sense data carries in places that depend on its format and descriptors. */
export type SenseFieldAt =
  'information' | 'commandSpecific' | 'senseKeySpecific' | 'fru' | 'flags' | 'ata';

/** Where each value sits: first and last byte. */
export type SenseFieldBytes = Readonly<Partial<Record<SenseFieldAt, readonly [number, number]>>>;

export interface SenseData {
  /** Byte 0 bits 6:0: 70h/71h fixed, 72h/73h descriptor, 7Fh vendor specific. */
  readonly responseCode: number;
  readonly format: 'fixed' | 'descriptor' | 'vendor';
  /** 71h/73h: the error belongs to an earlier command (SPC-5, deferred errors). */
  readonly deferred: boolean;
  readonly senseKey: number;
  /** Absent when the buffer ends before the ASC byte. */
  readonly asc: number | undefined;
  readonly ascq: number | undefined;
  readonly filemark: boolean;
  readonly eom: boolean;
  readonly ili: boolean;
  /** Fixed format: SDAT_OVFL, the sense was truncated by the device. */
  readonly senseDataOverflow: boolean;
  /** INFORMATION, when VALID (fixed) or the descriptor's VALID says it holds. */
  readonly information: bigint | undefined;
  readonly commandSpecific: bigint | undefined;
  readonly fru: number | undefined;
  readonly senseKeySpecific: SenseKeySpecific | undefined;
  readonly ata: AtaReturn | undefined;
  readonly descriptors: readonly SenseDescriptor[];
  /**
   * Descriptor format: the bytes of the buffer each value was read from (first and last; `flags`
   * is the byte holding ILI, FILEMARK and EOM; `ata` the ATA Status Return descriptor's
   * registers), for views that show a value on its bytes.
   */
  readonly fieldBytes?: SenseFieldBytes;
  /** Bytes the sense claims to have (8 + ADDITIONAL SENSE LENGTH). */
  readonly claimedLength: number;
  /** Bytes actually present. */
  readonly length: number;
  /** The buffer is shorter than the sense claims: what is missing was not decoded. */
  readonly truncated: boolean;
}
