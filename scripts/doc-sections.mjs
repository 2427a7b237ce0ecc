// Generated parts of the docs: a section between `<!-- NAME -->` and
// `<!-- /NAME -->` is replaced (or appended once), so each producer — a
// benchmark, the hostile-input suite — updates its own part of a page and
// leaves the rest as people wrote it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function replaceSection(file, name, markdown, title = '# Untitled') {
  const start = `<!-- ${name} -->`;
  const end = `<!-- /${name} -->`;
  const old = existsSync(file) ? readFileSync(file, 'utf8') : `${title}\n`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  const a = old.indexOf(start);
  const b = old.indexOf(end);
  const next =
    a >= 0 && b > a
      ? old.slice(0, a) + block + old.slice(b + end.length)
      : `${old.trimEnd()}\n\n${block}\n`;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, next.endsWith('\n') ? next : `${next}\n`);
}
