/** The outcome's wire form: one mapping each way, valid under the contract's schema. */
import { describe, expect, it } from 'vitest';
import { Outcome } from '../../../shared/ipc/contract';
import { fromWireOutcome, toWireOutcome } from '../../../shared/ipc/outcome';
import { dataStageText, statusText, type CommandOutcome } from '../../../shared/exchange';

const checkCondition: CommandOutcome = {
  status: 2,
  dataIn: Uint8Array.from([0x00, 0x2a]),
  sense: Uint8Array.from([0x70, 0, 5, 0, 0, 0, 0, 0x0a]),
  residue: 6,
  cswStatus: 1,
  durationMs: 1.5,
};
const timedOut: CommandOutcome = {
  status: undefined,
  transportError: { kind: 'timeout', message: 'no CSW within 20000 ms' },
  dataIn: new Uint8Array(),
  residue: 0,
  durationMs: 20000,
};

describe('outcome wire form', () => {
  it('keeps bytes as bytes and writes absent values as null', () => {
    expect(toWireOutcome(checkCondition)).toEqual({
      status: 2,
      transportError: null,
      dataIn: Uint8Array.from([0x00, 0x2a]),
      sense: Uint8Array.from([0x70, 0, 5, 0, 0, 0, 0, 0x0a]),
      residue: 6,
      cswStatus: 1,
      durationMs: 1.5,
    });
    expect(toWireOutcome(timedOut)).toMatchObject({
      status: null,
      transportError: { kind: 'timeout' },
      sense: null,
      cswStatus: null,
    });
  });

  it("passes the contract's schema and reads back to the same outcome", () => {
    for (const o of [checkCondition, timedOut]) {
      const wire = Outcome.parse(toWireOutcome(o));
      expect(fromWireOutcome(wire)).toEqual(o);
    }
  });

  it('refuses a transport error kind the engine never reports', () => {
    const wire = { ...toWireOutcome(timedOut), transportError: { kind: 'gremlins', message: '' } };
    expect(Outcome.safeParse(wire).success).toBe(false);
  });
});

describe('outcome words shared by the CLI and the app', () => {
  it('names a status as SAM-5 does, not every non-GOOD one CHECK CONDITION', () => {
    expect([0x00, 0x02, 0x08, 0x18, 0x28].map(statusText)).toEqual([
      'GOOD',
      'CHECK CONDITION',
      'BUSY',
      'RESERVATION CONFLICT',
      'TASK SET FULL',
    ]);
    expect(statusText(0x99)).toBe('status 99h');
    expect(statusText(undefined)).toBe('no status');
  });

  it('says the data stage the way it went, one byte in the singular', () => {
    expect(dataStageText('out', 512, 0)).toBe('512 bytes out');
    expect(dataStageText('in', 0, 1)).toBe('1 byte in');
    expect(dataStageText('none', 0, 0)).toBe('no data');
  });
});
