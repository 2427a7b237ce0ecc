/**
 * THE confirmation policy: whether a CDB may reach a real device only after
 * the user says yes. The app's `device.execute` handler, the CLI's `--force`
 * gate (through src-main/engine/confirmation.ts, which adds "only real
 * devices") and lint's `destructive` finding all ask here; none keeps a list
 * of its own.
 *
 * The decision is read from the command's DECLARED effect (catalog row or
 * vendor-set declaration, shared/scsi/catalog/types.ts `Effect`; a set's
 * command reusing a standard opcode speaks for the CDBs its selector picks,
 * as resolve.ts says):
 *
 * - `changes-data` — gated. WRITE(6/10/12/16), WRITE AND VERIFY(10/12/16),
 *   COMPARE AND WRITE, WRITE LONG(10/16), WRITE SAME(10/16), UNMAP, FORMAT UNIT,
 *   FORMAT WITH PRESET, SANITIZE, SECURITY PROTOCOL OUT, ZBC's RESET WRITE
 *   POINTER, the depopulation commands (REMOVE ELEMENT AND TRUNCATE, RESTORE
 *   ELEMENTS AND REBUILD, REMOVE ELEMENT AND MODIFY ZONES), ATA PASS-THROUGH(12/16). ATA PASS-THROUGH(16)
 *   without data-out takes the effect of the ATA command it carries when the
 *   ATA sub-catalog knows it (`effectFrom`) and the CDB's PROTOCOL is one that
 *   command runs under, so IDENTIFY DEVICE and the SMART reads are not gated;
 *   a reset, diagnostic or any other PROTOCOL does not run the command as
 *   declared (SAT-4, PROTOCOL field) and stays gated; (12) stays gated, since
 *   A1h is BLANK to an optical drive.
 * - `firmware` — gated. WRITE BUFFER (all modes) and vendor firmware downloads.
 * - `changes-state` — not gated: MODE SELECT, LOG SELECT, SEND DIAGNOSTIC,
 *   START STOP UNIT, PREVENT ALLOW MEDIUM REMOVAL, SYNCHRONIZE CACHE change
 *   settings or state that another command or a power cycle undoes; lint
 *   notes them (`changes-state`).
 * - `reads` — not gated.
 *
 * An opcode the catalog (and the given vendor sets) does not describe —
 * reserved, vendor specific, a standard command usbcdb does not catalogue, or
 * a known opcode with an uncatalogued service action — is gated when the host
 * sends data-out with it, since its effect is unknown and data-out is how
 * firmware and blocks get written. Without data-out it is NOT gated: it is
 * sent, and the device most likely answers INVALID COMMAND OPERATION CODE.
 * A vendor set's command sent with data-out it does not declare is judged the
 * same way: the set's declared effect covers only its declared data phase.
 * A set's declaration speaks only for the CDBs it describes: a CDB outside a
 * command's declared field bounds (`min`/`max`), or one with an opcode a set
 * in use declares that none of its commands describes, is asked about with or
 * without data-out — a bridge's pass-through carries whatever command the CDB
 * holds (an ATA WRITE UNCORRECTABLE EXT through JMicron's DFh has no data
 * phase).
 * Commands that destroy data without a data phase are therefore catalogued
 * (FORMAT WITH PRESET 38h, ZONE OUT 94h's RESET WRITE POINTER, the
 * depopulation service actions 18h–1Ah of 9Eh); one usbcdb does not know yet
 * would go through unasked, and adding its row closes that gap.
 *
 * Where the device is emulated or replayed nothing can be lost: that
 * judgement is the engine's (src-main/engine/confirmation.ts), not this
 * module's, which knows only SCSI.
 */
