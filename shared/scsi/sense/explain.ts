/**
 * Sense data in plain words: what the key and ASC/ASCQ mean, what to do,
 * and — through the command catalog — which CDB field a sense-key specific
 * field pointer names.
 */
import { byteContents, fieldAt, layoutOf, type CommandSpec, type FieldSpec } from '../catalog';
import { resolveCommand } from '../catalog/resolve';
import type { VendorSet } from '../../vendor-sets/model';
import { bitsText, describePosition, fieldMaskAt } from '../catalog/fields';
import { ByteReader } from '../bytes';
import { formatHex, t10Hex } from '../hex';
import { codesWithAsc, isVendorAsc, lookupAsc } from './asc';
import { adviceFor } from './advice';
import { senseKeyInfo, type SenseAction } from './keys';
import type { AtaReturn, SenseData } from './types';

export interface SensePointer {
  readonly byte: number;
  readonly bit?: number;
  /** True: a CDB byte; false: a parameter-list (data-out) byte. */
  readonly inCdb: boolean;
  readonly fieldKey?: string;
  readonly fieldName?: string;
}

export interface SenseExplanation {
  /** e.g. "ILLEGAL REQUEST (5h), 24h/00h INVALID FIELD IN CDB". */
  readonly headline: string;
  readonly keyName: string;
  readonly ascText: string | undefined;
  readonly action: SenseAction;
  readonly details: readonly string[];
  readonly advice: readonly string[];
  readonly pointer?: SensePointer;
}

/** ATA STATUS ERR and ERROR ABRT (ACS-4, normal and error outputs). */
const ATA_ERR = 0x01;
const ATA_ABRT = 0x04;

const ACTION_TEXT: Record<SenseAction, string> = {
  none: 'Nothing needs doing.',
  retry: 'Retry the command.',
  'wait-and-retry': 'Wait for the unit to become ready, then retry.',
  'fix-command': 'Change the command: retrying it unchanged will fail the same way.',
  'check-medium': 'Check the medium (present, writable, readable).',
  'check-transport':
    'Check how the command reached the device (CDB length, CBW, bridge) before changing the CDB.',
  fatal: 'Retrying will not help; the device needs attention.',
};

/** What the explanation may know about the command that failed. */
export interface SenseContext {
  readonly cdb?: Uint8Array;
  /** A legacy layout (`SPC-2`) to name fields by. */
  readonly standard?: string;
  /** Vendor sets the device speaks, so a field pointer into a vendor CDB names its field. */
  readonly vendorSets?: readonly VendorSet[];
}

