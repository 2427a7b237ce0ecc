/**
 * Every command of every shipped vendor set, built from its field defaults and sent with the
 * data phase its length rule gives, draws no lint warning or error about its own fields: a set
 * whose default CDB lint complains about teaches its reader to ignore lint. (A `note` on a named
 * value marks it as one not to use, shared/scsi/catalog/types.ts, so a default must not carry one.)
 */
import { describe, expect, it } from 'vitest';
import { dataPhaseOf, DEFAULT_BLOCK_SIZE, unitBytes } from '../../../shared/scsi/catalog';
import { buildCdb } from '../../../shared/scsi/cdb/build';
import { lintCdb } from '../../../shared/lint/lint';
import { BUILT_IN_SETS } from '../../../shared/vendor-sets/registry';

/** Findings about the effect of a command, which a default rightly draws. */
const ABOUT_EFFECT = new Set(['destructive', 'changes-state']);

describe("the shipped vendor sets' default CDBs", () => {
  for (const set of BUILT_IN_SETS)
    for (const { spec } of set.commands)
      it(`${set.name}: ${spec.aliases[0] ?? spec.name} lints clean of field findings`, () => {
        const built = buildCdb(spec, {});
        if (!built.ok) throw new Error(built.error.message);
        const phase = dataPhaseOf(built.value, spec.fields, spec.length);
        const bytes =
          phase.rule && phase.units !== undefined
            ? phase.units * unitBytes(phase.rule.unit, DEFAULT_BLOCK_SIZE)
            : 0;
        const report = lintCdb({
          cdb: built.value,
          vendorSets: [set],
          ...(phase.direction === 'in' ? { dataIn: bytes } : {}),
          ...(phase.direction === 'out' ? { dataOut: bytes } : {}),
          ...(phase.direction === 'none' ? { noDataPhase: true } : {}),
        });
        const complaints = report.findings
          .filter((f) => f.severity !== 'info' && !ABOUT_EFFECT.has(f.id))
          .map((f) => `${f.id}: ${f.message}`);
        expect(complaints).toEqual([]);
      });
});
