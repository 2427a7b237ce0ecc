/**
 * The editor's flows end to end in web mode, in Debian's Chromium at
 * 1280×800: Find, Catalog and CDB laid out a line each, the data phase of a picked command, Send that stays in view and
 * says why it cannot send, stale results, the keyboard, export with lint,
 * a misreported residue, field values in hex, presets and history that fit,
 * a draft and history that survive a reload, and a failing IPC call that
 * ends in its panel's error.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SCREENSHOTS, startWebApp, VIEWPORT, type WebApp } from './browser';
import { findProfile } from '../../src-main/emulator/profiles';

/** The machine is shared and slow at times: answers get this long to show. */
const POLL = { timeout: 20_000 };

let app: WebApp;
let page: Page;
/** Errors the page threw or promises it left rejected, per test. */
let pageErrors: string[] = [];

beforeAll(async () => {
  app = await startWebApp();
}, 60_000);

afterAll(async () => {
  await app?.close();
});

/** A fresh tab (so a fresh session) on the bridge's page, its devices listed. */
beforeEach(async () => {
  await page?.close();
  pageErrors = [];
  page = await app.openPage(VIEWPORT, (p) => {
    p.on('pageerror', (e) => pageErrors.push(e.message));
  });
  await expect.poll(() => page.getByText('emu:card-reader').count(), POLL).toBe(1);
}, 60_000);

const send = () => page.getByRole('button', { name: 'Send', exact: true });
const hex = () => page.getByLabel('cdb hex');

/** True when the element's whole box lies inside the 1280×800 viewport. */
async function inViewport(box: { x: number; y: number; width: number; height: number } | null) {
  return (
    box !== null &&
    box.x >= 0 &&
    box.y >= 0 &&
    box.x + box.width <= VIEWPORT.width &&
    box.y + box.height <= VIEWPORT.height
  );
}

