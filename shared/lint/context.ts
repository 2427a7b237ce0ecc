/**
 * What every lint rule needs to know about the CDB under examination,
 * computed once from the catalog.
 */
import {
  dataTransferOf,
  DEFAULT_BLOCK_SIZE,
  layoutOf,
  opcodeGroup,
  opcodeOf,
  type CommandSpec,
  type DataPhase,
  type DataTransfer,
  type FieldSpec,
  type LengthRule,
  type OpcodeGroup,
} from '../scsi/catalog';
import { resolveCommand, type ResolvedCommand } from '../scsi/catalog/resolve';
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
  /** What the CDB is: a catalog row, a command of one of the input's vendor sets, or unknown. */
  readonly resolved: ResolvedCommand | undefined;
  readonly spec: CommandSpec | undefined;
  /** The layout findings are judged by: the device's own if its SPC level is known, else the current one. */
  readonly layout: Layout | undefined;
  readonly phase: DataPhase | undefined;
  /** The data phase in bytes, at `blockSize`. */
  readonly transfer: DataTransfer | undefined;
  readonly blockSize: number;
  /** True when the block size was assumed rather than given. */
  readonly blockSizeAssumed: boolean;
  /** Bits already reported per byte, so later rules do not report them twice. */
  readonly claimed: Map<number, number>;
  /**
   * Keys of fields an earlier rule's fix gives another value (layout-ambiguity
   * rewrites INQUIRY's ALLOCATION LENGTH): a later rule's fix built on the old
   * value would contradict the corrected CDB, so it offers none.
   */
  readonly rewritten: Set<string>;
}

/** Legacy layout matching a known SPC level (VERSION 04h → SPC-2, SPC-5 Table 148). */
function layoutForLevel(spec: CommandSpec, spcLevel: number | undefined): Layout {
  if (spcLevel !== undefined && spcLevel <= 2) {
    const legacy = spec.legacy?.find((l) => l.standard === 'SPC-2');
    if (legacy) return layoutOf(spec, legacy.standard);
  }
  return layoutOf(spec);
}

export function makeContext(input: LintInput): LintContext {
  const cdb = input.cdb;
  const opcode = opcodeOf(cdb);
  const resolved = resolveCommand(cdb, input.vendorSets);
  const spec = resolved?.spec;
  // Field rules need every byte of the command; a short CDB gets only the cdb-length finding (and its padded fix).
  const layout =
    spec && cdb.length >= spec.cdbLength ? layoutForLevel(spec, input.spcLevel) : undefined;
  const blockSize = input.blockSize ?? DEFAULT_BLOCK_SIZE;
  const transfer = layout ? dataTransferOf(cdb, layout, blockSize) : undefined;
  return {
    input,
    cdb,
    opcode,
    group: opcodeGroup(opcode),
    resolved,
    spec,
    layout,
    phase: transfer?.phase,
    transfer,
    blockSize,
    blockSizeAssumed: input.blockSize === undefined,
    claimed: new Map(),
    rewritten: new Set(),
  };
}

export function claim(ctx: LintContext, byte: number, mask: number): void {
  ctx.claimed.set(byte, (ctx.claimed.get(byte) ?? 0) | mask);
}

export function claimedAt(ctx: LintContext, byte: number): number {
  return ctx.claimed.get(byte) ?? 0;
}
