// @vitest-environment happy-dom
/** The CDB editor as rendered: fields and hex row in step, lint shown at its byte, one-click fix, keyboard. */
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { selectPointedByte } from '../../src-renderer/store/selectors';
import { enterField, pressSend, renderApp, settle } from './render';

afterEach(cleanup);

const input = (label: string): HTMLInputElement => screen.getByLabelText(label);

describe('CDB editor', () => {
  it('keeps every field control and the hex row in step, both ways', async () => {
    await renderApp();
    fireEvent.change(screen.getByLabelText('command'), { target: { value: 'read10' } });
    expect(input('cdb hex').value).toBe('28 00 00 00 00 00 00 00 01 00');
    enterField('LOGICAL BLOCK ADDRESS', '4660');
    expect(input('cdb hex').value).toBe('28 00 00 00 12 34 00 00 01 00');
    fireEvent.change(input('cdb hex'), { target: { value: '28 00 00 00 00 10 00 00 02 00' } });
    expect(input('LOGICAL BLOCK ADDRESS').value).toBe('16');
    expect(input('TRANSFER LENGTH').value).toBe('2');
    // A field given more than it holds is refused with its range, the hex untouched.
    enterField('TRANSFER LENGTH', '65536');
    expect(screen.getByRole('alert').textContent).toMatch(/TRANSFER LENGTH holds 0–65535/);
    expect(input('cdb hex').value).toBe('28 00 00 00 00 10 00 00 02 00');
    // A bad hex byte is named and the fields keep the last good CDB.
    fireEvent.change(input('cdb hex'), { target: { value: '28 0x' } });
    expect(
      screen
        .getAllByRole('alert')
        .map((a) => a.textContent)
        .join(' '),
    ).toMatch(/"0x"/);
    expect(input('LOGICAL BLOCK ADDRESS').value).toBe('16');
  });

  it('keeps a value a field cannot hold as typed, the CDB as it was, and Send refused', async () => {
    const { store } = await renderApp();
    fireEvent.change(screen.getByLabelText('command'), { target: { value: 'mode-sense6' } });
    const before = input('cdb hex').value;
    const box = input('ALLOCATION LENGTH');
    // Typed key by key: "3" and "30" on the way to "300" are not values the person asked for.
    for (const text of ['3', '30', '300']) {
      fireEvent.change(box, { target: { value: text } });
      expect(input('cdb hex').value).toBe(before);
    }
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(screen.getByRole('alert').textContent).toMatch(/ALLOCATION LENGTH holds 0–255/);
    expect(box.value).toBe('300');
    expect(box.getAttribute('aria-invalid')).toBe('true');
    expect(
      document.getElementById(box.getAttribute('aria-errormessage') ?? '')?.textContent,
    ).toMatch(/holds 0–255/);
    expect(input('cdb hex').value).toBe(before);
    expect(screen.getByTestId('send-blocked').textContent).toMatch(/ALLOCATION LENGTH shows 300/);
    expect(screen.getByRole('button', { name: 'Send' })).toHaveProperty('disabled', true);
    await settle(store, (s) => s.send());
    expect(store.getState().history).toEqual([]);
    // Escape gives up the typed value: the box shows the CDB's again, and Send may send it.
    fireEvent.keyDown(box, { key: 'Escape' });
    expect(box.value).toBe(String(store.getState().cdb[4]));
    expect(screen.queryByTestId('send-blocked')).toBeNull();
  });

  it("shows the report's lint finding at byte 3 and fixes it in one click", async () => {
    await renderApp();
    fireEvent.click(screen.getByLabelText(/emu:spc2-bridge/));
    fireEvent.change(input('cdb hex'), { target: { value: '12 00 00 24 00 00' } });
    fireEvent.change(input('transfer length'), { target: { value: '512' } });
    expect(screen.getByTestId('lint-layout-ambiguity').textContent).toMatch(/byte 3/i);
    expect(screen.getByTestId('cdb-byte-3').className).toContain('flagged');
    expect(screen.getByTestId('cdb-byte-4').className).not.toContain('flagged');
    fireEvent.click(screen.getByTestId('apply-fix'));
    expect(input('cdb hex').value).toBe('12 00 00 00 24 00');
    expect(input('transfer length').value).toBe('36');
    expect(screen.queryByTestId('lint-layout-ambiguity')).toBeNull();
    expect(screen.getByTestId('cdb-byte-3').className).not.toContain('flagged');
  });

  it("marks the CDB byte the device's sense points at", async () => {
    const { store } = await renderApp();
    fireEvent.click(screen.getByLabelText(/emu:spc2-bridge/));
    fireEvent.change(input('cdb hex'), { target: { value: '12 00 00 24 00 00' } });
    await settle(store, (s) => s.send());
    expect(screen.getByTestId('status').textContent).toBe('CHECK CONDITION');
    expect(selectPointedByte(store.getState())).toBe(3);
    expect(screen.getByTestId('cdb-byte-3').className).toContain('pointed');
    // Once the CDB changes the pointer no longer applies to it.
    fireEvent.change(input('cdb hex'), { target: { value: '12 00 00 00 24 00' } });
    expect(screen.getByTestId('cdb-byte-3').className).not.toContain('pointed');
  });

  it('moves between fields with Alt+↓ / Alt+↑ and jumps to the hex view with Alt+X', async () => {
    const { store } = await renderApp();
    await settle(store, (s) => s.send());
    const app = document.querySelector<HTMLElement>('.app');
    if (!app) throw new Error('no app');
    input('cdb hex').focus();
    fireEvent.keyDown(app, { code: 'ArrowDown', altKey: true });
    expect(document.activeElement).toBe(screen.getByLabelText('direction'));
    fireEvent.keyDown(app, { code: 'ArrowDown', altKey: true });
    expect(document.activeElement).toBe(input('transfer length'));
    fireEvent.keyDown(app, { code: 'ArrowUp', altKey: true });
    expect(document.activeElement).toBe(screen.getByLabelText('direction'));
    fireEvent.keyDown(app, { code: 'KeyX', altKey: true });
    expect(document.activeElement).toBe(screen.getByRole('grid', { name: 'data-in' }));
    // Ctrl+Enter sends: a second history entry appears.
    await pressSend(app);
    expect(store.getState().history).toHaveLength(2);
  });

  it('takes data-out as hex, refuses to send when its size and the transfer length disagree', async () => {
    const { store } = await renderApp();
    fireEvent.change(screen.getByLabelText('command'), { target: { value: 'write-buffer' } });
    enterField('data-out hex', 'de ad be ef');
    expect(screen.getByTestId('data-out-summary').textContent).toMatch(/4 bytes from typed hex/);
    expect(input('transfer length').value).toBe('4');
    expect(screen.getByTestId('hex-data-out').textContent).toMatch(/deadbeef/);
    fireEvent.change(input('transfer length'), { target: { value: '8' } });
    expect(screen.getByTestId('data-out-summary').textContent).toMatch(/make them match/);
    await settle(store, (s) => s.send());
    expect(store.getState().sendError).toMatch(/holds 4 bytes but the transfer length is 8/);
    expect(store.getState().history).toHaveLength(0);
    enterField('data-out hex', 'zz');
    expect(
      screen
        .getAllByRole('alert')
        .map((a) => a.textContent)
        .join(' '),
    ).toMatch(/"zz"/);
  });

  it('sends the data-out hex just typed on Ctrl+Enter, and takes it when focus leaves the box', async () => {
    const { store } = await renderApp();
    fireEvent.change(screen.getByLabelText('command'), { target: { value: 'write-buffer' } });
    const box = input('data-out hex');
    fireEvent.change(box, { target: { value: 'de ad be ef' } });
    await pressSend(box);
    expect(store.getState().history.map((h) => Array.from(h.dataOut ?? []))).toEqual([
      [0xde, 0xad, 0xbe, 0xef],
    ]);
    fireEvent.change(box, { target: { value: '01 02' } });
    fireEvent.blur(box);
    expect(screen.getByTestId('data-out-summary').textContent).toMatch(/2 bytes from typed hex/);
    expect(input('transfer length').value).toBe('2');
    // Escape drops the typing; an emptied box takes the typed data-out away.
    fireEvent.change(box, { target: { value: 'ff' } });
    fireEvent.keyDown(box, { key: 'Escape' });
    expect(box.value).toBe('01 02');
    enterField('data-out hex', '7f');
    expect(screen.getByTestId('data-out-summary').textContent).toMatch(/^1 byte from typed hex/);
    fireEvent.change(box, { target: { value: '' } });
    fireEvent.blur(box);
    expect(screen.getByTestId('data-out-summary').textContent).toMatch(/nothing loaded/);
  });

  it('refuses to send malformed data-out typed for a command just picked, whose data phase is still none', async () => {
    const { store } = await renderApp();
    // WRITE BUFFER picked: PARAMETER LIST LENGTH 0, so no data phase until data-out is taken.
    fireEvent.change(screen.getByLabelText('command'), { target: { value: 'write-buffer' } });
    expect((screen.getByLabelText('direction') as HTMLSelectElement).value).toBe('none');
    const box = input('data-out hex');
    fireEvent.change(box, { target: { value: 'de ad be eg' } });
    await pressSend(box);
    expect(store.getState().history).toEqual([]);
    expect(screen.getByTestId('send-blocked').textContent).toMatch(/data-out hex is malformed/);
  });

  it('refuses to send while the data-out hex is malformed, naming the byte, and sends nothing stale', async () => {
    const { store } = await renderApp();
    fireEvent.change(screen.getByLabelText('command'), { target: { value: 'write-buffer' } });
    enterField('data-out hex', 'de ad be ef');
    const box = input('data-out hex');
    const refused = async (text: string, why: RegExp): Promise<void> => {
      fireEvent.change(box, { target: { value: text } });
      await pressSend(box);
      expect(store.getState().history).toEqual([]);
      expect(box.value).toBe(text);
      expect(box.getAttribute('aria-invalid')).toBe('true');
      expect(
        document.getElementById(box.getAttribute('aria-errormessage') ?? '')?.textContent,
      ).toMatch(why);
      expect(screen.getByTestId('send-blocked').textContent).toMatch(/data-out hex is malformed/);
      expect(screen.getByTestId('send-blocked').textContent).toMatch(why);
      expect(screen.getByRole('button', { name: 'Send' })).toHaveProperty('disabled', true);
    };
    await refused('de ad be eg', /"eg" is not hexadecimal: "g" at byte 3;/);
    await refused('de ad bee', /"bee" has an odd number of hex digits \(byte 2\)/);
    // Corrected, it goes out as typed.
    fireEvent.change(box, { target: { value: 'de ad be ee' } });
    fireEvent.blur(box);
    expect(screen.queryByTestId('send-blocked')).toBeNull();
    expect(box.getAttribute('aria-invalid')).toBeNull();
    await settle(store, (s) => s.send());
    expect(store.getState().history.map((h) => Array.from(h.dataOut ?? []))).toEqual([
      [0xde, 0xad, 0xbe, 0xee],
    ]);
  });

  it("keeps Ctrl+Enter in the data-out hex view's search and go-to boxes for them: the WRITE is not sent", async () => {
    const { store } = await renderApp();
    fireEvent.change(screen.getByLabelText('command'), { target: { value: 'write-buffer' } });
    enterField('data-out hex', 'de ad be ef');
    for (const label of ['find in data-out', 'offset to go to in data-out']) {
      fireEvent.change(input(label), { target: { value: '2' } });
      await pressSend(input(label));
    }
    expect(store.getState().history).toEqual([]);
    // In the editor's own boxes it still sends.
    await pressSend(input('data-out hex'));
    expect(store.getState().history).toHaveLength(1);
  });

  it('keeps focus in the data-out box when Clear, the button, goes away with the data-out', async () => {
    await renderApp();
    fireEvent.change(screen.getByLabelText('command'), { target: { value: 'write-buffer' } });
    enterField('data-out hex', 'de ad be ef');
    const clear = within(screen.getByTestId('data-out-summary')).getByRole('button', {
      name: 'Clear',
    });
    clear.focus();
    fireEvent.click(clear);
    expect(screen.getByTestId('data-out-summary').textContent).toMatch(/nothing loaded/);
    expect(input('data-out hex').value).toBe('');
    expect(document.activeElement).toBe(input('data-out hex'));
  });

  it('sends the command the editor holds on Ctrl+Enter in the find box, picking nothing first', async () => {
    const { store } = await renderApp();
    const find = input('find command');
    fireEvent.change(find, { target: { value: 'write10' } });
    expect(screen.getByText('1 found')).toBeTruthy();
    await act(async () => {
      fireEvent.keyDown(find, { key: 'Enter', code: 'Enter', ctrlKey: true });
      await new Promise((r) => setTimeout(r, 50));
    });
    // The INQUIRY the editor showed went out; WRITE(10), the only match, was not picked and sent.
    expect(input('cdb hex').value).toBe('12 00 00 00 24 00');
    expect(store.getState().history.map((h) => h.cdb[0])).toEqual([0x12]);
  });

  it('finds a command by name or opcode and picks the only match with Enter', async () => {
    await renderApp();
    const find = input('find command');
    fireEvent.change(find, { target: { value: 'readcap16' } });
    expect(screen.getByText('1 found')).toBeTruthy();
    fireEvent.keyDown(find, { key: 'Enter' });
    expect(input('cdb hex').value).toBe('9e 10 00 00 00 00 00 00 00 00 00 00 00 20 00 00');
    fireEvent.change(find, { target: { value: '0x5a' } });
    const options = Array.from(
      (screen.getByLabelText('command') as HTMLSelectElement).options,
      (o) => o.textContent,
    );
    expect(options).toContain('5Ah MODE SENSE(10)');
    // The command in the editor stays listed even when the search leaves it out.
    expect(options).toContain('9Eh READ CAPACITY(16)');
  });

  it('shows the SPC-2 layout where it differs: byte 3 reserved, a one-byte allocation length', async () => {
    await renderApp();
    expect(input('ALLOCATION LENGTH').closest('tr')?.textContent).toMatch(/bytes 3–4/);
    fireEvent.change(screen.getByLabelText('layout'), { target: { value: 'SPC-2' } });
    expect(screen.getByTestId('layout-note').textContent).toMatch(/byte 3 is reserved/);
    const row = input('ALLOCATION LENGTH').closest('tr');
    expect(row?.textContent).toMatch(/byte 4/);
    expect(row?.textContent).not.toMatch(/bytes 3–4/);
    enterField('ALLOCATION LENGTH', '255');
    expect(input('cdb hex').value).toBe('12 00 00 00 ff 00');
    enterField('ALLOCATION LENGTH', '256');
    expect(screen.getByRole('alert').textContent).toMatch(/ALLOCATION LENGTH holds 0–255/);
  });
});

describe('the LUN picker', () => {
  it('shows a LUN past Get Max LUN that a preset brought, marked, and offers the real ones', async () => {
    const { store } = await renderApp();
    expect(store.getState().device).toBe('emu:flash-stick');
    // LUN 0 is the stick's only one: nothing to pick.
    expect(screen.queryByLabelText('lun')).toBeNull();
    act(() => store.getState().setLun(2));
    const picker = screen.getByLabelText<HTMLSelectElement>('lun');
    expect(Array.from(picker.options, (o) => o.textContent)).toEqual([
      '0',
      '2 (past Get Max LUN, 0)',
    ]);
    expect(picker.value).toBe('2');
    fireEvent.change(picker, { target: { value: '0' } });
    expect(store.getState().lun).toBe(0);
    expect(screen.queryByLabelText('lun')).toBeNull();
  });
});
