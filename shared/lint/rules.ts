/**
 * The lint rules, as one ordered table. Each rule looks at the context and
 * returns findings; order matters only in that earlier rules claim bits so
 * later ones do not report the same bits twice, and the corrected CDB applies
 * fixes in this order.
 */
import { MACOS_VENDOR_OPCODE_RULE } from '../macos-vendor-opcodes';
import {
  fieldAt,
  layoutOf,
  reservedMask,
  type CommandSpec,
  type FieldSpec,
  type FieldValue,
} from '../scsi/catalog';
import {
  bitsText,
  describeBytes,
  describePosition,
  fieldSpan,
  readField,
  writeField,
  reservedCode,
  zeroUnlessBroken,
} from '../scsi/catalog/fields';
import { formatHex, hexByte, t10Hex } from '../scsi/hex';
import { cdbEffect, confirmationNeeded } from '../scsi/confirm-policy';
import { describeHostDevicePair } from './bot-pairing';
import { MAX_CBW_CDB as MAX_CDB, MAX_CBW_LUN, MAX_CBW_TRANSFER } from '../bot/cbw';
import { passThroughFindings, type PassThroughCheck } from './ata-pass-through';
import { claim, claimedAt, type LintContext } from './context';
import type { Finding, LintId, Severity } from './types';

export interface LintRule {
  readonly id: LintId;
  /** One line for docs/lint-rules.md and `usbcdb lint --rules`. */
  readonly summary: string;
  readonly check: (ctx: LintContext) => readonly Finding[];
}

function withByte(cdb: Uint8Array, edit: (copy: Uint8Array) => void): Uint8Array {
  const copy = cdb.slice();
  edit(copy);
  return copy;
}

function fieldValue(ctx: LintContext, f: FieldSpec): bigint {
  return readField(ctx.cdb, f);
}

function numberText(v: bigint): string {
  return v < 10n ? v.toString() : `0x${v.toString(16)} = ${v}`;
}

const cdbEmpty: LintRule = {
  id: 'cdb-empty',
  summary: 'The CDB has no bytes.',
  check: (ctx) =>
    ctx.cdb.length === 0
      ? [
          {
            id: 'cdb-empty',
            severity: 'error',
            message: 'The CDB is empty.',
            why: 'Byte 0 must hold the operation code; a BOT CBW needs a CDB length of 1–16 (BOT 1.0 §5.1).',
          },
        ]
      : [],
};

const cdbTooLong: LintRule = {
  id: 'cdb-too-long',
  summary: 'The CDB is longer than the 16 bytes USB transports can carry.',
  check: (ctx) =>
    ctx.cdb.length > MAX_CDB
      ? [
          {
            id: 'cdb-too-long',
            severity: 'error',
            byte: MAX_CDB,
            position: describeBytes(MAX_CDB, ctx.cdb.length - 1),
            message: `The CDB is ${ctx.cdb.length} bytes; a Bulk-Only CBW carries at most ${MAX_CDB}.`,
            why: 'bCBWCBLength is 1–16 (BOT 1.0 §5.1); longer (variable-length, 7Fh) CDBs cannot be sent over USB mass storage.',
          },
        ]
      : [],
};

/**
 * A CDB in an API's fixed buffer (DriverKit's 16-byte fCommandDescriptorBlock):
 * the bytes past the command's length are padding and must be zero; the API,
 * not the caller, decides how many bytes go out (bCBWCBLength, BOT 1.0 §5.1).
 */
function paddingFinding(ctx: LintContext, name: string, expected: number, buffer: number): Finding {
  const n = ctx.cdb.length;
  const position = describeBytes(expected, n - 1);
  const are = n - expected === 1 ? 'is' : 'are';
  const why = `The API always takes ${buffer} bytes and a device reads only the first ${expected}. Apple does not document whether the kernel then sends a ${expected}- or a ${buffer}-byte CBW (bCBWCBLength); a bridge that checks it against the opcode group would refuse the ${buffer}.`;
  if (!ctx.cdb.subarray(expected).some((b) => b !== 0))
    return {
      id: 'cdb-length',
      severity: 'info',
      byte: expected,
      position,
      message: `${name} is a ${expected}-byte CDB; ${position} of the ${buffer}-byte CDB buffer ${are} zero padding, as ${n - expected === 1 ? 'it' : 'they'} must be.`,
      why,
    };
  const cleared = ctx.cdb.slice();
  cleared.fill(0, expected);
  return {
    id: 'cdb-length',
    severity: 'error',
    byte: expected,
    position,
    message: `${name} is a ${expected}-byte CDB, but ${position} of the ${buffer}-byte CDB buffer ${are} not zero.`,
    why: `${why} Whatever is there is either dropped or read by a device as part of a longer command.`,
    fix: {
      cdb: cleared,
      description: `clear ${position} (check what you meant by ${n - expected === 1 ? 'it' : 'them'}: ${name} has no field there)`,
    },
  };
}

