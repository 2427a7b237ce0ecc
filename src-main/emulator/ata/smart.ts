/**
 * SMART pages (ACS-4, SMART feature set; the attribute table layout is the
 * one every drive uses, ATA/ATAPI-5 annex): SMART READ DATA, SMART READ
 * THRESHOLDS and the log directory (ACS-4, General Purpose Log Directory).
 */
import { putLe16 } from '../../../shared/scsi/bytes';
import type { SmartAttribute } from '../profile';

/** Data structure revision the pages report (bytes 0–1). */
const REVISION = 0x0010;
const ENTRY = 12;
const FIRST_ENTRY = 2;

/** Byte offsets in SMART READ DATA (ACS-4, SMART READ DATA, device SMART data structure). */
const OFFLINE_STATUS = 362;
const SELF_TEST_STATUS = 363;
const OFFLINE_CAPABILITY = 367;
const SMART_CAPABILITY = 368;
const ERROR_LOGGING = 370;

/** The last byte makes the 512 bytes sum to 0 mod 256 (ACS-4, data structure checksum). */
export function sealChecksum(page: Uint8Array): void {
  let sum = 0;
  for (let i = 0; i < 511; i++) sum += page[i] ?? 0;
  page[511] = (256 - (sum & 0xff)) & 0xff;
}

/** Sum of the 512 bytes mod 256 (0 for a sealed page). */
export function pageSum(page: Uint8Array): number {
  let sum = 0;
  for (const b of page) sum += b;
  return sum & 0xff;
}

/** SMART READ DATA: 30 entries of id, flags (LE16), current, worst, raw (LE48), reserved. */
export function smartData(attributes: readonly SmartAttribute[]): Uint8Array {
  const d = new Uint8Array(512);
  putLe16(d, 0, REVISION);
  attributes.forEach((a, i) => {
    const at = FIRST_ENTRY + i * ENTRY;
    d[at] = a.id;
    putLe16(d, at + 1, a.flags);
    d[at + 3] = a.current;
    d[at + 4] = a.worst;
    let raw = a.raw;
    for (let b = 0; b < 6; b++) {
      d[at + 5 + b] = raw % 256;
      raw = Math.floor(raw / 256);
    }
  });
  d[OFFLINE_STATUS] = 0x00; // off-line data collection never started
  d[SELF_TEST_STATUS] = 0x00; // the last self-test (none) completed without error
  d[OFFLINE_CAPABILITY] = 0x00; // no off-line collection, no self-tests: their logs are not offered
  putLe16(d, SMART_CAPABILITY, 0x0003); // saves SMART data before power saving; attribute autosave
  d[ERROR_LOGGING] = 0x00; // no SMART error logging
  sealChecksum(d);
  return d;
}

/** SMART READ THRESHOLDS: 30 entries of id, threshold, 10 reserved bytes. */
export function smartThresholds(attributes: readonly SmartAttribute[]): Uint8Array {
  const d = new Uint8Array(512);
  putLe16(d, 0, REVISION);
  attributes.forEach((a, i) => {
    const at = FIRST_ENTRY + i * ENTRY;
    d[at] = a.id;
    d[at + 1] = a.threshold;
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
  const d = new Uint8Array(512);
  putLe16(d, 0, 0x0001);
  return d;
}
