/**
 * End to end in web mode: the bridge serves the built renderer, Debian's
 * Chromium (driven by playwright-core) runs it, the engine answers with the
 * emulated drives. Screenshots of each step go to tests/e2e/screenshots/
 * (git-ignored) for a reviewer to look at.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_SET_TEXT } from '../acme-vendor-set';
import { SCREENSHOTS as SHOTS, startWebApp, type WebApp } from './browser';

/** The user's data folder (presets, images) for every bridge this file starts. */
const DATA = mkdtempSync(join(tmpdir(), 'usbcdb-e2e-'));
let app: WebApp;
let page: Page;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  app = await startWebApp({ dataDir: DATA });
  page = await app.openPage();
}, 60_000);

afterAll(async () => {
  await app?.close();
});

describe('web mode', () => {
  it("builds the report's INQUIRY, flags byte 3, fixes it in one click, sends it and decodes the answer", async () => {
    await expect.poll(() => page.getByText('emu:card-reader').count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, '0-device-picker.png') });
    await page.getByRole('radio', { name: /emu:spc2-bridge/ }).check();
    await page.getByLabel('cdb hex').fill('12 00 00 24 00 00');
    await page.getByLabel('transfer length').fill('512');
    await expect
      .poll(() => page.getByTestId('lint-layout-ambiguity').textContent())
      .toMatch(/Byte 3 is 0x24/);
    expect(await page.getByTestId('cdb-byte-3').getAttribute('class')).toContain('flagged');
    await page.screenshot({ path: join(SHOTS, '1-editor-lint.png') });

    // Sent as typed, the strict SPC-2 bridge refuses it, and the failure is explained.
    await page.getByRole('button', { name: /Send/ }).click();
    await expect.poll(() => page.getByTestId('status').textContent()).toBe('CHECK CONDITION');
    expect(await page.getByTestId('sense').textContent()).toMatch(/INVALID FIELD IN CDB/);
    expect(await page.getByTestId('diagnosis').textContent()).toMatch(/12 00 00 00 24 00/);
    // The sense's field pointer names byte 3: the editor marks it.
    expect(await page.getByTestId('cdb-byte-3').getAttribute('class')).toContain('pointed');
    await page.screenshot({ path: join(SHOTS, '2-failure-explained.png') });

    await page.getByTestId('apply-fix').click();
    expect(await page.getByLabel('cdb hex').inputValue()).toBe('12 00 00 00 24 00');
    expect(await page.getByLabel('transfer length').inputValue()).toBe('36');
    await page.getByRole('button', { name: /Send/ }).click();
    await expect.poll(() => page.getByTestId('status').textContent()).toBe('GOOD');
    expect(await page.getByTestId('decoded').textContent()).toMatch(/OLDBRDG/);
    // Bytes 8–15, T10 VENDOR IDENTIFICATION, in the hex and ASCII columns.
    expect(await page.getByTestId('hex-data-in').textContent()).toMatch(
      /4f4c444252444720.*OLDBRDG/,
    );
    await page.screenshot({ path: join(SHOTS, '3-decoded-inquiry.png') });

    // Hovering the decoded Vendor row lights its 8 bytes; selecting them reads them as text.
    await page
      .getByTestId('decoded')
      .getByRole('row', { name: /Vendor/ })
      .hover();
    expect(await page.locator('[data-testid="hex-data-in"] .hex-byte.lit').count()).toBe(8);
    await page.locator('[data-testid="hex-data-in"] [data-offset="8"]').click();
    await page.locator('[data-testid="hex-data-in"] [data-offset="15"]').click({
      modifiers: ['Shift'],
    });
    const reading = await page.getByTestId('interpretation').textContent();
    expect(reading).toMatch(/bytes 8–15/);
    expect(reading).toMatch(/"OLDBRDG "/);
    await page.screenshot({ path: join(SHOTS, '3b-hex-selection.png') });
  }, 60_000);

  it('saves the fixed INQUIRY as a preset that survives a server restart', async () => {
    await page.getByLabel('preset name').fill('INQUIRY 36');
    await page.getByLabel('preset folder').fill('identify');
    await page.getByRole('button', { name: 'Save preset' }).click();
    await expect.poll(() => page.getByTestId('preset-INQUIRY 36').count()).toBe(1);
    expect(await page.getByTestId('export-sg-raw').textContent()).toBe(
      'sg_raw -r 36 /dev/sg0 12 00 00 00 24 00',
    );
    expect(await page.getByTestId('history-1').textContent()).toMatch(/GOOD/);
    await page.screenshot({ path: join(SHOTS, '4-presets-history-export.png'), fullPage: true });

    await app.startBridge();
    await page.goto(app.bridge.pageUrl);
    await expect.poll(() => page.getByTestId('preset-INQUIRY 36').count()).toBe(1);
    await page.getByLabel('cdb hex').fill('00 00 00 00 00 00');
    await page
      .getByTestId('preset-INQUIRY 36')
      .getByRole('button', { name: 'INQUIRY 36', exact: true })
      .click();
    expect(await page.getByLabel('cdb hex').inputValue()).toBe('12 00 00 00 24 00');
  }, 60_000);

  it('sends a vendor command from a preset pack to the firmware-updatable drive', async () => {
    await page.getByRole('radio', { name: /emu:fw-updatable/ }).check();
    await page.getByTestId('pack-EXAMPLE GET FIRMWARE VERSION').getByRole('button').click();
    expect(await page.getByLabel('cdb hex').inputValue()).toBe('c4 00 00 00 00 00 00 00 10 00');
    await page.getByRole('button', { name: /Send/ }).click();
    await expect.poll(() => page.getByTestId('status').textContent()).toBe('GOOD');
    expect(await page.getByTestId('hex-data-in').textContent()).toMatch(/1\.00/);
    await page.screenshot({ path: join(SHOTS, '5-vendor-preset.png'), fullPage: true });
  }, 60_000);

  it('writes a buffer from a data-out file, reads it back, and diffs the two reads in the history', async () => {
    await page.getByRole('radio', { name: /emu:fw-updatable/ }).check();
    await page.getByLabel('cdb hex').fill('3c 02 00 00 00 00 00 00 08 00');
    await page.getByLabel('direction').selectOption('in');
    await page.getByLabel('transfer length').fill('8');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => page.getByTestId('status').textContent()).toBe('GOOD');
    const before = await page.getByTestId('history-0').count();
    expect(before).toBe(1);

    await page.getByLabel('find command').fill('write buffer');
    await page.getByLabel('find command').press('Enter');
    await page.getByLabel('MODE', { exact: true }).selectOption('2');
    await page.getByLabel('PARAMETER LIST LENGTH').fill('8');
    await page.getByLabel('PARAMETER LIST LENGTH').press('Enter');
    await page.getByLabel('data-out file').setInputFiles({
      name: 'pattern.bin',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from('USBCDB!\n'),
    });
    await expect
      .poll(() => page.getByTestId('data-out-summary').textContent())
      .toMatch(/8 bytes from pattern\.bin/);
    expect(await page.getByLabel('transfer length').inputValue()).toBe('8');
    await page.screenshot({ path: join(SHOTS, '6-data-out-from-file.png'), fullPage: true });
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => page.getByTestId('status').textContent()).toBe('GOOD');

    await page.getByLabel('cdb hex').fill('3c 02 00 00 00 00 00 00 08 00');
    await page.getByLabel('direction').selectOption('in');
    await page.getByLabel('transfer length').fill('8');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => page.getByTestId('hex-data-in').textContent()).toMatch(/USBCDB!/);

    const rows = await page.locator('[data-testid^="history-"]').count();
    await page.getByLabel(`compare #${rows - 2}`).check();
    await page.getByLabel(`compare #${rows}`).check();
    expect(await page.getByTestId('diff-data-in').textContent()).toMatch(
      /8 vs 8 bytes — differ at bytes 0–7/,
    );
    await page.screenshot({ path: join(SHOTS, '7-history-diff.png'), fullPage: true });
  }, 60_000);

  it('exports the command as sg_raw, DriverKit and a JSON preset; the dark theme', async () => {
    await page.getByText('Export as sg_raw').click();
    expect(await page.getByTestId('export-json').textContent()).toMatch(/"usbcdbPresets": 1/);
    expect(await page.getByTestId('export-driverkit').textContent()).toMatch(
      /fBufferDirection = kIOMemoryDirectionIn/,
    );
    await page.getByTestId('export-json').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, '8-export.png') });
    await page.getByLabel('theme').selectOption('dark');
    expect(await page.evaluate(() => document.documentElement.dataset['theme'])).toBe('dark');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, '9-dark-theme.png') });
    await page.getByLabel('theme').selectOption('light');
  }, 60_000);

  it('exports a drive to a VM from the device picker and saves the session capture', async () => {
    await page.getByLabel('export profile').selectOption('spc2-bridge');
    await page.getByLabel('export transport').selectOption('usbredir');
    await page.getByRole('button', { name: 'Start export' }).click();
    const row = page.locator('[data-testid^="export-export-"]');
    await expect.poll(() => row.count()).toBe(1);
    const text = (await row.textContent()) ?? '';
    expect(text).toMatch(/spc2-bridge over usbredir on 127\.0\.0\.1:\d+/);
    expect(text).toMatch(
      /-chardev socket,id=ur,host=127\.0\.0\.1,port=\d+,reconnect=1 -device usb-redir/,
    );
    // Something really listens there: a TCP connection gets the usbredir hello ("usbcdb usb-host").
    const port = Number(/127\.0\.0\.1:(\d+)/.exec(text)?.[1]);
    const hello = await new Promise<string>((resolve, reject) => {
      const s = connect(port, '127.0.0.1');
      s.once('data', (d: Buffer) => {
        resolve(d.toString('latin1', 12, 27));
        s.destroy();
      });
      s.on('error', reject);
    });
    expect(hello).toBe('usbcdb usb-host');
    await page.screenshot({ path: join(SHOTS, '10-export-to-vm.png') });
    await row.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => row.count()).toBe(0);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Save the USB capture (pcap)' }).click(),
    ]);
    const file = join(DATA, 'session.pcap');
    await download.saveAs(file);
    expect(readFileSync(file).subarray(0, 4).toString('hex')).toBe('d4c3b2a1');
  }, 60_000);

  it('edits a field and keeps the hex row in sync', async () => {
    await page.getByLabel('command', { exact: true }).selectOption('read-capacity16');
    expect(await page.getByLabel('cdb hex').inputValue()).toBe(
      '9e 10 00 00 00 00 00 00 00 00 00 00 00 20 00 00',
    );
    await page.getByLabel('ALLOCATION LENGTH').fill('12');
    await page.getByLabel('ALLOCATION LENGTH').press('Enter');
    expect(await page.getByLabel('cdb hex').inputValue()).toBe(
      '9e 10 00 00 00 00 00 00 00 00 00 00 00 0c 00 00',
    );
  }, 30_000);
});