const cdbLength: LintRule = {
  id: 'cdb-length',
  summary: "The CDB's length differs from the length its opcode group or catalog row defines.",
  check: (ctx) => {
    const expected = ctx.spec?.cdbLength ?? ctx.group.cdbLength;
    const n = ctx.cdb.length;
    if (expected === undefined || n === 0 || n === expected || n > MAX_CDB) return [];
    const name = ctx.spec?.name ?? `opcode ${t10Hex(ctx.opcode)}`;
    // What fixes the length: the opcode group, or for a vendor opcode the set declaring it.
    const source =
      ctx.resolved?.source === 'vendor'
        ? `as vendor set ${ctx.resolved.set.name} declares it`
        : ctx.group.description;
    // Bytes given past the command's length inside an API's fixed buffer are its padding.
    const buffer = ctx.input.cdbBufferLength;
    if (n > expected && buffer !== undefined && n <= buffer)
      return [paddingFinding(ctx, name, expected, buffer)];
    if (n > expected) {
      const extra = describeBytes(expected, n - 1);
      const tail = ctx.cdb.subarray(expected);
      const nonzero = tail.some((b) => b !== 0);
      return [
        {
          id: 'cdb-length',
          severity: nonzero ? 'error' : 'warning',
          byte: expected,
          position: extra,
          message: `${name} is a ${expected}-byte CDB (${source}) but ${n} bytes are given${nonzero ? `, and ${extra} ${n - expected === 1 ? 'is' : 'are'} not zero` : ''}.`,
          why: `A device reads only the first ${expected} bytes; over USB the CBW's bCBWCBLength must be ${expected}, and bridges may reject a CBW whose length disagrees with the opcode group (USBCV bCBWCBLength test). APIs that take a fixed 16-byte CDB (DriverKit SetCommandCDB) must derive the length from the group.`,
          fix: {
            cdb: ctx.cdb.slice(0, expected),
            description: `send the first ${expected} bytes only${nonzero ? ' (the nonzero trailing bytes are dropped: check what you meant by them)' : ''}`,
          },
        },
      ];
    }
    const padded = new Uint8Array(expected);
    padded.set(ctx.cdb);
    return [
      {
        id: 'cdb-length',
        severity: 'error',
        byte: n,
        position: describeBytes(n, expected - 1),
        message: `${name} is a ${expected}-byte CDB but only ${n} ${n === 1 ? 'byte is' : 'bytes are'} given; ${describeBytes(n, expected - 1)} ${expected - n === 1 ? 'is' : 'are'} missing.`,
        why: `${ctx.resolved?.source === 'vendor' ? `Vendor set ${ctx.resolved.set.name} declares ${name} with ${expected} bytes` : `The group code in byte 0 (${ctx.group.description}) fixes the length`}; a short CDB is rejected or read with garbage in the missing bytes.`,
        fix: { cdb: padded, description: `pad with zeros to ${expected} bytes` },
      },
    ];
  },
};

const unknownOpcode: LintRule = {
  id: 'unknown-opcode',
  summary: 'The opcode is a standard one that usbcdb does not catalogue, or a reserved one.',
  check: (ctx) => {
    if (ctx.cdb.length === 0 || ctx.spec || ctx.group.vendorSpecific) return [];
    const reserved = ctx.group.cdbLength === undefined;
    return [
      {
        id: 'unknown-opcode',
        severity: reserved ? 'warning' : 'info',
        byte: 0,
        position: 'byte 0',
        message: `Opcode ${t10Hex(ctx.opcode)} is not in usbcdb's catalog (${ctx.group.description}).`,
        why: reserved
          ? 'Group 3 opcodes (60h–7Eh) are reserved and 7Fh is the variable-length CDB, which USB cannot carry; expect CHECK CONDITION 05/20/00 (INVALID COMMAND OPERATION CODE).'
          : 'Its fields cannot be checked; the group code fixes only its length. Devices that do not implement it answer CHECK CONDITION 05/20/00.',
      },
    ];
  },
};

/**
 * The macOS rule for vendor opcodes, for a reader who may be writing a dext. Given the DriverKit
 * CDB buffer (the doctor with Apple parameters), the doctor's own DriverKit finding says it.
 */
function macosNote(ctx: LintContext): string {
  return ctx.input.cdbBufferLength === undefined ? ` ${MACOS_VENDOR_OPCODE_RULE}` : '';
}

const vendorOpcode: LintRule = {
  id: 'vendor-opcode',
  summary: 'C0h–FFh are vendor specific: only the vendor defines length, fields and direction.',
  check: (ctx) => {
    if (ctx.cdb.length === 0 || !ctx.group.vendorSpecific) return [];
    const r = ctx.resolved;
    if (r?.source === 'vendor')
      return [
        {
          id: 'vendor-opcode',
          severity: 'info',
          byte: 0,
          position: 'byte 0',
          message: `Opcode ${t10Hex(ctx.opcode)} is ${r.spec.name}, declared by vendor set ${r.set.name} (${r.set.vendor}); its fields are checked as the set declares them.`,
          why: `Only devices that implement ${r.set.name} know it; others answer CHECK CONDITION 05/20/00 (INVALID COMMAND OPERATION CODE).${macosNote(ctx)}`,
        },
      ];
    return [
      {
        id: 'vendor-opcode',
        severity: 'warning',
        byte: 0,
        position: 'byte 0',
        message: `Opcode ${t10Hex(ctx.opcode)} is vendor specific (${ctx.group.description}); the ${ctx.cdb.length}-byte length and every field are whatever the vendor documents.`,
        why: `Devices that do not implement it answer CHECK CONDITION 05/20/00 (INVALID COMMAND OPERATION CODE), the same sense a generic USB bridge gives for anything it does not know.${macosNote(ctx)}`,
      },
    ];
  },
};