import {
  ataCommandName,
  PROTOCOLS_OF,
  readPassThrough,
  type AtaCommandRow,
  type PassThroughCdb,
} from './ata-commands';
import {
  applicableLengthRule,
  commandsForOpcode,
  opcodeGroup,
  opcodeOf,
  type CommandSpec,
  type Effect,
  type FieldSpec,
} from './catalog';
import { describePosition, fieldFits, fieldValue, readField } from './catalog/fields';
import { entriesWithOpcode, fieldOutsideBounds, resolveCommand } from './catalog/resolve';
import { t10Hex } from './hex';
import type { VendorSet } from '../vendor-sets/model';

export type Confirmation =
  | { readonly needed: false }
  | {
      readonly needed: true;
      /** A sentence naming the command and what it can do, e.g. "WRITE AND VERIFY(10) can overwrite…". */
      readonly reason: string;
    };

export interface ConfirmationInput {
  /** Bytes of data-out the host will send with the CDB (0 for none or data-in). */
  readonly dataOutLength: number;
  /**
   * The vendor command sets this device speaks (catalog/resolve.ts): their
   * declarations describe C0h–FFh opcodes, and the standard opcodes a bridge
   * reuses (a set's command whose selector the CDB holds, with its own
   * declared effect, in place of the catalog row's).
   */
  readonly vendorSets?: readonly VendorSet[];
}

const NOT_NEEDED: Confirmation = { needed: false };

/** "opcode 2Eh", "opcode 9Fh, service action 11h", "opcode C5h of vendor set example". */
function where(spec: CommandSpec, vendorSet?: string): string {
  const sa =
    spec.serviceAction !== undefined ? `, service action ${t10Hex(spec.serviceAction)}` : '';
  return `opcode ${t10Hex(spec.opcode)}${sa}${vendorSet !== undefined ? ` of vendor set ${vendorSet}` : ''}`;
}

/** The one table: per declared effect, the reason confirmation is needed, or undefined when it is not. */
const GATE: Readonly<Record<Effect, ((name: string, at: string) => string) | undefined>> = {
  reads: undefined,
  'changes-state': undefined,
  'changes-data': (name, at) => `${name} can overwrite or erase user data on the medium (${at}).`,
  firmware: (name, at) =>
    `${name} can replace or activate the device's firmware (${at}); a bad image can leave the device unusable.`,
};

/** Whether commands declaring this effect need confirmation before reaching a real device. */
export function effectNeedsConfirmation(effect: Effect): boolean {
  return GATE[effect] !== undefined;
}

/** The pass-through registers of a tunnelling row's CDB (`effectFrom`), read once per decision. */
function tunnelled(cdb: Uint8Array, spec: CommandSpec): PassThroughCdb | undefined {
  return spec.effectFrom === 'ata-command' ? readPassThrough(cdb) : undefined;
}

/**
 * Whether the carried ATA command speaks for the CDB: a row the ATA sub-catalog declares, under
 * a PROTOCOL that row runs with. SAT-4's resets (0, 1, 9), EXECUTE DEVICE DIAGNOSTIC (8) and
 * RETURN RESPONSE INFORMATION (15) do not run the COMMAND register's command at all, and a bridge
 * given another mismatched PROTOCOL may do anything, so those are judged by the row.
 */
function runsAsDeclared(
  pt: PassThroughCdb | undefined,
): pt is PassThroughCdb & { readonly row: AtaCommandRow } {
  return pt?.row !== undefined && PROTOCOLS_OF[pt.row.protocol].includes(pt.protocol);
}

/** The effect of a CDB whose pass-through registers are `pt` (see cdbEffect). */
function effectOf(
  spec: CommandSpec,
  pt: PassThroughCdb | undefined,
  dataOutLength: number,
): Effect {
  return dataOutLength === 0 && runsAsDeclared(pt) ? pt.row.effect : spec.effect;
}

/**
 * What this CDB can do: its row's declared effect, or for a row whose effect
 * is the command it tunnels (`effectFrom`), that command's when the CDB sends
 * no data-out and carries it under its own PROTOCOL (`runsAsDeclared`).
 */
