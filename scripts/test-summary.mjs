// Prints the plain closing lines CI reads ("vitest: N passed, N failed") from
// vitest's JSON report, and names every test that did not run, with the reason its name gives.
// A run that left `usbcdb-*` entries in the temp folder (tests/global-setup.ts lists them) fails:
// every test removes what it creates.
import { existsSync, readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync('.vitest-results.json', 'utf8'));
const notRun = report.testResults.flatMap((file) =>
  file.assertionResults
    .filter((t) => t.status === 'pending' || t.status === 'skipped' || t.status === 'todo')
    .map((t) => t.fullName),
);
for (const name of notRun) process.stdout.write(`not run: ${name}\n`);
const leftovers = existsSync('.vitest-leftovers.json')
  ? JSON.parse(readFileSync('.vitest-leftovers.json', 'utf8'))
  : [];
for (const path of leftovers) process.stdout.write(`left in the temp folder: ${path}\n`);
process.stdout.write(
  `vitest: ${report.numPassedTests} passed, ${report.numFailedTests} failed${notRun.length ? `, ${notRun.length} not run` : ''}\n`,
);
if (leftovers.length > 0)
  process.stdout.write(`the suite left ${leftovers.length} entries in the temp folder\n`);
process.exitCode = report.numFailedTests > 0 || !report.success || leftovers.length > 0 ? 1 : 0;