/**
 * The value a length should have had, when a CDB reads differently under
 * two layouts: the current reading if it fits the host buffer, else the
 * current value shifted down one byte when that looks like the length was
 * written one byte too early, else the buffer size.
 *
 * "One byte too early" means a low byte of 0 (12 00 00 24 00 00: SPC-2's
 * one-byte 24h put in byte 3) and a value that is not a power of two:
 * 0x0100, 0x0200, 0x1000 are buffer sizes (256, 512, 4096) written as an
 * SPC-3+ two-byte length, and shifting them would ask for 1, 2 or 16 bytes
 * where standard INQUIRY data is at least 36 (SPC-5 6.7.2).
 */
function intendedLength(current: bigint, buffer: number | undefined): bigint {
  const powerOfTwo = (current & (current - 1n)) === 0n;
  const shifted =
    (current & 0xffn) === 0n && current > 0xffn && !powerOfTwo ? current >> 8n : undefined;
  if (buffer === undefined) return shifted ?? current;
  if (current <= BigInt(buffer)) return current;
  if (shifted !== undefined && shifted <= BigInt(buffer)) return shifted;
  return BigInt(buffer);
}

const layoutAmbiguity: LintRule = {
  id: 'layout-ambiguity',
  summary:
    'Nonzero bits that an earlier standard (e.g. SPC-2) reads differently from SPC-3+ (INQUIRY allocation length).',
  check: (ctx) => {
    const spec = ctx.spec;
    if (!spec?.legacy || !ctx.layout) return [];
    const findings: Finding[] = [];
    const current = { fields: spec.fields, length: spec.length, standard: spec.standard };
    for (const legacy of spec.legacy) {
      // Bytes where one layout has reserved bits the other uses, and the CDB has them set.
      const limit = Math.min(ctx.cdb.length, spec.cdbLength);
      for (let i = 0; i < limit; i++) {
        const v = ctx.cdb[i] as number;
        const resCur = reservedMask(current.fields, i);
        const resOld = reservedMask(legacy.fields, i);
        const differing = (resCur ^ resOld) & v & ~claimedAt(ctx, i);
        if (differing === 0) continue;
        const fCur = fieldAt(current.fields, i, highestBit(differing));
        const fOld = fieldAt(legacy.fields, i, highestBit(differing));
        const lenRuleCur = current.length[0];
        const lenRuleOld = legacy.length[0];
        const lenCur = current.fields.find((f) => f.key === lenRuleCur?.field);
        const lenOld = legacy.fields.find((f) => f.key === lenRuleOld?.field);
        const newer = successor(legacy.standard) ?? (current.standard.split(' ')[0] as string);
        const readings = [
          `${newer}+ reads ${fCur ? `${fCur.name} (${describePosition(fCur)}) = ${numberText(readField(ctx.cdb, fCur))}` : `byte ${i} as reserved`}`,
          `${legacy.standard} reads ${fOld ? `${fOld.name} (${describePosition(fOld)}) = ${numberText(readField(ctx.cdb, fOld))}` : `byte ${i} as reserved`}${lenOld && lenOld !== fOld ? ` and ${lenOld.name} (${describePosition(lenOld)}) = ${numberText(readField(ctx.cdb, lenOld))}` : ''}`,
        ];
        let fix: Finding['fix'];
        if (lenCur && lenOld && (fCur === lenCur || fOld === lenOld)) {
          const buffer = lenRuleCur?.direction === 'out' ? ctx.input.dataOut : ctx.input.dataIn;
          const want = intendedLength(readField(ctx.cdb, lenCur), buffer);
          const oldMax = (1n << BigInt(lenOld.width)) - 1n;
          const target = want > oldMax ? oldMax : want;
          const cdb = withByte(ctx.cdb, (c) => {
            writeField(c, lenCur, 0n);
            writeField(c, lenOld, 0n);
            writeField(c, lenCur, target);
          });
          fix = {
            cdb,
            description: `put the ${lenCur.name} ${numberText(target)} in ${describePosition(lenOld)} so ${legacy.standard} and ${newer}+ read it the same way: ${formatHex(cdb)}`,
          };
          ctx.rewritten.add(lenCur.key).add(lenOld.key);
        }
        const strictOld = ctx.input.spcLevel !== undefined && ctx.input.spcLevel <= 2;
        findings.push({
          id: 'layout-ambiguity',
          severity: strictOld || fix ? 'error' : 'warning',
          byte: i,
          mask: differing,
          ...(fCur ? { field: fCur.name } : {}),
          position: `byte ${i}`,
          message: `Byte ${i} is ${hexByte(v)}: ${readings.join('; ')}.`,
          why: `${legacy.note} A strict ${legacy.standard} device rejects the reserved bits with CHECK CONDITION 05/24/00 (INVALID FIELD IN CDB); ${newer}+ devices take the other reading.`,
          ...(fix ? { fix } : {}),
        });
        claim(ctx, i, differing);
      }
    }
    return findings;
  },
};

