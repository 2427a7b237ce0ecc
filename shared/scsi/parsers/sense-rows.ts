/**
 * Sense data as table rows, each with the bytes it came from (SPC-5, fixed
 * and descriptor format sense data): the decoded view of a REQUEST SENSE
 * answer. The decoding is shared/scsi/sense's; this only lays it out.
 */
import { ataRegistersOf, describeRegisters } from '../ata-registers';
import { t10Hex } from '../hex';
import {
  lookupAsc,
  progressPercent,
  senseKeyInfo,
  type SenseData,
  type SenseKeySpecific,
} from '../sense';
import type { SenseFieldBytes } from '../sense/types';
import { row, type FieldRow } from './describe';

/** Where fixed and descriptor format keep the same fields (SPC-5 tables for each format). */
const OFFSETS = {
  fixed: { key: 2, asc: 12, ascq: 13 },
  descriptor: { key: 1, asc: 2, ascq: 3 },
} as const;

/** Where fixed format keeps the values descriptors carry in descriptor format (SPC-5; SAT-4 for the ATA outputs). */
const FIXED_BYTES: SenseFieldBytes = {
  flags: [2, 2],
  information: [3, 6],
  commandSpecific: [8, 11],
  fru: [14, 14],
  senseKeySpecific: [15, 17],
  ata: [3, 11],
};

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
  if (s.length > 7) rows.push(row('Additional sense length', s.claimedLength - 8, 7));
  if (s.asc !== undefined) rows.push(row('ASC', t10Hex(s.asc), at.asc));
  if (s.asc !== undefined && s.ascq !== undefined) {
    rows.push(row('ASCQ', t10Hex(s.ascq), at.ascq));
    rows.push(row('Meaning', lookupAsc(s.asc, s.ascq).text, at.asc, at.ascq));
  }
  if (s.format === 'descriptor')
    for (const d of s.descriptors)
      rows.push(
        row(
          `${d.name} descriptor`,
          `${d.bytes.length} bytes`,
          d.offset,
          d.offset + d.bytes.length - 1,
        ),
      );
  const where = s.format === 'fixed' ? FIXED_BYTES : (s.fieldBytes ?? {});
  const on = (
    label: string,
    value: string | bigint,
    bytes: readonly [number, number] | undefined,
  ) => {
    if (bytes) rows.push(row(label, value, bytes[0], bytes[1]));
  };
  if (s.filemark || s.eom || s.ili)
    on(
      'FILEMARK / EOM / ILI',
      [s.filemark && 'FILEMARK', s.eom && 'EOM', s.ili && 'ILI'].filter(Boolean).join(', '),
      where.flags,
    );
  if (s.information !== undefined) on('Information', s.information, where.information);
  if (s.commandSpecific !== undefined)
    on(
      'Command-specific information',
      `0x${s.commandSpecific.toString(16)}`,
      where.commandSpecific,
    );
  if (s.fru !== undefined) on('Field replaceable unit', t10Hex(s.fru), where.fru);
  if (s.senseKeySpecific)
    on('Sense key specific', sksText(s.senseKeySpecific), where.senseKeySpecific);
  const ata = ataRegistersOf(s);
  if (ata) on('ATA registers', describeRegisters(ata), where.ata);
  // In byte order, as every other decoded answer reads (stable: a meaning follows its ASC).
  return rows.sort((a, b) => a.bytes[0] - b.bytes[0]);
}
