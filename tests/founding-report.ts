/**
 * The report that started usbcdb: INQUIRY built as 12 00 00 24 00 00 with a
 * 512-byte buffer, GOOD status with TASK_COMPLETE (service response 2), and
 * sense 70 … 05 … 20 00 (ILLEGAL REQUEST, INVALID COMMAND OPERATION CODE)
 * left in the buffer — the values the doctor tests diagnose.
 */
import type { Locator } from 'playwright-core';

export const FOUNDING = {
  cdb: '12 00 00 24 00 00',
  dataIn: '512',
  status: '0x00',
  serviceResponse: '2',
  sense: '70 00 05 00 00 00 00 0a 00 00 00 00 20 00 00 00 00 00',
} as const;

/** `usbcdb doctor` with the founding report's values. */
export const FOUNDING_DOCTOR_ARGS: readonly string[] = [
  'doctor',
  '--cdb',
  FOUNDING.cdb,
  '--data-in',
  FOUNDING.dataIn,
  '--status',
  FOUNDING.status,
  '--service-response',
  FOUNDING.serviceResponse,
  '--sense',
  FOUNDING.sense,
];

/** Fills the Diagnose panel (web mode, in Chromium) with the founding report's values; does not press Diagnose. */
export async function pasteFoundingReport(panel: Locator): Promise<void> {
  await panel.getByLabel('CDB', { exact: true }).fill(FOUNDING.cdb);
  await panel.getByLabel(/^Data-in length/).fill(FOUNDING.dataIn);
  await panel.getByLabel(/^Status/).fill(FOUNDING.status);
  await panel.getByLabel(/^Service response/).fill(FOUNDING.serviceResponse);
  await panel.getByLabel(/^Sense bytes/).fill(FOUNDING.sense);
}