/** The standard after `name` in its family ("SPC-2" → "SPC-3"): where an old layout stopped applying. */
function successor(name: string): string | undefined {
  const m = /^([A-Z]+)-(\d+)$/.exec(name);
  return m ? `${m[1]}-${Number(m[2]) + 1}` : undefined;
}

function highestBit(mask: number): number {
  for (let b = 7; b >= 0; b--) if (mask & (1 << b)) return b;
  return 0;
}

const reservedBits: LintRule = {
  id: 'reserved-bits',
  summary: 'Reserved bits are set.',
  check: (ctx) => {
    if (!ctx.spec || !ctx.layout) return [];
    const findings: Finding[] = [];
    const limit = Math.min(ctx.cdb.length, ctx.spec.cdbLength);
    for (let i = 0; i < limit; i++) {
      const v = ctx.cdb[i] as number;
      const set = reservedMask(ctx.layout.fields, i) & v & ~claimedAt(ctx, i);
      if (set === 0) continue;
      claim(ctx, i, set);
      findings.push({
        id: 'reserved-bits',
        severity: 'error',
        byte: i,
        mask: set,
        position: `byte ${i} ${bitsText(set)}`,
        message: `Byte ${i} is ${hexByte(v)}: reserved ${bitsText(set)} (mask ${hexByte(set)}) set in ${ctx.spec.name} (${ctx.layout.standard}).`,
        why: 'Reserved bits must be zero; a device that checks them terminates the command with CHECK CONDITION 05/24/00 (INVALID FIELD IN CDB) and a field pointer to this byte.',
        fix: {
          cdb: withByte(ctx.cdb, (c) => {
            c[i] = v & ~set;
          }),
          description: `clear byte ${i} mask ${hexByte(set)}`,
        },
      });
    }
    return findings;
  },
};

function fieldsWithRole(ctx: LintContext, pred: (f: FieldSpec) => boolean): FieldSpec[] {
  if (!ctx.layout || !ctx.spec) return [];
  const len = ctx.spec.cdbLength;
  return ctx.layout.fields.filter(
    (f) => pred(f) && fieldSpan(f).last < Math.min(len, ctx.cdb.length),
  );
}

function clearField(ctx: LintContext, f: FieldSpec): Uint8Array {
  return withByte(ctx.cdb, (c) => writeField(c, f, 0n));
}

const scsi2Lun: LintRule = {
  id: 'scsi2-lun',
  summary: 'SCSI-2 LUN bits (byte 1 bits 7:5) are set.',
  check: (ctx) =>
    fieldsWithRole(ctx, (f) => f.role === 'legacyLun').flatMap((f) => {
      const v = fieldValue(ctx, f);
      if (v === 0n) return [];
      const { first } = fieldSpan(f);
      claim(ctx, first, 0xe0);
      const sameAsLun = ctx.input.lun !== undefined && BigInt(ctx.input.lun) === v;
      return [
        {
          id: 'scsi2-lun',
          severity: 'warning',
          byte: first,
          mask: 0xe0,
          field: f.name,
          position: describePosition(f),
          message: `${describePosition(f)} hold ${v}: the SCSI-2 way of addressing LUN ${v}${sameAsLun ? ', the same LUN the transport addresses' : ''}.`,
          why: 'Since SPC-2 these bits are reserved; the transport addresses the LUN (bCBWLUN in the BOT CBW, fLogicalUnitNumber in DriverKit). SPC-3+ devices may reject them with 05/24/00.',
          fix: {
            cdb: clearField(ctx, f),
            description: `clear ${describePosition(f)} and address LUN ${v} through the transport`,
          },
        },
      ];
    }),
};

const lunRange: LintRule = {
  id: 'lun-range',
  summary: 'The LUN does not fit the 4-bit bCBWLUN, or is past the highest the device reported.',
  check: (ctx) => {
    const { lun, maxLun } = ctx.input;
    if (lun === undefined) return [];
    if (lun < 0 || lun > MAX_CBW_LUN)
      return [
        {
          id: 'lun-range',
          severity: 'error',
          message: `LUN ${lun} cannot be addressed over USB mass storage.`,
          why: `bCBWLUN holds 0–${MAX_CBW_LUN} (BOT 1.0 §5.1), and a device reports its highest LUN with Get Max LUN.`,
        },
      ];
    return maxLun !== undefined && lun > maxLun
      ? [
          {
            id: 'lun-range',
            severity: 'error',
            message: `LUN ${lun} is past the highest this device has, ${maxLun} (its answer to Get Max LUN).`,
            why: 'A CBW for a LUN the device does not have is not meaningful (BOT 1.0 §6.2.2), and BOT leaves the answer to the device: usually a stall or a phase error, whatever the CDB. Any direction or length finding for this command is secondary.',
          },
        ]
      : [];
  },
};

const transferRange: LintRule = {
  id: 'transfer-range',
  summary: 'The host transfer does not fit the 32-bit dCBWDataTransferLength.',
  check: (ctx) => {
    const host = ctx.input.dataIn ?? ctx.input.dataOut;
    return host !== undefined && host > MAX_CBW_TRANSFER
      ? [
          {
            id: 'transfer-range',
            severity: 'error',
            message: `A host transfer of ${host} bytes cannot be sent over USB mass storage.`,
            why: `dCBWDataTransferLength is 32 bits, at most ${MAX_CBW_TRANSFER} bytes (BOT 1.0 §5.1): move the data in several commands.`,
          },
        ]
      : [];
  },
};

