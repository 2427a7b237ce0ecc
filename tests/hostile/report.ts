/**
 * The hostile-input suite's ledger: each attack or fuzz run records one row
 * (surface, what was tried, how many inputs, and what went wrong). The rows
 * are appended to a JSON-lines file that `scripts/security-table.mjs` turns
 * into the table in docs/security.md after the suite has run, so the table
 * is what the suite measured, not what someone typed.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the rows go: the repository root, ignored by git, emptied by the global setup. */
export const HOSTILE_REPORT = join(import.meta.dirname, '..', '..', '.hostile-report.jsonl');

export interface HostileRow {
  /** The surface under attack, e.g. "web bridge: HTTP", "usbredir", "presets file". */
  readonly surface: string;
  /** What was sent, in a few words ("GET /% and 400 fuzzed paths"). */
  readonly input: string;
  /** How many inputs were sent. */
  readonly tried: number;
  /** Process exits or uncaught exceptions seen. */
  readonly crashes: number;
  /** Requests that got neither a reply nor a closed connection in time. */
  readonly hangs: number;
  /** Saved data lost or a file outside the data directory touched. */
  readonly dataLost: number;
}

export function recordHostile(row: HostileRow): void {
  appendFileSync(HOSTILE_REPORT, `${JSON.stringify(row)}\n`);
}
