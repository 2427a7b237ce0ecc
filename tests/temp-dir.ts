/**
 * Temporary folders for tests, each removed when its owner is done, so the
 * suite leaves nothing in the temp folder (tests/global-setup.ts checks).
 * Names start with `usbcdb-` so that check sees any that stay behind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

const remover = (dir: string) => (): void => rmSync(dir, { recursive: true, force: true });

/** A fresh `usbcdb-LABEL-*` folder, removed when the running test finishes (pass or fail). */
export function testTempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `usbcdb-${label}-`));
  onTestFinished(remover(dir));
  return dir;
}

/** A fresh `usbcdb-LABEL-*` folder for a whole test file (call at module level), removed after its tests. */
export function fileTempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `usbcdb-${label}-`));
  afterAll(remover(dir));
  return dir;
}