describe('web mode: only the page opened with the printed address gets in', () => {
  it('takes the token out of the address bar and keeps working after a reload', async () => {
    expect(page.url()).not.toContain('token');
    await page.reload();
    await expect.poll(() => page.getByText('emu:card-reader').count()).toBe(1);
  }, 30_000);

  it('refuses a page on another origin, even one that knows the token, in real Chromium', async () => {
    // The attacker's page: any site the user visits, here served from another loopback port.
    const evil = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>elsewhere</title>');
    });
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
    const other = await app.browser.newPage();
    try {
      await other.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
      const attempt = (protocols: string[]): Promise<string> =>
        other.evaluate(
          ([url, p]) =>
            new Promise<string>((resolve) => {
              const ws = new WebSocket(url as string, p as string[]);
              ws.onopen = () => {
                ws.send(JSON.stringify({ id: 1, channel: 'presets.list', payload: {} }));
                ws.onmessage = (m) => resolve(`answered: ${String(m.data).slice(0, 40)}`);
              };
              ws.onerror = () => resolve('refused');
            }),
          [app.bridge.url, protocols] as const,
        );
      expect(await attempt([])).toBe('refused');
      expect(await attempt(['usbcdb', 'usbcdb-token.guess'])).toBe('refused');
      // Even a leaked token does not help a page that is not the bridge's own.
      expect(await attempt(['usbcdb', `usbcdb-token.${app.bridge.token}`])).toBe('refused');
    } finally {
      await other.close();
      await new Promise<void>((r) => evil.close(() => r()));
    }
  }, 30_000);

  it('keeps a drive in a named image of the data folder, and replays an uploaded trace', async () => {
    await page.getByRole('radio', { name: /emu:flash-stick/ }).check();
    await page.getByLabel('drive image').fill('lab-disk');
    await page.getByLabel('cdb hex').fill('12 00 00 00 24 00');
    await page.getByLabel('transfer length').fill('36');
    await page.getByRole('button', { name: /Send/ }).click();
    await expect.poll(() => page.getByTestId('status').textContent()).toBe('GOOD');
    expect(readdirSync(join(DATA, 'images'))).toEqual(['lab-disk']);

    // Two recorded TEST UNIT READYs that ended BUSY and RESERVATION CONFLICT (SAM-5 08h, 18h).
    const tur = (status: number): string =>
      JSON.stringify({
        time: '2026-12-02T06:43:06.229Z',
        request: {
          cdb: '00 00 00 00 00 00',
          lun: 0,
          direction: 'none',
          transferLength: 0,
          timeoutMs: 20000,
        },
        outcome: { residue: 0, durationMs: 1, dataIn: '', status },
      });
    const trace = `${[
      JSON.stringify({
        usbcdbTrace: 1,
        device: { id: 'emu:x', kind: 'emu', vendor: 'LAB', product: 'recorded', maxLun: 0 },
      }),
      tur(0x08),
      tur(0x18),
    ].join('\n')}\n`;
    await page.getByLabel('open trace').setInputFiles({
      name: 'my run.jsonl',
      mimeType: 'application/jsonl',
      buffer: Buffer.from(trace),
    });
    // The file's name becomes a name (no spaces, never a path): replay:my_run.jsonl.
    await expect.poll(() => page.getByText('replay:my_run.jsonl').count()).toBe(1);
    await page.getByLabel('cdb hex').fill('00 00 00 00 00 00');
    await page.getByLabel('direction').selectOption('none');
    for (const status of ['BUSY', 'RESERVATION CONFLICT']) {
      await page.getByRole('button', { name: /Send/ }).click();
      await expect.poll(() => page.getByTestId('status').textContent()).toBe(status);
    }
    // History names each status as SAM-5 does, as the results do (it said CHECK CONDITION for both).
    const history = page.getByRole('region', { name: 'history' });
    await expect.poll(() => history.getByText('RESERVATION CONFLICT').count()).toBe(1);
    expect(await history.getByText('BUSY').count()).toBe(1);
    expect(await history.getByText('CHECK CONDITION').count()).toBe(0);
    await page.getByRole('button', { name: /Send/ }).click();
    await expect
      .poll(() => page.getByTestId('status').textContent())
      .toBe('Transport: replay-mismatch');
    expect(await page.getByTestId('transport-error').textContent()).toMatch(
      /the trace has only 2 exchanges/,
    );
    await page.screenshot({ path: join(SHOTS, '11-image-and-trace.png') });
  }, 30_000);

  it('says what to do when the page is opened without its token', async () => {
    const fresh = await app.browser.newPage();
    try {
      await fresh.goto(app.bridge.pageUrl.replace(/#.*$/, ''));
      await expect
        .poll(() => fresh.getByRole('alert').first().textContent())
        .toMatch(/cannot reach the usbcdb bridge.*not opened from the address it printed/);
    } finally {
      await fresh.close();
    }
  }, 30_000);
});

