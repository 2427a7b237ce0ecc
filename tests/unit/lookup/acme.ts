/**
 * The user's own vendor set the lookup tests use: tests/fixtures/vendor-sets/acme.json,
 * read through the format's parser exactly as `--vendor-set` reads it. usbcdb ships
 * nothing about its opcodes (D0h ACME QUICK ERASE, D1h ACME READ STATUS).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseVendorSet } from '../../../shared/vendor-sets/format';
import type { VendorSet } from '../../../shared/vendor-sets/model';

export const ACME_FILE = join(__dirname, '../../fixtures/vendor-sets/acme.json');

export function loadAcme(): VendorSet {
  const r = parseVendorSet(readFileSync(ACME_FILE, 'utf8'), 'acme.json');
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** ACME READ STATUS with ALLOCATION LENGTH (byte 8) = `alloc`. */
export const statusCdb = (alloc = 8): Uint8Array =>
  Uint8Array.from([0xd1, 0, 0, 0, 0, 0, 0, 0, alloc, 0]);

/** ACME QUICK ERASE of zone `zone`. */
export const eraseCdb = (zone = 1): Uint8Array =>
  Uint8Array.from([0xd0, 0, zone, 0, 0, 0, 0, 0, 0, 0]);

/** An ACME READ STATUS answer: TEMPERATURE 42 (bytes 0–1), LOCKED (byte 2 bit 0), SERIAL "AC01" (bytes 4–7). */
export const STATUS_DATA = Uint8Array.from([0x00, 0x2a, 0x01, 0x00, 0x41, 0x43, 0x30, 0x31]);
