/**
 * REPORT SUPPORTED OPERATION CODES parameter data (SPC-5, all-commands parameter data, 6.34.3).
 * The data does not say which format it is in; the caller says what it asked
 * for (REPORTING OPTIONS 000b = all commands, otherwise one command).
 */
import { readBounded, type ByteReader } from '../bytes';
import { ok, type Result } from '../result';
import { hexValue, row, truncation, type FieldRow, type Truncation } from './rows';

export interface CommandTimeouts {
  readonly nominalSeconds: number;
  readonly recommendedSeconds: number;
}

export interface CommandDescriptor {
  readonly offset: number;
  readonly opcode: number;
  readonly serviceAction: number | undefined;
  readonly cdbLength: number;
  readonly timeouts: CommandTimeouts | undefined;
}

export interface AllCommands extends Truncation {
  readonly format: 'all';
  readonly commands: readonly CommandDescriptor[];
}

const SUPPORT: Readonly<Record<number, string>> = {
  0: 'data about the command is not currently available',
  1: 'not supported',
  3: 'supported, conforming to a standard',
  5: 'supported, in a vendor-specific manner',
};

export interface OneCommand {
  readonly format: 'one';
  readonly support: number;
  readonly supportText: string;
  readonly supported: boolean;
  readonly cdbSize: number;
  /** Which CDB bits the device examines: a 1 bit may be set (SPC-5, one-command parameter data). */
  readonly usage: Uint8Array;
  readonly timeouts: CommandTimeouts | undefined;
}

function timeouts(r: ByteReader, off: number): CommandTimeouts {
  return {
    nominalSeconds: r.be32(off + 4, 'NOMINAL COMMAND PROCESSING TIMEOUT'),
    recommendedSeconds: r.be32(off + 8, 'RECOMMENDED COMMAND TIMEOUT'),
  };
}

export function parseAllCommands(bytes: Uint8Array): Result<AllCommands> {
  return readBounded(bytes, 'REPORT SUPPORTED OPERATION CODES data', (r) => {
    const length = r.be32(0, 'COMMAND DATA LENGTH');
    const stop = Math.min(r.length, 4 + length);
    const commands: CommandDescriptor[] = [];
    let off = 4;
    while (off + 8 <= stop) {
      const ctdp = r.flag(off + 5, 1);
      if (ctdp && off + 20 > stop) break;
      commands.push({
        offset: off,
        opcode: r.u8(off),
        serviceAction: r.flag(off + 5, 0) ? r.be16(off + 2) : undefined,
        cdbLength: r.be16(off + 6),
        timeouts: ctdp ? timeouts(r, off + 8) : undefined,
      });
      off += ctdp ? 20 : 8;
    }
    return ok({ format: 'all' as const, commands, ...truncation(4 + length, r.length) });
  });
}

export function parseOneCommand(bytes: Uint8Array): Result<OneCommand> {
  return readBounded(bytes, 'REPORT SUPPORTED OPERATION CODES data (one command)', (r) => {
    const support = r.bits(1, 0, 3, 'SUPPORT');
    const ctdp = r.flag(1, 7);
    const size = r.be16(2, 'CDB SIZE');
    return ok({
      format: 'one' as const,
      support,
      supportText: SUPPORT[support] ?? `reserved (${support})`,
      supported: support === 3 || support === 5,
      cdbSize: size,
      usage: r.slice(4, size, 'CDB USAGE DATA'),
      timeouts: ctdp ? timeouts(r, 4 + size) : undefined,
    });
  });
}

export function describeSupportedOpcodes(d: AllCommands | OneCommand): FieldRow[] {
  if (d.format === 'one') {
    return [
      row('Support', d.supportText, 1),
      row('CDB size', d.cdbSize, 2, 3),
      row(
        'CDB usage data',
        Array.from(d.usage, (b) => b.toString(16).padStart(2, '0')).join(' '),
        4,
        3 + d.usage.length,
      ),
    ];
  }
  return [
    row(
      'Command data length',
      `${d.claimedLength - 4}${d.truncated ? ` (${d.length - 4} returned)` : ''}`,
      0,
      3,
    ),
    ...d.commands.map((c) =>
      row(
        `${hexValue(c.opcode)}${c.serviceAction !== undefined ? `/${hexValue(c.serviceAction)}` : ''}`,
        `${c.cdbLength}-byte CDB${c.timeouts ? `, timeout ${c.timeouts.recommendedSeconds} s` : ''}`,
        c.offset,
        c.offset + (c.timeouts ? 19 : 7),
      ),
    ),
  ];
}
