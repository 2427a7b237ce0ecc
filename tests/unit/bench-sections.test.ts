import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replaceSection } from '../../scripts/doc-sections.mjs';
import { testTempDir } from '../temp-dir';

describe('generated sections of the docs (benchmarks, the hostile-input suite)', () => {
  it('appends a section once, then replaces only its own part', () => {
    const file = join(testTempDir('perf'), 'performance.md');
    writeFileSync(file, '# Performance\n\nIntro kept.\n');
    replaceSection(file, 'bench:a', '## A\n\none');
    replaceSection(file, 'bench:b', '## B\n\ntwo');
    replaceSection(file, 'bench:a', '## A\n\nthree');
    expect(readFileSync(file, 'utf8')).toBe(
      '# Performance\n\nIntro kept.\n\n<!-- bench:a -->\n## A\n\nthree\n<!-- /bench:a -->\n\n<!-- bench:b -->\n## B\n\ntwo\n<!-- /bench:b -->\n',
    );
  });

  it('starts a missing file with its title', () => {
    const file = join(testTempDir('doc'), 'new.md');
    replaceSection(file, 'suite:x', 'rows', '# Security');
    expect(readFileSync(file, 'utf8')).toBe(
      '# Security\n\n<!-- suite:x -->\nrows\n<!-- /suite:x -->\n',
    );
  });
});
