/**
 * Runs once around the whole suite. Before: empties the hostile-input ledger
 * and notes which `usbcdb-*` entries the temp folder already holds. After:
 * writes the entries the suite added and did not remove to
 * `.vitest-leftovers.json`; scripts/test-summary.mjs fails the run on any,
 * so every test has to clean up what it creates.
 */
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOSTILE_REPORT } from './hostile/report';

export const LEFTOVERS = join(import.meta.dirname, '..', '.vitest-leftovers.json');

function ours(): Set<string> {
  return new Set(readdirSync(tmpdir()).filter((n) => n.startsWith('usbcdb')));
}

export default function setup(): () => void {
  rmSync(HOSTILE_REPORT, { force: true });
  rmSync(LEFTOVERS, { force: true });
  const before = ours();
  return () => {
    const added = [...ours()].filter((n) => !before.has(n)).map((n) => join(tmpdir(), n));
    writeFileSync(LEFTOVERS, `${JSON.stringify(added, null, 2)}\n`);
  };
}
