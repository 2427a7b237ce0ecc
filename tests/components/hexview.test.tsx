// @vitest-environment happy-dom
/**
 * The hex viewer as rendered: virtualised rows, the inspector, search, go-to,
 * keyboard, drag selection with pointer events, fixed-width ASCII, sizes,
 * bytes that never arrived, and what a screen reader is told.
 */
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HexView } from '../../src-renderer/components/HexView';
import { scrollTopFor } from '../../shared/hexview';

afterEach(cleanup);

const byteAt = (offset: number): HTMLElement => {
  const el = document.querySelector<HTMLElement>(`[data-offset="${offset}"]`);
  if (!el) throw new Error(`byte ${offset} is not drawn`);
  return el;
};
const charAt = (offset: number): HTMLElement => {
  const el = document.querySelector<HTMLElement>(`[data-ascii-offset="${offset}"]`);
  if (!el) throw new Error(`character ${offset} is not drawn`);
  return el;
};
const reading = (label: string): string[] => {
  const row = document.querySelector(`[data-testid="interpretation"] tr[data-reading="${label}"]`);
  if (!row) throw new Error(`no ${label} reading`);
  return [...row.querySelectorAll('td')].map((td) => td.textContent ?? '');
};
const selectedOffsets = (): number[] =>
  [...document.querySelectorAll('.hex-byte.sel')].map((b) => Number(b.getAttribute('data-offset')));

/** READ CAPACITY(10) data, then "USBC", a 0xff and spaces. */
const SAMPLE = Uint8Array.from([
  0x00, 0x03, 0xff, 0xff, 0x00, 0x00, 0x02, 0x00, 0x55, 0x53, 0x42, 0x43, 0xff, 0x20, 0x20, 0x20,
  0x41,
]);