export function cdbEffect(cdb: Uint8Array, spec: CommandSpec, dataOutLength: number): Effect {
  return effectOf(spec, tunnelled(cdb, spec), dataOutLength);
}

/** The PROTOCOL field's value name (catalog row), e.g. "ATA hardware reset". */
function protocolName(spec: CommandSpec, value: number): string {
  const name = spec.fields
    .find((f) => f.key === 'protocol')
    ?.values?.find((v) => v.value === value)?.name;
  return `PROTOCOL ${value}${name !== undefined ? ` (${name})` : ''}`;
}

/** ATA protocol classes whose commands take data-out (ACS-4). */
const TAKES_DATA_OUT: readonly string[] = ['pio-out', 'dma-out'];

/**
 * Why a tunnelling row's CDB is asked about when the ATA command it carries
 * would not be: data-out the command does not take (what the bridge does
 * with it is unknown), or, without data-out, a PROTOCOL that command does not
 * run under (a reset, a diagnostic, another transfer). Undefined when that is
 * not why (a write with its data, or a command the ATA table lacks).
 */
function carriedReason(
  spec: CommandSpec,
  pt: PassThroughCdb | undefined,
  dataOutLength: number,
  at: string,
): string | undefined {
  if (!pt?.row) return undefined;
  const command = ataCommandName(pt.command, pt.features);
  if (dataOutLength > 0)
    return TAKES_DATA_OUT.includes(pt.row.protocol)
      ? undefined
      : `${spec.name} carrying ${command} is sent with ${dataOutLength} bytes of data-out, which ${command} does not take, so usbcdb cannot say what the bridge does with them (${at}).`;
  if (runsAsDeclared(pt)) return undefined;
  const runsUnder = PROTOCOLS_OF[pt.row.protocol].map((v) => protocolName(spec, v)).join(' or ');
  return `${spec.name} with ${protocolName(spec, pt.protocol)} does not run the ${command} it carries the way that command runs (${runsUnder}), so usbcdb cannot say what it does to the drive (${at}).`;
}

/** "COMMAND (byte 11) is 45h, where SMART RETURN STATUS declares B0h". */
function outsideText(f: FieldSpec, cdb: Uint8Array, command: string): string {
  const bounds =
    f.min !== undefined && f.max !== undefined
      ? f.min === f.max
        ? t10Hex(f.min)
        : `${t10Hex(f.min)}–${t10Hex(f.max)}`
      : f.min !== undefined
        ? `at least ${t10Hex(f.min)}`
        : `at most ${t10Hex(f.max ?? 0)}`;
  const is = fieldFits(f, cdb.length)
    ? `is ${t10Hex(Number(readField(cdb, f)))}`
    : `is past the end of the ${cdb.length}-byte CDB`;
  return `${f.name} (${describePosition(f)}) ${is}, where ${command} declares ${bounds}`;
}

