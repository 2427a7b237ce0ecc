/** The worked example of docs/vendor-sets.md from the command line: loaded from its file, answered by an emulated drive, decoded field by field. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runUsbcdb } from '../../cli-run';

const EXAMPLE = join(process.cwd(), 'docs', 'examples', 'acme-vendor-set.json');

describe('the worked example on the command line', () => {
  it('usbcdb vendor acme.drive-info decodes the emulated answer field by field', async () => {
    const r = await runUsbcdb([
      'vendor',
      'acme.drive-info',
      '--vendor-set',
      EXAMPLE,
      '--device',
      'emu:flash-stick',
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    for (const line of [
      /FORM FACTOR.*2\.5 inch/,
      /HEALTH.*warning/,
      /POWER-ON HOURS.*12345/,
      /TEMPERATURE.*-45/,
      /DRIVE SERIAL NUMBER.*WD-WX12A3456789/,
    ])
      expect(r.out).toMatch(line);
  });

  it('runs its sequence as one action', async () => {
    const r = await runUsbcdb([
      'sequence',
      'acme.acknowledge-first-event',
      '--vendor-set',
      EXAMPLE,
      '--device',
      'emu:flash-stick',
    ]);
    expect(r.code, r.err + r.out).toBe(0);
  });
});
