import { describe, expect, it } from 'vitest';
import {
  parseAllCommands,
  parseOneCommand,
  parseSupportedOpcodes,
} from '../../../shared/scsi/parsers';
import { failure, hex, value } from './helpers';

/** All-commands data: INQUIRY without timeouts, READ CAPACITY(16) with them. */
const ALL =
  '00 00 00 1c' + //               COMMAND DATA LENGTH 28
  ' 12 00 00 00 00 00 00 06' + //  OPERATION CODE 12h; SERVICE ACTION 0; CTDP 0, SERVACTV 0; CDB LENGTH 6
  ' 9e 00 00 10 00 03 00 10' + //  OPERATION CODE 9Eh; SERVICE ACTION 10h; CTDP 1, SERVACTV 1; CDB LENGTH 16
  ' 00 0a 00 00' + //              timeouts: DESCRIPTOR LENGTH 0Ah; reserved; COMMAND SPECIFIC 0
  ' 00 00 00 1e' + //              NOMINAL COMMAND PROCESSING TIMEOUT 30 s
  ' 00 00 00 3c'; //               RECOMMENDED COMMAND TIMEOUT 60 s

describe('parseAllCommands (SPC-5, all_commands parameter data)', () => {
  it('lists descriptors with and without a timeouts descriptor', () => {
    const d = value(parseAllCommands(hex(ALL)));
    expect(d).toMatchObject({ format: 'all', commandDataLength: 28, truncated: false });
    expect(d.commands).toEqual([
      {
        offset: 4,
        opcode: 0x12,
        servactv: false,
        serviceAction: undefined,
        ctdp: false,
        cdbLength: 6,
        timeouts: undefined,
      },
      {
        offset: 12,
        opcode: 0x9e,
        servactv: true,
        serviceAction: 0x10,
        ctdp: true,
        cdbLength: 16,
        timeouts: {
          descriptorLength: 10,
          commandSpecific: 0,
          nominalSeconds: 30,
          recommendedSeconds: 60,
        },
      },
    ]);
  });

  it('reports truncation and leaves out a descriptor cut short', () => {
    const b = hex(ALL);
    b[3] = 0xfc; // COMMAND DATA LENGTH 252
    const d = value(parseAllCommands(b.subarray(0, 24)));
    expect(d).toMatchObject({ truncated: true, claimedLength: 256, length: 24 });
    expect(d.commands.map((c) => c.opcode)).toEqual([0x12]);
  });

  it('names COMMAND DATA LENGTH when the header is short', () => {
    expect(failure(parseAllCommands(hex('00 00')))).toMatchObject({
      code: 'out-of-bounds',
      offset: 0,
    });
  });
});

describe('parseOneCommand (SPC-5, one_command parameter data)', () => {
  it('decodes SUPPORT, CDB SIZE and the usage bitmap', () => {
    const d = value(
      parseOneCommand(
        hex(
          '00' + //                  reserved
            ' 03' + //               CTDP 0; SUPPORT 011b: supported, conforming to a standard
            ' 00 06' + //            CDB SIZE 6
            ' 12 01 ff ff ff 07', // CDB USAGE DATA (INQUIRY)
        ),
      ),
    );
    expect(d).toMatchObject({
      format: 'one',
      ctdp: false,
      support: 3,
      supportText: 'supported, conforming to a standard',
      supported: true,
      cdbSize: 6,
      timeouts: undefined,
      truncated: false,
    });
    expect(Array.from(d.usage)).toEqual([0x12, 0x01, 0xff, 0xff, 0xff, 0x07]);
  });

  it('names every SUPPORT value', () => {
    const support = (v: number): [string, boolean] => {
      const d = value(parseOneCommand(hex(`00 ${v.toString(16).padStart(2, '0')} 00 00`)));
      return [d.supportText, d.supported];
    };
    expect(support(0)).toEqual(['data about the command is not currently available', false]);
    expect(support(1)).toEqual(['not supported', false]);
    expect(support(3)).toEqual(['supported, conforming to a standard', true]);
    expect(support(5)).toEqual(['supported, in a vendor-specific manner', true]);
    expect(support(2)).toEqual(['reserved (2)', false]);
  });

  it('reads the timeouts descriptor after the usage data when CTDP is set', () => {
    const d = value(parseOneCommand(hex('00 83 00 02 12 01  00 0a 00 00 00 00 00 05 00 00 00 0a')));
    expect(d.timeouts).toEqual({
      descriptorLength: 10,
      commandSpecific: 0,
      nominalSeconds: 5,
      recommendedSeconds: 10,
    });
  });

  it('reports a usage bitmap cut short', () => {
    expect(value(parseOneCommand(hex('00 03 00 10 12 01')))).toMatchObject({
      cdbSize: 16,
      usage: new Uint8Array([0x12, 0x01]),
      truncated: true,
      claimedLength: 20,
      length: 6,
    });
  });
});

describe('parseSupportedOpcodes', () => {
  it('parses in the format the caller requested', () => {
    expect(value(parseSupportedOpcodes(hex(ALL), 'all')).format).toBe('all');
    expect(value(parseSupportedOpcodes(hex('00 01 00 00'), 'one')).format).toBe('one');
  });
});
