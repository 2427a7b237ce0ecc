// @vitest-environment happy-dom
/** The hex viewer as rendered: virtualised rows, selection read as numbers and text, copy, keyboard. */
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HexView } from '../../src-renderer/components/HexView';

afterEach(cleanup);

const byteAt = (offset: number): HTMLElement => {
  const el = document.querySelector<HTMLElement>(`[data-offset="${offset}"]`);
  if (!el) throw new Error(`byte ${offset} is not drawn`);
  return el;
};

describe('hex viewer', () => {
  it('draws only the rows in view of a 16 MiB buffer, and the right ones after scrolling', () => {
    const big = new Uint8Array(16 * 1024 * 1024);
    big[0x800000] = 0xab;
    render(<HexView bytes={big} label="big" />);
    const rows = document.querySelectorAll('.hex-row');
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThan(40);
    const grid = screen.getByRole('grid', { name: 'big' });
    // 0x800000 / 16 rows of 18 px each.
    grid.scrollTop = (0x800000 / 16) * 18;
    fireEvent.scroll(grid);
    expect(byteAt(0x800000).textContent).toBe('ab');
    expect(document.querySelectorAll('.hex-row').length).toBeLessThan(40);
    expect(document.querySelector('[data-offset="0"]')).toBeNull();
  });

  it('reads a selection as integers big- and little-endian and as text', () => {
    const bytes = Uint8Array.from([0x00, 0x00, 0x02, 0x00, 0x55, 0x53, 0x42, 0x43, 0xff]);
    render(<HexView bytes={bytes} label="capacity" />);
    fireEvent.mouseDown(byteAt(0));
    fireEvent.mouseDown(byteAt(3), { shiftKey: true });
    const t = screen.getByTestId('interpretation').textContent ?? '';
    expect(t).toMatch(/bytes 0–3/);
    expect(t).toMatch(/u32 BE \/ LE512 \/ 131072/);
    expect(t).toMatch(/u16 BE \/ LE0 \/ 0/);
    expect(t).not.toMatch(/u64/);
    expect(byteAt(2).className).toContain('sel');
    expect(byteAt(4).className).not.toContain('sel');
    // Drag from 4 to 7: the text reads "USBC".
    fireEvent.mouseDown(byteAt(4));
    fireEvent.mouseEnter(byteAt(7));
    fireEvent.mouseUp(byteAt(7));
    expect(screen.getByTestId('interpretation').textContent).toMatch(/"USBC"/);
    // Shift+→ extends to 8 and brings in the 0xff byte.
    fireEvent.keyDown(screen.getByRole('grid'), { key: 'ArrowRight', shiftKey: true });
    expect(screen.getByTestId('interpretation').textContent).toMatch(/bytes 4–8/);
    expect(screen.getByTestId('interpretation').textContent).toMatch(/"USBC\."/);
  });

  it('copies the selection as hex, a C array and base64', async () => {
    const writeText = vi.fn((_: string) => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    render(<HexView bytes={Uint8Array.from([0x12, 0x00, 0x24, 0xff])} label="x" />);
    fireEvent.mouseDown(byteAt(2));
    fireEvent.mouseDown(byteAt(3), { shiftKey: true });
    fireEvent.click(screen.getByRole('button', { name: 'Copy hex' }));
    fireEvent.click(screen.getByRole('button', { name: 'Copy C' }));
    fireEvent.click(screen.getByRole('button', { name: 'Copy base64' }));
    await vi.waitFor(() => expect(writeText).toHaveBeenCalledTimes(3));
    expect(writeText.mock.calls.map((c) => c[0])).toEqual([
      '24 ff',
      'const unsigned char data[2] = {\n  0x24, 0xff,\n};',
      'JP8=',
    ]);
    expect(await screen.findByText('Copied 2 bytes as base64.')).toBeTruthy();
  });

  it('says so when the clipboard refuses, instead of failing silently', async () => {
    const writeText = vi.fn(() => Promise.reject(new Error('not allowed')));
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    render(<HexView bytes={Uint8Array.from([1])} label="x" />);
    fireEvent.click(screen.getByRole('button', { name: 'Copy hex' }));
    expect((await screen.findByText(/clipboard refused/)).textContent).toMatch(/not allowed/);
  });

  it('marks the bytes a decoded field covers and the bytes a diff found changed', () => {
    render(
      <HexView bytes={new Uint8Array(32)} highlight={[8, 15]} changed={[[20, 21]]} label="x" />,
    );
    expect(byteAt(8).className).toContain('lit');
    expect(byteAt(16).className).not.toContain('lit');
    expect(byteAt(21).className).toContain('changed');
    expect(byteAt(22).className).not.toContain('changed');
  });
});
