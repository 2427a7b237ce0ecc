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
  let transferLength: number | undefined;
  for (let round = 0; round < MAX_FIX_ROUNDS; round++) {
    const next = runRules(current).find((f) => f.fix && f.severity !== 'info');
    if (!next?.fix) break;
    steps.push(next.fix.description);
    const tl = next.fix.transferLength;
    if (tl !== undefined) transferLength = tl;
    current = {
      ...current,
      cdb: next.fix.cdb,
      ...(tl !== undefined && current.dataIn !== undefined ? { dataIn: tl } : {}),
      ...(tl !== undefined && current.dataOut !== undefined ? { dataOut: tl } : {}),
    };
  }
  if (steps.length === 0) return { findings: sorted };
  return {
    findings: sorted,
    corrected: {
      cdb: current.cdb,
      ...(transferLength !== undefined ? { transferLength } : {}),
      steps,
    },
  };
}

export { RULES };
export type { Finding, LintInput } from './types';
