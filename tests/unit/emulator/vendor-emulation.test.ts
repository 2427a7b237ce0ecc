import { findProfile } from '../../../src-main/emulator/profiles';
import { describe, expect, it } from 'vitest';
import type { CommandSpec } from '../../../shared/scsi/catalog';
import { EMULATION_BEHAVIOURS, type VendorSet } from '../../../shared/vendor-sets/model';
import { Microcode } from '../../../src-main/emulator/microcode';
import { BEHAVIOURS, EventLog, Led } from '../../../src-main/emulator/vendor/behaviours';
import type { VendorDevice } from '../../../src-main/emulator/vendor/device';
import { VendorEmulation } from '../../../src-main/emulator/vendor/emulation';
import { asOpcode } from '../../../shared/scsi/brand';

/** A drive reduced to what behaviours may touch. */
class FakeDevice implements VendorDevice {
  readonly profile = findProfile('flash-stick') ?? expect.fail('no flash-stick profile');
  readonly microcode = new Microcode('1.00');
  readonly dataBuffer = new Uint8Array(16);
  private readonly listeners: ((line: string) => void)[] = [];
  note(line: string): void {
    for (const l of this.listeners) l(line);
  }
  onEvent(listener: (line: string) => void): void {
    this.listeners.push(listener);
  }
  microcodeChanged(revision: string): void {
    this.note(`microcode ${revision} activated`);
  }
}

const spec = (opcode: number, alias: string): CommandSpec => ({
  opcode: asOpcode(opcode),
  name: alias,
  aliases: [alias],
  cdbLength: 6,
  standard: 'test',
  summary: alias,
  fields: [
    { key: 'opcode', name: 'OPERATION CODE', byte: 0, bit: 0, width: 8, meaning: '' },
    { key: 'state', name: 'STATE', byte: 2, bit: 0, width: 8, meaning: '' },
    { key: 'allocationLength', name: 'ALLOCATION LENGTH', byte: 4, bit: 0, width: 8, meaning: '' },
  ],
  length: [{ field: 'allocationLength', kind: 'allocation', unit: 'bytes', direction: 'in' }],
  effect: 'reads',
});

const SET: VendorSet = {
  name: 't',
  vendor: 't',
  description: 't',
  sequences: [],
  commands: [
    { spec: spec(0xc1, 't.log'), emulation: { behaviour: 'event-log' } },
    { spec: spec(0xc2, 't.get'), emulation: { behaviour: 'led-get' } },
    { spec: spec(0xc3, 't.set'), emulation: { behaviour: 'led-set' } },
    { spec: spec(0xc4, 't.bad'), emulation: { behaviour: 'no-such-behaviour' } },
    { spec: spec(0x12, 't.standard'), emulation: { data: { hex: '01' } } },
  ],
};

function run(e: VendorEmulation, bytes: number[]): ReturnType<VendorEmulation['answer']> {
  const cdb = Uint8Array.from(bytes);
  const command = e.find(cdb);
  if (!command) throw new Error('not found');
  return e.answer(command, cdb, new Uint8Array());
}

describe('the behaviour registry', () => {
  it('implements every behaviour the vendor-set model names', () => {
    expect(Object.keys(BEHAVIOURS).sort()).toEqual([...EMULATION_BEHAVIOURS].sort());
  });
});

describe('VendorEmulation', () => {
  it('creates the event log with the drive, so it holds events from before the first read', () => {
    const device = new FakeDevice();
    const e = new VendorEmulation([SET], device, 512);
    device.note('self-test default passed');
    expect(e.get(EventLog).lines).toEqual(['power on', 'self-test default passed']);
    expect(run(e, [0xc1, 0, 0, 0, 9, 0])).toEqual({
      kind: 'good',
      data: new TextEncoder().encode('power on\n'),
    });
  });

  it('shares one LED between led-get and led-set, and each drive has its own', () => {
    const a = new VendorEmulation([SET], new FakeDevice(), 512);
    const b = new VendorEmulation([SET], new FakeDevice(), 512);
    expect(run(a, [0xc3, 0, 2, 0, 0, 0])).toMatchObject({ kind: 'good' });
    expect(a.get(Led).state).toBe(2);
    expect(run(a, [0xc2, 0, 0, 0, 1, 0])).toEqual({ kind: 'good', data: Uint8Array.from([2]) });
    expect(b.get(Led).state).toBe(0);
  });

  it('answers HARDWARE ERROR 04/44/00 for a behaviour it does not implement', () => {
    const e = new VendorEmulation([SET], new FakeDevice(), 512);
    expect(run(e, [0xc4, 0, 0, 0, 0, 0])).toMatchObject({ kind: 'check', key: 4, asc: 0x44 });
  });

  it('never takes a standard opcode from a vendor set (SPC-5, operation code groups)', () => {
    const e = new VendorEmulation([SET], new FakeDevice(), 512);
    expect(e.find(Uint8Array.from([0x12, 0, 0, 0, 36, 0]))).toBeUndefined();
  });
});
