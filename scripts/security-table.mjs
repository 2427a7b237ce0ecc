// Writes the table of docs/security.md from what the hostile-input suite
// measured in this run (.hostile-report.jsonl, one row per attack or fuzz
// run; see tests/hostile/report.ts). Run by `npm test` after the suite.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { join } from 'node:path';
import { replaceSection } from './doc-sections.mjs';

const root = join(import.meta.dirname, '..');
const ledger = join(root, '.hostile-report.jsonl');
if (!existsSync(ledger)) {
  process.stdout.write(
    'security-table: no hostile-input rows this run; docs/security.md left as it was\n',
  );
  process.exit(0);
}
const rows = readFileSync(ledger, 'utf8')
  .split('\n')
  .filter((l) => l.trim().length > 0)
  .map((l) => JSON.parse(l))
  .sort((a, b) => a.surface.localeCompare(b.surface) || a.input.localeCompare(b.input));
const cell = (s) => String(s).replace(/\|/g, '\\|');
const total = (k) => rows.reduce((n, r) => n + r[k], 0);
const table = [
  '| Surface | Inputs tried | Count | Crashes | Hangs | Data lost |',
  '| --- | --- | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${cell(r.surface)} | ${cell(r.input)} | ${r.tried} | ${r.crashes} | ${r.hangs} | ${r.dataLost} |`,
  ),
  `| **all** | | **${total('tried')}** | **${total('crashes')}** | **${total('hangs')}** | **${total('dataLost')}** |`,
].join('\n');
const doc = join(root, 'docs', 'security.md');
replaceSection(
  doc,
  'suite:hostile',
  `${table}\n\nWritten by \`npm test\` (scripts/security-table.mjs) from the hostile-input suite's own counts on ${new Date().toISOString().slice(0, 10)}.`,
  '# Security',
);
// Formatted as the lint step checks it, so a run leaves the page as prettier would.
writeFileSync(
  doc,
  await format(readFileSync(doc, 'utf8'), {
    ...(await resolveConfig(doc)),
    filepath: doc,
  }),
);
process.stdout.write(
  `security-table: ${rows.length} rows, ${total('tried')} inputs, ${total('crashes')} crashes, ${total('hangs')} hangs, ${total('dataLost')} data lost\n`,
);
