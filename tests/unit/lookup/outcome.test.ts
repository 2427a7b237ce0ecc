/** The outcome's wire form: one mapping each way, valid under the contract's schema. */
import { describe, expect, it } from 'vitest';
import { Outcome } from '../../../shared/ipc/contract';
import { fromWireOutcome, toWireOutcome } from '../../../shared/ipc/outcome';
import type { CommandOutcome } from '../../../shared/exchange';

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
