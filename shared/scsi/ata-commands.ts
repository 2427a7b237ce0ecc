/**
 * The ATA commands people tunnel through SAT ATA PASS-THROUGH (85h/A1h): the
 * ATA sub-catalog of the built-in `sat` vendor set
 * (shared/vendor-sets/sat/sat.json, ACS-4 command set; the SMART
 * sub-commands by FEATURES), read here as typed rows. The doctor names the
 * command inside a pass-through CDB from it, lint checks the CDB's PROTOCOL /
 * T_DIR / BYT_BLOK / T_LENGTH against it, the probe sends only rows marked
 * `reads`, the decoder reads data-in by a row's response layout and the
 * emulated drive keys its behaviour by the row names.
 */
import type { AtaCommandDef, AtaProtocolClass, Layout } from '../vendor-sets/model';
import { findVendorSet } from '../vendor-sets/registry';
import { findCommand } from './catalog';
import { fieldValue } from './catalog/fields';

export type { AtaProtocolClass } from '../vendor-sets/model';

/**
 * The names of the `sat` set's ATA commands, as literal types: code keyed
 * by ATA command (the emulated drive's table) names commands by a type the
 * compiler checks. The set's rows must carry exactly these names, in this
 * order (checked when this module loads).
 */
export const ATA_COMMAND_NAMES = [
  'IDENTIFY DEVICE',
  'IDENTIFY PACKET DEVICE',
  'SMART READ DATA',
  'SMART READ THRESHOLDS',
  'SMART READ LOG',
  'SMART RETURN STATUS',
  'SMART ENABLE OPERATIONS',
  'READ LOG EXT',
  'CHECK POWER MODE',
  'READ SECTOR(S)',
  'READ SECTOR(S) EXT',
  'READ DMA',
  'READ DMA EXT',
  'WRITE SECTOR(S)',
  'WRITE DMA',
  'WRITE DMA EXT',
  'SECURITY ERASE UNIT',
] as const;
export type AtaCommandName = (typeof ATA_COMMAND_NAMES)[number];

export interface AtaCommandRow extends AtaCommandDef {
  readonly name: AtaCommandName;
  /** True when the command changes nothing on the drive (its effect is `reads`). */
  readonly reads: boolean;
}

/**
 * The rows of a set's ATA sub-catalog, checked against `ATA_COMMAND_NAMES`;
 * throws, naming what differs, when the set's names are not exactly those
 * (a programmer error: sat.json and this list were edited apart).
 */
export function ataRowsOf(rows: readonly AtaCommandDef[]): readonly AtaCommandRow[] {
  const names = rows.map((r) => r.name);
  if (names.join('\n') !== ATA_COMMAND_NAMES.join('\n'))
    throw new Error(
      `the sat set's ATA commands are ${names.join(', ')}; ATA_COMMAND_NAMES lists ${ATA_COMMAND_NAMES.join(', ')}`,
    );
  return Object.freeze(
    rows.map((r): AtaCommandRow => ({
      ...r,
      name: r.name as AtaCommandName,
      reads: r.effect === 'reads',
    })),
  );
}

export const ATA_COMMANDS: readonly AtaCommandRow[] = ataRowsOf(
  findVendorSet('sat')?.ataCommands ?? [],
);

/** The row named `name` (every name of `ATA_COMMAND_NAMES` has one). */
export function ataCommandNamed(name: AtaCommandName): AtaCommandRow {
  const row = ATA_COMMANDS.find((r) => r.name === name);
  if (!row) throw new Error(`no ATA command row ${name}`);
  return row;
}

/**
 * The response layout the `sat` set declares for `name`: what the emulated drive encodes its
 * answer with and the probe and the app decode it with. A row without one is a defect of the set.
 */
export function ataResponseLayout(name: AtaCommandName): Layout {
  const layout = ataCommandNamed(name).response;
  if (!layout) throw new Error(`the sat set declares no response layout for ${name}`);
  return layout;
}

