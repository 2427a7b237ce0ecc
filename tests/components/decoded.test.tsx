// @vitest-environment happy-dom
/**
 * Decoded views beside the hex, from real answers of the emulated drives:
 * each known response gets its table, a hovered row lights its bytes, and a
 * failure is explained. History compares two responses.
 */
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderApp, settle } from './render';

afterEach(cleanup);

const CASES: readonly { cdb: string; length: number; title: string; row: RegExp }[] = [
  { cdb: '12 00 00 00 24 00', length: 36, title: 'INQUIRY', row: /Vendor/ },
  { cdb: '12 01 00 00 ff 00', length: 255, title: 'INQUIRY', row: /0x80|Unit serial/i },
  { cdb: '12 01 80 00 ff 00', length: 255, title: 'INQUIRY', row: /serial/i },
  { cdb: '12 01 83 00 ff 00', length: 255, title: 'INQUIRY', row: /designator|identification/i },
  { cdb: '25 00 00 00 00 00 00 00 00 00', length: 8, title: 'READ CAPACITY(10)', row: /block/i },
  {
    cdb: '9e 10 00 00 00 00 00 00 00 00 00 00 00 20 00 00',
    length: 32,
    title: 'READ CAPACITY(16)',
    row: /block/i,
  },
  { cdb: '1a 00 3f 00 ff 00', length: 255, title: 'MODE SENSE(6)', row: /page|mode data/i },
  {
    cdb: '5a 00 3f 00 00 00 00 00 ff 00',
    length: 255,
    title: 'MODE SENSE(10)',
    row: /page|mode data/i,
  },
  { cdb: 'a0 00 00 00 00 00 00 00 01 00 00 00', length: 256, title: 'REPORT LUNS', row: /LUN/ },
];

describe('decoded views', () => {
  for (const c of CASES)
    it(`decodes ${c.title} (${c.cdb}) and links its rows to their bytes`, async () => {
      const { store } = await renderApp();
      fireEvent.change(screen.getByLabelText('cdb hex'), { target: { value: c.cdb } });
      fireEvent.change(screen.getByLabelText('transfer length'), {
        target: { value: String(c.length) },
      });
      await settle(store, (s) => s.send());
      expect(screen.getByTestId('status').textContent).toBe('GOOD');
      const table = screen.getByTestId('decoded');
      expect(table.querySelector('caption')?.textContent).toBe(c.title);
      expect(table.querySelector('td.error')).toBeNull();
      const row = within(table)
        .getAllByRole('row')
        .find((r) => c.row.test(r.textContent ?? ''));
      if (!row) throw new Error(`no row matching ${c.row} in ${table.textContent}`);
      fireEvent.mouseEnter(row);
      const lit = document.querySelectorAll('[data-testid="hex-data-in"] .hex-byte.lit');
      expect(lit.length).toBeGreaterThan(0);
      fireEvent.mouseLeave(row);
      expect(document.querySelectorAll('[data-testid="hex-data-in"] .hex-byte.lit')).toHaveLength(
        0,
      );
    });

  it('decodes REPORT SUPPORTED OPERATION CODES from the drive that supports it', async () => {
    const { store } = await renderApp();
    fireEvent.click(screen.getByLabelText(/emu:fw-updatable/));
    fireEvent.change(screen.getByLabelText('cdb hex'), {
      target: { value: 'a3 0c 00 00 00 00 00 00 10 00 00 00' },
    });
    fireEvent.change(screen.getByLabelText('transfer length'), { target: { value: '4096' } });
    await settle(store, (s) => s.send());
    expect(screen.getByTestId('decoded').querySelector('caption')?.textContent).toBe(
      'REPORT SUPPORTED OPERATION CODES',
    );
    expect(screen.getByTestId('decoded').textContent).toMatch(/INQUIRY/);
  });

  it('explains a failing command: sense in words, the doctor, the sense bytes', async () => {
    const { store } = await renderApp();
    fireEvent.change(screen.getByLabelText('cdb hex'), { target: { value: 'c1 00 00 00 00 00' } });
    fireEvent.change(screen.getByLabelText('direction'), { target: { value: 'none' } });
    await settle(store, (s) => s.send());
    expect(screen.getByTestId('status').textContent).toBe('CHECK CONDITION');
    expect(screen.getByTestId('sense').textContent).toMatch(/INVALID COMMAND OPERATION CODE/);
    expect(screen.getByTestId('diagnosis').textContent?.length).toBeGreaterThan(20);
    expect(screen.getByTestId('hex-sense').textContent).toMatch(/^sense: \d+ bytes/);
  });

  it('names a vendor CDB’s field from the field pointer in the sense panel, as the diagnosis does', async () => {
    const { store } = await renderApp();
    // jmicron-nvme's A1h 82h (run with data-in); ILLEGAL REQUEST 24h/00h, C/D and BPV, byte 1 bit 0.
    const cdb = Uint8Array.from([0xa1, 0x82, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const sense = Uint8Array.from([
      0x70, 0, 5, 0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0x24, 0, 0, 0xc8, 0, 1,
    ]);
    expect(store.getState().vendorSets.map((v) => v.name)).toContain('jmicron-nvme');
    await act(async () => {
      store.setState({
        sent: {
          target: 'emu:jmicron-nvme',
          cdb,
          direction: 'none',
          transferLength: 0,
          lun: 0,
          dataOut: undefined,
        },
        outcome: {
          status: 2,
          transportError: null,
          dataIn: new Uint8Array(),
          sense,
          residue: 0,
          cswStatus: 1,
          durationMs: 1,
        },
      });
      await Promise.resolve();
    });
    const panel = screen.getByTestId('sense').textContent ?? '';
    expect(panel).toMatch(
      /CDB byte 1 bit 0 \(value 82h\): that is NVME PASS-THROUGH AND PROTOCOL \(byte 1\) of JMICRON NVME RUN WITH DATA-IN\./,
    );
    expect(panel).not.toMatch(/ATA PASS-THROUGH/);
  });

  it('compares two responses from the history and names the differing bytes', async () => {
    const { store } = await renderApp();
    fireEvent.change(screen.getByLabelText('cdb hex'), { target: { value: '12 00 00 00 24 00' } });
    await settle(store, (s) => s.send());
    fireEvent.click(screen.getByLabelText(/emu:spc2-bridge/));
    await settle(store, (s) => s.send());
    fireEvent.click(screen.getByLabelText('compare #1'));
    expect(screen.queryByTestId('diff')).toBeNull();
    fireEvent.click(screen.getByLabelText('compare #2'));
    const diff = screen.getByTestId('diff-data-in').textContent ?? '';
    expect(diff).toMatch(/36 vs 36 bytes — differ at bytes/);
    // Both drives are direct-access disks: byte 0 matches; their vendor strings (8–15) differ.
    expect(diff).not.toMatch(/bytes 0[,–]/);
    expect(
      document.querySelectorAll('[data-testid="diff"] .hex-byte.changed').length,
    ).toBeGreaterThan(0);
    fireEvent.click(screen.getByLabelText('compare #1'));
    expect(screen.queryByTestId('diff')).toBeNull();
  });
});