function pointerText(
  s: SenseData,
  context: SenseContext,
  spec: CommandSpec | undefined,
): { text: string; pointer: SensePointer; pastEnd?: true } | undefined {
  const sks = s.senseKeySpecific;
  if (sks?.kind !== 'field-pointer') return undefined;
  const bit = sks.bitPointerValid ? sks.bitPointer : undefined;
  const where = `byte ${sks.fieldPointer}${bit !== undefined ? ` bit ${bit}` : ''}`;
  if (!sks.inCdb) {
    return {
      text: `The device objects to parameter-list (data-out) ${where}.`,
      pointer: { byte: sks.fieldPointer, ...(bit !== undefined ? { bit } : {}), inCdb: false },
    };
  }
  const cdb = context.cdb;
  // A pointer past the command's last byte names nothing in it: the device read a longer CDB
  // than this command has (a wrong CDB length in the CBW), or the sense answers another command.
  const end = spec?.cdbLength ?? cdb?.length;
  if (end !== undefined && sks.fieldPointer >= end) {
    const value = cdb?.[sks.fieldPointer];
    return {
      text: `The device objects to CDB ${where}${value !== undefined ? ` (value ${t10Hex(value)})` : ''}, past the end of ${spec ? `${spec.name}'s ${end}-byte CDB` : `the ${end}-byte CDB`}: no field of the command is there. ${value !== undefined ? `The CDB given has ${cdb?.length} bytes and the device read past the command's own; send only its ${end}.` : `The device read a longer CDB than the command's (check the CDB length the CBW carries), or this sense answers another command.`}`,
      pointer: { byte: sks.fieldPointer, ...(bit !== undefined ? { bit } : {}), inCdb: true },
      pastEnd: true,
    };
  }
  // Without a bit pointer (BPV 0) only the byte is known (SPC-5, field pointer): a field is named
  // only when it alone fills that byte.
  const fieldIn = (fields: readonly FieldSpec[]): FieldSpec | undefined => {
    if (bit !== undefined) return fieldAt(fields, sks.fieldPointer, bit);
    const held = byteContents(fields, sks.fieldPointer);
    return held.fields.length === 1 && held.reserved === 0 ? held.fields[0] : undefined;
  };
  const current = spec ? fieldIn(spec.fields) : undefined;
  // A device that refuses as an invalid field a bit of an ALLOCATION LENGTH, where an older
  // layout of the command has it reserved, is reading that older layout (INQUIRY byte 3: reserved
  // in SPC-2, ALLOCATION LENGTH's MSB since SPC-3), so it is explained by that layout. Only a
  // length: it takes every value (SPC-5 4.2.5.6), while a device may refuse a value of any other
  // field (a SUBPAGE CODE it lacks, DESC without descriptor sense) under the current layout.
  const standard =
    context.standard ??
    (current?.role === 'allocationLength' && s.asc === 0x24 && s.ascq === 0x00
      ? spec?.legacy?.find((l) => !fieldAt(l.fields, sks.fieldPointer, bit))?.standard
      : undefined);
  const layout = spec ? layoutOf(spec, standard) : undefined;
  const field = layout ? fieldIn(layout.fields) : undefined;
  const held =
    layout && bit === undefined ? byteContents(layout.fields, sks.fieldPointer) : undefined;
  const value = cdb?.[sks.fieldPointer];
  const inLayout =
    spec && layout && layout.standard !== spec.standard ? ` in ${layout.standard}` : '';
  let text = `The device objects to CDB ${where}`;
  if (value !== undefined) text += ` (value ${t10Hex(value)})`;
  if (spec && field)
    text += `: that is ${field.name} (${describePosition(field)}) of ${spec.name}. ${field.meaning}`;
  else if (spec && held && held.fields.length > 0)
    text += `, without a bit pointer (BPV 0), so it does not say which field: in ${spec.name}${inLayout} that byte holds ${byteItems(held)}.${value !== undefined ? ` ${nonzeroText(held, sks.fieldPointer, value)}` : ''}`;
  else if (spec && layout)
    text += `: a reserved bit or byte of ${spec.name}${inLayout}, which must be zero${current ? `; ${spec.standard} has ${current.name} (${describePosition(current)}) there, a layout this device does not read` : ''}.`;
  else text += '.';
  return {
    text,
    pointer: {
      byte: sks.fieldPointer,
      ...(bit !== undefined ? { bit } : {}),
      inCdb: true,
      ...(field ? { fieldKey: field.key, fieldName: field.name } : {}),
    },
  };
}

type ByteContents = ReturnType<typeof byteContents>;

