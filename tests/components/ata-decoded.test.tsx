// @vitest-environment happy-dom
/**
 * The results view reads an ATA PASS-THROUGH answer by the carried ATA
 * command's layout (the sat set): IDENTIFY DEVICE from the emulated
 * sata-bridge drive, row by row, each row lighting its bytes and a clicked
 * byte marking its row.
 */
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { findProfile } from '../../src-main/emulator/profiles';
import { renderApp, settle } from './render';

afterEach(cleanup);

/** ATA PASS-THROUGH(16): PIO data-in, one 512-byte block, IDENTIFY DEVICE (ECh). */
const IDENTIFY = '85 08 0e 00 00 00 01 00 00 00 00 00 00 00 ec 00';
const ata = findProfile('sata-bridge')?.ata ?? expect.fail('no sata-bridge ATA section');

describe('ATA PASS-THROUGH results', () => {
  it('shows IDENTIFY DEVICE field by field, linked to the bytes both ways', async () => {
    const { store } = await renderApp();
    fireEvent.click(screen.getByLabelText(/emu:sata-bridge/));
    fireEvent.change(screen.getByLabelText('cdb hex'), { target: { value: IDENTIFY } });
    fireEvent.change(screen.getByLabelText('transfer length'), { target: { value: '512' } });
    await settle(store, (s) => s.send());
    expect(screen.getByTestId('status').textContent).toBe('GOOD');
    const table = screen.getByTestId('decoded');
    expect(table.querySelector('caption')?.textContent).toBe(
      'ATA PASS-THROUGH(16): IDENTIFY DEVICE',
    );
    const rows = within(table).getAllByRole('row');
    const model = rows.find((r) => /MODEL NUMBER/.test(r.textContent ?? ''));
    if (!model) throw new Error(`no MODEL NUMBER row in ${table.textContent}`);
    expect(model.textContent).toContain(ata.model);
    expect(table.textContent).toContain(ata.serial);
    expect(table.textContent).toContain(ata.firmware);
    fireEvent.mouseEnter(model);
    const lit = [...document.querySelectorAll('[data-testid="hex-data-in"] .hex-byte.lit')];
    // Words 27–46: bytes 54–93.
    expect(lit.map((b) => Number(b.getAttribute('data-offset')))).toEqual(
      Array.from({ length: 40 }, (_, i) => 54 + i),
    );
    fireEvent.mouseLeave(model);
    // Byte 24 is in word 12, inside the serial number (words 10–19).
    fireEvent.mouseDown(
      document.querySelector('[data-testid="hex-data-in"] [data-offset="24"]') as Element,
    );
    expect(table.querySelector('tr.picked')?.textContent).toMatch(
      new RegExp(`SERIAL NUMBER.*${ata.serial}`),
    );
    expect(table.textContent).toMatch(/NOMINAL MEDIA ROTATION RATE.*non-rotating medium \(1\)/);
  });
});
