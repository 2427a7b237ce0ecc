/**
 * SMART pages (ACS-4, SMART feature set; the attribute table layout is the
 * one every drive uses, ATA/ATAPI-5 annex): SMART READ DATA, SMART READ
 * THRESHOLDS and the log directory (ACS-4, General Purpose Log Directory).
 * Each is encoded with the response layout the `sat` set declares for its
 * command (shared/vendor-sets/sat/sat.json), so every offset is written in
 * one place, the one the app decodes these pages with.
 */
import { ataResponseLayout, type AtaCommandName } from '../../../shared/scsi/ata-commands';
import { encodeLayout } from '../../../shared/vendor-sets/layout';
import type { LayoutValues } from '../../../shared/vendor-sets/model';
import type { SmartAttribute } from '../profile';
import { sealChecksum } from './checksum';

/** Data structure revision the pages report (bytes 0–1). */
const REVISION = 0x0010;
const PAGE = 512;

/**
 * One 512-byte page of `command`'s response layout. The values come from a validated
 * profile and fixed constants, so a refusal is a defect here, not the user's input.
 */
function page(command: AtaCommandName, values: LayoutValues): Uint8Array {
  const encoded = encodeLayout(ataResponseLayout(command), values, PAGE);
  if (!encoded.ok)
    throw new Error(`${command} page for the emulated drive: ${encoded.error.message}`);
  return encoded.value;
}

/** SMART READ DATA: the attributes (id, flags, current, worst, 48-bit raw value), then the drive's capabilities. */
export function smartData(attributes: readonly SmartAttribute[]): Uint8Array {
  const d = page('SMART READ DATA', {
    revision: REVISION,
    attributes: attributes.map((a) => ({
      id: a.id,
      flags: a.flags,
      current: a.current,
      worst: a.worst,
      // The 48-bit raw value as its two fields: bytes 5–8 and 9–10 of the entry.
      rawLow: a.raw % 2 ** 32,
      rawHigh: Math.floor(a.raw / 2 ** 32),
    })),
    // Off-line data collection never started; the last self-test (none) completed without error.
    offlineStatus: { state: 'never started' },
    // No off-line collection and no self-tests: their logs are not offered.
    offlineCapability: {},
    smartCapability: { savesBeforePowerSaving: true, autosave: true },
    errorLogging: { supported: false },
  });
  sealChecksum(d);
  return d;
}

/** SMART READ THRESHOLDS: each attribute's id and threshold, in SMART READ DATA's order. */
export function smartThresholds(attributes: readonly SmartAttribute[]): Uint8Array {
  const d = page('SMART READ THRESHOLDS', {
    revision: REVISION,
    thresholds: attributes.map((a) => ({ id: a.id, threshold: a.threshold })),
  });
  sealChecksum(d);
  return d;
}

/**
 * Whether SMART says the drive will fail: a pre-failure attribute (flags
 * bit 0) at or below a nonzero threshold (ACS-4, SMART RETURN STATUS).
 */
export function thresholdExceeded(attributes: readonly SmartAttribute[]): boolean {
  return attributes.some((a) => (a.flags & 1) === 1 && a.threshold > 0 && a.current <= a.threshold);
}

/**
 * The log directory (log address 00h): word 0 the logging version (0001h),
 * word N the pages of log N. The drive keeps no other log, so every count is
 * zero (ACS-4, General Purpose Log Directory and SMART Log Directory).
 */
export function logDirectory(): Uint8Array {
  return page('READ LOG EXT', { version: 0x0001 });
}