/** "RDPROTECT (byte 1 bits 7:5), DPO (byte 1 bit 4) and reserved bit 2". */
function byteItems(held: ByteContents): string {
  const items = [
    ...held.fields.map((f) => `${f.name} (${describePosition(f)})`),
    ...(held.reserved !== 0 ? [`reserved ${bitsText(held.reserved)}`] : []),
  ];
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items.at(-1)}` : items.join('');
}

/** Which of the byte's fields (and reserved bits) the CDB sets: where to look first. */
function nonzeroText(held: ByteContents, byte: number, value: number): string {
  const set = [
    ...held.fields.filter((f) => (value & fieldMaskAt(f, byte)) !== 0).map((f) => f.name),
    ...((value & held.reserved) !== 0 ? [`reserved ${bitsText(value & held.reserved)}`] : []),
  ];
  return set.length > 0
    ? `Nonzero in this CDB: ${set.join(', ')}.`
    : 'Every bit of it is zero in this CDB.';
}

/**
 * A PROGRESS INDICATION, in 65536ths (SPC-5), as a percentage to a tenth, rounded down: FFFFh is
 * not yet 100 %.
 */
export function progressPercent(progress: number): string {
  return (Math.floor((progress * 1000) / 65536) / 10).toFixed(1);
}

/** A sense that ends after its ASC: what the ASC alone says (SPC-5 puts ASCQ right after it). */
function ascOnly(sense: SenseData, ascValue: number): string {
  const codes = codesWithAsc(ascValue);
  const why =
    sense.length > sense.claimedLength
      ? `ADDITIONAL SENSE LENGTH (${sense.claimedLength - 8}) ends the sense after the ASC; the bytes returned past it are not sense data`
      : 'The sense ends after the ASC';
  const shown = codes
    .slice(0, 3)
    .map((c) => `${t10Hex(c.from)}${c.to !== c.from ? `–${t10Hex(c.to)}` : ''} ${c.text}`);
  const more = codes.length > shown.length ? `, and ${codes.length - shown.length} more` : '';
  return `${why}, so the ASCQ is unknown. ${
    isVendorAsc(ascValue)
      ? `ASC ${t10Hex(ascValue)} is vendor specific whatever the ASCQ (SPC-5): only the vendor documents it.`
      : codes.length === 0
        ? `T10 assigns no code with ASC ${t10Hex(ascValue)}.`
        : `With ASC ${t10Hex(ascValue)} T10 lists ASCQ ${shown.join('; ')}${more}.`
  }`;
}

/**
 * The Another Progress Indication descriptor (0Ah, SPC-5): another operation's sense key,
 * ASC/ASCQ and how far it has got, in 65536ths; undefined for any other or a short one.
 */
function anotherProgress(bytes: Uint8Array): string | undefined {
  const r = new ByteReader(bytes, 'another progress indication descriptor');
  if (r.u8(0) !== 0x0a || !r.has(6, 2)) return undefined;
  const code = lookupAsc(r.u8(3), r.u8(4));
  return `Another operation is in progress: ${senseKeyInfo(r.u8(2) & 0x0f).name}, ${t10Hex(r.u8(3))}/${t10Hex(r.u8(4))}${code ? ` ${code.text}` : ''}, ${progressPercent(r.be16(6))}% done.`;
}

/**
 * The ATA outputs in words. Fixed format has room for COUNT(7:0) and LBA(23:0) only; when byte 8
 * says the upper halves are nonzero (SAT-4), the values shown are the lower halves and say so.
 */
function ataText(a: AtaReturn, format: SenseData['format']): string {
  const count = a.countUpperNonzero
    ? `COUNT(7:0) ${a.count} (COUNT(15:8) is nonzero, not carried)`
    : `COUNT ${a.count}`;
  const lba = a.lbaUpperNonzero
    ? `LBA(23:0) 0x${a.lba.toString(16)} (LBA(47:24) is nonzero, not carried)`
    : `LBA 0x${a.lba.toString(16)}`;
  const partial =
    a.countUpperNonzero || a.lbaUpperNonzero
      ? ' Descriptor-format sense (D_SENSE in the Control mode page) carries them whole.'
      : '';
  return `ATA registers${format === 'fixed' ? ' (in the fixed-format INFORMATION and COMMAND-SPECIFIC INFORMATION bytes, SAT-4)' : ''}: STATUS ${t10Hex(a.status)}${a.status & ATA_ERR ? ' (ERR)' : ''}, ERROR ${t10Hex(a.error)}, ${count}, ${lba}, DEVICE ${t10Hex(a.device)}${a.extend ? ', 48-bit' : ''}.${partial}`;
}

export function explainSense(s: SenseData, context: SenseContext = {}): SenseExplanation {
  if (s.format === 'vendor') {
    return {
      headline: 'vendor-specific sense data (response code 7Fh)',
      keyName: 'VENDOR SPECIFIC',
      ascText: undefined,
      action: 'fatal',
      details: [
        'Response code 7Fh means the whole sense buffer is in a vendor format; only the vendor documents it.',
      ],
      advice: [],
    };
  }
  const key = senseKeyInfo(s.senseKey);
  const asc = s.asc !== undefined && s.ascq !== undefined ? lookupAsc(s.asc, s.ascq) : undefined;
  const headline = `${key.name} (${s.senseKey.toString(16).toUpperCase()}h)${asc ? `, ${t10Hex(asc.asc)}/${t10Hex(asc.ascq)} ${asc.text}` : s.asc !== undefined ? `, ASC ${t10Hex(s.asc)} without its ASCQ` : ''}`;
  const details: string[] = [`${key.name}: ${key.meaning}.`];
  if (asc?.kind === 'vendor')
    details.push('The ASC/ASCQ is vendor specific: only the vendor documents it.');
  if (asc?.kind === 'reserved')
    details.push(
      'T10 has not assigned this ASC/ASCQ; a device sending it is non-conforming or newer than this table.',
    );
  if (s.asc === undefined) details.push('The sense ends before the ASC/ASCQ bytes.');
  else if (asc === undefined) details.push(ascOnly(s, s.asc));
  if (s.deferred)
    details.push(
      'This is a DEFERRED error: it reports a failure of an earlier command (typically a cached write), not the one just sent.',
    );
  if (s.filemark) details.push('FILEMARK is set: a filemark was read.');
  if (s.eom) details.push('EOM is set: end of medium or partition.');
  if (s.ili)
    details.push('ILI is set: the requested length did not match the logical block length.');
  if (s.information !== undefined)
    details.push(
      `INFORMATION = ${s.information} (0x${s.information.toString(16)}); for medium errors this is usually the failing LBA.`,
    );
  if (s.commandSpecific !== undefined && s.commandSpecific !== 0n)
    details.push(`COMMAND-SPECIFIC INFORMATION = 0x${s.commandSpecific.toString(16)}.`);
  if (s.fru !== undefined)
    details.push(`Field replaceable unit code ${t10Hex(s.fru)} (vendor specific).`);
  const sks = s.senseKeySpecific;
  const spec = context.cdb ? resolveCommand(context.cdb, context.vendorSets)?.spec : undefined;
  const pointed = pointerText(s, context, spec);
  if (pointed) details.push(pointed.text);
  else if (sks?.kind === 'progress')
    details.push(`Progress: ${progressPercent(sks.progress)}% done.`);
  else if (sks?.kind === 'retry-count') details.push(`The device retried ${sks.count} times.`);
  else if (sks?.kind === 'segment-pointer')
    details.push(
      `The error is at byte ${sks.fieldPointer}${sks.bitPointerValid ? ` bit ${sks.bitPointer}` : ''} of the ${sks.segmentDescriptor ? 'segment descriptor' : 'parameter list'}.`,
    );
  else if (sks?.kind === 'unit-attention-overflow' && sks.overflow)
    details.push('The unit attention queue overflowed: some conditions were lost.');
  if (s.ata) details.push(ataText(s.ata, s.format));
  for (const d of s.descriptors) {
    if (d.requiredLength !== undefined)
      details.push(
        `${d.name} descriptor: ${formatHex(d.bytes)}, not read: its ADDITIONAL LENGTH is ${t10Hex(d.bytes[1] ?? 0)}, shorter than the ${t10Hex(d.requiredLength)} its standard gives it.`,
      );
    else if (d.type >= 0x06 && d.type !== 0x09 && d.type !== 0x0d)
      details.push(anotherProgress(d.bytes) ?? `${d.name} descriptor: ${formatHex(d.bytes)}.`);
  }
  if (s.senseDataOverflow)
    details.push(
      'The device had more sense data than the sense buffer it was given holds (SDAT_OVFL): what is here is cut short.',
    );
  // Truncated with every claimed byte present: a descriptor runs past ADDITIONAL SENSE LENGTH.
  if (s.truncated)
    details.push(
      s.claimedLength > s.length
        ? `The sense claims ${s.claimedLength} bytes but only ${s.length} were returned; the rest was not decoded.`
        : `A descriptor runs past the ${s.claimedLength} bytes ADDITIONAL SENSE LENGTH claims (SPC-5, descriptor format): it was not decoded.`,
    );
  const specific = adviceFor(s.asc, s.ascq, spec);
  // ERR with ABRT: the drive refused the ATA command itself (ACS-4), whatever sense key the SATL chose.
  const action: SenseAction =
    s.ata && s.ata.status & ATA_ERR && s.ata.error & ATA_ABRT
      ? 'fix-command'
      : pointed?.pastEnd
        ? 'check-transport'
        : (specific?.action ?? key.action);
  return {
    headline,
    keyName: key.name,
    ascText: asc?.text,
    action,
    details,
    advice: [...(specific ? [specific.advice] : []), ACTION_TEXT[action]],
    ...(pointed ? { pointer: pointed.pointer } : {}),
  };
}
