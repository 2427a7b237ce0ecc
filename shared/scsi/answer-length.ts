/**
 * How long a device says its own answer is: the length field at the start
 * of common data-in formats, read through bounds-checked accessors. A host
 * compares it with what crossed the bus to find padding a device sent while
 * reporting residue 0 (BOT 1.0 §5.2 makes dCSWDataResidue the count of
 * bytes not sent; some bridges report 0 whatever they moved).
 */
import { readBounded, type ByteReader } from './bytes';
import { ok } from './result';

/** A length the answer states, and the field that states it. */
export interface AnswerLength {
  readonly bytes: number;
  /** "INQUIRY ADDITIONAL LENGTH (byte 4)" */
  readonly field: string;
}

/** One row per answer format: which CDBs it answers, and where its length is (SPC-5, SBC-4). */
const ANSWER_LENGTHS: readonly {
  readonly matches: (cdb: Uint8Array) => boolean;
  readonly field: string;
  /** Reads the length through `r`; a header that did not arrive reads past the end. */
  readonly length: (r: ByteReader) => number;
}[] = [
  {
    // SPC-5 6.7.2: standard INQUIRY data, ADDITIONAL LENGTH counts bytes after byte 4.
    matches: (c) => c[0] === 0x12 && ((c[1] ?? 0) & 1) === 0,
    field: 'INQUIRY ADDITIONAL LENGTH (byte 4)',
    length: (r) => r.u8(4) + 5,
  },
  {
    // SPC-5 7.7.1: a VPD page's PAGE LENGTH (bytes 2–3) counts bytes after byte 3.
    matches: (c) => c[0] === 0x12 && ((c[1] ?? 0) & 1) === 1,
    field: 'VPD PAGE LENGTH (bytes 2–3)',
    length: (r) => r.be16(2) + 4,
  },
  {
    // SPC-5 4.4.2/4.4.3: fixed and descriptor sense, ADDITIONAL SENSE LENGTH at byte 7.
    matches: (c) => c[0] === 0x03,
    field: 'ADDITIONAL SENSE LENGTH (byte 7)',
    length: (r) => r.u8(7) + 8,
  },
  {
    // SPC-5 7.5.5: mode parameter header(6), MODE DATA LENGTH excludes itself.
    matches: (c) => c[0] === 0x1a,
    field: 'MODE DATA LENGTH (byte 0)',
    length: (r) => r.u8(0) + 1,
  },
  {
    matches: (c) => c[0] === 0x5a,
    field: 'MODE DATA LENGTH (bytes 0–1)',
    length: (r) => r.be16(0) + 2,
  },
  {
    // SPC-5 6.6.2: LOG SENSE page header, PAGE LENGTH at bytes 2–3.
    matches: (c) => c[0] === 0x4d,
    field: 'LOG PAGE LENGTH (bytes 2–3)',
    length: (r) => r.be16(2) + 4,
  },
  {
    // SPC-5 6.33: REPORT LUNS, LUN LIST LENGTH after an 8-byte header.
    matches: (c) => c[0] === 0xa0,
    field: 'LUN LIST LENGTH (bytes 0–3)',
    length: (r) => r.be32(0) + 8,
  },
  {
    // SBC-4 5.20.2: READ CAPACITY(10) parameter data is always 8 bytes.
    matches: (c) => c[0] === 0x25,
    field: 'READ CAPACITY(10) data (always 8 bytes)',
    length: () => 8,
  },
  {
    // SBC-4 5.21.2: READ CAPACITY(16) parameter data is 32 bytes.
    matches: (c) => c[0] === 0x9e && ((c[1] ?? 0) & 0x1f) === 0x10,
    field: 'READ CAPACITY(16) data (32 bytes)',
    length: () => 32,
  },
];

/** The length `data` (the answer to `cdb`) states for itself, when its format is known and its header arrived. */
export function answerLength(cdb: Uint8Array, data: Uint8Array): AnswerLength | undefined {
  const row = ANSWER_LENGTHS.find((r) => r.matches(cdb));
  if (!row) return undefined;
  const read = readBounded(data, row.field, (r) => ok(row.length(r)));
  return read.ok ? { bytes: read.value, field: row.field } : undefined;
}
