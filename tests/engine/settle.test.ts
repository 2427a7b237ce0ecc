/** settle: what usbcdb sends a device before the command asked for, and what it learns. */
import { describe, expect, it } from 'vitest';
import { formatHex } from '../../shared/scsi/hex';
import { openDevice } from '../../src-main/engine/device-string';
import { settle } from '../../src-main/engine/settle';
import type { Transport } from '../../src-main/engine/transport';

/** The emulated drive, with every CDB it is sent and the LUN it went to noted. */
async function recorded(spec: string): Promise<{ t: Transport; sent: string[] }> {
  const r = await openDevice(spec);
  if (!r.ok) throw new Error(r.error.message);
  const inner = r.value;
  const sent: string[] = [];
  const t: Transport = {
    describe: () => inner.describe(),
    execute: (req, into) => {
      sent.push(`LUN ${req.lun}, ${req.timeoutMs} ms: ${formatHex(req.cdb)}`);
      return inner.execute(req, into);
    },
    reset: () => inner.reset(),
    close: () => inner.close(),
  };
  return { t, sent };
}

describe('settle', () => {
  it('sends TEST UNIT READY and INQUIRY to the LUN with the timeout given, and learns the SPC level and Get Max LUN', async () => {
    const { t, sent } = await recorded('emu:card-reader');
    // The reader's INQUIRY VERSION is 04h: SPC-2 (SPC-5 6.7.2).
    expect(await settle(t, { lun: 1, timeoutMs: 45_000 })).toEqual({ spcLevel: 2, maxLun: 1 });
    expect(sent[0]).toBe('LUN 1, 45000 ms: 00 00 00 00 00 00');
    expect(sent.at(-1)).toBe('LUN 1, 45000 ms: 12 00 00 00 24 00');
    await t.close();
  });

  it('sends nothing to a LUN past Get Max LUN (BOT 1.0 §6.2.2)', async () => {
    const { t, sent } = await recorded('emu:flash-stick');
    expect(await settle(t, { lun: 3, timeoutMs: 1000 })).toEqual({
      spcLevel: undefined,
      maxLun: 0,
    });
    expect(sent).toEqual([]);
    await t.close();
  });
});
