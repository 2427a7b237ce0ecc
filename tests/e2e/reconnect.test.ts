/**
 * The page survives the bridge going away: a bridge restarted on the same
 * port keeps its token (src-main/ipc/web-token.ts), and the page reconnects
 * by itself, saying so in its status line; a request while it is away fails
 * with a sentence.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keptToken } from '../../src-main/ipc/web-token';
import { startWebApp, type WebApp } from './browser';

const DATA = mkdtempSync(join(tmpdir(), 'usbcdb-e2e-reconnect-'));
let app: WebApp;
let page: Page;

function token(): string {
  const t = keptToken(DATA);
  if (!t.ok) throw new Error(t.error.message);
  return t.value;
}

beforeAll(async () => {
  app = await startWebApp({ dataDir: DATA, bridge: { token: token() } });
  page = await app.openPage();
}, 60_000);

afterAll(async () => {
  await app?.close();
});

describe('web mode: the bridge restarts', () => {
  it('shows the connection lost, fails a command sent meanwhile in words, and reconnects to the restarted bridge by itself', async () => {
    const status = page.getByTestId('connection');
    await expect.poll(() => status.getAttribute('data-state')).toBe('connected');
    await expect.poll(() => page.getByText('emu:spc2-bridge').count()).toBe(1);
    await page.getByRole('radio', { name: /emu:spc2-bridge/ }).check();
    await page.getByLabel('cdb hex').fill('12 00 00 00 24 00');
    await page.getByLabel('transfer length', { exact: true }).fill('36');

    const port = Number(new URL(app.bridge.pageUrl).port);
    await app.stopBridge();
    await expect.poll(() => status.getAttribute('data-state')).toBe('reconnecting');
    expect(await status.textContent()).toMatch(/was lost .*Reconnecting \(attempt \d+/);

    // The plug watch's long poll was in flight: it failed with the sentence saying why.
    await expect
      .poll(() =>
        page
          .getByRole('alert')
          .filter({ hasText: /was lost \(the bridge stopped or restarted\)/ })
          .count(),
      )
      .toBe(1);
    await page.getByRole('button', { name: /Send/ }).click();
    await expect
      .poll(() =>
        page
          .getByRole('alert')
          .filter({ hasText: /is not connected; the page is reconnecting/ })
          .count(),
      )
      .toBe(1);

    // Same port, same data folder: the same kept token, so the open page gets back in.
    await app.startBridge({ port, token: token() });
    await expect
      .poll(() => status.getAttribute('data-state'), { timeout: 15_000 })
      .toBe('connected');
    await page.getByRole('button', { name: /Send/ }).click();
    await expect.poll(() => page.getByTestId('status').textContent()).toBe('GOOD');
    expect(await page.getByTestId('decoded').textContent()).toMatch(/OLDBRDG/);
  }, 60_000);
});
