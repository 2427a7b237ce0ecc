/**
 * The hex viewer end to end in web mode (the bridge serves the built
 * renderer, Debian's Chromium runs it, the emulated flash stick answers):
 * search for hex and text, go to an offset, navigation keys, a mouse drag,
 * the inspector's readings of bytes the emulator's profile fixes, a clicked
 * byte marking its decoded field, and screenshots in both themes
 * (tests/e2e/screenshots/, git-ignored).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS as SHOTS, startWebApp, type WebApp } from './browser';

let app: WebApp;
let page: Page;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  app = await startWebApp();
  page = await app.openPage();
}, 60_000);

afterAll(async () => {
  await app?.close();
});

const hex = (): Locator => page.getByTestId('hex-data-in');
const byte = (offset: number): Locator => hex().locator(`[data-offset="${offset}"]`);
const char = (offset: number): Locator => hex().locator(`[data-ascii-offset="${offset}"]`);
const selected = (): Promise<number[]> =>
  hex()
    .locator('.hex-byte.sel')
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-offset'))));
/** The inspector's decimal and hex cells for one reading. */
const reading = async (label: string): Promise<string[]> =>
  page.getByTestId('interpretation').locator(`tr[data-reading="${label}"] td`).allTextContents();

async function send(cdb: string, length: number): Promise<void> {
  await page.getByLabel('cdb hex').fill(cdb);
  await page.getByLabel('direction').selectOption('in');
  await page.getByLabel('transfer length', { exact: true }).fill(String(length));
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect.poll(() => page.getByTestId('status').textContent()).toBe('GOOD');
}

