/**
 * A 64 MiB READ through the app in web mode, end to end: the bridge carries
 * the answer as bytes (shared/ipc/frame.ts) to the page's connection
 * worker, which hands them to the page; the page shows them, and the
 * bytes at both ends of the hex view are the drive's. Speed is the
 * benchmark's business (bench/app.ts), not this test's.
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findProfile } from '../../src-main/emulator/profiles';
import { startWebApp, type WebApp } from './browser';

const MiB = 1024 * 1024;
const DATA = mkdtempSync(join(tmpdir(), 'usbcdb-e2e-large-'));
/** Marks at the first and the last 16 bytes of the 64 MiB the READ asks for. */
const FIRST = Buffer.from('usbcdb: 1st row.');
const LAST = Buffer.from('usbcdb: last row');

let app: WebApp;
let page: Page;

/** The sata-bridge profile's image (4096-byte blocks), sparse, with the two marks written in. */
function makeImage(name: string): void {
  const p = findProfile('sata-bridge');
  if (!p) throw new Error('no sata-bridge profile');
  mkdirSync(join(DATA, 'images'), { recursive: true });
  const fd = openSync(join(DATA, 'images', name), 'w');
  try {
    writeSync(fd, FIRST, 0, FIRST.length, 0);
    writeSync(fd, LAST, 0, LAST.length, 64 * MiB - LAST.length);
    // The rest of the profile's size, unwritten (sparse): the image store checks the size.
    writeSync(fd, Buffer.from([0]), 0, 1, p.blockSize * p.blocks - 1);
  } finally {
    closeSync(fd);
  }
}

const hex = (b: Buffer): string => b.toString('hex');

beforeAll(async () => {
  makeImage('marks');
  app = await startWebApp({ dataDir: DATA });
  page = await app.openPage();
}, 60_000);

afterAll(async () => {
  await app?.close();
});

describe('web mode: a 64 MiB answer', () => {
  it('READ(10) of 16384 4-KiB blocks shows 67108864 bytes, the first and last rows being the drive’s', async () => {
    await expect.poll(() => page.getByText('emu:sata-bridge').count()).toBe(1);
    // The socket is the connection worker's, off the page's main thread (src-renderer/ipc/link.ts).
    expect(page.workers().map((w) => new URL(w.url()).pathname)).toEqual(['/ipc-worker.js']);
    await page.getByRole('radio', { name: /emu:sata-bridge/ }).check();
    await page.getByLabel('drive image').fill('marks');
    // READ(10), LBA 0, TRANSFER LENGTH 4000h blocks = 64 MiB.
    await page.getByLabel('cdb hex').fill('28 00 00 00 00 00 00 40 00 00');
    await page.getByLabel('transfer length', { exact: true }).fill(String(64 * MiB));
    await page.getByRole('button', { name: /Send/ }).click();
    await expect
      .poll(() => page.getByTestId('status').textContent(), { timeout: 60_000 })
      .toBe('GOOD');
    expect(await page.getByText(/^67108864 bytes in · residue 0/).count()).toBe(1);
    const view = page.getByTestId('hex-data-in');
    expect((await view.textContent())?.replace(/\s/g, '')).toContain(hex(FIRST));
    // To the last byte with the keyboard, as a person would.
    await view.locator('[data-offset="0"]').click();
    await page.keyboard.press('Control+End');
    await expect
      .poll(async () => (await view.textContent())?.replace(/\s/g, ''), { timeout: 10_000 })
      .toContain(hex(LAST));
  }, 120_000);
});
