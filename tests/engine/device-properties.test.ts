/**
 * Property tests for the emulated drive: arbitrary CBWs, CDBs and data
 * phases never crash it; every valid CBW is answered by a valid CSW with the
 * same tag; SCSI failures always come with decodable sense.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeCbw } from '../../shared/bot/cbw';
import { decodeCsw } from '../../shared/bot/csw';
import { bomsReset } from '../../shared/bot/requests';
import { asByteCount, asLun } from '../../shared/scsi/brand';
import { COMMANDS } from '../../shared/scsi/catalog';
import { decodeSense } from '../../shared/scsi/sense';
import { BotDevice } from '../../src-main/emulator/bot-device';
import { DiskLu } from '../../src-main/emulator/disk';
import { BUILT_IN_PROFILES } from '../../src-main/emulator/profiles';
import { MemoryStore } from '../../src-main/emulator/store';
import { EmulatedTransport } from '../../src-main/engine/emu';

const cdbArb = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 16 }),
  fc
    .tuple(fc.constantFrom(...COMMANDS), fc.uint8Array({ minLength: 16, maxLength: 16 }))
    .map(([c, rest]) => {
      const cdb = rest.slice(0, c.cdbLength);
      cdb[0] = c.opcode;
      if (c.serviceAction !== undefined) cdb[1] = c.serviceAction;
      return cdb;
    }),
);

describe('the emulated drive under arbitrary input', () => {
  it('answers every valid CBW with a valid CSW carrying its tag, whatever the data phase', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...BUILT_IN_PROFILES),
        cdbArb,
        fc.nat(0xffffffff),
        fc.constantFrom('in', 'out' as const),
        fc.nat(4096),
        async (profile, cdb, tag, direction, length) => {
          const lu = new DiskLu(profile, new MemoryStore(profile.blockSize, 4096));
          const d = new BotDevice([lu]);
          const cbw = encodeCbw({
            tag,
            dataTransferLength: asByteCount(length),
            direction,
            lun: asLun(0),
            cdb,
          });
          if (!cbw.ok) return;
          expect((await d.bulkOut(cbw.value)).kind).toBe('ok');
          if (direction === 'out' && length > 0) await d.bulkOut(new Uint8Array(length));
          else if (length > 0) {
            const r = await d.bulkIn(length);
            if (r.kind === 'stall') await d.clearHalt('in');
          }
          let csw = await d.bulkIn(13);
          if (csw.kind === 'stall') {
            await d.clearHalt('in');
            csw = await d.bulkIn(13);
          }
          expect(csw.kind).toBe('ok');
          const decoded = csw.kind === 'ok' ? decodeCsw(csw.data) : undefined;
          expect(decoded?.ok && decoded.value.tag).toBe(tag);
          if (decoded?.ok && decoded.value.status !== 'phase-error')
            expect(decoded.value.residue).toBeLessThanOrEqual(length);
          await d.control(bomsReset(0));
          await d.clearHalt('in');
          await d.clearHalt('out');
        },
      ),
      { numRuns: 400 },
    );
  });

  it('never crashes on arbitrary bytes on Bulk-Out, and recovers after reset recovery', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 64 }), async (junk) => {
        const profile = BUILT_IN_PROFILES[0];
        if (!profile) return;
        const t = new EmulatedTransport(profile);
        const d = new BotDevice([t.lu]);
        await d.bulkOut(junk);
        await d.bulkIn(13);
        await d.control(bomsReset(0));
        await d.clearHalt('in');
        await d.clearHalt('out');
        const cbw = encodeCbw({
          tag: 1,
          dataTransferLength: asByteCount(0),
          direction: 'out',
          lun: asLun(0),
          cdb: new Uint8Array(6),
        });
        if (!cbw.ok) return;
        expect((await d.bulkOut(cbw.value)).kind).toBe('ok');
        const csw = await d.bulkIn(13);
        expect(csw.kind === 'ok' && decodeCsw(csw.data).ok).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('reports every CHECK CONDITION with sense that decodes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...BUILT_IN_PROFILES),
        cdbArb,
        fc.nat(1024),
        async (profile, cdb, length) => {
          const t = new EmulatedTransport({
            ...profile,
            quirks: { ...profile.quirks, latency: { perCommandMs: 0, perMiBMs: 0 } },
          });
          const o = await t.execute({
            cdb,
            lun: 0,
            direction: length > 0 ? 'in' : 'none',
            transferLength: length,
            timeoutMs: 1000,
          });
          if (o.status === 2) {
            expect(o.sense).toBeDefined();
            expect(o.sense && decodeSense(o.sense).ok).toBe(true);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
