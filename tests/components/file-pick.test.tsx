// @vitest-environment happy-dom
/** File inputs take a file the same way every time it is picked, even the one picked before. */
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderApp } from './render';

afterEach(cleanup);

/**
 * Picks a file as Chromium does: `change` fires only when the chosen file differs from what
 * the input already holds, so a same-named file picked into an input still holding it is lost.
 */
function pickLikeChromium(input: HTMLInputElement, file: File): void {
  if (input.files?.[0]?.name === file.name) return;
  const chosen = new DataTransfer();
  chosen.items.add(file);
  input.files = chosen.files;
  fireEvent.change(input);
}

describe('file pickers', () => {
  it('loads the same data-out file again after Clear', async () => {
    const { store } = await renderApp();
    fireEvent.change(screen.getByLabelText('command'), { target: { value: 'write10' } });
    const input = screen.getByLabelText<HTMLInputElement>('data-out file');
    const block = new File([new Uint8Array(512).fill(0xab)], 'block.bin');
    pickLikeChromium(input, block);
    await waitFor(() =>
      expect(screen.getByTestId('data-out-summary').textContent).toMatch(
        /512 bytes from block\.bin/,
      ),
    );
    fireEvent.click(
      within(screen.getByTestId('data-out-summary')).getByRole('button', { name: 'Clear' }),
    );
    expect(screen.getByTestId('data-out-summary').textContent).toMatch(/512 zero bytes/);
    pickLikeChromium(input, block);
    await waitFor(() =>
      expect(screen.getByTestId('data-out-summary').textContent).toMatch(
        /512 bytes from block\.bin/,
      ),
    );
    expect(store.getState().dataOut?.[0]).toBe(0xab);
  });

  it('imports the same presets file again after it was edited', async () => {
    const { store } = await renderApp();
    const input = screen.getByLabelText<HTMLInputElement>('import presets');
    const file = (notes: string): File =>
      new File(
        [
          JSON.stringify({
            usbcdbPresets: 1,
            presets: [
              {
                name: 'imp4',
                cdb: '12 00 00 00 24 00',
                direction: 'in',
                transferLength: 36,
                notes,
              },
            ],
          }),
        ],
        'imp4.json',
        { type: 'application/json' },
      );
    const notesOf = (): string[] =>
      store
        .getState()
        .presets.filter((p) => p.name === 'imp4')
        .map((p) => p.notes);
    pickLikeChromium(input, file('first'));
    await waitFor(() => expect(notesOf()).toEqual(['first']));
    pickLikeChromium(input, file('second'));
    await waitFor(() => expect(notesOf()).toEqual(['second']));
    expect(store.getState().presetsNote).toMatch(/Replaced 1 preset \(imp4\)/);
  });
});
