/**
 * Accessibility of every main screen in web mode, in Debian's Chromium, in
 * the light and the dark theme: axe-core finds no serious or critical
 * violation; no visible text is smaller than 11 px; buttons have names that
 * are unique on the screen, or unique inside a labelled group; results,
 * errors and "Copied" sit in live regions; a lint finding marks its CDB
 * field invalid and is linked to it; the hex view exposes rows and cells.
 * Each screen is photographed at 1280×800 and 1920×1080 into
 * tests/e2e/screenshots/screen-<nn>-<name>-<theme>-<w>x<h>.png.
 *
 * axe-core goes in through `page.evaluate` of its source (a DevTools
 * evaluation), not a <script> tag: the page's Content-Security-Policy
 * (script-src 'self') refuses inline scripts, and keeping it switched on —
 * rather than a context with bypassCSP — means the page is audited exactly as
 * a user gets it, its styles and scripts limited by the same policy.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { AxeResults, RunOptions } from 'axe-core';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_SET_TEXT } from '../acme-vendor-set';
import { FOUNDING, pasteFoundingReport } from '../founding-report';
import { SCREENSHOTS as SHOTS, startWebApp, type WebApp } from './browser';

const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const;
/** The machine is shared and slow at times: answers get this long to show. */
const POLL = { timeout: 20_000 };

interface Violation {
  readonly id: string;
  readonly impact: string;
  readonly help: string;
  readonly nodes: readonly { readonly target: string; readonly summary: string }[];
}

/** axe-core's serious and critical violations on the whole page, as plain data. */
async function axeViolations(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(context: Document, options: RunOptions): Promise<AxeResults> };
      }
    ).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact ?? '',
        help: v.help,
        nodes: v.nodes.map((n) => ({
          target: n.target.join(' '),
          summary: n.failureSummary ?? '',
        })),
      }));
  });
}

function describeViolations(vs: readonly Violation[]): string {
  return vs
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n${v.nodes
          .map((n) => `  at ${n.target}\n    ${n.summary.replace(/\n/g, '\n    ')}`)
          .join('\n')}`,
    )
    .join('\n');
}

/** Rendered elements whose own text (or a form control's) is set below 11 px. */
function smallText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const small: string[] = [];
    for (const el of document.body.querySelectorAll('*')) {
      if (el.getClientRects().length === 0) continue;
      const style = getComputedStyle(el);
      if (style.visibility !== 'visible') continue;
      const control = el.matches('input, select, textarea, button');
      const ownText = [...el.childNodes].some(
        (n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '',
      );
      if (!control && !ownText) continue;
      const px = parseFloat(style.fontSize);
      if (px < 11)
        small.push(`${el.tagName.toLowerCase()}.${el.className} ${px}px: ${el.textContent}`);
    }
    return small;
  });
}

/**
 * Buttons whose accessible name another button on the screen shares inside
 * the same labelled group (the nearest group, region, form, toolbar, search
 * or navigation with a name; the page when none). Names come from axe-core's
 * own accessible-name computation.
 */
async function duplicateButtonNames(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(() => {
    interface AxeInPage {
      setup(node: Document): unknown;
      teardown(): void;
      commons: {
        text: { accessibleText(el: Element): string };
        aria: { getRole(el: Element): string | null };
        dom: { isVisibleToScreenReaders(el: Element): boolean };
      };
    }
    const axe = (window as unknown as { axe: AxeInPage }).axe;
    const GROUPS = new Set(['group', 'region', 'form', 'toolbar', 'search', 'navigation']);
    axe.setup(document);
    try {
      const seen = new Map<string, number>();
      for (const el of document.querySelectorAll(
        'button, [role="button"], input[type="button"], input[type="submit"], summary',
      )) {
        if (!axe.commons.dom.isVisibleToScreenReaders(el)) continue;
        let group = '(page)';
        for (let a = el.parentElement; a; a = a.parentElement) {
          const role = axe.commons.aria.getRole(a);
          const name = role && GROUPS.has(role) ? axe.commons.text.accessibleText(a) : '';
          if (name !== '') {
            group = `${role ?? ''} "${name}"`;
            break;
          }
        }
        const key = `button "${axe.commons.text.accessibleText(el)}" in ${group}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
      return [...seen].filter(([, n]) => n > 1).map(([k, n]) => `${n}× ${k}`);
    } finally {
      axe.teardown();
    }
  });
}

