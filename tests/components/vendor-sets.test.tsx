// @vitest-environment happy-dom
/**
 * The Vendor sets panel against the real handlers: a user's set imported
 * from a file is listed with its commands; Find lists its commands by name,
 * opcode or vendor; its command shows its fields in the editor and its
 * response decodes field by field, linked to the bytes; a refused edit
 * names the line and field; a sequence runs as one action; the set exports
 * and deletes.
 */
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ACME_SET_TEXT } from '../acme-vendor-set';
import { enterField, renderApp, settle, type Store } from './render';

afterEach(cleanup);

const input = (label: string): HTMLInputElement => screen.getByLabelText(label);

/** Picks a file in the panel's import input, as a person would, and lets the import finish. */
async function importFile(store: Store, text: string, name = 'acme.json'): Promise<void> {
  const file = new File([text], name, { type: 'application/json' });
  fireEvent.change(screen.getByLabelText('import vendor set'), { target: { files: [file] } });
  // The import runs from the change handler; wait for the list (or the refusal) to arrive.
  await act(async () => {
    await vi.waitFor(() => {
      const s = store.getState();
      if (!s.vendorSetList.some((x) => x.name === 'acme') && !s.setDraft)
        throw new Error('pending');
    });
  });
}

describe('Vendor sets panel', () => {
  it('imports a set from a JSON file and lists it with its commands and sequence', async () => {
    const { store } = await renderApp();
    await importFile(store, ACME_SET_TEXT);
    const entry = screen.getByTestId('vendor-set-acme');
    expect(entry.textContent).toMatch(/ACME Storage/);
    expect(entry.textContent).toMatch(/user/);
    expect(within(entry).getByRole('button', { name: /D1h ACME READ TEMPERATURE/ })).toBeTruthy();
    expect(within(entry).getByRole('button', { name: 'Run Cool down (set acme)' })).toBeTruthy();
    // Built-in sets are listed too, without Delete.
    const builtIn = store.getState().vendorSetList.find((s) => s.source === 'built-in');
    if (!builtIn) throw new Error('no built-in set listed');
    expect(
      within(screen.getByTestId(`vendor-set-${builtIn.name}`)).queryByRole('button', {
        name: `delete ${builtIn.name}`,
      }),
    ).toBeNull();
  });

  it("finds the set's commands by name, opcode and vendor, and edits their CDB fields", async () => {
    const { store } = await renderApp();
    await importFile(store, ACME_SET_TEXT);
    const command = screen.getByLabelText('command');
    for (const query of ['temperature', 'd1', 'ACME Storage']) {
      fireEvent.change(input('find command'), { target: { value: query } });
      const options = [...command.querySelectorAll('option')].map((o) => o.textContent);
      expect(options, query).toContain('D1h ACME READ TEMPERATURE (set acme)');
    }
    fireEvent.change(input('find command'), { target: { value: 'acme.read-temp' } });
    fireEvent.keyDown(input('find command'), { key: 'Enter' });
    expect(input('cdb hex').value).toBe('d1 00 00 00 00 00 00 00 08 00');
    // The set's fields are controls like a catalog row's, kept in step with the hex.
    enterField('SENSOR', '1');
    expect(input('cdb hex').value).toBe('d1 00 01 00 00 00 00 00 08 00');
    enterField('SENSOR', '256');
    expect(screen.getByRole('alert').textContent).toMatch(/SENSOR holds 0–255/);
  });

  it("keeps a vendor command's field table while its selector is typed, and its data phase when no row is named", async () => {
    await renderApp();
    fireEvent.change(screen.getByLabelText('command'), {
      target: { value: 'realtek.identify-controller' },
    });
    const before = input('cdb hex').value;
    expect(before).toMatch(/^e4 00 10 06 01/);
    const box = input('ADMIN OPCODE AND CDW10 7:0');
    // Each key on the way to 0x0600 (Identify Namespace) leaves the command, and so the box, as it was.
    for (const text of ['0', '0x', '0x0', '0x06', '0x060', '0x0600']) {
      fireEvent.change(box, { target: { value: text } });
      expect(box.isConnected, text).toBe(true);
      expect(input('cdb hex').value).toBe(before);
    }
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(input('command').value).toBe('realtek.identify-namespace');
    expect(input('cdb hex').value).toMatch(/^e4 00 10 06 00/);
    expect([input('direction').value, input('transfer length').value]).toEqual(['in', '4096']);
    // A value no row of the set names: the CDB takes it, and the data phase set up stays.
    enterField('ADMIN OPCODE AND CDW10 7:0', '0x0700');
    expect(input('cdb hex').value).toMatch(/^e4 00 10 07 00/);
    expect(input('command').value).toBe('');
    expect([input('direction').value, input('transfer length').value]).toEqual(['in', '4096']);
  });

  it("names the set in the accessible name of each set's buttons", async () => {
    const { store } = await renderApp();
    const sets = store.getState().vendorSetList;
    const panel = screen.getByRole('region', { name: 'vendor sets' });
    expect(within(panel).getAllByRole('button', { name: /^Export/ })).toHaveLength(sets.length);
    for (const s of sets) {
      // getByRole finds exactly one: no two sets' buttons share a name.
      const group = within(panel).getByRole('group', { name: `vendor set ${s.name}` });
      const named = (text: string): HTMLElement =>
        within(panel).getByRole('button', { name: `${text} (set ${s.name})` });
      expect(group.contains(named('Export'))).toBe(true);
      expect(group.contains(named(s.source === 'user' ? 'Edit' : 'Copy to edit'))).toBe(true);
      for (const q of s.sequences) expect(group.contains(named(`Run ${q.name}`))).toBe(true);
    }
  });

  it('decodes the vendor response field by field, each row lighting its bytes and a clicked byte marking its row', async () => {
    const { store } = await renderApp();
    await importFile(store, ACME_SET_TEXT);
    fireEvent.click(screen.getByRole('button', { name: /D1h ACME READ TEMPERATURE/ }));
    fireEvent.change(input('direction'), { target: { value: 'in' } });
    fireEvent.change(input('transfer length'), { target: { value: '8' } });
    await settle(store, (s) => s.send());
    expect(screen.getByTestId('status').textContent).toBe('GOOD');
    const table = screen.getByTestId('decoded');
    expect(table.querySelector('caption')?.textContent).toMatch(/ACME READ TEMPERATURE/);
    const rows = within(table).getAllByRole('row');
    const temperature = rows.find((r) => /TEMPERATURE/.test(r.textContent ?? ''));
    if (!temperature) throw new Error(`no TEMPERATURE row in ${table.textContent}`);
    expect(temperature.textContent).toMatch(/41/);
    expect(table.textContent).toMatch(/TMP/);
    fireEvent.mouseEnter(temperature);
    const lit = [...document.querySelectorAll('[data-testid="hex-data-in"] .hex-byte.lit')];
    expect(lit.map((b) => b.getAttribute('data-offset'))).toEqual(['0', '1']);
    fireEvent.mouseLeave(temperature);
    // Byte 6 is inside SENSOR MODEL (bytes 5–7): clicking it marks that row.
    fireEvent.mouseDown(
      document.querySelector('[data-testid="hex-data-in"] [data-offset="6"]') as Element,
    );
    expect(table.querySelector('tr.picked')?.textContent).toMatch(/SENSOR MODEL/);
  });

  it('refuses a broken edit naming the line and field, keeps the text, and saves the fix', async () => {
    const { store } = await renderApp();
    await importFile(store, ACME_SET_TEXT);
    fireEvent.click(
      within(screen.getByTestId('vendor-set-acme')).getByRole('button', {
        name: 'Edit (set acme)',
      }),
    );
    await act(async () => {
      await vi.waitFor(() => {
        if (!store.getState().setDraft) throw new Error('pending');
      });
    });
    const area = screen.getByLabelText('vendor set json') as HTMLTextAreaElement;
    expect(area.value).toBe(ACME_SET_TEXT);
    // FAN SPEED loses its name.
    const broken = ACME_SET_TEXT.replace('"name": "FAN SPEED"', '"name": ""');
    const line = broken.split('\n').findIndex((l) => l.includes('"name": ""')) + 1;
    fireEvent.change(area, { target: { value: broken } });
    await settle(store, (s) => s.saveDraft());
    expect(screen.getByTestId('vendor-set-refusal').textContent).toContain(
      `line ${line}: commands.1.fields.0.name: must not be empty`,
    );
    expect((screen.getByLabelText('vendor set json') as HTMLTextAreaElement).value).toBe(broken);
    const fixed = ACME_SET_TEXT.replace('ACME SET FAN', 'ACME SET FAN SPEED');
    fireEvent.change(screen.getByLabelText('vendor set json'), { target: { value: fixed } });
    await settle(store, (s) => s.saveDraft());
    expect(screen.queryByLabelText('vendor set json')).toBeNull();
    expect(screen.getByTestId('vendor-set-acme').textContent).toMatch(/ACME SET FAN SPEED/);
  });

  it('opens a refused import in the editor with the reason', async () => {
    const { store } = await renderApp();
    await importFile(store, ACME_SET_TEXT.replace('"usbcdbVendorSet": 1', '"usbcdbVendorSet": 2'));
    expect(screen.getByTestId('vendor-set-refusal').textContent).toMatch(
      /line 2: usbcdbVendorSet: must be 1/,
    );
    expect(screen.queryByTestId('vendor-set-acme')).toBeNull();
  });

  it('runs a sequence as one action and shows each step with its outcome and decoded answer', async () => {
    const { store } = await renderApp();
    await importFile(store, ACME_SET_TEXT);
    fireEvent.click(screen.getByRole('button', { name: 'Run Cool down (set acme)' }));
    await act(async () => {
      await vi.waitFor(() => {
        if (store.getState().sequenceRun?.running !== false) throw new Error('pending');
      });
    });
    const run = screen.getByTestId('sequence-run');
    expect(run.textContent).toMatch(/every step GOOD/);
    expect(screen.getByTestId('sequence-step-0').textContent).toMatch(/acme\.read-temp.*GOOD/);
    expect(screen.getByTestId('sequence-step-1').textContent).toMatch(
      /acme\.set-fan.*d2 00 29 00 00 00.*GOOD/,
    );
    expect(screen.getByTestId('sequence-decoded-0').textContent).toMatch(/TEMPERATURE.*41/);
  });

  it("explains a failed step's sense by its CDB and the sets in use, naming the vendor field the pointer names", async () => {
    const { store } = await renderApp();
    // 141 °C read back becomes FAN SPEED 141, past the field's 100: the drive refuses step 2.
    await importFile(store, ACME_SET_TEXT.replace('"celsius": 41', '"celsius": 141'));
    fireEvent.click(screen.getByRole('button', { name: 'Run Cool down (set acme)' }));
    await act(async () => {
      await vi.waitFor(() => {
        if (store.getState().sequenceRun?.running !== false) throw new Error('pending');
      });
    });
    const failed = screen.getByTestId('sequence-step-1').textContent;
    expect(failed).toMatch(/CHECK CONDITION/);
    expect(failed).toMatch(/INVALID FIELD IN CDB/);
    // Only the CDB and the acme set tell that byte 2 of a D2h CDB is ACME SET FAN's FAN SPEED.
    expect(failed).toMatch(/FAN SPEED/);
  });

  it('exports a set as a download of its JSON and deletes a user set', async () => {
    const { store } = await renderApp();
    await importFile(store, ACME_SET_TEXT);
    const created: Blob[] = [];
    const create = vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      created.push(b as Blob);
      return 'blob:acme';
    });
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const entry = screen.getByTestId('vendor-set-acme');
    fireEvent.click(within(entry).getByRole('button', { name: 'Export (set acme)' }));
    await act(async () => {
      await vi.waitFor(() => {
        if (created.length === 0) throw new Error('pending');
      });
    });
    expect(await created[0]?.text()).toBe(ACME_SET_TEXT);
    create.mockRestore();
    revoke.mockRestore();
    fireEvent.click(within(entry).getByRole('button', { name: 'delete acme' }));
    await act(async () => {
      await vi.waitFor(() => {
        if (store.getState().vendorSetList.some((s) => s.name === 'acme'))
          throw new Error('pending');
      });
    });
    expect(screen.queryByTestId('vendor-set-acme')).toBeNull();
  });
});