const obsoleteField: LintRule = {
  id: 'obsolete-field',
  summary: 'An obsolete field is nonzero.',
  check: (ctx) =>
    fieldsWithRole(ctx, (f) => f.obsolete === true && f.role !== 'legacyLun').flatMap((f) => {
      const v = fieldValue(ctx, f);
      if (v === 0n) return [];
      const { first } = fieldSpan(f);
      claim(ctx, first, 0xff);
      return [
        {
          id: 'obsolete-field',
          severity: 'warning',
          byte: first,
          field: f.name,
          position: describePosition(f),
          message: `${f.name} (${describePosition(f)}) is ${numberText(v)} but the field is obsolete.`,
          why: `${f.meaning} Current devices treat obsolete fields like reserved ones and may answer 05/24/00.`,
          fix: { cdb: clearField(ctx, f), description: `clear ${f.name}` },
        },
      ];
    }),
};

/** A field's named values with runs of consecutive ones of one name and note as one: "F0h–FFh vendor specific". */
export function valueRuns(
  values: readonly FieldValue[],
): { readonly values: string; readonly name: string; readonly note: string | undefined }[] {
  const runs: { from: number; to: number; name: string; note: string | undefined }[] = [];
  for (const v of values) {
    const last = runs.at(-1);
    if (last && last.name === v.name && last.note === v.note && last.to + 1 === v.value)
      last.to = v.value;
    else runs.push({ from: v.value, to: v.value, name: v.name, note: v.note });
  }
  return runs.map((r) => ({
    values: `${t10Hex(r.from)}${r.to > r.from ? `–${t10Hex(r.to)}` : ''}`,
    name: r.name,
    note: r.note,
  }));
}

/** "00h all, F0h–FFh vendor specific": a field's named values, runs of one name as a range. */
export function valuesText(values: readonly FieldValue[]): string {
  return valueRuns(values)
    .map((r) => `${r.values} ${r.name}`)
    .join(', ');
}

/** Where `v` falls outside the field's range, in decimal as the bounds are declared. */
function rangeText(f: FieldSpec, v: number): string {
  if (f.min !== undefined && f.max !== undefined) return `outside ${f.min}–${f.max}`;
  return f.min !== undefined && v < f.min
    ? `below ${f.min}, the least it may be`
    : `above ${f.max ?? ''}, the most it may be`;
}

const fieldRange: LintRule = {
  id: 'field-value',
  summary: 'A field holds a value its definition does not allow.',
  check: (ctx) =>
    fieldsWithRole(
      ctx,
      (f) => f.values !== undefined || f.min !== undefined || f.max !== undefined,
    ).flatMap((f): Finding[] => {
      const v = Number(fieldValue(ctx, f));
      const outside = (f.min !== undefined && v < f.min) || (f.max !== undefined && v > f.max);
      const named = f.values?.find((x) => x.value === v);
      // Enumerations that leave room for other values (page codes) are open when min/max are given.
      const unlisted = !named && reservedCode(f, v);
      if (!outside && !unlisted && !named?.note) return [];
      const allowed = f.values && valuesText(f.values);
      return [
        {
          id: 'field-value',
          severity: 'warning',
          byte: f.byte,
          field: f.name,
          position: describePosition(f),
          message: named?.note
            ? `${f.name} (${describePosition(f)}) is ${t10Hex(v)} ${named.name}: ${named.note}`
            : `${f.name} (${describePosition(f)}) is ${t10Hex(v)}${outside ? ` = ${v}, ${rangeText(f, v)}` : ', which is not a defined value'}${allowed ? ` (defined: ${allowed})` : ''}.`,
          why: 'A device answers an undefined value with CHECK CONDITION 05/24/00 (INVALID FIELD IN CDB).',
        },
      ];
    }),
};

const zeroUnless: LintRule = {
  id: 'zero-unless',
  summary: 'A field is nonzero where its command allows that only with another field set.',
  check: (ctx) =>
    ctx.layout && ctx.spec
      ? zeroUnlessBroken(ctx.cdb.subarray(0, ctx.spec.cdbLength), ctx.layout.fields).flatMap(
          ({ field, conditions }): Finding[] => {
            const [first] = conditions;
            if (!first) return [];
            const v = fieldValue(ctx, field);
            const now = conditions
              .map(
                (c) =>
                  `${c.needs.name} (${describePosition(c.needs)}) is ${fieldValue(ctx, c.needs)}`,
              )
              .join(' and ');
            const allowing = conditions.map((c) => `${c.needs.name} ${c.equals}`).join(' or ');
            return [
              {
                id: 'zero-unless',
                severity: 'error',
                byte: field.byte,
                field: field.name,
                position: describePosition(field),
                message: `${field.name} (${describePosition(field)}) is ${t10Hex(Number(v))} while ${now}: ${ctx.spec?.name} takes a nonzero ${field.name} only with ${allowing}.`,
                why: `The device terminates the command with CHECK CONDITION 05/24/00 (INVALID FIELD IN CDB), its field pointer at byte ${field.byte}. Set ${first.needs.name} to ${first.equals} for what ${field.name} names, or ${field.name} to 0.`,
                fix: {
                  cdb: withByte(ctx.cdb, (c) => writeField(c, first.needs, BigInt(first.equals))),
                  description: `set ${first.needs.name} to ${first.equals}`,
                },
              },
            ];
          },
        )
      : [],
};

