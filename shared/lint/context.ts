/**
 * What every lint rule needs to know about the CDB under examination,
 * computed once from the catalog.
 */
import {
  dataPhaseOf,
  findCommand,
  layoutOf,
  opcodeGroup,
  type CommandSpec,
  type DataPhase,
  type FieldSpec,
  type LengthRule,
  type OpcodeGroup,
} from '../scsi/catalog';
import type { LengthUnit } from '../scsi/catalog/types';
import type { LintInput } from './types';

export interface Layout {
  readonly fields: readonly FieldSpec[];
  readonly length: readonly LengthRule[];
  readonly standard: string;
}

export interface LintContext {
  readonly input: LintInput;
  readonly cdb: Uint8Array;
  readonly opcode: number;
  readonly group: OpcodeGroup;
  readonly spec: CommandSpec | undefined;
  /** The layout findings are judged by: the device's own if its SPC level is known, else the current one. */
  readonly layout: Layout | undefined;
  readonly phase: DataPhase | undefined;
  readonly blockSize: number;
  /** True when the block size was assumed rather than given. */
  readonly blockSizeAssumed: boolean;
  /** Bits already reported per byte, so later rules do not report them twice. */
  readonly claimed: Map<number, number>;
}

/** Legacy layout matching a known SPC level (VERSION 04h → SPC-2, SPC-5 Table 148). */
function layoutForLevel(spec: CommandSpec, spcLevel: number | undefined): Layout {
  if (spcLevel !== undefined && spcLevel <= 2) {
    const legacy = spec.legacy?.find((l) => l.standard === 'SPC-2');
    if (legacy) return layoutOf(spec, legacy.standard);
  }
  return layoutOf(spec);
}

export const DEFAULT_BLOCK_SIZE = 512;

export function unitBytes(unit: LengthUnit, blockSize: number): number {
  return unit === 'bytes' ? 1 : unit === 'blocks512' ? 512 : blockSize;
}

export function makeContext(input: LintInput): LintContext {
  const cdb = input.cdb;
  const opcode = cdb[0] ?? 0;
  const spec = cdb.length > 0 ? findCommand(cdb) : undefined;
  // Field rules need every byte of the command; a short CDB gets only the cdb-length finding (and its padded fix).
  const layout =
    spec && cdb.length >= spec.cdbLength ? layoutForLevel(spec, input.spcLevel) : undefined;
  return {
    input,
    cdb,
    opcode,
    group: opcodeGroup(opcode),
    spec,
    layout,
    phase: layout ? dataPhaseOf(cdb, layout.fields, layout.length) : undefined,
    blockSize: input.blockSize ?? DEFAULT_BLOCK_SIZE,
    blockSizeAssumed: input.blockSize === undefined,
    claimed: new Map(),
  };
}

export function claim(ctx: LintContext, byte: number, mask: number): void {
  ctx.claimed.set(byte, (ctx.claimed.get(byte) ?? 0) | mask);
}

export function claimedAt(ctx: LintContext, byte: number): number {
  return ctx.claimed.get(byte) ?? 0;
}
