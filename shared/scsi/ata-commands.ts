/**
 * The ATA commands people tunnel through SAT ATA PASS-THROUGH (85h/A1h), one
 * table (ACS-4 command set; the SMART sub-commands by FEATURES). The doctor
 * names the command inside a pass-through CDB from it, lint checks the CDB's
 * PROTOCOL / T_DIR / BYT_BLOK / T_LENGTH against it, and the probe sends only
 * rows marked `reads`.
 */
import { findCommand } from './catalog';
import { fieldValue } from './catalog/fields';

/** How the ATA command moves data (ACS-4 protocol classes, as SAT-4 PROTOCOL names them). */
export type AtaProtocolClass = 'non-data' | 'pio-in' | 'pio-out' | 'dma-in' | 'dma-out';

export interface AtaCommandRow {
  readonly code: number;
  /** FEATURES (7:0) selecting a sub-command (SMART B0h), when the row is one. */
  readonly features?: number;
  readonly name: string;
  readonly protocol: AtaProtocolClass;
  /** 512-byte blocks moved: a fixed number, or COUNT's value. */
  readonly blocks: number | 'count';
  /** Needs CK_COND=1: the answer is in the returned registers, not in data. */
  readonly answerInRegisters?: string;
  /** True when the command changes nothing on the drive. */
  readonly reads: boolean;
  /** Needs PT(16) with EXTEND=1 (a 48-bit command). */
  readonly ext?: boolean;
}

export const ATA_COMMANDS: readonly AtaCommandRow[] = Object.freeze([
  { code: 0xec, name: 'IDENTIFY DEVICE', protocol: 'pio-in', blocks: 1, reads: true },
  { code: 0xa1, name: 'IDENTIFY PACKET DEVICE', protocol: 'pio-in', blocks: 1, reads: true },
  {
    code: 0xb0,
    features: 0xd0,
    name: 'SMART READ DATA',
    protocol: 'pio-in',
    blocks: 1,
    reads: true,
  },
  {
    code: 0xb0,
    features: 0xd1,
    name: 'SMART READ THRESHOLDS',
    protocol: 'pio-in',
    blocks: 1,
    reads: true,
  },
  {
    code: 0xb0,
    features: 0xd5,
    name: 'SMART READ LOG',
    protocol: 'pio-in',
    blocks: 'count',
    reads: true,
  },
  {
    code: 0xb0,
    features: 0xda,
    name: 'SMART RETURN STATUS',
    protocol: 'non-data',
    blocks: 0,
    answerInRegisters: 'LBA mid/high 4Fh/C2h = good, F4h/2Ch = threshold exceeded',
    reads: true,
  },
  {
    code: 0xb0,
    features: 0xd8,
    name: 'SMART ENABLE OPERATIONS',
    protocol: 'non-data',
    blocks: 0,
    reads: false,
  },
  {
    code: 0x2f,
    name: 'READ LOG EXT',
    protocol: 'pio-in',
    blocks: 'count',
    reads: true,
    ext: true,
  },
  {
    code: 0xe5,
    name: 'CHECK POWER MODE',
    protocol: 'non-data',
    blocks: 0,
    answerInRegisters: 'COUNT 00h standby, 80h idle, FFh active or idle',
    reads: true,
  },
  { code: 0x20, name: 'READ SECTOR(S)', protocol: 'pio-in', blocks: 'count', reads: true },
  {
    code: 0x24,
    name: 'READ SECTOR(S) EXT',
    protocol: 'pio-in',
    blocks: 'count',
    reads: true,
    ext: true,
  },
  { code: 0xc8, name: 'READ DMA', protocol: 'dma-in', blocks: 'count', reads: true },
  {
    code: 0x25,
    name: 'READ DMA EXT',
    protocol: 'dma-in',
    blocks: 'count',
    reads: true,
    ext: true,
  },
  { code: 0x30, name: 'WRITE SECTOR(S)', protocol: 'pio-out', blocks: 'count', reads: false },
  { code: 0xca, name: 'WRITE DMA', protocol: 'dma-out', blocks: 'count', reads: false },
  {
    code: 0x35,
    name: 'WRITE DMA EXT',
    protocol: 'dma-out',
    blocks: 'count',
    reads: false,
    ext: true,
  },
  {
    code: 0xf4,
    name: 'SECURITY ERASE UNIT',
    protocol: 'pio-out',
    blocks: 1,
    reads: false,
  },
] satisfies AtaCommandRow[]);

/** SAT-4 PROTOCOL values of each class (byte 1 bits 4:1). */
export const PROTOCOLS_OF: Readonly<Record<AtaProtocolClass, readonly number[]>> = {
  'non-data': [3],
  'pio-in': [4],
  'pio-out': [5],
  'dma-in': [6, 10],
  'dma-out': [6, 11],
};

/** The registers and transfer fields of an ATA PASS-THROUGH(16)/(12) CDB (SAT-4). */
export interface PassThroughCdb {
  readonly opcode: 0x85 | 0xa1;
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
  if (op !== 0x85 && op !== 0xa1) return undefined;
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

/** "IDENTIFY DEVICE (ECh)", "SMART RETURN STATUS (B0h/DAh)", or the bare code. */
export function ataCommandName(command: number, features: number): string {
  const hex = (n: number): string => `${n.toString(16).toUpperCase().padStart(2, '0')}h`;
  const row = ataCommandFor(command, features);
  if (!row) return `ATA command ${hex(command)}`;
  return `${row.name} (${hex(row.code)}${row.features !== undefined ? `/${hex(row.features)}` : ''})`;
}
