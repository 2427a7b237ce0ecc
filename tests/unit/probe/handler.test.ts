import { describe, expect, it } from 'vitest';
import { parseResponse } from '../../../shared/ipc/contract';
import { probePlan } from '../../../shared/probe/plan';
import { formatHex } from '../../../shared/scsi/hex';
import { probeHandler } from '../../../src-main/ipc/probe-handlers';
import { inProcessClient } from '../renderer/in-process-client';
import { REFUSED, ScriptedTransport } from './scripted-transport';

const USB = { id: 'usb:152d:0578', kind: 'usb' as const, vendor: 'J', product: 'B', maxLun: 0 };

describe('device.probe', () => {
  it('runs on an emulated drive at once and says emu:flash-stick is not SAT', async () => {
    const r = await inProcessClient().invoke('device.probe', { device: 'emu:flash-stick' });
    expect(r.ran).toBe(true);
    expect(r.steps.find((s) => s.id === 'sat-identify')?.result).toBe('refused');
    // The note says why, not the result again: the panel and the CLI print it after the result.
    expect(r.steps.find((s) => s.id === 'sat-identify')?.note).toBe(
      'ILLEGAL REQUEST, INVALID COMMAND OPERATION CODE (5/20/00)',
    );
    // Fixed-format sense (70h), ILLEGAL REQUEST (5) in byte 2.
    const sense = r.steps.find((s) => s.id === 'sat-identify')?.outcome?.sense;
    expect([sense?.[0], sense?.[2]]).toEqual([0x70, 0x05]);
    expect(r.findings[0]).toMatch(/^Not SAT/);
  });

  it('on a real device first answers the plan unsent, with the vendor opcodes it would ask about', async () => {
    const t = new ScriptedTransport([], USB);
    const r = await probeHandler(() => Promise.resolve(t))({
      device: USB.id,
      allFamilies: false,
      confirmed: false,
    });
    expect(t.sent).toEqual([]);
    expect(r.ran).toBe(false);
    expect(r.vendorId).toBe(0x152d);
    expect(r.confirmation).toMatch(/vendor-specific opcodes \(jmicron-ata\)/);
    expect(r.steps.map((s) => s.result)).toEqual(r.steps.map(() => 'planned'));
    expect(parseResponse('device.probe', r).ok).toBe(true);
  });

  it('runs every step, the vendor opcode included, once confirmed', async () => {
    const plan = probePlan(0x152d);
    // readcap16 refused, so readcap10 runs too.
    const script = plan.steps
      .filter((s) => s.id !== 'sat-smart-status')
      .map((s) => ({ cdb: formatHex(s.cdb), outcome: REFUSED }));
    const t = new ScriptedTransport(script, USB);
    const r = await probeHandler(() => Promise.resolve(t))({
      device: USB.id,
      allFamilies: false,
      confirmed: true,
    });
    expect(t.unused()).toBe(0);
    expect(r.ran).toBe(true);
    expect(r.steps.at(-1)).toMatchObject({ id: 'jmicron-ata', result: 'refused' });
    expect(parseResponse('device.probe', r).ok).toBe(true);
  });
});
