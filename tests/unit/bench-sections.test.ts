import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replaceSection } from '../../bench/measure';

describe('benchmark sections of docs/performance.md', () => {
  it('appends a section once, then replaces only its own part', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'usbcdb-perf-')), 'performance.md');
    writeFileSync(file, '# Performance\n\nIntro kept.\n');
    replaceSection(file, 'a', '## A\n\none');
    replaceSection(file, 'b', '## B\n\ntwo');
    replaceSection(file, 'a', '## A\n\nthree');
    expect(readFileSync(file, 'utf8')).toBe(
      '# Performance\n\nIntro kept.\n\n<!-- bench:a -->\n## A\n\nthree\n<!-- /bench:a -->\n\n<!-- bench:b -->\n## B\n\ntwo\n<!-- /bench:b -->\n',
    );
  });
});
