/**
 * The Diagnose panel in web mode, in Debian's Chromium: the report that
 * started usbcdb (INQUIRY built as 12 00 00 24 00 00 with a 512-byte buffer,
 * GOOD status with TASK_COMPLETE, and sense 70 … 05 … 20 00 left in the
 * buffer) pasted into the panel gets the same top finding `usbcdb doctor`
 * gives for the same values.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../shared/doctor/types';
import { runUsbcdb } from '../cli-run';
import { FOUNDING_DOCTOR_ARGS, pasteFoundingReport } from '../founding-report';
import { SCREENSHOTS as SHOTS, startWebApp, type WebApp } from './browser';

let app: WebApp;
let page: Page;

beforeAll(async () => {
  app = await startWebApp();
  page = await app.openPage();
}, 60_000);

afterAll(async () => {
  await app?.close();
});

describe('web mode: diagnose what happened elsewhere', () => {
  it("gives the founding report's top finding, as usbcdb doctor does", async () => {
    const cli = await runUsbcdb([...FOUNDING_DOCTOR_ARGS, '--json']);
    const top = (JSON.parse(cli.out) as DoctorReport).diagnoses[0];
    if (!top) throw new Error(`usbcdb doctor found nothing: ${cli.out}${cli.err}`);

    const panel = page.getByRole('region', { name: 'diagnose' });
    await pasteFoundingReport(panel);
    await panel.getByRole('button', { name: 'Diagnose' }).click();

    const first = panel.getByTestId('diagnose-findings').locator('li.finding').first();
    await expect.poll(() => first.getAttribute('data-id')).toBe(top.id);
    const text = (await first.textContent()) ?? '';
    expect(text).toContain(`[${top.severity}] ${top.title}`);
    for (const line of [...top.detail, ...top.fix]) expect(text).toContain(line);
    // The live region sums it up in one sentence, ending once.
    const status = (await panel.getByRole('status').textContent()) ?? '';
    expect(status).toMatch(/^\d+ findings; first: /);
    expect(status).not.toMatch(/\.\.$/);

    mkdirSync(SHOTS, { recursive: true });
    await panel.screenshot({ path: join(SHOTS, '11-diagnose-elsewhere.png') });
  });
});
