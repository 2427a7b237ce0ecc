/** Reading decoded NVMe answers in the bridge tests: a row's raw value, the SMART / Health log against a profile. */
import { expect } from 'vitest';
import { findRow, type DecodedRow } from '../../shared/vendor-sets/layout';
import type { Profile } from '../../src-main/emulator/profile';

/** The raw value of a decoded row (a number, or a bigint for 64-bit fields, as a number). */
export function raw(
  rows: readonly DecodedRow[],
  key: string,
): number | string | boolean | undefined {
  const r = findRow(rows, key)?.raw;
  return typeof r === 'bigint' ? Number(r) : r;
}

/** Every value of the SMART / Health Information log (NVMe 1.4, log 02h) equals the profile's. */
export function expectSmartHealth(
  rows: readonly DecodedRow[],
  s: NonNullable<Profile['nvme']>['smart'],
): void {
  expect(raw(rows, 'criticalWarning')).toBe(s.criticalWarning);
  expect(raw(rows, 'compositeTemperature')).toBe(s.temperatureKelvin);
  expect(raw(rows, 'availableSpare')).toBe(s.availableSpare);
  expect(raw(rows, 'availableSpareThreshold')).toBe(s.availableSpareThreshold);
  expect(raw(rows, 'percentageUsed')).toBe(s.percentageUsed);
  expect(raw(rows, 'dataUnitsRead')).toBe(s.dataUnitsRead);
  expect(raw(rows, 'dataUnitsWritten')).toBe(s.dataUnitsWritten);
  expect(raw(rows, 'hostReadCommands')).toBe(s.hostReadCommands);
  expect(raw(rows, 'hostWriteCommands')).toBe(s.hostWriteCommands);
  expect(raw(rows, 'controllerBusyTime')).toBe(s.controllerBusyMinutes);
  expect(raw(rows, 'powerCycles')).toBe(s.powerCycles);
  expect(raw(rows, 'powerOnHours')).toBe(s.powerOnHours);
  expect(raw(rows, 'unsafeShutdowns')).toBe(s.unsafeShutdowns);
  expect(raw(rows, 'mediaErrors')).toBe(s.mediaErrors);
  expect(raw(rows, 'errorLogEntries')).toBe(s.errorLogEntries);
}
