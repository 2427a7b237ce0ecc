/**
 * REPORT SUPPORTED OPERATION CODES parameter data (SPC-5, all_commands
 * parameter data format and one_command parameter data format). The data does
 * not say which format it is in: the caller says what it asked for (REPORTING
 * OPTIONS 000b gives all commands, the other defined values one command).
 */
import { asOpcode, asServiceAction, type Opcode, type ServiceAction } from '../brand';
import { readBounded, type ByteReader } from '../bytes';
import { ok, type Result } from '../result';
import { truncation, type Truncation } from './common';

/** Command timeouts descriptor (SPC-5), 12 bytes, present when CTDP is set. */
export interface CommandTimeouts {
  /** DESCRIPTOR LENGTH; 000Ah in SPC-5. */
  readonly descriptorLength: number;
  readonly commandSpecific: number;
  readonly nominalSeconds: number;
  readonly recommendedSeconds: number;
}

/** Command descriptor (SPC-5, all_commands parameter data): 8 bytes, plus 12 when CTDP. */
export interface CommandDescriptor {
  readonly offset: number;
  readonly opcode: Opcode;
  /** SERVACTV: the command has service actions and `serviceAction` names one. */
  readonly servactv: boolean;
  readonly serviceAction: ServiceAction | undefined;
  /** CTDP: a command timeouts descriptor follows. */
  readonly ctdp: boolean;
  readonly cdbLength: number;
  readonly timeouts: CommandTimeouts | undefined;
}

export interface AllCommands extends Truncation {
  readonly format: 'all';
  /** COMMAND DATA LENGTH: bytes after the 4-byte header. */
  readonly commandDataLength: number;
  readonly commands: readonly CommandDescriptor[];
}

/** SUPPORT field (SPC-5, one_command parameter data: SUPPORT values). */
export const SUPPORT_VALUES: Readonly<Record<number, string>> = {
  0: 'data about the command is not currently available',
  1: 'not supported',
  3: 'supported, conforming to a standard',
  5: 'supported, in a vendor-specific manner',
};

export interface OneCommand extends Truncation {
  readonly format: 'one';
  readonly ctdp: boolean;
  readonly support: number;
  readonly supportText: string;
  readonly supported: boolean;
  /** CDB SIZE: bytes of CDB USAGE DATA that follow. */
  readonly cdbSize: number;
  /** CDB USAGE DATA present: a 1 bit is a CDB bit the device examines (byte 0 is the opcode itself). */
  readonly usage: Uint8Array;
  readonly timeouts: CommandTimeouts | undefined;
}

export type SupportedOpcodes = AllCommands | OneCommand;

const TIMEOUTS_LENGTH = 12;

function timeouts(r: ByteReader, off: number): CommandTimeouts {
  return {
    descriptorLength: r.be16(off, 'DESCRIPTOR LENGTH'),
    commandSpecific: r.u8(off + 3, 'COMMAND SPECIFIC'),
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
      const ctdp = r.flag(off + 5, 1, 'CTDP');
      const size = ctdp ? 8 + TIMEOUTS_LENGTH : 8;
      // A descriptor cut short is left out; `truncated` tells the caller to ask for more.
      if (off + size > stop) break;
      const servactv = r.flag(off + 5, 0, 'SERVACTV');
      commands.push({
        offset: off,
        opcode: asOpcode(r.u8(off, 'OPERATION CODE')),
        servactv,
        serviceAction: servactv ? asServiceAction(r.be16(off + 2, 'SERVICE ACTION')) : undefined,
        ctdp,
        cdbLength: r.be16(off + 6, 'CDB LENGTH'),
        timeouts: ctdp ? timeouts(r, off + 8) : undefined,
      });
      off += size;
    }
    return ok({
      format: 'all' as const,
      commandDataLength: length,
      commands,
      ...truncation(4 + length, r.length),
    });
  });
}

export function parseOneCommand(bytes: Uint8Array): Result<OneCommand> {
  return readBounded(bytes, 'REPORT SUPPORTED OPERATION CODES data (one command)', (r) => {
    const ctdp = r.flag(1, 7, 'CTDP');
    const support = r.bits(1, 0, 3, 'SUPPORT');
    const size = r.be16(2, 'CDB SIZE');
    const claimed = 4 + size + (ctdp ? TIMEOUTS_LENGTH : 0);
    const usage = r.slice(4, Math.min(size, r.length - 4), 'CDB USAGE DATA');
    const timeoutsAt = 4 + size;
    return ok({
      format: 'one' as const,
      ctdp,
      support,
      supportText: SUPPORT_VALUES[support] ?? `reserved (${support})`,
      supported: support === 3 || support === 5,
      cdbSize: size,
      usage,
      timeouts: ctdp && r.has(timeoutsAt, TIMEOUTS_LENGTH) ? timeouts(r, timeoutsAt) : undefined,
      ...truncation(claimed, r.length),
    });
  });
}

/** Parses REPORT SUPPORTED OPERATION CODES data in the format the caller requested. */
export function parseSupportedOpcodes(
  bytes: Uint8Array,
  format: 'all' | 'one',
): Result<SupportedOpcodes> {
  return format === 'all' ? parseAllCommands(bytes) : parseOneCommand(bytes);
}