/** SAT-4 PROTOCOL values of each class (byte 1 bits 4:1). */
export const PROTOCOLS_OF: Readonly<Record<AtaProtocolClass, readonly number[]>> = {
  'non-data': [3],
  'pio-in': [4],
  'pio-out': [5],
  'dma-in': [6, 10],
  'dma-out': [6, 11],
};

/** ATA PASS-THROUGH(16) and (12)'s operation codes (SAT-4). */
export type PassThroughOpcode = 0x85 | 0xa1;

/** Whether `op` is one of ATA PASS-THROUGH's opcodes (as the catalog reads them; a vendor set may reuse A1h). */
export function isPassThroughOpcode(op: number | undefined): op is PassThroughOpcode {
  return op === 0x85 || op === 0xa1;
}

/** The registers and transfer fields of an ATA PASS-THROUGH(16)/(12) CDB (SAT-4). */
export interface PassThroughCdb {
  readonly opcode: PassThroughOpcode;
  readonly protocol: number;
  readonly extend: boolean;
  readonly ckCond: boolean;
  /** 1 = from the device. */
  readonly tDir: number;
  readonly bytBlok: number;
  readonly tType: number;
  readonly tLength: number;
  readonly features: number;
  readonly count: number;
  readonly lbaLow: number;
  readonly lbaMid: number;
  readonly lbaHigh: number;
  readonly device: number;
  readonly command: number;
  /** The table's row for COMMAND (and FEATURES where it selects a sub-command). */
  readonly row: AtaCommandRow | undefined;
}

/** The row for an ATA COMMAND and FEATURES value. */
export function ataCommandFor(command: number, features: number): AtaCommandRow | undefined {
  return (
    ATA_COMMANDS.find((r) => r.code === command && r.features === features) ??
    ATA_COMMANDS.find((r) => r.code === command && r.features === undefined)
  );
}

/** A pass-through CDB's fields, read through its catalog row; undefined for any other CDB (or a short one). */
export function readPassThrough(cdb: Uint8Array): PassThroughCdb | undefined {
  const op = cdb[0];
  if (!isPassThroughOpcode(op)) return undefined;
  const spec = findCommand(cdb);
  if (!spec || cdb.length < spec.cdbLength) return undefined;
  const v = (key: string): number => fieldValue(cdb, spec, key) ?? 0;
  const command = v('command');
  const features = v('features');
  return {
    opcode: op,
    protocol: v('protocol'),
    extend: v('extend') === 1,
    ckCond: v('ckCond') === 1,
    tDir: v('tDir'),
    bytBlok: v('bytBlok'),
    tType: v('tType'),
    tLength: v('tLength'),
    features,
    count: v('count'),
    lbaLow: v('lba0'),
    lbaMid: v('lba1'),
    lbaHigh: v('lba2'),
    device: v('device'),
    command,
    row: ataCommandFor(command, features),
  };
}

/**
 * The layout the data-in of this pass-through reads by: its ATA command's
 * response layout, when the CDB's registers meet the row's `responseWhen`
 * (a log read is the directory only at log address 00h).
 */
export function passThroughLayout(pt: PassThroughCdb): Layout | undefined {
  const row = pt.row;
  if (!row?.response) return undefined;
  return (row.responseWhen ?? []).every((w) => pt[w.register] === w.equals)
    ? row.response
    : undefined;
}

/** "IDENTIFY DEVICE (ECh)", "SMART RETURN STATUS (B0h/DAh)", or the bare code. */
export function ataCommandName(command: number, features: number): string {
  const hex = (n: number): string => `${n.toString(16).toUpperCase().padStart(2, '0')}h`;
  const row = ataCommandFor(command, features);
  if (!row) return `ATA command ${hex(command)}`;
  return `${row.name} (${hex(row.code)}${row.features !== undefined ? `/${hex(row.features)}` : ''})`;
}