const zeroMeans: LintRule = {
  id: 'zero-means',
  summary: 'A zero length that means something else (READ(6): 0 = 256 blocks).',
  check: (ctx) => {
    const rule = ctx.phase?.rule;
    const f = ctx.phase?.field;
    if (!rule || !f || rule.zeroMeans === undefined || fieldValue(ctx, f) !== 0n) return [];
    return [
      {
        id: 'zero-means',
        severity: 'info',
        byte: f.byte,
        field: f.name,
        position: describePosition(f),
        message: `${f.name} is 0, which ${ctx.spec?.name} reads as ${rule.zeroMeans} ${rule.unit}.`,
        why: rule.note ?? 'This command has no way to ask for zero units.',
      },
    ];
  },
};

const naca: LintRule = {
  id: 'naca',
  summary: 'NACA is set in the CONTROL byte.',
  check: (ctx) =>
    fieldsWithRole(ctx, (f) => f.key === 'naca').flatMap((f) =>
      fieldValue(ctx, f) === 0n
        ? []
        : [
            {
              id: 'naca' as const,
              severity: 'warning' as const,
              byte: f.byte,
              mask: 1 << f.bit,
              field: f.name,
              position: describePosition(f),
              message: `NACA (${describePosition(f)}) is set.`,
              why: 'NACA asks for an auto contingent allegiance condition that USB bridges do not support; most reject it with 05/24/00.',
              fix: { cdb: clearField(ctx, f), description: 'clear NACA' },
            },
          ],
    ),
};

