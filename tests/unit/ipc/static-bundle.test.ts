import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBundle } from '../../../src-main/ipc/static-bundle';
import { testTempDir } from '../../temp-dir';

describe('loadBundle: the files web mode may serve, listed once', () => {
  it('takes the top-level files of known types, and / as index.html', () => {
    const dir = testTempDir('bundle');
    writeFileSync(join(dir, 'index.html'), '<!doctype html>');
    writeFileSync(join(dir, 'app.js'), '1');
    writeFileSync(join(dir, 'notes.txt'), 'not served');
    writeFileSync(join(dir, '.env'), 'SECRET=1');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'x.js'), 'nested');
    const bundle = loadBundle(dir);
    expect([...bundle.keys()].sort()).toEqual(['/', '/app.js', '/index.html']);
    expect(bundle.get('/')?.type).toBe('text/html; charset=utf-8');
  });

  it('refuses a folder that is not a bundle (too many files)', () => {
    const dir = testTempDir('bundle');
    for (let i = 0; i < 65; i++) writeFileSync(join(dir, `f${i}.js`), '');
    expect(() => loadBundle(dir)).toThrow(/is not a renderer bundle/);
  });
});