describe('web mode: a vendor set of the user’s own', () => {
  it('imports a set JSON, finds its command, sends it to an emulated drive, decodes the answer field by field and runs its sequence', async () => {
    await expect.poll(() => page.getByText('emu:card-reader').count()).toBe(1);
    await page.getByRole('radio', { name: /emu:flash-stick/ }).check();
    await page.getByLabel('import vendor set').setInputFiles({
      name: 'acme.json',
      mimeType: 'application/json',
      buffer: Buffer.from(ACME_SET_TEXT),
    });
    await expect.poll(() => page.getByTestId('vendor-set-acme').count()).toBe(1);
    expect(readFileSync(join(DATA, 'vendor-sets', 'acme.json'), 'utf8')).toBe(ACME_SET_TEXT);

    // Find lists the set's command like a catalog one; Enter on the only match picks it.
    await page.getByLabel('find command').fill('acme.read-temp');
    await page.getByLabel('find command').press('Enter');
    expect(await page.getByLabel('cdb hex').inputValue()).toBe('d1 00 00 00 00 00 00 00 08 00');
    // Its CDB fields are controls, like a standard command's.
    await page.getByLabel('SENSOR', { exact: true }).fill('1');
    await page.getByLabel('SENSOR', { exact: true }).press('Enter');
    expect(await page.getByLabel('cdb hex').inputValue()).toBe('d1 00 01 00 00 00 00 00 08 00');
    await page.getByLabel('direction').selectOption('in');
    await page.getByLabel('transfer length').fill('8');
    await page.getByRole('button', { name: /Send/ }).click();
    await expect.poll(() => page.getByTestId('status').textContent()).toBe('GOOD');
    const decoded = page.getByTestId('decoded');
    expect(await decoded.locator('caption').textContent()).toBe('ACME READ TEMPERATURE');
    expect(
      await decoded
        .getByRole('row', { name: /TEMPERATURE/ })
        .first()
        .textContent(),
    ).toMatch(/41/);
    expect(await decoded.getByRole('row', { name: /SENSOR MODEL/ }).textContent()).toMatch(/TMP/);
    // Hovering SENSOR MODEL lights its three bytes (5–7, "TMP").
    await decoded.getByRole('row', { name: /SENSOR MODEL/ }).hover();
    expect(await page.locator('[data-testid="hex-data-in"] .hex-byte.lit').count()).toBe(3);

    // The sequence runs as one action; step 2's FAN SPEED is step 1's TEMPERATURE (41 = 29h).
    await page.getByRole('button', { name: 'Run Cool down' }).click();
    await expect
      .poll(() => page.getByTestId('sequence-run').textContent())
      .toMatch(/every step GOOD/);
    expect(await page.getByTestId('sequence-step-1').textContent()).toMatch(/d2 00 29 00 00 00/);
    expect(await page.getByTestId('sequence-decoded-0').textContent()).toMatch(/TEMPERATURE.*41/);
    await page.getByTestId('sequence-run').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, '12-vendor-set.png'), fullPage: true });
  }, 60_000);
});