const lengthVsBuffer: LintRule = {
  id: 'length-vs-buffer',
  summary:
    "The CDB's allocation/transfer/parameter-list length disagrees with the host's buffer or direction.",
  check: (ctx) => {
    const { dataIn, dataOut } = ctx.input;
    if (dataIn === undefined && dataOut === undefined) return [];
    if (!ctx.phase || !ctx.transfer || !ctx.spec) return [];
    const rule = ctx.phase.rule;
    // A length only the parameter data states (FORMAT UNIT) cannot be checked against the buffer.
    if (ctx.phase.units === undefined || ctx.transfer.bytes === undefined) return [];
    const unit = ctx.transfer.unitBytes;
    // Bytes one count of the length field moves: COMPARE AND WRITE's counts twice (LengthRule.times).
    const perCount = unit * (ctx.phase.rule?.times ?? 1);
    const deviceBytes = ctx.transfer.bytes;
    const pairing = describeHostDevicePair(
      { dataIn, dataOut },
      { direction: ctx.phase.direction, bytes: deviceBytes },
    );
    if (!pairing) return [];
    const f = ctx.phase.field;
    const most = rule?.kind === 'allocation' ? rule.mostReturned : undefined;
    if (
      f &&
      most !== undefined &&
      deviceBytes > pairing.hostBytes &&
      pairing.hostBytes >= most &&
      !pairing.directionMismatch
    )
      // An allocation length is a cap, not an amount (SPC-5, allocation length): past what the
      // answer can hold it changes nothing, so a buffer that holds the most the device can send
      // is never overrun (Bulk-Only case 5 or 6, no phase error).
      return [
        {
          id: 'length-vs-buffer',
          severity: 'info',
          byte: f.byte,
          field: f.name,
          position: describePosition(f),
          message: `${f.name} (${describePosition(f)}) = ${deviceBytes} bytes is more than the host's ${pairing.hostBytes}-byte buffer, but ${ctx.spec.name} returns at most ${most} bytes here, so the device sends no more than the buffer holds: no phase error, the residue says how much came.`,
          why: `The device returns the allocation length or all it has, whichever is less. This is Bulk-Only case 5 (Hi > Di) like any buffer larger than the answer, but no transfer length chosen in advance avoids its padding or stall here: the device sends however much it has, up to ${most} bytes. An allocation length no larger than the buffer still says what the host expects.`,
        },
      ];
    const unitNote =
      rule && rule.unit !== 'bytes'
        ? ` (${ctx.phase.units} × ${unit}-byte blocks${rule.unit === 'blocks' && ctx.blockSizeAssumed ? ', block size assumed' : ''})`
        : '';
    // Without a length field the command's data phase has a fixed size (READ CAPACITY(10): 8 bytes).
    const where = f
      ? `${f.name} (${describePosition(f)}) = ${deviceBytes} bytes${unitNote}`
      : `${deviceBytes} bytes${unitNote}`;
    // A length field of 0 asks for no data (SPC-5, allocation length); a host that set up data-in
    // most likely wants the field to ask for it, not the data phase dropped.
    const zeroField =
      f && deviceBytes === 0 && dataIn !== undefined && dataIn > 0 && !pairing.directionMismatch
        ? f
        : undefined;
    // Capped where every layout of the command reads it alike: SPC-2's INQUIRY ALLOCATION LENGTH
    // is byte 4 alone, so a value past 255 would set the byte SPC-2 calls reserved.
    const width = zeroField
      ? Math.min(
          zeroField.width,
          ...(ctx.spec.legacy ?? []).map(
            (l) =>
              layoutOf(ctx.spec as CommandSpec, l.standard).fields.find(
                (x) => x.key === zeroField.key,
              )?.width ?? zeroField.width,
          ),
        )
      : 0;
    const zeroUnits = zeroField
      ? BigInt(Math.min(Math.floor((dataIn ?? 0) / perCount), 2 ** Math.min(width, 52) - 1))
      : 0n;
    // An ATA command's own data phase wins over the host's buffer (passThroughPhaseFix); else prefer
    // changing the host side when the device may legitimately send less (allocation lengths).
    const ataFix = passThroughPhaseFix(ctx);
    let fix: Finding['fix'];
    if (ataFix) fix = ataFix;
    // The length field gets another value from an earlier fix: judge the buffer against that (re-lint).
    else if (f && ctx.rewritten.has(f.key)) fix = undefined;
    else if (zeroField && zeroUnits > 0n) {
      fix = {
        cdb: withByte(ctx.cdb, (c) => writeField(c, zeroField, zeroUnits)),
        description: `set ${zeroField.name} to ${zeroUnits}: at 0 ${ctx.spec.name} asks for no data (or set up no data phase)`,
      };
    } else {
      // The length field set to what the buffer holds, where a whole count of it fits and the field
      // can hold it; else the buffer made the size the CDB asks for.
      const units = BigInt(Math.floor(pairing.hostBytes / perCount));
      const fits =
        pairing.fix === 'cdb' &&
        f !== undefined &&
        pairing.hostBytes % perCount === 0 &&
        units <= (1n << BigInt(f.width)) - 1n;
      if (fits && f)
        fix = {
          cdb: withByte(ctx.cdb, (c) => writeField(c, f, units)),
          description: `set ${f.name} to ${units} so the device sends no more than the ${pairing.hostBytes}-byte buffer holds`,
        };
      else if (pairing.fix !== undefined)
        fix = {
          cdb: ctx.cdb.slice(),
          transferLength: deviceBytes,
          direction: ctx.phase.direction,
          description:
            deviceBytes === 0
              ? `set up no data phase (transfer length 0): ${ctx.spec.name} moves no data`
              : `make the transfer ${deviceBytes} bytes ${ctx.phase.direction} to match ${f ? f.name : 'the CDB'}`,
        };
    }
    return [
      {
        id: pairing.directionMismatch ? 'direction-mismatch' : 'length-vs-buffer',
        severity: pairing.severity,
        ...(f ? { byte: f.byte, field: f.name, position: describePosition(f) } : {}),
        message: `The host ${pairing.hostText}, but ${zeroField ? `${ctx.spec.name}'s ${zeroField.name} (${describePosition(zeroField)}) is 0, so it asks for no data` : ctx.phase.direction === 'none' ? `${ctx.spec.name} has no data phase` : `${ctx.spec.name} asks for ${where} ${ctx.phase.direction === 'in' ? 'from' : 'to'} the device`}: ${pairing.caseText}.`,
        why: pairing.why,
        ...(fix ? { fix } : {}),
      },
    ];
  },
};

/**
 * The host set up no data phase (direction "none") for a CDB that moves
 * data: Bulk-Only case 2 (Hn < Di) or 3 (Hn < Do), a phase error (BOT 1.0
 * §6.7.2, §6.7.3) — the send reports "phase-error · 0 bytes". The fix sets
 * the data phase the CDB asks for.
 */
const noDataPhase: LintRule = {
  id: 'no-data-phase',
  summary: 'The CDB moves data but the host set up no data phase (direction none).',
  check: (ctx) => {
    const t = ctx.transfer;
    if (!ctx.input.noDataPhase || !ctx.spec || !t || !t.bytes || t.direction === 'none') return [];
    const f = ctx.phase?.field;
    const blocks =
      t.phase.rule && t.phase.rule.unit !== 'bytes'
        ? ` (${t.phase.units} × ${t.unitBytes}-byte blocks${ctx.blockSizeAssumed && t.phase.rule.unit === 'blocks' ? `, block size assumed ${ctx.blockSize}` : ''})`
        : '';
    return [
      {
        id: 'no-data-phase',
        severity: 'error',
        ...(f ? { byte: f.byte, field: f.name, position: describePosition(f) } : {}),
        message: `${ctx.spec.name} moves ${t.bytes} bytes ${t.direction === 'in' ? 'from' : 'to'} the device${blocks}, but the direction is none.`,
        why: `With no data phase set up the device and host disagree (Bulk-Only case ${t.direction === 'in' ? '2, Hn < Di' : '3, Hn < Do'}): a phase error and reset recovery, and no data.`,
        fix: {
          cdb: ctx.cdb.slice(),
          transferLength: t.bytes,
          direction: t.direction,
          description: `set the data phase to ${t.bytes} bytes ${t.direction}`,
        },
      },
    ];
  },
};

