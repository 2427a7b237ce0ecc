/** Rendering the real components against a store wired to the real handlers in-process. */
import { act, fireEvent, render, screen, type RenderResult } from '@testing-library/react';
import { createStore, type State } from '../../src-renderer/store/store';
import { App } from '../../src-renderer/components/App';
import { inProcessClient } from '../unit/renderer/in-process-client';

export type Store = ReturnType<typeof createStore>;

export async function renderApp(): Promise<{ store: Store; view: RenderResult }> {
  const store = createStore(inProcessClient());
  const view = render(<App use={store} />);
  // Let the device and preset lists arrive.
  await act(async () => {
    await store.getState().loadDevices();
    await store.getState().loadPresets();
  });
  return { store, view };
}

/** Runs a store action that talks to the device and lets React render its result. */
export async function settle(store: Store, action: (s: State) => Promise<void>): Promise<void> {
  await act(async () => {
    await action(store.getState());
  });
}

/** Types `text` into the field control `label` and commits it with Enter, as a person would. */
export function enterField(label: string, text: string): void {
  const box = screen.getByLabelText(label);
  fireEvent.change(box, { target: { value: text } });
  fireEvent.keyDown(box, { key: 'Enter' });
}

/**
 * Presses Ctrl+Enter, the send shortcut, in `target` (focused first, as a person's key press is in
 * the box that has focus), and lets the command go out and its result render.
 */
export async function pressSend(target: HTMLElement): Promise<void> {
  target.focus();
  await act(async () => {
    fireEvent.keyDown(target, { key: 'Enter', code: 'Enter', ctrlKey: true });
    await new Promise((r) => setTimeout(r, 50));
  });
}