describe('editor flows in web mode', () => {
  it('shows Find, Catalog and CDB each on one line, the control beside its name', async () => {
    for (const control of ['find command', 'command', 'cdb hex']) {
      const field = page.getByLabel(control, { exact: true });
      const label = field.locator('xpath=ancestor::label[1]');
      const [f, l] = [await field.boundingBox(), await label.boundingBox()];
      // A label that wrapped has its name on one line and the control on the next: a box two
      // lines high, the control below the name.
      expect({ control, oneLine: f !== null && l !== null && l.height < f.height * 1.6 }).toEqual({
        control,
        oneLine: true,
      });
    }
  });

  it('a failing preset delete ends in the Presets panel’s error, not an unhandled rejection', async () => {
    await page.getByLabel('preset name').fill('doomed');
    await page.getByRole('button', { name: 'Save preset' }).click();
    await expect.poll(() => page.getByTestId('preset-doomed').count()).toBe(1);
    // The main process goes away under the page: every call fails.
    await app.stopBridge();
    try {
      await page.getByRole('button', { name: 'delete doomed' }).click();
      await expect
        .poll(() => page.getByLabel('presets').getByRole('alert').textContent())
        .toMatch(/\S/);
      expect(pageErrors).toEqual([]);
    } finally {
      // Back for the tests after this one, whatever happened here.
      await app.startBridge();
    }
  }, 60_000);

  it('READ(10) takes its data phase from the catalog at the device’s block size; none is a lint error with a fix', async () => {
    await page.getByRole('radio', { name: /emu:sata-bridge/ }).check();
    await page.getByLabel('command', { exact: true }).selectOption('read10');
    expect(await page.getByLabel('direction').inputValue()).toBe('in');
    // One block of the SSD's 4 KiB sectors: the emulated drive's profile says so before any command.
    expect(await page.getByLabel('transfer length', { exact: true }).inputValue()).toBe('4096');
    await page.getByLabel('direction').selectOption('none');
    await expect
      .poll(() => page.getByTestId('lint-no-data-phase').textContent())
      .toMatch(/READ\(10\) moves 4096 bytes from the device.*direction is none/);
    await page.getByTestId('apply-fix').click();
    expect(await page.getByLabel('direction').inputValue()).toBe('in');
    await send().click();
    await expect.poll(() => page.getByTestId('status').textContent()).toBe('GOOD');
  }, 60_000);

  it('decodes a log page: LOG SENSE of the temperature page on the updatable disk', async () => {
    await page.getByRole('radio', { name: /emu:fw-updatable/ }).check();
    // PC 01b (cumulative values), page 0Dh: what sg_logs and smartctl ask.
    await hex().fill('4d 00 4d 00 00 00 00 00 40 00');
    await page.getByLabel('direction').selectOption('in');
    await page.getByLabel('transfer length', { exact: true }).fill('64');
    await send().click();
    await expect.poll(() => page.getByTestId('status').textContent()).toBe('GOOD');
    const decoded = page.getByTestId('decoded');
    expect(
      await decoded
        .getByRole('row', { name: /^Page\b/ })
        .first()
        .textContent(),
    ).toMatch(/0Dh Temperature/);
    expect(
      await decoded
        .getByRole('row', { name: /^Temperature/ })
        .first()
        .textContent(),
    ).toMatch(new RegExp(`${findProfile('fw-updatable')?.logPages?.temperature} °C`));
    await decoded.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'editor-flows-log-sense.png') });
  }, 60_000);

  it('bytes that came in before a CHECK CONDITION are said not to be an answer', async () => {
    // The SATA bridge filters vendor opcodes and fills the data stage before failing.
    await page.getByRole('radio', { name: /emu:sata-bridge/ }).check();
    await hex().fill('c2 00 00 00 00 00 00 00 01 00');
    await page.getByLabel('direction').selectOption('in');
    await page.getByLabel('transfer length', { exact: true }).fill('16');
    await send().click();
    await expect.poll(() => page.getByTestId('status').textContent()).toBe('CHECK CONDITION');
    expect(await page.getByTestId('data-in-not-answer').textContent()).toMatch(
      /These 16 bytes came in before the command failed/,
    );
  }, 60_000);

  it('loads and sends without a console error: no CSP violation from zod, no missing icon', async () => {
    const errors: string[] = [];
    await page.close();
    page = await app.openPage(VIEWPORT, (p) => {
      p.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      p.on('pageerror', (e) => pageErrors.push(e.message));
    });
    await expect.poll(() => page.getByText('emu:card-reader').count(), POLL).toBe(1);
    await page.getByRole('radio', { name: /emu:flash-stick/ }).check();
    await hex().fill('12 00 00 00 24 00');
    await page.getByLabel('direction').selectOption('in');
    await page.getByLabel('transfer length', { exact: true }).fill('36');
    await send().click();
    await expect.poll(() => page.getByTestId('status').textContent()).toBe('GOOD');
    expect(errors).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('a phase error gets the doctor’s diagnosis', async () => {
    await page.getByRole('radio', { name: /emu:flash-stick/ }).check();
    await hex().fill('28 00 00 00 00 00 00 00 01 00');
    await page.getByLabel('direction').selectOption('none');
    await send().click();
    await expect.poll(() => page.getByTestId('status').textContent()).toMatch(/Transport/);
    expect(await page.getByTestId('diagnosis').textContent()).toMatch(/phase/i);
  }, 60_000);

  it('keeps Send in view with warnings showing, sends on Ctrl+Enter after a Fix click, and marks a stale result', async () => {
    await page.getByRole('radio', { name: /emu:spc2-bridge/ }).check();
    await hex().fill('12 e0 00 24 00 00');
    await page.getByLabel('transfer length', { exact: true }).fill('512');
    await expect.poll(() => page.locator('.lint .finding').count()).toBeGreaterThan(2);
    expect(await inViewport(await send().boundingBox())).toBe(true);
    await page.screenshot({
      path: join(SCREENSHOTS, 'editor-flows-send-in-view.png'),
    });
    await page.getByTestId('apply-fix').click();
    // The Fix button is gone and focus with it: the shortcut still works.
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.getByTestId('status').textContent()).toBe('GOOD');
    expect(await page.getByTestId('stale').count()).toBe(0);
    await hex().fill('12 00 00 00 10 00');
    await expect
      .poll(() => page.getByTestId('stale').textContent())
      .toMatch(
        /Stale: this answers 12 00 00 00 24 00 as sent before; the CDB is now 12 00 00 00 10 00/,
      );
  }, 60_000);

  it('says why Send cannot send: malformed hex, a 20-byte CDB', async () => {
    await hex().fill('12 00 0g');
    await expect
      .poll(() => page.getByTestId('send-blocked').textContent())
      .toMatch(/malformed.*"0g"/);
    expect(await send().isDisabled()).toBe(true);
    await hex().fill(Array.from({ length: 20 }, () => '00').join(' '));
    await expect
      .poll(() => page.getByTestId('send-blocked').textContent())
      .toMatch(/20 bytes; a Bulk-Only CBW carries 1–16/);
    await page.keyboard.press('Control+Enter');
    await expect
      .poll(() =>
        page
          .getByLabel('results')
          .count()
          .then(async () => page.locator('.results').textContent()),
      )
      .toMatch(/carries 1–16.*Nothing was sent/);
  }, 60_000);

  it('sends the data-out hex typed in its box on Ctrl+Enter there, nothing while it is malformed, nor from its hex view’s search box', async () => {
    await page.getByRole('radio', { name: /emu:flash-stick/ }).check();
    /** READ(10) or WRITE(10) of one block at LBA 77, a block no other test reads. */
    const pick = async (command: string): Promise<void> => {
      await page.getByLabel('command', { exact: true }).selectOption(command);
      await page.getByLabel('LOGICAL BLOCK ADDRESS').fill('77');
      await page.getByLabel('LOGICAL BLOCK ADDRESS').press('Enter');
    };
    await pick('write10');
    const length = Number(await page.getByLabel('transfer length', { exact: true }).inputValue());
    const box = page.getByLabel('data-out hex');
    await box.fill('de ad be eg');
    await box.press('Control+Enter');
    await expect
      .poll(() => page.getByTestId('send-blocked').textContent())
      .toMatch(/data-out hex is malformed.*"eg" is not hexadecimal: "g" at byte 3;/);
    expect(await page.locator('[data-testid^="history-"]').count()).toBe(0);
    await box.fill(['de', 'ad', 'be', 'ef', ...Array<string>(length - 4).fill('00')].join(' '));
    await box.press('Control+Enter');
    await expect.poll(() => page.getByTestId('status').textContent(), POLL).toBe('GOOD');
    expect(await page.locator('[data-testid^="history-"]').count()).toBe(1);
    // Ctrl+Enter in the data-out hex view's search box is that box's: the WRITE is not sent again.
    await page.getByLabel('find in data-out').fill('be ef');
    await page.getByLabel('find in data-out').press('Control+Enter');
    await page.getByLabel('find in data-out').press('Enter');
    await expect.poll(() => page.getByTestId('found-data-out').textContent()).toMatch(/1 match/);
    expect(await page.locator('[data-testid^="history-"]').count()).toBe(1);
    await pick('read10');
    await send().click();
    await expect.poll(() => page.locator('[data-testid^="history-"]').count(), POLL).toBe(2);
    const first = await page
      .getByTestId('hex-data-in')
      .locator('.hex-byte')
      .evaluateAll((els) => els.slice(0, 5).map((e) => e.textContent));
    expect(first).toEqual(['de', 'ad', 'be', 'ef', '00']);
  }, 60_000);

  it('shows the exported command’s lint findings and exports the fixed command on request', async () => {
    await page.getByRole('radio', { name: /emu:flash-stick/ }).check();
    await hex().fill('28 00 00 00 00 00 00 00 01 00');
    await page.getByLabel('direction').selectOption('in');
    await page.getByLabel('transfer length', { exact: true }).fill('1024');
    await page.getByText('Export as sg_raw').click();
    expect(await page.getByTestId('export-lint').textContent()).toMatch(
      /warning.*1024 bytes data-in/,
    );
    expect(await page.getByTestId('export-driverkit').textContent()).toMatch(
      /fRequestedByteCountOfTransfer = 1024; \/\/ DISAGREES with the CDB, which asks for 512 bytes in/,
    );
    await page.getByTestId('export-fixed').getByRole('checkbox').check();
    expect(await page.getByTestId('export-sg-raw').textContent()).toBe(
      'sg_raw -r 512 /dev/sg0 28 00 00 00 00 00 00 00 01 00',
    );
    expect(await page.getByTestId('export-driverkit').textContent()).toMatch(
      /= 512; \/\/ equal to the CDB's TRANSFER LENGTH \(512 bytes\)/,
    );
  }, 60_000);

  it('flags the SATA bridge’s residue 0 on a padded answer and marks the padding in the hex view', async () => {
    await page.getByRole('radio', { name: /emu:sata-bridge/ }).check();
    await hex().fill('12 00 00 00 ff 00');
    await page.getByLabel('transfer length', { exact: true }).fill('255');
    await send().click();
    await expect
      .poll(() => page.getByTestId('residue-flag').textContent())
      .toMatch(/residue 0 — all 255 bytes sent — but its answer is 96 bytes/);
    expect(
      await page.locator('[data-testid="hex-data-in"] .hex-byte.missing').count(),
    ).toBeGreaterThan(0);
  }, 60_000);

  it('shows field values in hex and decimal', async () => {
    await page.getByLabel('command', { exact: true }).selectOption('inquiry');
    expect(await page.getByLabel('OPERATION CODE').textContent()).toBe('12h (18)');
    expect(await page.getByTestId('field-value-allocationLength').textContent()).toBe('24h (36)');
  }, 30_000);

  it('drops a field’s refusal when another command is picked', async () => {
    await page.getByLabel('command', { exact: true }).selectOption('inquiry');
    const length = page.getByLabel('ALLOCATION LENGTH', { exact: true });
    await length.fill('70000');
    await length.press('Enter');
    await expect
      .poll(() =>
        page
          .getByRole('alert')
          .filter({ hasText: /ALLOCATION LENGTH holds 0–65535/ })
          .count(),
      )
      .toBe(1);
    await page.getByLabel('command', { exact: true }).selectOption('read-capacity10');
    await expect.poll(() => hex().inputValue()).toBe('25 00 00 00 00 00 00 00 00 00');
    expect(await page.getByText(/ALLOCATION LENGTH holds/).count()).toBe(0);
    // Back to INQUIRY: the refusal does not come back.
    await page.getByLabel('command', { exact: true }).selectOption('inquiry');
    await expect.poll(() => hex().inputValue()).toBe('12 00 00 00 24 00');
    expect(await page.getByText(/ALLOCATION LENGTH holds/).count()).toBe(0);
  }, 30_000);

  it('takes a field value typed key by key in hex once complete, and keeps the fields a short CDB holds', async () => {
    await page.getByLabel('command', { exact: true }).selectOption('read10');
    const lba = page.getByLabel('LOGICAL BLOCK ADDRESS', { exact: true });
    await lba.click();
    await lba.press('Control+a');
    // "0x" on the way to "0x10" is no number yet: the box keeps it, and Enter commits the value.
    await lba.pressSequentially('0x10');
    expect(await hex().inputValue()).toBe('28 00 00 00 00 00 00 00 01 00');
    await lba.press('Enter');
    await expect.poll(() => hex().inputValue()).toBe('28 00 00 00 00 10 00 00 01 00');
    const length = page.getByLabel('TRANSFER LENGTH', { exact: true });
    await length.click();
    await length.press('Control+a');
    await length.pressSequentially('1Fh');
    // Focus leaving the box commits its value too.
    await hex().click();
    await expect.poll(() => hex().inputValue()).toBe('28 00 00 00 00 10 00 00 1f 00');
    // Once committed, the box shows the CDB's value (in decimal, hex beside it).
    expect(await lba.inputValue()).toBe('16');
    expect(await page.getByTestId('field-value-transferLength').textContent()).toBe('1Fh (31)');
    // A READ(10) cut short at 9 bytes: what it holds reads as typed, the missing field says so.
    await hex().fill('28 00 00 00 00 10 00 00 01');
    await expect.poll(() => page.getByTestId('field-value-lba').textContent()).toBe('10h (16)');
    expect(await page.getByLabel('OPERATION CODE').textContent()).toBe('28h (40)');
    expect(await page.getByTestId('field-value-transferLength').textContent()).toBe('1');
    expect(await page.getByTestId('field-value-controlVendor').textContent()).toBe(
      'missing: the CDB ends before byte 9',
    );
    expect(pageErrors).toEqual([]);
  }, 30_000);

  it('saves no preset while the CDB box does not read as hex, and starts the next preset without the last one’s notes', async () => {
    const save = page.getByRole('button', { name: 'Save preset' });
    await hex().fill('12 01 80 00 ff 0g');
    expect(await save.isDisabled()).toBe(true);
    expect(await page.locator('#preset-why').textContent()).toMatch(/does not read as hex/);
    await hex().fill('12 01 80 00 ff 00');
    await page.getByLabel('preset name').fill('serial');
    await page.getByLabel('preset notes').fill('unit serial number');
    await save.click();
    await expect.poll(() => page.getByTestId('preset-serial').count(), POLL).toBe(1);
    expect(await page.getByLabel('preset notes').inputValue()).toBe('');
    expect(await page.getByTestId('preset-serial').textContent()).toMatch(/12 01 80 00 ff 00/);
    await page
      .getByTestId('preset-serial')
      .getByRole('button', { name: /delete/ })
      .click();
  }, 30_000);

  it('keeps Ctrl+Enter in the Diagnose box for that box: the editor’s WRITE(10) is not sent', async () => {
    await page.getByLabel('command', { exact: true }).selectOption('write10');
    await page.locator('#diagnose-cdb').fill('12 00 00 00 24 00');
    await page.locator('#diagnose-cdb').press('Control+Enter');
    await page.getByLabel('command', { exact: true }).selectOption('inquiry');
    await send().click();
    await expect.poll(() => page.getByTestId('status').textContent(), POLL).toBe('GOOD');
    // Only the INQUIRY went out.
    expect(await page.locator('[data-testid^="history-"]').count()).toBe(1);
    expect(await page.getByTestId('history-0').textContent()).toMatch(/12 00 00 00 24 00/);
  }, 30_000);

  it('fits every command’s fields and the catalog picker inside the Command panel from 1280 px down to a 700 px window: no sideways scrolling', async () => {
    const picker = page.getByLabel('command', { exact: true });
    const options = await picker.evaluate((el) =>
      [...(el as HTMLSelectElement).options].map((o) => ({ value: o.value, text: o.text })),
    );
    // The longest name in the list (a vendor command's, with its set's name) and commands with
    // the widest fields: INQUIRY's PAGE CODE list, READ(16)'s 64-bit LBA, ATA PASS-THROUGH(16)'s
    // many named values; at the default width, a laptop's 1024, and each side of the layout's
    // 1000 px step (app.css).
    const longest = options.reduce((a, b) => (b.text.length > a.text.length ? b : a));
    const panel = page.getByRole('region', { name: 'CDB editor' });
    for (const width of [VIEWPORT.width, 1024, 1001, 1000, 700]) {
      await page.setViewportSize({ width, height: VIEWPORT.height });
      for (const command of [longest.value, 'inquiry', 'read16', 'ata-pass-through16']) {
        await picker.selectOption(command);
        expect(await page.getByLabel('fields').count()).toBe(1);
        const overflow = await panel.evaluate((el) => el.scrollWidth - el.clientWidth);
        const page_ = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect({ width, command, overflow, page: page_ }).toEqual({
          width,
          command,
          overflow: 0,
          page: 0,
        });
      }
    }
  }, 60_000);

  it('undoes a preset delete, imports upper-case hex without ids, and keeps history inside 1280 px with unique Re-run names', async () => {
    await page.getByLabel('preset name').fill('keep me');
    await page.getByRole('button', { name: 'Save preset' }).click();
    await expect.poll(() => page.getByTestId('preset-keep me').count()).toBe(1);
    await page.getByRole('button', { name: 'delete keep me' }).click();
    await expect.poll(() => page.getByTestId('preset-keep me').count()).toBe(0);
    await page.getByRole('button', { name: 'Undo delete of keep me' }).click();
    await expect.poll(() => page.getByTestId('preset-keep me').count()).toBe(1);

    await page.getByLabel('import presets').setInputFiles({
      name: 'hand.json',
      mimeType: 'application/json',
      buffer: Buffer.from(
        JSON.stringify({
          usbcdbPresets: 1,
          presets: [
            { name: 'TUR', cdb: '00 00 00 00 00 00', direction: 'none', transferLength: 0 },
            {
              name: 'INQ',
              cdb: '12 00 00 00 24 00'.toUpperCase(),
              direction: 'in',
              transferLength: 36,
            },
          ],
        }),
      ),
    });
    await expect
      .poll(() => page.getByTestId('presets-note').textContent())
      .toBe('Imported 2 presets (TUR, INQ).');
    // Export hands over the presets file itself, as bytes: it holds what was just imported.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export presets' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('usbcdb-presets.json');
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8')) as {
      presets: { name: string }[];
    };
    // What earlier tests of this page left is there too; these three must be.
    expect(exported.presets.map((p) => p.name)).toEqual(
      expect.arrayContaining(['INQ', 'TUR', 'keep me']),
    );

    await page.getByRole('radio', { name: /emu:spc2-bridge/ }).check();
    await hex().fill('12 00 00 24 00 00');
    for (let i = 0; i < 12; i++) {
      await send().click();
      await expect.poll(() => page.locator('[data-testid^="history-"]').count()).toBe(i + 1);
    }
    for (let i = 1; i <= 12; i++) {
      const button = page.getByRole('button', { name: `Re-run #${i}`, exact: true });
      expect(await button.count()).toBe(1);
    }
    const last = page.getByRole('button', { name: 'Re-run #12', exact: true });
    await last.scrollIntoViewIfNeeded();
    const box = await last.boundingBox();
    expect(box && box.x + box.width).toBeLessThanOrEqual(VIEWPORT.width);
    expect(await page.getByTestId('history-0').textContent()).toMatch(/CHECK CONDITION/);
    const list = page.getByLabel('commands sent');
    expect(
      await list.evaluate(
        (el) => el.scrollHeight > el.clientHeight && getComputedStyle(el).overflowY,
      ),
    ).toBe('auto');
    const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(pageWidth).toBeLessThanOrEqual(VIEWPORT.width);
    await page.screenshot({
      path: join(SCREENSHOTS, 'editor-flows-history.png'),
      fullPage: true,
    });
  }, 90_000);

  it('keeps the draft and the history across a reload', async () => {
    await page.getByRole('radio', { name: /emu:spc2-bridge/ }).check();
    await hex().fill('12 00 00 00 24 00');
    await send().click();
    await expect.poll(() => page.getByTestId('status').textContent()).toBe('GOOD');
    await hex().fill('12 01 80 00 ff 00');
    await page.getByLabel('transfer length', { exact: true }).fill('255');
    await page.reload();
    await expect.poll(() => page.getByText('emu:card-reader').count(), POLL).toBe(1);
    expect(await hex().inputValue()).toBe('12 01 80 00 ff 00');
    expect(await page.getByLabel('transfer length', { exact: true }).inputValue()).toBe('255');
    expect(await page.getByRole('radio', { name: /emu:spc2-bridge/ }).isChecked()).toBe(true);
    expect(await page.getByTestId('history-0').textContent()).toMatch(/12 00 00 00 24 00.*GOOD/);
  }, 60_000);
});
