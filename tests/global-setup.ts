/**
 * Runs once around the whole suite. Before: empties the hostile-input ledger
 * and gives the run a temp folder of its own (TMPDIR, inherited by the test
 * workers and every program they start), so what another process leaves in
 * the system temp folder meanwhile is not counted. After: writes the
 * `usbcdb-*` entries the suite left there to `.vitest-leftovers.json` —
 * scripts/test-summary.mjs fails the run on any, so every test has to clean
 * up what it creates — and removes the folder.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOSTILE_REPORT } from './hostile/report';

export const LEFTOVERS = join(import.meta.dirname, '..', '.vitest-leftovers.json');

export default function setup(): () => void {
  rmSync(HOSTILE_REPORT, { force: true });
  rmSync(LEFTOVERS, { force: true });
  const previous = process.env['TMPDIR'];
  const root = mkdtempSync(join(tmpdir(), 'vitest-usbcdb-run-'));
  process.env['TMPDIR'] = root;
  return () => {
    const left = readdirSync(root)
      .filter((n) => n.startsWith('usbcdb'))
      .map((n) => join(root, n));
    writeFileSync(LEFTOVERS, `${JSON.stringify(left, null, 2)}\n`);
    rmSync(root, { recursive: true, force: true });
    if (previous === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = previous;
  };
}