describe('hex viewer in web mode', () => {
  it('searches, goes to offsets, moves by keys, drags, inspects and links bytes to fields in INQUIRY data', async () => {
    await expect.poll(() => page.getByText('emu:flash-stick').count()).toBe(1);
    await page.getByRole('radio', { name: /emu:flash-stick/ }).check();
    // Standard INQUIRY data (SPC-5 6.7.2): T10 VENDOR IDENTIFICATION "USBCDB  " at 8–15,
    // PRODUCT IDENTIFICATION "Flash Stick     " at 16–31, PRODUCT REVISION LEVEL "1.00" at 32–35.
    await send('12 00 00 00 24 00', 36);
    expect(await hex().locator('.hex-size').textContent()).toBe('data-in: 36 bytes');

    // Shift+→ with nothing selected extends from where the cursor stands, byte 0, as a text field does.
    await hex().getByRole('grid').focus();
    await page.keyboard.press('Shift+ArrowRight');
    expect(await selected()).toEqual([0, 1]);

    // Text search: the one "Flash" is selected and marked.
    await page.getByLabel('search data-in as').selectOption('text');
    await page.getByLabel('find in data-in').fill('Flash');
    await page.getByLabel('find in data-in').press('Enter');
    expect(await page.getByTestId('found-data-in').textContent()).toBe('1 match · 1 of 1');
    expect(await selected()).toEqual([16, 17, 18, 19, 20]);
    expect(await hex().locator('.hex-byte.match').count()).toBe(5);

    // Hex search: "20 20" overlaps in the padded strings; every match is marked, next and previous step.
    await page.getByLabel('search data-in as').selectOption('hex');
    await page.getByLabel('find in data-in').fill('55 53 42');
    await page.getByRole('button', { name: 'next match in data-in' }).click();
    expect(await page.getByTestId('found-data-in').textContent()).toBe('1 match · 1 of 1');
    expect(await selected()).toEqual([8, 9, 10]);
    await page.getByLabel('find in data-in').fill('2020');
    await page.getByLabel('find in data-in').press('Enter');
    // Spaces at 14–15 and 27–31: matches at 14, 27, 28, 29, 30.
    // The search starts at the selection (byte 8), so 14 comes first.
    expect(await page.getByTestId('found-data-in').textContent()).toBe('5 matches · 1 of 5');
    expect(await selected()).toEqual([14, 15]);
    await page.getByRole('button', { name: 'next match in data-in' }).click();
    expect(await selected()).toEqual([27, 28]);
    await page.getByRole('button', { name: 'previous match in data-in' }).click();
    expect(await selected()).toEqual([14, 15]);
    await page.getByRole('button', { name: 'previous match in data-in' }).click();
    expect(await page.getByTestId('found-data-in').textContent()).toBe('5 matches · 5 of 5');
    const marked = await hex()
      .locator('.hex-byte.match')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-offset'))));
    expect(marked).toEqual([14, 15, 27, 28, 29, 30, 31]);

    // Go to offset, in hex: the revision "1.00" read as a big-endian u32.
    await page.getByLabel('offset to go to in data-in').fill('0x20');
    await page.getByLabel('offset to go to in data-in').press('Enter');
    expect(await selected()).toEqual([32]);
    expect(await reading('offset')).toEqual(['32', '0x20']);
    expect(await reading('u32 BE')).toEqual(['825110576', '0x312e3030']);

    // Keys: Home and End keep to the row (the data ends at 35), Ctrl+Home/End go to its ends.
    const grid = hex().getByRole('grid');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Home');
    expect(await selected()).toEqual([32]);
    await page.keyboard.press('End');
    expect(await selected()).toEqual([35]);
    await page.keyboard.press('Control+Home');
    expect(await selected()).toEqual([0]);
    await page.keyboard.press('Control+End');
    expect(await selected()).toEqual([35]);
    await page.keyboard.press('Shift+ArrowUp');
    expect(await selected()).toEqual(Array.from({ length: 17 }, (_, i) => 19 + i));
    await page.keyboard.press('PageUp');
    expect(await selected()).toEqual([0]);
    expect(await grid.evaluate((g) => g === document.activeElement)).toBe(true);

    // A mouse drag from byte 8 to byte 15 registers the whole vendor string.
    const from = await byte(8).boundingBox();
    const to = await byte(15).boundingBox();
    if (!from || !to) throw new Error('bytes 8 and 15 are not laid out');
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
    await page.mouse.up();
    expect(await selected()).toEqual([8, 9, 10, 11, 12, 13, 14, 15]);
    expect(await page.getByTestId('interpretation').textContent()).toMatch(/bytes 8–15/);
    // "USBC": the inspector against bytes the profile fixes.
    expect(await reading('u8')).toEqual(['85', '0x55']);
    expect(await reading('u16 BE')).toEqual(['21843', '0x5553']);
    expect(await reading('u32 BE')).toEqual(['1431519811', '0x55534243']);
    expect(await reading('u32 LE')).toEqual(['1128420181', '0x43425355']);
    expect(await reading('u64 BE')).toEqual(['6148330772966285344', '0x5553424344422020']);
    expect(await reading('length')).toEqual(['8', '0x8']);
    expect(await reading('ASCII')).toEqual(['"USBCDB  "', '']);

    // A drag across rows, ending in the ASCII column, selects everything between.
    const rowEnd = await char(20).boundingBox();
    if (!rowEnd) throw new Error('character 20 is not laid out');
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(rowEnd.x + rowEnd.width / 2, rowEnd.y + rowEnd.height / 2, { steps: 8 });
    await page.mouse.up();
    expect(await selected()).toEqual(Array.from({ length: 13 }, (_, i) => 8 + i));

    // The ASCII column is fixed-width: a space is as wide as a letter, and runs of them stay.
    const letter = await char(8).boundingBox();
    const space = await char(14).boundingBox();
    expect(space?.width).toBeGreaterThan(0);
    expect(space?.width).toBeCloseTo(letter?.width ?? 0, 1);
    expect(await hex().locator('.hex-row').nth(1).locator('.hex-ascii').textContent()).toBe(
      'Flash Stick     ',
    );

    // Clicking a byte of the product string marks the decoded Product row and names it.
    await byte(18).click();
    const picked = page.getByTestId('decoded').locator('tr.picked');
    expect(await picked.textContent()).toMatch(/Product/);
    expect(await page.getByTestId('inspector-field').textContent()).toMatch(/Product/);
    expect(await hex().locator('.hex-byte.field').count()).toBe(16);
    // Hovering a field still lights its bytes.
    await page
      .getByTestId('decoded')
      .getByRole('row', { name: /Vendor/ })
      .hover();
    expect(await hex().locator('.hex-byte.lit').count()).toBe(8);

    await page.locator('.results').screenshot({ path: join(SHOTS, 'hex-viewer-inquiry.png') });
  }, 60_000);

  it('copies the selected bytes as hex with Ctrl+C, as Copy hex does, and selects them all with Ctrl+A', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: new URL(page.url()).origin,
    });
    await page.getByRole('radio', { name: /emu:flash-stick/ }).check();
    await send('12 00 00 00 24 00', 36);
    await byte(8).click();
    await byte(15).click({ modifiers: ['Shift'] });
    await page.keyboard.press('Control+c');
    await expect
      .poll(() => hex().getByRole('status').filter({ hasText: 'Copied' }).textContent())
      .toBe('Copied 8 bytes as hex.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
      '55 53 42 43 44 42 20 20',
    );
    // Ctrl+A selects the 36 bytes, not the page's text.
    await page.keyboard.press('Control+a');
    expect(await selected()).toHaveLength(36);
    expect(await page.evaluate(() => String(window.getSelection()))).toBe('');
    await page.keyboard.press('Control+c');
    await expect
      .poll(() => hex().getByRole('status').filter({ hasText: 'Copied' }).textContent())
      .toBe('Copied 36 bytes as hex.');
  }, 60_000);

  it('reads 4 KiB of blocks: size in KiB, pages, Ctrl+End scrolls to the last byte; both themes', async () => {
    await page.getByRole('radio', { name: /emu:flash-stick/ }).check();
    await send('28 00 00 00 00 00 00 00 08 00', 4096);
    expect(await hex().locator('.hex-size').textContent()).toBe('data-in: 4 KiB');
    await byte(0).click();
    await page.keyboard.press('PageDown');
    expect(await selected()).toEqual([256]);
    await page.keyboard.press('Control+End');
    expect(await selected()).toEqual([4095]);
    await expect.poll(() => byte(4095).isVisible()).toBe(true);
    expect(await byte(4095).getAttribute('aria-label')).toBe('offset 0x0fff, byte 00 hex');
    await page.getByLabel('offset to go to in data-in').fill('1000h');
    await page.getByLabel('offset to go to in data-in').press('Enter');
    expect(await page.getByRole('alert').first().textContent()).toMatch(/past the end/);
    await page.getByLabel('offset to go to in data-in').fill('2048');
    await page.getByLabel('offset to go to in data-in').press('Enter');
    expect(await selected()).toEqual([2048]);
    await page.keyboard.press('Shift+End');

    await hex().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'hex-viewer-light.png') });
    await page.getByLabel('theme').selectOption('dark');
    expect(await page.evaluate(() => document.documentElement.dataset['theme'])).toBe('dark');
    await hex().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'hex-viewer-dark.png') });
    await page.getByLabel('theme').selectOption('light');
  }, 60_000);
});
