/**
 * `lintCdb`: every problem with a CDB (plus the host's expected data length,
 * direction and LUN), most serious first, each with its position, a stable
 * id, why it matters and a fix where one can be computed; and the corrected
 * CDB that applying the fixes in rule order gives.
 */
import { makeContext } from './context';
import { RULES, SEVERITY_ORDER } from './rules';
import type { Finding, LintInput } from './types';

export interface LintReport {
  readonly findings: readonly Finding[];
  /** The CDB (and transfer length) after applying every computable fix, if any applied. */
  readonly corrected?: {
    readonly cdb: Uint8Array;
    readonly transferLength?: number;
    /** The direction that goes with `transferLength`. */
    readonly direction?: 'none' | 'in' | 'out';
    /** What was changed, in order. */
    readonly steps: readonly string[];
  };
}

/** Findings for one CDB, in rule order. */
function runRules(input: LintInput): Finding[] {
  const ctx = makeContext(input);
  return RULES.flatMap((r) => r.check(ctx));
}

/** Upper bound on fix iterations; each fix removes at least one finding, so this is never reached in practice. */
const MAX_FIX_ROUNDS = 16;

export function lintCdb(input: LintInput): LintReport {
  const findings = runRules(input);
  const sorted = findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => SEVERITY_ORDER[a.f.severity] - SEVERITY_ORDER[b.f.severity] || a.i - b.i)
    .map(({ f }) => f);

  // Apply the first fixable finding (in rule order), re-lint, repeat.
  let current: LintInput = input;
  const steps: string[] = [];
  let transfer: { length: number; direction: 'none' | 'in' | 'out' } | undefined;
  for (let round = 0; round < MAX_FIX_ROUNDS; round++) {
    const next = runRules(current).find((f) => f.fix && f.severity !== 'info');
    if (!next?.fix) break;
    steps.push(next.fix.description);
    const { transferLength: tl, direction } = next.fix;
    const { dataIn: _in, dataOut: _out, noDataPhase: _none, ...rest } = current;
    if (tl !== undefined) {
      const dir = direction ?? (current.dataOut !== undefined ? 'out' : 'in');
      transfer = { length: tl, direction: tl === 0 ? 'none' : dir };
      current = {
        ...rest,
        cdb: next.fix.cdb,
        ...(dir === 'out' ? { dataOut: tl } : { dataIn: tl }),
      };
    } else current = { ...current, cdb: next.fix.cdb };
  }
  if (steps.length === 0) return { findings: sorted };
  return {
    findings: sorted,
    corrected: {
      cdb: current.cdb,
      ...(transfer ? { transferLength: transfer.length, direction: transfer.direction } : {}),
      steps,
    },
  };
}

export { RULES };
export type { Finding, LintInput } from './types';