/**
 * The confirmation policy's verdict as a finding: the same decision the app
 * and the CLI apply before sending to a real device, so lint never disagrees
 * with the gate (shared/scsi/confirm-policy.ts).
 */
const destructive: LintRule = {
  id: 'destructive',
  summary:
    'The command can destroy user data or firmware: a real device gets it only after confirmation.',
  check: (ctx) => {
    const c = confirmationNeeded(ctx.cdb, {
      dataOutLength: ctx.input.dataOut ?? 0,
      ...(ctx.input.vendorSets ? { vendorSets: ctx.input.vendorSets } : {}),
    });
    return c.needed
      ? [
          {
            id: 'destructive',
            severity: 'warning',
            byte: 0,
            position: 'byte 0',
            message: c.reason,
            why: 'usbcdb sends it to a real device only after explicit confirmation; try it on an emulated drive first.',
          },
        ]
      : [];
  },
};

const changesState: LintRule = {
  id: 'changes-state',
  summary: 'The command changes device state (settings, power, medium lock) but not user data.',
  check: (ctx) =>
    ctx.spec && cdbEffect(ctx.cdb, ctx.spec, ctx.input.dataOut ?? 0) === 'changes-state'
      ? [
          {
            id: 'changes-state',
            severity: 'info',
            byte: 0,
            position: 'byte 0',
            message: `${ctx.spec.name} changes the device's state.`,
            why: 'It does not touch user data, but the change may persist (saved mode pages) or affect the OS (a stopped or locked unit).',
          },
        ]
      : [],
};

/** A fired ATA PASS-THROUGH check's fix: the CDB with the field values it names. */
function passThroughFix(
  ctx: LintContext,
  found: NonNullable<ReturnType<typeof passThroughFindings>>,
  check: PassThroughCheck,
): Finding['fix'] {
  const fields = ctx.layout?.fields ?? [];
  const values = check.fix?.(found.pt, found.pt.row as NonNullable<typeof found.pt.row>);
  if (!values) return undefined;
  return {
    cdb: withByte(ctx.cdb, (copy) => {
      for (const [key, v] of Object.entries(values)) {
        const target = fields.find((x) => x.key === key);
        if (target) writeField(copy, target, BigInt(v));
      }
    }),
    description: `set ${Object.entries(values)
      .map(([k, v]) => `${fields.find((x) => x.key === k)?.name ?? k} = ${v}`)
      .join(', ')}`,
  };
}

/**
 * For an ATA PASS-THROUGH CDB, the fix of the first ATA check that changes a
 * field its data phase is read from (T_LENGTH, T_DIR, BYT_BLOK, COUNT): the
 * ATA command, not the host buffer, decides which way and how much the drive
 * moves (SAT-4, ATA PASS-THROUGH), so a host-side fix would contradict it.
 */
function passThroughPhaseFix(ctx: LintContext): Finding['fix'] {
  const found = ctx.layout ? passThroughFindings(ctx.cdb) : undefined;
  if (!found || !ctx.layout) return undefined;
  const phaseKeys = new Set(
    ctx.layout.length.flatMap((r) => [
      ...(r.field ? [r.field] : []),
      ...(r.highField ? [r.highField] : []),
      ...(r.when ?? []).map((w) => w.field),
    ]),
  );
  const row = found.pt.row as NonNullable<typeof found.pt.row>;
  const check = found.fired.find((c) =>
    Object.keys(c.fix?.(found.pt, row) ?? {}).some((k) => phaseKeys.has(k)),
  );
  return check && passThroughFix(ctx, found, check);
}

/**
 * ATA PASS-THROUGH(16)/(12): the transfer fields against the ATA command the
 * CDB carries; the checks are a table in ata-pass-through.ts.
 */
const ataPassThrough: LintRule = {
  id: 'ata-pass-through',
  summary:
    'ATA PASS-THROUGH: PROTOCOL, T_LENGTH, T_DIR, BYT_BLOK, COUNT or CK_COND do not fit the ATA command it carries.',
  check: (ctx) => {
    const found = ctx.layout ? passThroughFindings(ctx.cdb) : undefined;
    if (!found || !ctx.layout) return [];
    const fields = ctx.layout.fields;
    return found.fired.map((c): Finding => {
      const f = fields.find((x) => x.key === c.field);
      const fix = passThroughFix(ctx, found, c);
      return {
        id: 'ata-pass-through',
        severity: c.severity,
        ...(f ? { byte: f.byte, field: f.name, position: describePosition(f) } : {}),
        message: c.message(found.pt, found.pt.row as NonNullable<typeof found.pt.row>, found.name),
        why: c.why,
        ...(fix ? { fix } : {}),
      };
    });
  },
};

/** Severity order, most serious first. */
export const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** The rules, in the order their fixes are applied. */
export const RULES: readonly LintRule[] = [
  cdbEmpty,
  cdbTooLong,
  cdbLength,
  unknownOpcode,
  vendorOpcode,
  lunRange,
  transferRange,
  layoutAmbiguity,
  scsi2Lun,
  obsoleteField,
  naca,
  reservedBits,
  fieldRange,
  zeroUnless,
  zeroMeans,
  ataPassThrough,
  noDataPhase,
  lengthVsBuffer,
  destructive,
  changesState,
];
