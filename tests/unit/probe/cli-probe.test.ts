import { describe, expect, it } from 'vitest';
import { runUsbcdb } from '../../cli-run';
import { findProfile } from '../../../src-main/emulator/profiles';

describe('usbcdb probe', () => {
  it('on emu:flash-stick prints the plan and says the stick is not SAT', async () => {
    const r = await runUsbcdb(['probe', '--device', 'emu:flash-stick']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Probe plan for emu:flash-stick/);
    expect(r.out).toMatch(/Not SAT: the bridge refused ATA PASS-THROUGH\(16\)/);
  });

  it('on emu:sata-bridge finds the SAT-attached SSD: model, serial, firmware, SMART health', async () => {
    const ata = findProfile('sata-bridge')?.ata;
    expect(ata).toBeDefined();
    const r = await runUsbcdb(['probe', '--device', 'emu:sata-bridge']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/The bridge speaks SAT/);
    expect(r.out).toContain(
      `model "${ata?.model ?? ''}", serial "${ata?.serial ?? ''}", firmware "${ata?.firmware ?? ''}"`,
    );
    expect(r.out).toMatch(/SMART health: good/);
    expect(r.out).toMatch(/logical sectors of 4096 bytes/);
    // The bridge pads data-in and reports residue 0: a VPD page says how much is answer.
    expect(r.out).toMatch(
      /vpd-80 +answered GOOD, 252 bytes, of which the answer is \d+ \(its VPD PAGE LENGTH \(bytes 2–3\)\); the rest is padding/,
    );
    expect(r.out).toMatch(/inquiry +answered GOOD, 36 bytes\n/);
  });

  it('exits with the category of a failed standard INQUIRY, as sg_inq does, and 0 when only later steps fail', async () => {
    // The flash stick has LUN 0 only: a CBW for LUN 5 ends in a phase error (99), every step alike.
    const lost = await runUsbcdb(['probe', '--lun', '5']);
    expect(lost.out).toMatch(/inquiry +failed +transport phase-error/);
    expect(lost.code).toBe(99);
    expect((await runUsbcdb(['probe', '--lun', '5', '--json'])).code).toBe(99);
    // The card reader's empty slot answers INQUIRY; its READ CAPACITY NOT READY is a finding.
    const empty = await runUsbcdb(['probe', '-d', 'emu:card-reader', '--lun', '1']);
    expect(empty.out).toMatch(/inquiry +answered/);
    expect(empty.code).toBe(0);
  });

  it('--json gives the steps with their results and the facts', async () => {
    const r = await runUsbcdb(['probe', '--device', 'emu:flash-stick', '--json']);
    const j = JSON.parse(r.out) as {
      steps: { id: string; result: string }[];
      facts: { sat: string };
    };
    expect(j.facts.sat).toBe('no');
    expect(j.steps.find((s) => s.id === 'sat-identify')?.result).toBe('refused');
    expect(j.steps.find((s) => s.id === 'sat-smart-status')?.result).toBe('skipped');
  });

  it('--help gives the JSON --json prints, key for key', async () => {
    const r = await runUsbcdb(['probe', '--device', 'emu:flash-stick', '--json']);
    const j = JSON.parse(r.out) as { steps: Record<string, unknown>[] };
    const step = Object.keys(j.steps.find((s) => s.id === 'sat-identify') ?? {});
    // The help named a "plan" key the document does not have, and not "leftOut", which it has.
    const shape = `{${Object.keys(j)
      .map((k) => (k === 'steps' ? `steps: [{${step.join(', ')}}]` : k))
      .join(', ')}}`;
    const help = (await runUsbcdb(['help', 'probe'])).out.replace(/\s+/g, ' ');
    expect(help).toContain(`--json ${shape}`);
  });
});
