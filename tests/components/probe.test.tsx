// @vitest-environment happy-dom
/**
 * The Probe panel: on an emulated drive one click runs the probe and lists
 * the findings; on a real device the first click shows the plan and asks,
 * and only "Run the probe" sends it.
 */
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ParsedRequestOf } from '../../shared/ipc/contract';
import { probeHandler } from '../../src-main/ipc/probe-handlers';
import { Probe } from '../../src-renderer/components/Probe';
import type { IpcClient } from '../../src-renderer/ipc/client';
import { createStore } from '../../src-renderer/store/store';
import { inProcessClient } from '../unit/renderer/in-process-client';
import { REFUSED, ScriptedTransport } from '../unit/probe/scripted-transport';
import { probePlan } from '../../shared/probe/plan';
import { formatHex } from '../../shared/scsi/hex';
import { renderApp } from './render';

afterEach(cleanup);

async function click(name: string): Promise<void> {
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name }));
    await new Promise((r) => setTimeout(r, 50));
  });
}

describe('Probe panel', () => {
  it('on emu:flash-stick runs at once and lists the findings', async () => {
    const { store } = await renderApp();
    act(() => store.getState().pickDevice('emu:flash-stick'));
    await click('Probe');
    const findings = screen.getByRole('list', { name: 'probe findings' });
    expect(within(findings).getByText(/^Not SAT/)).toBeTruthy();
    expect(within(findings).getByText(/Flash Stick/)).toBeTruthy();
  });

  it('names the device a probe was run on, and marks its findings once another is picked', async () => {
    const { store } = await renderApp();
    act(() => store.getState().pickDevice('emu:spc2-bridge'));
    await click('Probe');
    const status = (): string => screen.getByText(/^Probe of /).textContent ?? '';
    expect(status()).toMatch(/^Probe of emu:spc2-bridge done: \d+ findings?\.$/);
    expect(screen.queryByTestId('probe-stale')).toBeNull();
    act(() => store.getState().pickDevice('emu:flash-stick'));
    expect(status()).toMatch(/^Probe of emu:spc2-bridge done/);
    expect(screen.getByTestId('probe-stale').textContent).toMatch(
      /These are emu:spc2-bridge's steps and findings: another device is picked/,
    );
    expect(screen.getByRole('region', { name: 'probe' }).className).toContain('stale');
  });

  it('on a usb: device shows the plan and asks first, then runs on yes', async () => {
    const device = {
      id: 'usb:152d:0578',
      kind: 'usb' as const,
      vendor: 'J',
      product: 'B',
      maxLun: 0,
    };
    const script = probePlan(0x152d)
      .steps.filter((s) => s.id !== 'sat-smart-status')
      .map((s) => ({ cdb: formatHex(s.cdb), outcome: REFUSED }));
    const t = new ScriptedTransport(script, device);
    const inner = inProcessClient();
    const client: IpcClient = {
      invoke: ((channel: string, request: unknown) =>
        channel === 'device.probe'
          ? probeHandler(() => Promise.resolve(t))({
              allFamilies: false,
              confirmed: false,
              ...(request as Partial<ParsedRequestOf<'device.probe'>>),
            } as ParsedRequestOf<'device.probe'>)
          : inner.invoke(channel as never, request as never)) as IpcClient['invoke'],
    };
    const store = createStore(client);
    store.setState({ device: device.id });
    render(<Probe use={store} />);
    await click('Probe');
    expect(t.sent).toEqual([]);
    const ask = screen.getByRole('alertdialog', { name: 'confirm probe' });
    expect(within(ask).getByText(/vendor-specific opcodes \(jmicron-ata\)/)).toBeTruthy();
    expect(screen.getByRole('list', { name: 'probe steps' }).textContent).toMatch(/df 10 00 02/);
    await click('Run the probe');
    expect(t.unused()).toBe(0);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(
      within(screen.getByRole('list', { name: 'probe findings' })).getByText(/JMicron ATA \(DFh\)/),
    ).toBeTruthy();
  });
});
