// @vitest-environment happy-dom
/** A button that cannot do what it says says why, rather than doing nothing. */
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderApp, settle } from './render';

afterEach(cleanup);

describe('buttons that cannot act', () => {
  it('says there is nothing to export when the picked device has no history entries', async () => {
    const { store } = await renderApp();
    await settle(store, (s) => s.send());
    act(() => store.getState().pickDevice('emu:spc2-bridge'));
    const history = screen.getByRole('region', { name: 'history' });
    fireEvent.click(
      within(history).getByRole('button', { name: "Export this device's session as a trace" }),
    );
    expect(within(history).getByRole('alert').textContent).toMatch(
      /Nothing to export: emu:spc2-bridge has no commands in this session's history/,
    );
  });

  it('asks for a name when Save preset is pressed without one', async () => {
    const { store } = await renderApp();
    const presets = screen.getByRole('region', { name: 'presets' });
    const name = within(presets).getByLabelText('preset name');
    fireEvent.change(name, { target: { value: '   ' } });
    fireEvent.click(within(presets).getByRole('button', { name: 'Save preset' }));
    expect(within(presets).getByRole('alert').textContent).toMatch(/Name the preset to save it/);
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(store.getState().presets).toEqual([]);
    fireEvent.change(name, { target: { value: 'inquiry' } });
    expect(within(presets).queryByRole('alert')).toBeNull();
  });
});
