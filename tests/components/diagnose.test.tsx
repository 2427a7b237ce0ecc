// @vitest-environment happy-dom
/**
 * The Diagnose panel: values pasted from another system give the doctor's
 * ranked diagnosis — the same, finding for finding, as `usbcdb doctor` with
 * the same values — and a value that cannot be read is named, not guessed.
 */
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../shared/doctor/types';
import { runUsbcdb } from '../cli-run';
import { FOUNDING, FOUNDING_DOCTOR_ARGS } from '../founding-report';
import { renderApp } from './render';

afterEach(cleanup);

const panel = () => within(screen.getByRole('region', { name: 'diagnose' }));

function type(label: RegExp, value: string): void {
  fireEvent.change(panel().getByLabelText(label), { target: { value } });
}

function pasteFoundingCase(): void {
  type(/^CDB$/, FOUNDING.cdb);
  type(/^Data-in length/, FOUNDING.dataIn);
  type(/^Status/, FOUNDING.status);
  type(/^Service response/, FOUNDING.serviceResponse);
  type(/^Sense bytes/, FOUNDING.sense);
}

function diagnoseClick(): void {
  act(() => {
    fireEvent.click(panel().getByRole('button', { name: 'Diagnose' }));
  });
}

describe('Diagnose panel', () => {
  it('ranks the founding report exactly as usbcdb doctor does, with each explanation and fix', async () => {
    await renderApp();
    pasteFoundingCase();
    diagnoseClick();
    const cli = await runUsbcdb([...FOUNDING_DOCTOR_ARGS, '--json']);
    const report = JSON.parse(cli.out) as DoctorReport;
    expect(report.diagnoses.length).toBeGreaterThan(1);
    const findings = [...screen.getByTestId('diagnose-findings').querySelectorAll('li.finding')];
    expect(findings.map((li) => li.getAttribute('data-id'))).toEqual(
      report.diagnoses.map((d) => d.id),
    );
    report.diagnoses.forEach((d, i) => {
      const text = findings[i]?.textContent ?? '';
      expect(text).toContain(`[${d.severity}] ${d.title}`);
      for (const line of [...d.detail, ...d.fix]) expect(text).toContain(line);
    });
    const happened = panel().getByRole('list', { name: 'what happened' }).textContent ?? '';
    for (const line of report.outcome) expect(happened).toContain(line);
  });

  it('reads DriverKit values in the same KEY=VALUE form as --dk', async () => {
    await renderApp();
    pasteFoundingCase();
    const dk = 'fBufferDirection=1, fDataTransferDirection=2';
    type(/^DriverKit/, dk);
    diagnoseClick();
    const cli = await runUsbcdb([...FOUNDING_DOCTOR_ARGS, '--dk', dk, '--json']);
    const ids = (JSON.parse(cli.out) as DoctorReport).diagnoses.map((d) => d.id);
    const shown = [...screen.getByTestId('diagnose-findings').querySelectorAll('li.finding')].map(
      (li) => li.getAttribute('data-id'),
    );
    expect(shown).toEqual(ids);
    expect(ids.some((id) => /direction|driverkit/i.test(id))).toBe(true);
  });

  it('names the field it cannot read and shows no diagnosis', async () => {
    await renderApp();
    pasteFoundingCase();
    type(/^Status/, 'two');
    diagnoseClick();
    expect(panel().getByRole('alert').textContent).toMatch(
      /^Status \(SCSI status byte or fCompletionStatus\) must be a number \(decimal, 0x\.\. or \.\.h\) or one of GOOD, CHECK CONDITION, .*; got "two"$/,
    );
    expect(
      panel()
        .getByLabelText(/^Status/)
        .getAttribute('aria-invalid'),
    ).toBe('true');
    expect(screen.queryByTestId('diagnose-findings')).toBeNull();
  });

  it('asks for the CDB when it is missing, and Clear empties the form', async () => {
    const { store } = await renderApp();
    diagnoseClick();
    expect(panel().getByRole('alert').textContent).toMatch(/^give the CDB you sent with CDB/);
    pasteFoundingCase();
    act(() => {
      fireEvent.click(panel().getByRole('button', { name: 'Clear' }));
    });
    expect(store.getState().diagnosis.form.cdb).toBe('');
    expect(panel().queryByRole('alert')).toBeNull();
  });
});
