/**
 * Property-based tests (fast-check): every decoder and checker takes
 * arbitrary bytes and lengths without throwing, returns a result or a typed
 * error, and never reports a position outside the input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyBotCase } from '../../shared/bot/cases';
import { decodeCbw, encodeCbw } from '../../shared/bot/cbw';
import { decodeCsw, encodeCsw } from '../../shared/bot/csw';
import { diagnose } from '../../shared/doctor/doctor';
import { lintCdb } from '../../shared/lint/lint';
import { asByteCount, asLun } from '../../shared/scsi/brand';
import { COMMANDS } from '../../shared/scsi/catalog';
import { buildCdb } from '../../shared/scsi/cdb/build';
import { decodeCdb } from '../../shared/scsi/cdb/decode';
import { formatHex, parseHex } from '../../shared/scsi/hex';
import { decodeSense, explainSense } from '../../shared/scsi/sense';

const RUNS = { numRuns: 2000 };
const bytes = (max: number): fc.Arbitrary<Uint8Array> =>
  fc.uint8Array({ minLength: 0, maxLength: max });
/** Sense-looking buffers: a valid response code most of the time, so decoding goes deep. */
const senseLike = fc
  .tuple(fc.constantFrom(0x70, 0x71, 0x72, 0x73, 0xf0, 0x7f, 0x00), bytes(299))
  .map(([code, rest]) => Uint8Array.from([code, ...rest]));
/** CDB-looking buffers: a catalogued opcode and its length, give or take. */
const cdbLike = fc
  .tuple(fc.constantFrom(...COMMANDS), fc.integer({ min: -2, max: 3 }), bytes(16))
  .map(([c, delta, rest]) => {
    const n = Math.max(1, c.cdbLength + delta);
    const cdb = new Uint8Array(n);
    cdb.set(rest.subarray(0, n));
    cdb[0] = c.opcode;
    return cdb;
  });
const optionalLength = fc.option(fc.integer({ min: 0, max: 1 << 20 }), { nil: undefined });

describe('decodeSense / explainSense', () => {
  it('never throw, and stay inside the buffer', () => {
    fc.assert(
      fc.property(fc.oneof(bytes(300), senseLike), (b) => {
        const r = decodeSense(b);
        if (!r.ok) {
          expect(r.error.code.length).toBeGreaterThan(0);
          expect(r.error.offset ?? 0).toBeLessThanOrEqual(b.length);
          return;
        }
        expect(r.value.length).toBe(b.length);
        for (const d of r.value.descriptors)
          expect(d.offset + d.bytes.length).toBeLessThanOrEqual(b.length);
        const e = explainSense(r.value, { cdb: b.subarray(0, 16) });
        expect(e.headline.length).toBeGreaterThan(0);
      }),
      RUNS,
    );
  });
});

describe('lintCdb', () => {
  it('never throws; positions are inside the CDB; the corrected CDB has no fixable error left', () => {
    fc.assert(
      fc.property(
        fc.oneof(bytes(20), cdbLike),
        optionalLength,
        optionalLength,
        fc.option(fc.integer({ min: -1, max: 20 }), { nil: undefined }),
        (cdb, dataIn, dataOut, lun) => {
          const input = {
            cdb,
            ...(dataIn !== undefined ? { dataIn } : {}),
            ...(dataOut !== undefined ? { dataOut } : {}),
            ...(lun !== undefined ? { lun } : {}),
          };
          const r = lintCdb(input);
          for (const f of r.findings) {
            if (f.byte !== undefined) expect(f.byte).toBeLessThanOrEqual(Math.max(cdb.length, 16));
            expect(f.message.length).toBeGreaterThan(0);
          }
          if (r.corrected) {
            const c = r.corrected;
            const transfer =
              c.transferLength === undefined
                ? { dataIn, dataOut }
                : c.direction === 'out'
                  ? { dataOut: c.transferLength }
                  : { dataIn: c.transferLength };
            const again = lintCdb({
              cdb: c.cdb,
              ...(lun !== undefined ? { lun } : {}),
              ...(transfer.dataIn !== undefined ? { dataIn: transfer.dataIn } : {}),
              ...(transfer.dataOut !== undefined ? { dataOut: transfer.dataOut } : {}),
            });
            expect(again.findings.filter((f) => f.fix && f.severity !== 'info').length).toBe(0);
          }
        },
      ),
      RUNS,
    );
  });
});

