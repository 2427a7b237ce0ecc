/**
 * How long a device says its own answer is: the length field at the start
 * of common data-in formats, read through bounds-checked accessors. A host
 * compares it with what crossed the bus to find padding a device sent while
 * reporting residue 0 (BOT 1.0 §5.2 makes dCSWDataResidue the count of
 * bytes not sent; some bridges report 0 whatever they moved).
 */

/** A length the answer states, and the field that states it. */
export interface AnswerLength {
  readonly bytes: number;
  /** "INQUIRY ADDITIONAL LENGTH (byte 4)" */
  readonly field: string;
}

const u8 = (d: Uint8Array, at: number): number | undefined => d[at];
const be16 = (d: Uint8Array, at: number): number | undefined => {
  const a = d[at];
  const b = d[at + 1];
  return a === undefined || b === undefined ? undefined : (a << 8) | b;
};
const be32 = (d: Uint8Array, at: number): number | undefined => {
  const hi = be16(d, at);
  const lo = be16(d, at + 2);
  return hi === undefined || lo === undefined ? undefined : hi * 0x10000 + lo;
};
const plus = (n: number | undefined, k: number): number | undefined =>
  n === undefined ? undefined : n + k;

/** One row per answer format: which CDBs it answers, and where its length is (SPC-5, SBC-4). */
const ANSWER_LENGTHS: readonly {
  readonly matches: (cdb: Uint8Array) => boolean;
  readonly field: string;
  readonly length: (data: Uint8Array) => number | undefined;
}[] = [
  {
    // SPC-5 6.7.2: standard INQUIRY data, ADDITIONAL LENGTH counts bytes after byte 4.
    matches: (c) => c[0] === 0x12 && ((c[1] ?? 0) & 1) === 0,
    field: 'INQUIRY ADDITIONAL LENGTH (byte 4)',
    length: (d) => plus(u8(d, 4), 5),
  },
  {
    // SPC-5 7.7.1: a VPD page's PAGE LENGTH (bytes 2–3) counts bytes after byte 3.
    matches: (c) => c[0] === 0x12 && ((c[1] ?? 0) & 1) === 1,
    field: 'VPD PAGE LENGTH (bytes 2–3)',
    length: (d) => plus(be16(d, 2), 4),
  },
  {
    // SPC-5 4.4.2/4.4.3: fixed and descriptor sense, ADDITIONAL SENSE LENGTH at byte 7.
    matches: (c) => c[0] === 0x03,
    field: 'ADDITIONAL SENSE LENGTH (byte 7)',
    length: (d) => plus(u8(d, 7), 8),
  },
  {
    // SPC-5 7.5.5: mode parameter header(6), MODE DATA LENGTH excludes itself.
    matches: (c) => c[0] === 0x1a,
    field: 'MODE DATA LENGTH (byte 0)',
    length: (d) => plus(u8(d, 0), 1),
  },
  {
    matches: (c) => c[0] === 0x5a,
    field: 'MODE DATA LENGTH (bytes 0–1)',
    length: (d) => plus(be16(d, 0), 2),
  },
  {
    // SPC-5 6.6.2: LOG SENSE page header, PAGE LENGTH at bytes 2–3.
    matches: (c) => c[0] === 0x4d,
    field: 'LOG PAGE LENGTH (bytes 2–3)',
    length: (d) => plus(be16(d, 2), 4),
  },
  {
    // SPC-5 6.33: REPORT LUNS, LUN LIST LENGTH after an 8-byte header.
    matches: (c) => c[0] === 0xa0,
    field: 'LUN LIST LENGTH (bytes 0–3)',
    length: (d) => plus(be32(d, 0), 8),
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
  const bytes = row?.length(data);
  return row && bytes !== undefined ? { bytes, field: row.field } : undefined;
}
