// Prints the plain closing lines CI reads ("vitest: N passed, N failed") from
// vitest's JSON report, and names every test that did not run, with the reason its name gives.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync('.vitest-results.json', 'utf8'));
const notRun = report.testResults.flatMap((file) =>
  file.assertionResults
    .filter((t) => t.status === 'pending' || t.status === 'skipped' || t.status === 'todo')
    .map((t) => t.fullName),
);
for (const name of notRun) process.stdout.write(`not run: ${name}\n`);
process.stdout.write(
  `vitest: ${report.numPassedTests} passed, ${report.numFailedTests} failed${notRun.length ? `, ${notRun.length} not run` : ''}\n`,
);
process.exitCode = report.numFailedTests > 0 || !report.success ? 1 : 0;
