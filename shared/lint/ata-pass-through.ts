/**
 * Lint checks for ATA PASS-THROUGH(16)/(12) (SAT-4): the CDB's PROTOCOL,
 * T_DIR, BYT_BLOK, T_LENGTH, COUNT and CK_COND against what the ATA command
 * it carries needs (shared/scsi/ata-commands.ts). One declarative table: each
 * check says when it fires, what it says and which fields its fix sets.
 */
import {
  PROTOCOLS_OF,
  readPassThrough,
  type AtaCommandRow,
  type PassThroughCdb,
} from '../scsi/ata-commands';
import { ataCommandName } from '../scsi/ata-commands';
import type { Severity } from './types';

export interface PassThroughCheck {
  /** Suffix of the finding, for tests and docs. */
  readonly id: string;
  readonly severity: Severity;
  /** The CDB field the finding points at (catalog key). */
  readonly field: string;
  readonly applies: (pt: PassThroughCdb, row: AtaCommandRow) => boolean;
  readonly message: (pt: PassThroughCdb, row: AtaCommandRow, name: string) => string;
  readonly why: string;
  /** Field values that fix it (catalog keys), when one fix is right for every case. */
  readonly fix?: (pt: PassThroughCdb, row: AtaCommandRow) => Readonly<Record<string, number>>;
}

const movesData = (row: AtaCommandRow): boolean => row.blocks !== 0;
const isIn = (row: AtaCommandRow): boolean =>
  row.protocol === 'pio-in' || row.protocol === 'dma-in';
/** SAT-4 PROTOCOL value the fix uses for each class. */
const FIX_PROTOCOL = {
  'non-data': 3,
  'pio-in': 4,
  'pio-out': 5,
  'dma-in': 6,
  'dma-out': 6,
} as const;

/** The length in COUNT, in 512-byte blocks, the way the ATA command moves them (SAT-4 T_LENGTH 10b, BYT_BLOK 1). */
const lengthInCount = (
  _pt: PassThroughCdb,
  row: AtaCommandRow,
): Readonly<Record<string, number>> => ({
  tLength: 2,
  bytBlok: 1,
  tDir: isIn(row) ? 1 : 0,
  ...(typeof row.blocks === 'number' ? { count: row.blocks } : {}),
});

