/** Reading libiscsi's iscsi-test-cu output (CUnit's verbose mode) into per-test results. */

export type TestOutcome = 'passed' | 'failed' | 'skipped';

export interface ConformanceRun {
  /** FAMILY-less name "Suite.Test" → outcome. */
  readonly tests: ReadonlyMap<string, TestOutcome>;
  /** CUnit's own summary line: total, ran, passed, failed. */
  readonly summary: { total: number; ran: number; passed: number; failed: number } | undefined;
}

/** The guest command that runs the LINUX family on a disk, keeping only the lines this parser reads. */
export function conformanceCommand(sg: string): string {
  return `iscsi-test-cu --dataloss --test=LINUX ${sg} 2>&1 | grep -E '^Suite: |^  Test: |\\[SKIPPED\\]|passed$|FAILED$|^ +tests +[0-9]'`;
}

/**
 * CUnit's verbose output: "Suite: S", "  Test: T ..." then the test's own
 * messages, and "passed" or "FAILED" ending the line where the test ended
 * (its own line or the last message's). A passed test that printed
 * [SKIPPED] did not really run: CUnit counts it as passed, this says skipped.
 */
export function parseConformance(output: string): ConformanceRun {
  const tests = new Map<string, TestOutcome>();
  let suite = '';
  let current: { name: string; skipped: boolean } | undefined;
  const settle = (outcome: 'passed' | 'failed'): void => {
    if (!current) return;
    tests.set(current.name, outcome === 'passed' && current.skipped ? 'skipped' : outcome);
    current = undefined;
  };
  for (const line of output.split('\n')) {
    const s = /^Suite: (\S+)/.exec(line);
    if (s?.[1]) {
      suite = s[1];
      continue;
    }
    const t = /^ {2}Test: (\S+) \.\.\./.exec(line);
    if (t?.[1] && suite) current = { name: `${suite}.${t[1]}`, skipped: false };
    if (!current) continue;
    if (line.includes('[SKIPPED]')) current.skipped = true;
    if (/(^|[^[])FAILED$/.test(line.trimEnd())) settle('failed');
    else if (/passed$/.test(line.trimEnd())) settle('passed');
  }
  const m = /tests\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)/.exec(output);
  return {
    tests,
    summary: m
      ? { total: Number(m[1]), ran: Number(m[2]), passed: Number(m[3]), failed: Number(m[4]) }
      : undefined,
  };
}

/** Tests `ours` fails that `peer` passes, by name. */
export function failsWherePeerPasses(ours: ConformanceRun, peer: ConformanceRun): string[] {
  return [...ours.tests]
    .filter(([name, o]) => o === 'failed' && peer.tests.get(name) === 'passed')
    .map(([n]) => n);
}

/**
 * Tests `peer` passes that `ours` fails or skips, by name: a test the drive
 * makes skip (a command it lacks, a VPD bit it leaves clear) proves nothing,
 * so where the peer really ran and passed it, the skip is a gap too.
 */
export function gapsAgainst(ours: ConformanceRun, peer: ConformanceRun): string[] {
  return [...ours.tests]
    .filter(([name, o]) => o !== 'passed' && peer.tests.get(name) === 'passed')
    .map(([n]) => n);
}

/** Passed, failed and skipped counted from each test's own outcome (CUnit counts a skip as passed). */
export function tally(run: ConformanceRun): Record<TestOutcome, number> {
  const t = { passed: 0, failed: 0, skipped: 0 };
  for (const o of run.tests.values()) t[o]++;
  return t;
}

/**
 * Tests QEMU's disk passes that the emulated drive fails or skips, and why:
 * the one list of known gaps (docs/performance.md prints it). A gap that
 * closes must leave the list. Empty since VERIFY(12) joined the catalog: the
 * drive now passes every test QEMU's disk passes.
 */
export const KNOWN_GAPS: Readonly<Record<string, string>> = {};