describe('decodeCdb and buildCdb', () => {
  it('decodeCdb never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.oneof(bytes(32), cdbLike), (cdb) => {
        const r = decodeCdb(cdb);
        if (!r.ok) expect(r.error.offset ?? 0).toBeLessThanOrEqual(cdb.length);
        else for (const x of r.value.reserved) expect(x.byte).toBeLessThan(cdb.length);
      }),
      RUNS,
    );
  });

  it('build → decode round-trips random in-range values for every row', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...COMMANDS),
        fc.array(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), { minLength: 40, maxLength: 40 }),
        (spec, randoms) => {
          const values: Record<string, bigint> = {};
          spec.fields.forEach((f, i) => {
            if (f.role !== 'opcode' && f.role !== 'serviceAction')
              values[f.key] = (randoms[i] ?? 0n) & ((1n << BigInt(f.width)) - 1n);
          });
          const built = buildCdb(spec, values);
          expect(built.ok).toBe(true);
          if (!built.ok) return;
          const d = decodeCdb(built.value);
          expect(d.ok && d.value.spec).toBe(spec);
          if (!d.ok) return;
          for (const f of d.value.fields)
            if (values[f.field.key] !== undefined) expect(f.value).toBe(values[f.field.key]);
          expect(d.value.reserved).toEqual([]);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('Bulk-Only codec', () => {
  it('decodeCbw and decodeCsw never throw on arbitrary bytes', () => {
    fc.assert(
      fc.property(
        bytes(64),
        fc.option(fc.integer({ min: 0, max: 15 }), { nil: undefined }),
        (b, maxLun) => {
          const c = decodeCbw(b, maxLun);
          if (!c.ok) expect(c.error.offset ?? 0).toBeLessThanOrEqual(b.length);
          const s = decodeCsw(b);
          if (!s.ok) expect(s.error.offset ?? 0).toBeLessThanOrEqual(b.length);
        },
      ),
      RUNS,
    );
  });

  it('encode → decode round-trips valid CBWs and CSWs', () => {
    fc.assert(
      fc.property(
        fc.nat(0xffffffff),
        fc.nat(0xffffffff),
        fc.boolean(),
        fc.integer({ min: 0, max: 15 }),
        fc.uint8Array({ minLength: 1, maxLength: 16 }),
        fc.constantFrom('passed', 'failed', 'phase-error' as const),
        (tag, len, dirIn, lun, cdb, status) => {
          const enc = encodeCbw({
            tag,
            dataTransferLength: asByteCount(len),
            direction: dirIn ? 'in' : 'out',
            lun: asLun(lun),
            cdb,
          });
          expect(enc.ok).toBe(true);
          const dec = enc.ok ? decodeCbw(enc.value, 15) : undefined;
          expect(dec?.ok && dec.value).toMatchObject({
            tag,
            dataTransferLength: len,
            direction: dirIn ? 'in' : 'out',
            lun,
            problems: [],
          });
          expect(dec?.ok && formatHex(dec.value.cdb)).toBe(formatHex(cdb));
          const csw = decodeCsw(encodeCsw({ tag, residue: len, status }));
          expect(csw.ok && csw.value).toEqual({ tag, residue: len, status });
        },
      ),
      RUNS,
    );
  });

  it('classifyBotCase is total and consistent with the table', () => {
    const dir = fc.constantFrom('none', 'in', 'out' as const);
    fc.assert(
      fc.property(dir, fc.nat(1 << 20), dir, fc.nat(1 << 20), (hd, hl, dd, dl) => {
        const c = classifyBotCase({ direction: hd, length: hl }, { direction: dd, length: dl });
        expect(c.host).toBe(hl === 0 ? 'none' : hd);
        expect(c.device).toBe(dl === 0 ? 'none' : dd);
      }),
      RUNS,
    );
  });
});

describe('diagnose and parseHex', () => {
  it('diagnose never throws on arbitrary observations', () => {
    fc.assert(
      fc.property(
        fc.oneof(bytes(20), cdbLike),
        fc.option(fc.oneof(bytes(40), senseLike), { nil: undefined }),
        fc.option(fc.nat(0xff), { nil: undefined }),
        fc.option(fc.nat(6), { nil: undefined }),
        optionalLength,
        (cdb, sense, status, serviceResponse, dataIn) => {
          const r = diagnose({
            cdb,
            ...(sense ? { sense } : {}),
            ...(status !== undefined ? { status } : {}),
            ...(serviceResponse !== undefined ? { serviceResponse } : {}),
            ...(dataIn !== undefined ? { dataIn } : {}),
          });
          for (let i = 1; i < r.diagnoses.length; i++)
            expect((r.diagnoses[i - 1]?.rank ?? 0) >= (r.diagnoses[i]?.rank ?? 0)).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('parseHex never throws, and formatHex → parseHex round-trips', () => {
    fc.assert(
      fc.property(fc.string(), bytes(40), (s, b) => {
        parseHex(s);
        const r = parseHex(formatHex(b));
        expect(r.ok && formatHex(r.value)).toBe(formatHex(b));
      }),
      RUNS,
    );
  });

  it('formatHex writes each byte as two lower-case digits, joined by any separator', () => {
    fc.assert(
      fc.property(bytes(300), fc.string({ maxLength: 4, unit: 'grapheme' }), (b, sep) => {
        const pairs = [...b].map((n) => (n < 16 ? '0' : '') + n.toString(16));
        expect(formatHex(b, sep)).toBe(pairs.join(sep));
      }),
      RUNS,
    );
  });
});