function declared(
  cdb: Uint8Array,
  spec: CommandSpec,
  dataOutLength: number,
  vendorSet?: string,
): Confirmation {
  const at = where(spec, vendorSet);
  // A set's declared effect covers the data phase it declares for this CDB (a rule may apply
  // only for some field values). Data-out to a command that declares none is not that command
  // as declared (the device may well read the opcode as something else), so it is judged as an
  // unknown opcode with data-out is. Catalog rows are not: a standard read sent with data-out
  // is a phase mismatch the device refuses (BOT 1.0 §6.7 case 10), not a hidden write.
  if (
    vendorSet !== undefined &&
    dataOutLength > 0 &&
    applicableLengthRule(spec.length, spec.fields, cdb)?.direction !== 'out'
  )
    return {
      needed: true,
      reason: `${spec.name} declares no data-out (${at}); sent with ${dataOutLength} bytes of data-out, usbcdb cannot say what it does, and it may change or overwrite data or firmware on the device.`,
    };
  // Outside a declared bound the CDB is not the command as declared: a bridge passes any value
  // on, so COMMAND 45h where a set declares B0h is WRITE UNCORRECTABLE EXT, not a SMART read.
  const outside = vendorSet !== undefined ? fieldOutsideBounds(spec, cdb) : undefined;
  if (outside)
    return {
      needed: true,
      reason: `${outsideText(outside, cdb, spec.name)} (${at}), so the CDB is a command the set does not describe: usbcdb cannot say what it does, and it may change or overwrite data or firmware on the device.`,
    };
  const pt = tunnelled(cdb, spec);
  const reason = GATE[effectOf(spec, pt, dataOutLength)];
  if (!reason) return NOT_NEEDED;
  // "ATA PASS-THROUGH(16) carrying WRITE DMA EXT (35h)": a tunnelling row names what it carries.
  const name = pt ? `${spec.name} carrying ${ataCommandName(pt.command, pt.features)}` : spec.name;
  return {
    needed: true,
    reason:
      carriedReason(spec, pt, dataOutLength, at) ??
      `${reason(name, at)}${spec.effectNote !== undefined ? ` ${spec.effectNote}` : ''}`,
  };
}

/** The service action a CDB carries, when rows of its opcode are told apart by one. */
function serviceActionText(cdb: Uint8Array): string {
  const row = commandsForOpcode(opcodeOf(cdb)).find((c) => c.serviceAction !== undefined);
  const f = row?.fields.find((x) => x.key === row.serviceActionField);
  if (!row || !f || cdb.length <= f.byte) return '';
  return ` with service action ${t10Hex(fieldValue(cdb, row, f.key) ?? 0)}`;
}

function unknownReason(cdb: Uint8Array, dataOutLength: number): string {
  const op = opcodeOf(cdb);
  const group = opcodeGroup(op);
  const what = group.vendorSpecific
    ? `Vendor opcode ${t10Hex(op)} is not declared by any vendor set in use`
    : `Opcode ${t10Hex(op)}${serviceActionText(cdb)} is not in usbcdb's catalog (${group.description})`;
  return `${what}; with ${dataOutLength} bytes of data-out it may change or overwrite data or firmware on the device.`;
}

function undescribedReason(
  cdb: Uint8Array,
  sets: readonly string[],
  dataOutLength: number,
): string {
  const data = dataOutLength > 0 ? `, and it comes with ${dataOutLength} bytes of data-out` : '';
  return `Opcode ${t10Hex(cdb[0] ?? 0)} is vendor set ${sets.join(' and ')}'s, but this CDB is none of the commands declared for it${data}: usbcdb cannot say what it does, and it may change or overwrite data or firmware on the device.`;
}

/** Whether sending this CDB to a real device needs explicit confirmation, and why. */
export function confirmationNeeded(cdb: Uint8Array, input: ConfirmationInput): Confirmation {
  if (cdb.length === 0) return NOT_NEEDED;
  const known = resolveCommand(cdb, input.vendorSets);
  if (known)
    return declared(
      cdb,
      known.spec,
      input.dataOutLength,
      known.source === 'vendor' ? known.set.name : undefined,
    );
  // An opcode a set in use declares, in a CDB none of its commands describe: the set says the
  // opcode is the bridge's, and its pass-throughs carry any command (ATA WRITE UNCORRECTABLE
  // EXT, SET MAX ADDRESS and SANITIZE have no data phase), so it is asked about with or without
  // data-out.
  const declaring = [
    ...new Set(
      entriesWithOpcode(input.vendorSets ?? [], opcodeOf(cdb)).flatMap((e) =>
        e.source === 'vendor' ? [e.set.name] : [],
      ),
    ),
  ];
  if (declaring.length > 0)
    return { needed: true, reason: undescribedReason(cdb, declaring, input.dataOutLength) };
  return input.dataOutLength > 0
    ? { needed: true, reason: unknownReason(cdb, input.dataOutLength) }
    : NOT_NEEDED;
}