describe.each(['light', 'dark'] as const)('accessibility in the %s theme', (theme) => {
  let app: WebApp;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    app = await startWebApp();
    page = await app.openPage(SIZES[0], (p) => {
      // A locator that never matches fails inside a poll's time, not after the test's.
      p.context().setDefaultTimeout(POLL.timeout);
    });
    // "Copy" writes to the clipboard: granted, as a user's click grants it.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: new URL(page.url()).origin,
    });
    await page.getByLabel('theme').selectOption(theme);
    await page.waitForFunction((t) => document.documentElement.dataset['theme'] === t, theme);
    await page.getByText('emu:card-reader').waitFor(POLL);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  /**
   * The screen as it stands: axe-core, text sizes and button names checked
   * at 1280×800, then photographed at each size with the top of `show` at
   * the top of the window (the page's top when there is none).
   */
  async function audit(screen: number, name: string, show?: Locator): Promise<void> {
    await page.setViewportSize(SIZES[0]);
    const violations = await axeViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    expect(await smallText(page)).toEqual([]);
    expect(await duplicateButtonNames(page)).toEqual([]);
    for (const size of SIZES) {
      await page.setViewportSize(size);
      // The part the screen is about at the top of the window (or the page's top).
      if (show) await show.evaluate((el) => el.scrollIntoView({ block: 'start' }));
      else await page.evaluate(() => window.scrollTo(0, 0));
      const file = `screen-${String(screen).padStart(2, '0')}-${name}-${theme}-${size.width}x${size.height}.png`;
      await page.screenshot({ path: join(SHOTS, file) });
    }
    await page.setViewportSize(SIZES[0]);
  }

  const send = (): Locator => page.getByRole('button', { name: 'Send', exact: true });
  const results = (): Locator => page.getByRole('region', { name: 'results' });

  it('the device picker with the device list', async () => {
    expect(
      await page.getByRole('navigation', { name: 'devices' }).getByRole('radio').count(),
    ).toBeGreaterThan(3);
    await audit(1, 'device-picker');
  });

  it('the editor with a lint finding that marks its fields invalid and is linked to them', async () => {
    await page.getByRole('radio', { name: /emu:spc2-bridge/ }).check();
    await page.getByLabel('cdb hex').fill(FOUNDING.cdb);
    await page.getByLabel('transfer length', { exact: true }).fill('512');
    const finding = page.getByTestId('lint-layout-ambiguity');
    await expect.poll(() => finding.textContent(), POLL).toMatch(/Byte 3 is 0x24/);
    const findingId = await finding.getAttribute('id');
    expect(findingId).toBeTruthy();
    // The hex row and ALLOCATION LENGTH (bytes 3–4, which byte 3 belongs to) are both marked.
    const editor = page.getByRole('region', { name: 'CDB editor' });
    for (const field of [
      editor.getByRole('textbox', { name: 'cdb hex', exact: true }),
      editor
        .getByRole('table', { name: 'fields' })
        .getByLabel('ALLOCATION LENGTH', { exact: true }),
    ]) {
      expect(await field.getAttribute('aria-invalid')).toBe('true');
      expect((await field.getAttribute('aria-describedby'))?.split(' ')).toContain(findingId);
      expect(await field.getAttribute('aria-errormessage')).toBe(findingId);
    }
    // A field no finding concerns is not marked.
    expect(
      await editor
        .getByRole('table', { name: 'fields' })
        .getByLabel('EVPD', { exact: true })
        .getAttribute('aria-invalid'),
    ).toBeNull();
    await audit(2, 'editor-lint');
  });

  it('CHECK CONDITION with the sense explained, announced in the results’ live region', async () => {
    await send().click();
    const live = results()
      .getByRole('status')
      .filter({ has: page.getByTestId('status') });
    await expect.poll(() => live.textContent(), POLL).toMatch(/^CHECK CONDITION/);
    expect(await page.getByTestId('sense').textContent()).toMatch(/INVALID FIELD IN CDB/);
    await audit(3, 'check-condition', results());
  });

  it('a decoded result and the hex view’s rows and cells; "Copied" is announced', async () => {
    await page.getByTestId('apply-fix').click();
    await send().click();
    const live = results()
      .getByRole('status')
      .filter({ has: page.getByTestId('status') });
    await expect.poll(() => live.textContent(), POLL).toMatch(/^GOOD/);
    expect(await page.getByTestId('decoded').textContent()).toMatch(/OLDBRDG/);
    const grid = page.getByRole('grid', { name: 'data-in' });
    expect(await grid.getByRole('row').count()).toBe(3);
    expect(await grid.getByRole('gridcell').count()).toBe(36);
    expect(await grid.getByRole('rowheader').first().getAttribute('aria-label')).toBe('0x0000');
    await grid.locator('[data-offset="8"]').click();
    await grid.locator('[data-offset="15"]').click({ modifiers: ['Shift'] });
    expect(await grid.getByRole('gridcell', { selected: true }).count()).toBe(8);
    const hexGroup = page.getByRole('group', { name: 'data-in' });
    await hexGroup.getByRole('button', { name: 'Copy hex' }).click();
    await expect
      .poll(() => hexGroup.getByRole('status').filter({ hasText: 'Copied' }).textContent(), POLL)
      .toBe('Copied 8 bytes as hex.');
    await audit(4, 'decoded-result', results());
  });

  it('the history with several entries, each Re-run named for its entry', async () => {
    await page.getByLabel('cdb hex').fill('00 00 00 00 00 00');
    await page.getByLabel('direction').selectOption('none');
    await page.getByLabel('transfer length', { exact: true }).fill('0');
    await send().click();
    await page.getByLabel('cdb hex').fill('12 00 00 00 24 00');
    await page.getByLabel('direction').selectOption('in');
    await page.getByLabel('transfer length', { exact: true }).fill('36');
    await send().click();
    await expect.poll(() => page.locator('[data-testid^="history-"]').count(), POLL).toBe(4);
    for (let i = 1; i <= 4; i++)
      expect(await page.getByRole('button', { name: `Re-run #${i}`, exact: true }).count()).toBe(1);
    await page.getByLabel('compare #2').check();
    await page.getByLabel('compare #4').check();
    expect(await page.getByTestId('diff-data-in').textContent()).toMatch(/identical/);
    await audit(5, 'history', page.getByRole('region', { name: 'history' }));
  });

  it('presets with entries', async () => {
    for (const [name, folder] of [
      ['INQUIRY 36', 'identify'],
      ['INQUIRY 36 again', 'identify'],
      ['mine', ''],
    ] as const) {
      await page.getByLabel('preset name').fill(name);
      await page.getByLabel('preset folder').fill(folder);
      await page.getByRole('button', { name: 'Save preset' }).click();
      await expect.poll(() => page.getByTestId(`preset-${name}`).count(), POLL).toBe(1);
    }
    await audit(6, 'presets', page.getByRole('region', { name: 'presets' }));
  });

  it('the vendor sets panel, with an imported set and a sequence run', async () => {
    await page.getByRole('radio', { name: /emu:flash-stick/ }).check();
    await page.getByLabel('import vendor set').setInputFiles({
      name: 'acme.json',
      mimeType: 'application/json',
      buffer: Buffer.from(ACME_SET_TEXT),
    });
    await expect.poll(() => page.getByTestId('vendor-set-acme').count(), POLL).toBe(1);
    await page.getByRole('button', { name: 'Run Cool down' }).click();
    await expect
      .poll(() => page.getByTestId('sequence-run').textContent(), POLL)
      .toMatch(/every step GOOD/);
    await audit(7, 'vendor-sets', page.getByRole('region', { name: 'vendor sets' }));
  });

  it('a probe result', async () => {
    const probe = page.getByRole('region', { name: 'probe' });
    await probe.getByRole('button', { name: 'Probe' }).click();
    await expect
      .poll(() => probe.getByRole('list', { name: 'probe findings' }).count(), POLL)
      .toBe(1);
    await audit(8, 'probe', probe);
  });

  it('the exports: the command as sg_raw, DriverKit and JSON, and a drive exported to a VM', async () => {
    await page.getByText('Export as sg_raw').click();
    await expect.poll(() => page.getByTestId('export-sg-raw').isVisible(), POLL).toBe(true);
    await page.getByLabel('export profile').selectOption('spc2-bridge');
    await page.getByRole('button', { name: 'Start export' }).click();
    const row = page.locator('[data-testid^="export-export-"]');
    await expect.poll(() => row.count(), POLL).toBe(1);
    try {
      await audit(9, 'exports', page.getByRole('group', { name: 'export' }));
    } finally {
      await row.getByRole('button', { name: /^Stop/ }).click();
      await expect.poll(() => row.count(), POLL).toBe(0);
    }
  });

  it('the diagnose panel with the founding report diagnosed', async () => {
    const panel = page.getByRole('region', { name: 'diagnose' });
    await pasteFoundingReport(panel);
    await panel.getByRole('button', { name: 'Diagnose' }).click();
    await expect
      .poll(() => panel.getByTestId('diagnose-findings').locator('li.finding').count(), POLL)
      .toBeGreaterThan(0);
    await audit(10, 'diagnose', panel);
  });

  it('the connection lost, said in a status line and an alert', async () => {
    await app.stopBridge();
    const status = page.getByTestId('connection');
    await expect.poll(() => status.getAttribute('data-state'), POLL).toBe('reconnecting');
    expect(await status.getAttribute('role')).toBe('status');
    await expect
      .poll(
        () =>
          page
            .getByRole('alert')
            .filter({ hasText: /was lost/ })
            .count(),
        POLL,
      )
      .toBeGreaterThan(0);
    await audit(11, 'connection-lost');
  });
});