describe('hex viewer', () => {
  it('draws only the rows in view of a 16 MiB buffer, and the right ones after scrolling', () => {
    const big = new Uint8Array(16 * 1024 * 1024);
    big[0x800000] = 0xab;
    render(<HexView bytes={big} label="big" />);
    const rows = document.querySelectorAll('.hex-row');
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThan(40);
    const grid = screen.getByRole('grid', { name: 'big' });
    grid.scrollTop = scrollTopFor(big.length, 0x800000 / 16, 288, 18);
    fireEvent.scroll(grid);
    expect(byteAt(0x800000).textContent).toBe('ab');
    expect(document.querySelectorAll('.hex-row').length).toBeLessThan(40);
    expect(document.querySelector('[data-offset="0"]')).toBeNull();
  });

  it('reaches the last byte of 64 MiB with Ctrl+End and says the size as 64 MiB', () => {
    const huge = new Uint8Array(64 * 1024 * 1024);
    huge[huge.length - 1] = 0x5a;
    render(<HexView bytes={huge} label="huge" />);
    expect(screen.getByTestId('hex-huge').textContent).toMatch(/^huge: 64 MiB/);
    const grid = screen.getByRole('grid', { name: 'huge' });
    fireEvent.keyDown(grid, { key: 'End', ctrlKey: true });
    expect(byteAt(huge.length - 1).textContent).toBe('5a');
    expect(byteAt(huge.length - 1).className).toContain('sel');
    expect(document.querySelectorAll('.hex-row').length).toBeLessThan(40);
    expect(reading('offset')).toEqual([String(huge.length - 1), '0x3ffffff']);
  });

  it('says small sizes in bytes', () => {
    render(<HexView bytes={new Uint8Array(512)} label="small" />);
    expect(screen.getByTestId('hex-small').textContent).toMatch(/^small: 512 bytes/);
  });

  it('inspects the bytes at the selection start in every width, order, sign and as floats', () => {
    render(<HexView bytes={SAMPLE} label="capacity" />);
    fireEvent.mouseDown(byteAt(4));
    fireEvent.mouseDown(byteAt(7), { shiftKey: true });
    const t = screen.getByTestId('interpretation').textContent ?? '';
    expect(t).toMatch(/bytes 4–7 \(0x4–0x7\), 4 selected/);
    expect(reading('offset')).toEqual(['4', '0x4']);
    expect(reading('length')).toEqual(['4', '0x4']);
    expect(reading('u32 BE')).toEqual(['512', '0x00000200']);
    expect(reading('u32 LE')).toEqual(['131072', '0x00020000']);
    expect(reading('u8')).toEqual(['0', '0x00']);
    // From byte 4 onwards the buffer holds 8 bytes more: 00 00 02 00 55 53 42 43.
    expect(reading('u64 BE')).toEqual(['2200454775363', '0x0000020055534243']);
    expect(reading('f32 BE')[1]).toBe('0x00000200');
    expect(reading('ASCII')[0]).toBe('"...."');
    fireEvent.mouseDown(byteAt(2));
    expect(reading('i8')).toEqual(['-1', '-0x01']);
    expect(reading('i16 BE')).toEqual(['-1', '-0x0001']);
    expect(reading('u16 BE')).toEqual(['65535', '0xffff']);
  });

  it('selects a whole range by dragging with the pointer, across rows and into the ASCII column', () => {
    render(<HexView bytes={SAMPLE} label="drag" />);
    fireEvent.pointerDown(byteAt(8), { button: 0, pointerId: 1 });
    fireEvent.pointerMove(byteAt(10), { pointerId: 1 });
    fireEvent.pointerMove(charAt(11), { pointerId: 1 });
    fireEvent.pointerUp(charAt(11), { pointerId: 1 });
    expect(selectedOffsets()).toEqual([8, 9, 10, 11]);
    expect(reading('ASCII')[0]).toBe('"USBC"');
    // After the button is up, moving selects nothing more.
    fireEvent.pointerMove(byteAt(14), { pointerId: 1 });
    expect(selectedOffsets()).toEqual([8, 9, 10, 11]);
    // Dragging backwards across a row boundary selects every byte between.
    fireEvent.pointerDown(byteAt(16), { button: 0, pointerId: 1 });
    fireEvent.pointerMove(byteAt(3), { pointerId: 1 });
    fireEvent.pointerUp(byteAt(3), { pointerId: 1 });
    expect(selectedOffsets()).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    expect(screen.getByTestId('interpretation').textContent).toMatch(/bytes 3–16/);
  });

  it('moves with arrows, Home/End on the row, Ctrl+Home/End on the data, pages, and extends with shift', () => {
    const bytes = Uint8Array.from({ length: 1024 }, (_, i) => i & 0xff);
    render(<HexView bytes={bytes} label="keys" />);
    const grid = screen.getByRole('grid', { name: 'keys' });
    fireEvent.mouseDown(byteAt(0x25));
    fireEvent.keyDown(grid, { key: 'Home' });
    expect(selectedOffsets()).toEqual([0x20]);
    fireEvent.keyDown(grid, { key: 'End', shiftKey: true });
    expect(selectedOffsets()).toEqual(Array.from({ length: 16 }, (_, i) => 0x20 + i));
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    expect(selectedOffsets()).toEqual([0x3f]);
    fireEvent.keyDown(grid, { key: 'PageDown' });
    expect(selectedOffsets()).toEqual([0x13f]);
    fireEvent.keyDown(grid, { key: 'PageUp' });
    fireEvent.keyDown(grid, { key: 'ArrowLeft', shiftKey: true });
    expect(selectedOffsets()).toEqual([0x3e, 0x3f]);
    fireEvent.keyDown(grid, { key: 'End', ctrlKey: true });
    expect(selectedOffsets()).toEqual([1023]);
    fireEvent.keyDown(grid, { key: 'Home', ctrlKey: true });
    expect(selectedOffsets()).toEqual([0]);
    // The cursor is the grid's active cell, for screen readers.
    expect(grid.getAttribute('aria-activedescendant')).toBe(byteAt(0).id);
  });

  it('finds hex bytes, marks every match, and steps next and previous with wrap-around', () => {
    const bytes = new Uint8Array(64);
    for (const at of [5, 20, 40]) bytes.set([0xde, 0xad], at);
    render(<HexView bytes={bytes} label="s" />);
    fireEvent.change(screen.getByLabelText('find in s'), { target: { value: 'de ad' } });
    fireEvent.submit(screen.getByRole('search', { name: 'search s' }));
    const marked = [...document.querySelectorAll('.hex-byte.match')].map((b) =>
      Number(b.getAttribute('data-offset')),
    );
    expect(marked).toEqual([5, 6, 20, 21, 40, 41]);
    expect(screen.getByTestId('found-s').textContent).toBe('3 matches · 1 of 3');
    expect(selectedOffsets()).toEqual([5, 6]);
    expect(byteAt(5).className).toContain('current');
    fireEvent.click(screen.getByRole('button', { name: 'next match in s' }));
    expect(selectedOffsets()).toEqual([20, 21]);
    fireEvent.click(screen.getByRole('button', { name: 'next match in s' }));
    fireEvent.click(screen.getByRole('button', { name: 'next match in s' }));
    expect(screen.getByTestId('found-s').textContent).toBe('3 matches · 1 of 3');
    fireEvent.click(screen.getByRole('button', { name: 'previous match in s' }));
    expect(selectedOffsets()).toEqual([40, 41]);
    fireEvent.keyDown(screen.getByLabelText('find in s'), { key: 'Enter', shiftKey: true });
    expect(selectedOffsets()).toEqual([20, 21]);
  });

  it('finds text, starting from the selection', () => {
    const bytes = new TextEncoder().encode('USBC....USBC....USBC');
    render(<HexView bytes={bytes} label="t" />);
    fireEvent.change(screen.getByLabelText('search t as'), { target: { value: 'text' } });
    fireEvent.mouseDown(byteAt(9));
    fireEvent.change(screen.getByLabelText('find in t'), { target: { value: 'USBC' } });
    fireEvent.submit(screen.getByRole('search', { name: 'search t' }));
    expect(selectedOffsets()).toEqual([16, 17, 18, 19]);
    expect(screen.getByTestId('found-t').textContent).toBe('3 matches · 3 of 3');
  });

  it('says when a pattern is not hex, and "first N" when matches are too many to keep', () => {
    render(<HexView bytes={new Uint8Array(20_000)} label="z" />);
    fireEvent.change(screen.getByLabelText('find in z'), { target: { value: 'xy' } });
    fireEvent.submit(screen.getByRole('search', { name: 'search z' }));
    expect(screen.getByTestId('found-z').textContent).toMatch(/^Search: "xy" is not hexadecimal/);
    fireEvent.change(screen.getByLabelText('find in z'), { target: { value: '0' } });
    fireEvent.submit(screen.getByRole('search', { name: 'search z' }));
    expect(screen.getByTestId('found-z').textContent).toBe('first 10000 matches · 1 of 10000');
  });

  it('goes to an offset written as 0x…, …h or decimal, and refuses one past the end', () => {
    const bytes = new Uint8Array(8192);
    bytes[0x1000] = 0x77;
    render(<HexView bytes={bytes} label="g" />);
    const input = screen.getByLabelText('offset to go to in g');
    for (const text of ['0x1000', '1000h', '4096']) {
      fireEvent.change(input, { target: { value: text } });
      fireEvent.submit(screen.getByRole('form', { name: 'go to an offset of g' }));
      expect(selectedOffsets()).toEqual([0x1000]);
      expect(byteAt(0x1000).textContent).toBe('77');
      fireEvent.keyDown(screen.getByRole('grid'), { key: 'Home', ctrlKey: true });
    }
    fireEvent.change(input, { target: { value: '0x2000' } });
    fireEvent.submit(screen.getByRole('form', { name: 'go to an offset of g' }));
    expect(screen.getByRole('alert').textContent).toMatch(/past the end: the data is 8 KiB/);
  });

  it('keeps the ASCII column fixed-width: one cell per byte, spaces kept, non-printables as dots', () => {
    render(<HexView bytes={SAMPLE} label="a" />);
    const ascii = document.querySelector('.hex-row .hex-ascii');
    const cells = [...(ascii?.querySelectorAll('.hex-char') ?? [])].map((c) => c.textContent);
    expect(cells).toEqual([
      '.',
      '.',
      '.',
      '.',
      '.',
      '.',
      '.',
      '.',
      'U',
      'S',
      'B',
      'C',
      '.',
      ' ',
      ' ',
      ' ',
    ]);
    expect(ascii?.textContent).toBe('........USBC.   ');
  });

  it('marks the bytes beyond those that arrived, visibly and for screen readers', () => {
    render(<HexView bytes={new Uint8Array(48)} arrived={36} label="short" />);
    expect(byteAt(35).className).not.toContain('missing');
    expect(byteAt(36).className).toContain('missing');
    expect(charAt(47).className).toContain('missing');
    expect(byteAt(36).getAttribute('aria-label')).toBe('offset 0x0024, byte 00 hex, not arrived');
    expect(byteAt(35).getAttribute('aria-label')).toBe('offset 0x0023, byte 00 hex');
    const note = screen.getByTestId('missing-short');
    expect(note.textContent).toBe(
      'Only 36 bytes of 48 bytes arrived: bytes 0x0024–0x002f are marked as not arrived.',
    );
    expect(screen.getByRole('grid').getAttribute('aria-describedby')).toBe(note.id);
  });

  it('marks nothing as missing when everything arrived', () => {
    render(<HexView bytes={new Uint8Array(48)} arrived={48} label="full" />);
    expect(document.querySelector('.missing')).toBeNull();
    expect(screen.queryByTestId('missing-full')).toBeNull();
  });

  it('exposes rows and labelled cells as a grid', () => {
    render(<HexView bytes={Uint8Array.from({ length: 32 }, (_, i) => i)} label="a11y" />);
    const grid = screen.getByRole('grid', { name: 'a11y' });
    expect(grid.getAttribute('tabindex')).toBe('0');
    const rows = within(grid).getAllByRole('row');
    expect(rows).toHaveLength(2);
    expect(within(rows[1] as HTMLElement).getByRole('rowheader').textContent).toBe('000010');
    const cell = within(grid).getByRole('gridcell', { name: 'offset 0x0012, byte 12 hex' });
    expect(cell.textContent).toBe('12');
    expect(within(rows[0] as HTMLElement).getAllByRole('gridcell')).toHaveLength(16);
  });

  it('names the field a click landed on beside the inspector and outlines its bytes', () => {
    render(
      <HexView
        bytes={new Uint8Array(16)}
        field={{ name: 'BLOCK LENGTH', range: [4, 7] }}
        label="f"
      />,
    );
    fireEvent.mouseDown(byteAt(5));
    expect(screen.getByTestId('inspector-field').textContent).toBe('BLOCK LENGTH');
    expect(byteAt(4).className).toContain('field');
    expect(byteAt(8).className).not.toContain('field');
  });

  it('tells the parent which byte was picked, by click or key', () => {
    const onPick = vi.fn();
    render(<HexView bytes={new Uint8Array(32)} label="p" onPick={onPick} />);
    fireEvent.pointerDown(byteAt(3), { button: 0, pointerId: 1 });
    fireEvent.keyDown(screen.getByRole('grid'), { key: 'ArrowDown' });
    expect(onPick.mock.calls.map((c) => c[0])).toEqual([3, 19]);
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

  it('copies the selection with Ctrl+C or Cmd+C as Copy hex does, and nothing on other keys', async () => {
    const writeText = vi.fn((_: string) => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    render(<HexView bytes={Uint8Array.from([0x12, 0x00, 0x24, 0xff])} label="x" />);
    const grid = screen.getByRole('grid', { name: 'x' });
    fireEvent.mouseDown(byteAt(1));
    fireEvent.keyDown(grid, { key: 'ArrowRight', shiftKey: true });
    fireEvent.keyDown(grid, { key: 'c', code: 'KeyC', ctrlKey: true });
    fireEvent.keyDown(grid, { key: 'c', code: 'KeyC' });
    fireEvent.keyDown(grid, { key: 'c', code: 'KeyC', ctrlKey: true, altKey: true });
    fireEvent.mouseDown(byteAt(3));
    fireEvent.keyDown(grid, { key: 'c', code: 'KeyC', metaKey: true });
    fireEvent.click(screen.getByRole('button', { name: 'Copy hex' }));
    await vi.waitFor(() => expect(writeText).toHaveBeenCalledTimes(3));
    expect(writeText.mock.calls.map((c) => c[0])).toEqual(['00 24', 'ff', 'ff']);
    expect(await screen.findByText('Copied 1 byte as hex.')).toBeTruthy();
  });

  it('selects every byte with Ctrl+A or Cmd+A, not the page’s text', () => {
    render(<HexView bytes={SAMPLE} label="x" />);
    const grid = screen.getByRole('grid', { name: 'x' });
    // false: the browser's own select-all (of the whole page) was prevented.
    expect(fireEvent.keyDown(grid, { key: 'a', code: 'KeyA', ctrlKey: true })).toBe(false);
    expect(selectedOffsets()).toEqual(Array.from(SAMPLE, (_, i) => i));
    expect(screen.getByTestId('interpretation').textContent).toMatch(/bytes 0–16 .*17 selected/);
    fireEvent.mouseDown(byteAt(3));
    fireEvent.keyDown(grid, { key: 'a', code: 'KeyA', metaKey: true });
    expect(selectedOffsets()).toHaveLength(SAMPLE.length);
  });

  it('keeps focus in the view when Clear selection, the button, goes away with the selection', () => {
    render(<HexView bytes={SAMPLE} label="x" />);
    fireEvent.mouseDown(byteAt(2));
    const clear = screen.getByRole('button', { name: 'Clear selection' });
    clear.focus();
    fireEvent.click(clear);
    expect(selectedOffsets()).toEqual([]);
    expect(screen.queryByRole('button', { name: 'Clear selection' })).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('grid', { name: 'x' }));
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
