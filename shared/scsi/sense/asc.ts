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

/** ASC 80h–FFh: vendor specific whatever the ASCQ (SPC-5). */
export function isVendorAsc(asc: number): boolean {
  return asc >= 0x80;
}

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
  if (isVendorAsc(asc))
    return {
      asc,
      ascq,
      kind: 'vendor',
      text: `VENDOR SPECIFIC ASC ${t10Hex(asc)} (ASCQ ${t10Hex(ascq)})`,
    };
  // ASCQ 00h's text is not the ASC's general meaning (04h/00h: the cause is not reportable,
  // while a vendor ASCQ reports one), so a vendor ASCQ is named by its numbers alone.
  if (ascq >= 0x80)
    return {
      asc,
      ascq,
      kind: 'vendor',
      text: `VENDOR SPECIFIC ASCQ ${t10Hex(ascq)} of ASC ${t10Hex(asc)}`,
    };
  return {
    asc,
    ascq,
    kind: 'reserved',
    text: `RESERVED ASC/ASCQ ${t10Hex(asc)}/${t10Hex(ascq)} (not assigned by T10)`,
  };
}

/** One T10 assignment under an ASC: a single ASCQ (`from` = `to`) or an NNh range, text as listed. */
export interface AscqAssignment {
  readonly from: number;
  readonly to: number;
  readonly text: string;
}

/**
 * What T10 assigns under one ASC, single codes and NNh ranges in ASCQ order: what a sense that ends
 * after its ASC may have meant. Empty for an ASC T10 left unassigned or a vendor-specific one.
 */
export function codesWithAsc(asc: number): readonly AscqAssignment[] {
  return [
    ...ASC_ENTRIES.filter((e) => e[0] === asc).map((e) => ({ from: e[1], to: e[1], text: e[3] })),
    ...ASC_RANGES.filter((r) => r.asc === asc).map(({ from, to, text }) => ({ from, to, text })),
  ].sort((a, b) => a.from - b.from);
}
