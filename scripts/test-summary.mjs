// Prints the plain closing line CI reads ("vitest: N passed, N failed") from vitest's JSON report.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync('.vitest-results.json', 'utf8'));
const skipped = report.numPendingTests + report.numTodoTests;
process.stdout.write(
  `vitest: ${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}\n`,
);
process.exitCode = report.numFailedTests > 0 || !report.success ? 1 : 0;