export const PASS_THROUGH_CHECKS: readonly PassThroughCheck[] = [
  {
    id: 'protocol',
    severity: 'error',
    field: 'protocol',
    applies: (pt, row) => !PROTOCOLS_OF[row.protocol].includes(pt.protocol),
    message: (pt, row, name) =>
      `PROTOCOL is ${pt.protocol}, but ${name} is a ${row.protocol} command (PROTOCOL ${PROTOCOLS_OF[row.protocol].join(' or ')}).`,
    why: 'The bridge drives the ATA bus by PROTOCOL: with the wrong one it waits for a data phase that never comes, or drops the data (SAT-4, ATA PASS-THROUGH; ACS-4 protocol of each command).',
    fix: (_pt, row) => ({ protocol: FIX_PROTOCOL[row.protocol] }),
  },
  {
    id: 't-length-none',
    severity: 'error',
    field: 'tLength',
    applies: (pt, row) => movesData(row) && pt.tLength === 0,
    message: (_pt, row, name) =>
      `T_LENGTH is 0 (no data), but ${name} moves ${row.blocks === 'count' ? 'COUNT' : row.blocks} × 512 bytes ${isIn(row) ? 'from' : 'to'} the drive.`,
    why: 'With T_LENGTH 0 the bridge sets up no data transfer, so the data the drive sends (or waits for) has nowhere to go; bridges answer with a phase error or hang.',
    fix: lengthInCount,
  },
  {
    id: 't-length-transport',
    severity: 'warning',
    field: 'tLength',
    applies: (pt, row) => movesData(row) && pt.tLength === 3,
    message: (_pt, _row, name) =>
      `T_LENGTH is 3 (the length is in the transport's TPSIU), but USB Bulk-Only has no TPSIU: the CDB gives the bridge no length for ${name}.`,
    why: "SAT-4 T_LENGTH 11b takes the transfer length from the TPSIU, an information unit of the SCSI transport protocol; a Bulk-Only CBW is not one, and dCBWDataTransferLength is the host's buffer, not the ATA command's length (BOT 1.0 §5.1). A bridge may refuse the CDB (INVALID FIELD IN CDB at T_LENGTH, as usbcdb's emulated SAT bridge does); the length in COUNT (T_LENGTH 2) is what smartctl sends.",
    fix: lengthInCount,
  },
  {
    id: 't-length-data',
    severity: 'error',
    field: 'tLength',
    applies: (pt, row) => !movesData(row) && pt.tLength !== 0,
    message: (pt, _row, name) => `T_LENGTH is ${pt.tLength}, but ${name} moves no data.`,
    why: 'T_LENGTH names the field holding the transfer length; a non-data command needs 0, or the bridge expects a data phase.',
    fix: () => ({ tLength: 0, tDir: 0, bytBlok: 0 }),
  },
  {
    id: 't-dir',
    severity: 'error',
    field: 'tDir',
    applies: (pt, row) => movesData(row) && pt.tLength !== 0 && pt.tDir !== (isIn(row) ? 1 : 0),
    message: (pt, row, name) =>
      `T_DIR is ${pt.tDir} (${pt.tDir === 1 ? 'from' : 'to'} the drive), but ${name} moves data ${isIn(row) ? 'from' : 'to'} the drive.`,
    why: 'T_DIR must agree with the ATA command and with the host buffer; a mismatch is a BOT phase error at best.',
    fix: (_pt, row) => ({ tDir: isIn(row) ? 1 : 0 }),
  },
  {
    id: 'byt-blok',
    severity: 'warning',
    field: 'bytBlok',
    applies: (pt, row) => movesData(row) && pt.tLength === 2 && pt.bytBlok === 0,
    message: (pt, _row, name) =>
      `BYT_BLOK is 0, so COUNT (${pt.count}) is read as ${pt.count} bytes; ${name} moves whole 512-byte blocks.`,
    why: 'With T_LENGTH in COUNT, ATA commands count sectors: BYT_BLOK=1 makes the bridge read COUNT as blocks (SAT-4). Bytes here make it expect a transfer 512 times too short.',
    fix: () => ({ bytBlok: 1 }),
  },
  {
    id: 'count',
    severity: 'warning',
    field: 'count',
    applies: (pt, row) =>
      typeof row.blocks === 'number' &&
      row.blocks > 0 &&
      pt.tLength === 2 &&
      pt.bytBlok === 1 &&
      pt.count !== row.blocks,
    message: (pt, row, name) =>
      `COUNT is ${pt.count}, but ${name} always moves ${row.blocks} block${row.blocks === 1 ? '' : 's'} of 512 bytes.`,
    why: 'The transfer length the bridge sets up comes from COUNT; the drive sends its fixed amount anyway, so the two disagree.',
    fix: (_pt, row) => ({ count: typeof row.blocks === 'number' ? row.blocks : 0 }),
  },
  {
    id: 'ck-cond',
    severity: 'warning',
    field: 'ckCond',
    applies: (pt, row) => row.answerInRegisters !== undefined && !pt.ckCond,
    message: (_pt, row, name) =>
      `CK_COND is 0, but ${name} answers in the ATA registers (${row.answerInRegisters ?? ''}).`,
    why: 'Only CK_COND=1 makes the bridge return the registers (CHECK CONDITION 01/00/1D with the ATA Status Return descriptor) when the command succeeds; without it the answer is lost.',
    fix: () => ({ ckCond: 1 }),
  },
  {
    id: 'ext-12',
    severity: 'error',
    field: 'command',
    applies: (pt, row) => row.ext === true && pt.opcode === 0xa1,
    message: (_pt, _row, name) =>
      `${name} is a 48-bit command; ATA PASS-THROUGH(12) has no room for its registers.`,
    why: 'PT(12) carries only the 28-bit registers; 48-bit commands need ATA PASS-THROUGH(16) with EXTEND=1 (SAT-4).',
  },
  {
    id: 'extend',
    severity: 'warning',
    field: 'extend',
    applies: (pt, row) => row.ext === true && pt.opcode === 0x85 && !pt.extend,
    message: (_pt, _row, name) => `EXTEND is 0, but ${name} is a 48-bit command.`,
    why: 'Without EXTEND the bridge sends only the low register bytes, so a 48-bit LBA or count loses its high half.',
    fix: () => ({ extend: 1 }),
  },
];

/** The checks that fire for a CDB, with the pass-through fields and the command's name. */
export function passThroughFindings(
  cdb: Uint8Array,
): { pt: PassThroughCdb; name: string; fired: PassThroughCheck[] } | undefined {
  const pt = readPassThrough(cdb);
  if (!pt?.row) return undefined;
  const row = pt.row;
  return {
    pt,
    name: ataCommandName(pt.command, pt.features),
    fired: PASS_THROUGH_CHECKS.filter((c) => c.applies(pt, row)),
  };
}