describe('web mode: a vendor set with mistakes', () => {
  it('lists each problem of a refused set on its own line, and keeps the draft open', async () => {
    const bad = JSON.parse(ACME_SET_TEXT) as { name: string; commands: { cdbLength: number }[] };
    bad.name = 'Bad Name';
    (bad.commands[0] as { cdbLength: number }).cdbLength = 99;
    await page.getByLabel('import vendor set').setInputFiles({
      name: 'bad.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(bad, null, 2)),
    });
    const refusal = page.getByTestId('vendor-set-refusal');
    await expect.poll(() => refusal.count()).toBe(1);
    const lines = (await refusal.innerText()).split('\n').filter((l) => l.trim() !== '');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/line \d+: name: must be lowercase/);
    expect(lines[1]).toMatch(/line \d+: commands\.0\.cdbLength: must be an integer 1–16/);
    await page.getByRole('button', { name: /cancel/i }).click();
  });
});

describe('web mode: the worked example of docs/vendor-sets.md', () => {
  it('imports docs/examples/acme-vendor-set.json, sends ACME GET DRIVE INFORMATION and decodes every kind of field', async () => {
    await page.getByRole('radio', { name: /emu:flash-stick/ }).check();
    await page.getByLabel('import vendor set').setInputFiles({
      name: 'acme-vendor-set.json',
      mimeType: 'application/json',
      buffer: readFileSync(join(process.cwd(), 'docs', 'examples', 'acme-vendor-set.json')),
    });
    // The import replaces the set of the same name the test above imported: wait until its
    // command list has the example's command, or Find may still search the old set.
    await expect
      .poll(() => page.getByTestId('vendor-set-acme').getByText('acme.drive-info').count())
      .toBe(1);
    await page.getByLabel('find command').fill('acme.drive-info');
    await page.getByLabel('find command').press('Enter');
    expect(await page.getByLabel('cdb hex').inputValue()).toBe('d0 00 00 00 00 00 00 00 40 00');
    await page.getByLabel('direction').selectOption('in');
    await page.getByLabel('transfer length').fill('64');
    await page.getByRole('button', { name: /Send/ }).click();
    await expect.poll(() => page.getByTestId('status').textContent()).toBe('GOOD');
    const decoded = page.getByTestId('decoded');
    expect(await decoded.locator('caption').textContent()).toBe('ACME GET DRIVE INFORMATION');
    const row = (name: RegExp) => decoded.getByRole('row', { name }).first().textContent();
    // Bits with names, flags, an enum byte, a little-endian integer, a signed one, ASCII, an ATA string.
    expect(await row(/FORM FACTOR/)).toMatch(/2\.5 inch/);
    expect(await row(/HEALTH/)).toMatch(/warning/);
    expect(await row(/POWER-ON HOURS/)).toMatch(/12345/);
    expect(await row(/TEMPERATURE/)).toMatch(/-45/);
    expect(await row(/BRIDGE FIRMWARE REVISION/)).toMatch(/AC1\.02/);
    expect(await row(/DRIVE SERIAL NUMBER/)).toMatch(/WD-WX12A3456789/);
    await page.getByTestId('decoded').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, '13-worked-example.png'), fullPage: true });
  }, 60_000);
});
