// @vitest-environment happy-dom
/**
 * Decoded answers and their bytes, both ways, in the real results view:
 * hovering a field lights its bytes; clicking a byte marks the innermost
 * field holding it (a standard parser's row or a vendor layout's) and names
 * it beside the inspector; a new answer forgets the old pick.
 */
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ACME_SET_TEXT } from '../acme-vendor-set';
import { renderApp, settle, type Store } from './render';

afterEach(cleanup);

const byteAt = (offset: number): Element => {
  const el = document.querySelector(`[data-testid="hex-data-in"] [data-offset="${offset}"]`);
  if (!el) throw new Error(`byte ${offset} is not drawn`);
  return el;
};
const litOffsets = (cls: string): number[] =>
  [...document.querySelectorAll(`[data-testid="hex-data-in"] .hex-byte.${cls}`)].map((b) =>
    Number(b.getAttribute('data-offset')),
  );

async function send(store: Store, cdb: string, length: number): Promise<void> {
  fireEvent.change(screen.getByLabelText('cdb hex'), { target: { value: cdb } });
  fireEvent.change(screen.getByLabelText('transfer length'), {
    target: { value: String(length) },
  });
  await settle(store, (s) => s.send());
  expect(screen.getByTestId('status').textContent).toBe('GOOD');
}

describe('decoded fields linked to their bytes', () => {
  it("clicking a byte of READ CAPACITY(10) marks BLOCK LENGTH's row and names it by the inspector", async () => {
    const { store } = await renderApp();
    await send(store, '25 00 00 00 00 00 00 00 00 00', 8);
    const table = screen.getByTestId('decoded');
    fireEvent.pointerDown(byteAt(6), { button: 0, pointerId: 1 });
    fireEvent.pointerUp(byteAt(6), { pointerId: 1 });
    const picked = table.querySelector('tr.picked');
    expect(picked?.textContent).toMatch(/block length/i);
    expect(picked?.getAttribute('aria-current')).toBe('true');
    expect(screen.getByTestId('inspector-field').textContent).toMatch(/block length/i);
    // The field's bytes (4–7, SBC-4 READ CAPACITY(10) parameter data) are outlined.
    expect(litOffsets('field')).toEqual([4, 5, 6, 7]);
    // Hovering another row lights that row's bytes, today's way.
    const first = within(table).getAllByRole('row')[0] as HTMLElement;
    fireEvent.mouseEnter(first);
    expect(litOffsets('lit').length).toBeGreaterThan(0);
    fireEvent.mouseLeave(first);
    expect(litOffsets('lit')).toEqual([]);
  });

  it('clicking a byte of INQUIRY data picks the innermost field, and a new answer forgets it', async () => {
    const { store } = await renderApp();
    await send(store, '12 00 00 00 24 00', 36);
    fireEvent.mouseDown(byteAt(9));
    expect(screen.getByTestId('decoded').querySelector('tr.picked')?.textContent).toMatch(/Vendor/);
    expect(litOffsets('field')).toEqual([8, 9, 10, 11, 12, 13, 14, 15]);
    await send(store, '12 00 00 00 24 00', 36);
    expect(screen.getByTestId('decoded').querySelector('tr.picked')).toBeNull();
    expect(litOffsets('field')).toEqual([]);
  });

  it("clicking a byte of a vendor layout's answer marks its field and names it by the inspector", async () => {
    const { store } = await renderApp();
    const file = new File([ACME_SET_TEXT], 'acme.json', { type: 'application/json' });
    fireEvent.change(screen.getByLabelText('import vendor set'), { target: { files: [file] } });
    await act(async () => {
      await vi.waitFor(() => {
        if (!store.getState().vendorSetList.some((x) => x.name === 'acme'))
          throw new Error('pending');
      });
    });
    fireEvent.click(screen.getByRole('button', { name: /D1h ACME READ TEMPERATURE/ }));
    fireEvent.change(screen.getByLabelText('direction'), { target: { value: 'in' } });
    await send(store, 'd1 00 00 00 00 00 00 00 08 00', 8);
    // Byte 6 lies in SENSOR MODEL (bytes 5–7).
    fireEvent.pointerDown(byteAt(6), { button: 0, pointerId: 1 });
    expect(screen.getByTestId('decoded').querySelector('tr.picked')?.textContent).toMatch(
      /SENSOR MODEL/,
    );
    expect(screen.getByTestId('inspector-field').textContent).toBe('SENSOR MODEL');
    expect(litOffsets('field')).toEqual([5, 6, 7]);
  });
});
