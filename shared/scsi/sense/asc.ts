/**
 * ASC/ASCQ look-up over the table generated from T10's list, plus the
 * vendor-specific rules SPC-5 states in 4.4.2: ASC values 80h–FFh and, for
 * any ASC, ASCQ values 80h–FFh are vendor specific.
 */
import { ASC_ENTRIES, ASC_RANGES } from './asc-table.generated';
import { t10Hex } from '../hex';

export type AscKind = 'standard' | 'range' | 'vendor' | 'reserved';

export interface AscInfo {
  readonly asc: number;
  readonly ascq: number;
  readonly kind: AscKind;
  /** The T10 description (range text with NN filled in), or a sentence saying the code is vendor specific or reserved. */
  readonly text: string;
  /** T10 device-type letters the code applies to (D = direct access), when listed. */
  readonly devices?: string;
}

const byCode = new Map<number, readonly [number, number, string, string]>(
  ASC_ENTRIES.map((e) => [(e[0] << 8) | e[1], e]),
);

export function lookupAsc(asc: number, ascq: number): AscInfo {
  const e = byCode.get(((asc & 0xff) << 8) | (ascq & 0xff));
  if (e) return { asc, ascq, kind: 'standard', text: e[3], devices: e[2] };
  const r = ASC_RANGES.find((x) => x.asc === asc && ascq >= x.from && ascq <= x.to);
  if (r)
    return {
      asc,
      ascq,
      kind: 'range',
      text: r.text.replace(/\bNN\b/, t10Hex(ascq)),
      devices: r.devices,
    };
  if (asc >= 0x80)
    return {
      asc,
      ascq,
      kind: 'vendor',
      text: `VENDOR SPECIFIC ASC ${t10Hex(asc)} (ASCQ ${t10Hex(ascq)})`,
    };
  if (ascq >= 0x80) {
    const base = byCode.get(asc << 8);
    return {
      asc,
      ascq,
      kind: 'vendor',
      text: `VENDOR SPECIFIC ASCQ ${t10Hex(ascq)} of ASC ${t10Hex(asc)}${base ? ` (${base[3]})` : ''}`,
    };
  }
  return {
    asc,
    ascq,
    kind: 'reserved',
    text: `RESERVED ASC/ASCQ ${t10Hex(asc)}/${t10Hex(ascq)} (not assigned by T10)`,
  };
}

/** The standard codes sharing one ASC, ASCQ order: what a sense that ends after its ASC may have meant. */
export function codesWithAsc(asc: number): readonly AscInfo[] {
  return ASC_ENTRIES.filter((e) => e[0] === asc).map((e) => ({
    asc,
    ascq: e[1],
    kind: 'standard' as const,
    text: e[3],
    devices: e[2],
  }));
}
