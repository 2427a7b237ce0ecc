/**
 * REPORT SUPPORTED OPERATION CODES' CDB USAGE DATA has a 1 for each bit the device server
 * evaluates and a 0 for each it ignores, but for the opcode and the SERVICE ACTION field, which
 * hold the command's codes (SPC-5, one_command parameter data). Checked against the
 * drive's own behaviour, for every command it reports: setting any bit its usage data calls
 * ignored, alone in an otherwise zero CDB, gets the answer the zero CDB gets; and setting an
 * obsolete field it calls examined (an obsolete field has no use but to be refused) does not.
 */
import { describe, expect, it } from 'vitest';
import { findCommand, layoutOf } from '../../shared/scsi/catalog';
import { fieldMaskAt } from '../../shared/scsi/catalog/fields';
import type { CommandOutcome } from '../../src-main/engine/transport';
import { emu, profile, send, senseCodes, senseSpecific } from './helpers';

/** A drive past its power-on unit attention, so each CDB meets a fresh, ready drive. */
async function fresh(name: string): ReturnType<typeof emu> extends infer T ? Promise<T> : never {
  const t = emu(name);
  await send(t, '00 00 00 00 00 00');
  return t;
}

/**
 * Sends `cdb` to a fresh drive with the data phase the drive plans for it (a zero WRITE(6) moves
 * 256 blocks), so a command is answered by the drive rather than ended by a phase error.
 */
async function planned(name: string, cdb: Uint8Array): Promise<CommandOutcome> {
  const t = await fresh(name);
  const { direction, bytes } = t.lu.plan(cdb);
  return send(
    t,
    cdb,
    direction === 'out' ? { dataOut: new Uint8Array(bytes) } : { transferLength: bytes },
  );
}

/** What a command got: status, sense codes with the field pointer, and how much data came back. */
const answer = (o: CommandOutcome): string =>
  `status ${o.status} ${senseCodes(o) ?? ''} ${JSON.stringify(senseSpecific(o) ?? null)} ${o.dataIn.length} bytes`;

interface Reported {
  readonly opcode: number;
  readonly serviceAction: number | undefined;
  readonly usage: Uint8Array;
}

/** Every command the drive reports, with its usage data (REPORT SUPPORTED OPERATION CODES 000b, then 011b). */
async function reported(name: string): Promise<Reported[]> {
  const t = await fresh(name);
  const all = await send(t, 'a3 0c 00 00 00 00 00 00 ff ff 00 00', { transferLength: 0xffff });
  const length = new DataView(all.dataIn.buffer, all.dataIn.byteOffset).getUint32(0);
  const out: Reported[] = [];
  for (let at = 4; at < 4 + length; at += 8) {
    const opcode = all.dataIn[at] as number;
    const serviceAction =
      ((all.dataIn[at + 5] as number) & 1) === 1
        ? ((all.dataIn[at + 2] as number) << 8) | (all.dataIn[at + 3] as number)
        : undefined;
    const one = new Uint8Array(12);
    one.set([0xa3, 0x0c, 0x03, opcode]);
    one[4] = ((serviceAction ?? 0) >> 8) & 0xff;
    one[5] = (serviceAction ?? 0) & 0xff;
    one[9] = 0x40;
    const r = await send(t, one, { transferLength: 0x40 });
    out.push({ opcode, serviceAction, usage: r.dataIn.subarray(4, 4 + (r.dataIn[3] as number)) });
  }
  return out;
}

/** Byte 1 bits 4:0: the SERVICE ACTION field of every command the drives implement with one. */
const SERVICE_ACTION_BITS = 0x1f;

/** A reported command's CDB with every field zero but the opcode and its service action. */
function zeroCdb(c: Reported): Uint8Array {
  const cdb = new Uint8Array(c.usage.length);
  cdb[0] = c.opcode;
  if (c.serviceAction !== undefined) cdb[1] = c.serviceAction;
  return cdb;
}

/** The bits of byte `i` of `c`'s usage data that are a usage map: not its service action code. */
const usageMap = (c: Reported, i: number): number =>
  c.serviceAction !== undefined && i === 1 ? ~SERVICE_ACTION_BITS & 0xff : 0xff;

describe('the CDB usage data the emulated drives report', () => {
  it('holds a command’s service action in its SERVICE ACTION field, not a usage map of it', async () => {
    // SPC-5, one_command parameter data: the service action code sits in the CDB USAGE DATA where
    // the CDB has its SERVICE ACTION field. The drive reported 1Fh there, every bit set.
    const withAction = (await reported('flash-stick')).filter((c) => c.serviceAction !== undefined);
    expect(withAction.map((c) => c.usage[1])).toEqual(withAction.map((c) => c.serviceAction));
    expect(withAction.length).toBeGreaterThan(1);
  });

  for (const name of ['flash-stick', 'spc2-bridge']) {
    it(`${name}: a bit reported as ignored changes no answer`, async () => {
      const commands = await reported(name);
      expect(commands.length).toBeGreaterThan(20);
      const lies: string[] = [];
      for (const c of commands) {
        const base = zeroCdb(c);
        const expected = answer(await planned(name, base));
        for (let i = 1; i < c.usage.length; i++)
          for (let bit = 0; bit < 8; bit++) {
            if (((c.usage[i] as number) >> bit) & 1 || !((usageMap(c, i) >> bit) & 1)) continue;
            const cdb = base.slice();
            cdb[i] = (cdb[i] as number) | (1 << bit);
            const got = answer(await planned(name, cdb));
            if (got !== expected)
              lies.push(`${c.opcode.toString(16)}h byte ${i} bit ${bit}: ${got}, not ${expected}`);
          }
      }
      expect(lies).toEqual([]);
    }, 60_000);

    it(`${name}: an obsolete field reported as examined is refused`, async () => {
      const spc2 = profile(name).inquiry.version <= 0x04;
      const unread: string[] = [];
      let checked = 0;
      for (const c of await reported(name)) {
        const base = zeroCdb(c);
        const spec = findCommand(base);
        if (!spec) throw new Error(`${c.opcode.toString(16)}h is not in the catalog`);
        const expected = answer(await planned(name, base));
        for (const f of layoutOf(spec, spc2 ? 'SPC-2' : undefined).fields) {
          if (!f.obsolete) continue;
          const i = f.byte;
          const low = fieldMaskAt(f, i) & -fieldMaskAt(f, i);
          if (((c.usage[i] as number) & low) === 0) continue;
          checked++;
          const cdb = base.slice();
          cdb[i] = (cdb[i] as number) | low;
          if (answer(await planned(name, cdb)) === expected)
            unread.push(`${spec.name} ${f.name} (byte ${i})`);
        }
      }
      expect(checked).toBeGreaterThan(0);
      expect(unread).toEqual([]);
    }, 60_000);
  }
});
