/**
 * Sense data as table rows, each with the bytes it came from (SPC-5, fixed
 * and descriptor format sense data): the decoded view of a REQUEST SENSE
 * answer. The decoding is shared/scsi/sense's; this only lays it out.
 */
import { t10Hex } from '../hex';
import {
  lookupAsc,
  progressPercent,
  senseKeyInfo,
  type SenseData,
  type SenseKeySpecific,
} from '../sense';
import { row, type FieldRow } from './describe';

/** Where fixed and descriptor format keep the same fields (SPC-5 tables for each format). */
const OFFSETS = {
  fixed: { key: 2, asc: 12, ascq: 13 },
  descriptor: { key: 1, asc: 2, ascq: 3 },
} as const;

/** The sense-key specific field in words, by its kind (SPC-5, sense key specific information). */
const SKS_TEXT: {
  readonly [K in SenseKeySpecific['kind']]: (s: Extract<SenseKeySpecific, { kind: K }>) => string;
} = {
  'field-pointer': (s) =>
    `${s.inCdb ? 'CDB' : 'parameter data'} byte ${s.fieldPointer}${s.bitPointerValid ? ` bit ${s.bitPointer}` : ''}`,
  progress: (s) => `progress ${progressPercent(s.progress)} %`,
  'retry-count': (s) => `${s.count} retries`,
  'segment-pointer': (s) =>
    `${s.segmentDescriptor ? 'segment descriptor' : 'parameter list'} byte ${s.fieldPointer}${s.bitPointerValid ? ` bit ${s.bitPointer}` : ''}`,
  'unit-attention-overflow': (s) => (s.overflow ? 'queue overflowed' : 'no overflow'),
  unspecified: (s) => Array.from(s.bytes, (b) => t10Hex(b)).join(' '),
};

function sksText(s: SenseKeySpecific): string {
  return (SKS_TEXT[s.kind] as (x: SenseKeySpecific) => string)(s);
}

export function describeSenseData(s: SenseData): FieldRow[] {
  const rows: FieldRow[] = [
    row(
      'Response code',
      `${t10Hex(s.responseCode)} ${s.format}${s.format === 'vendor' ? '' : `, ${s.deferred ? 'deferred' : 'current'}`}`,
      0,
    ),
  ];
  if (s.format === 'vendor') return rows;
  const at = OFFSETS[s.format];
  const key = senseKeyInfo(s.senseKey);
  rows.push(row('Sense key', `${s.senseKey.toString(16).toUpperCase()}h ${key.name}`, at.key));
  if (s.format === 'fixed') {
    if (s.filemark || s.eom || s.ili)
      rows.push(
        row(
          'FILEMARK / EOM / ILI',
          [s.filemark && 'FILEMARK', s.eom && 'EOM', s.ili && 'ILI'].filter(Boolean).join(', '),
          2,
        ),
      );
    if (s.information !== undefined) rows.push(row('Information', s.information, 3, 6));
  }
  if (s.length > 7) rows.push(row('Additional sense length', s.claimedLength - 8, 7));
  if (s.format === 'fixed' && s.commandSpecific !== undefined)
    rows.push(row('Command-specific information', `0x${s.commandSpecific.toString(16)}`, 8, 11));
  if (s.asc !== undefined) rows.push(row('ASC', t10Hex(s.asc), at.asc));
  if (s.asc !== undefined && s.ascq !== undefined) {
    rows.push(row('ASCQ', t10Hex(s.ascq), at.ascq));
    rows.push(row('Meaning', lookupAsc(s.asc, s.ascq).text, at.asc, at.ascq));
  }
  if (s.format === 'fixed') {
    if (s.fru !== undefined) rows.push(row('Field replaceable unit', t10Hex(s.fru), 14));
    if (s.senseKeySpecific)
      rows.push(row('Sense key specific', sksText(s.senseKeySpecific), 15, 17));
  } else {
    for (const d of s.descriptors)
      rows.push(
        row(
          `${d.name} descriptor`,
          `${d.bytes.length} bytes`,
          d.offset,
          d.offset + d.bytes.length - 1,
        ),
      );
    if (s.senseKeySpecific) {
      const d = s.descriptors.find((x) => x.type === 0x02);
      if (d)
        rows.push(
          row('Sense key specific', sksText(s.senseKeySpecific), d.offset + 4, d.offset + 6),
        );
    }
  }
  // In byte order, as every other decoded answer reads (stable: a meaning follows its ASC).
  return rows.sort((a, b) => a.bytes[0] - b.bytes[0]);
}
