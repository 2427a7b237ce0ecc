/**
 * Reading a user's vendor-set file from the command line: the file is
 * untrusted input named by a person, so it is read with the bounded,
 * regular-files-only reader (files/bounded-read.ts) and then checked by the
 * same parser as the built-in sets (shared/vendor-sets/format.ts).
 */
import { basename } from 'node:path';
import { parseVendorSet } from '../../shared/vendor-sets/format';
import type { VendorSet } from '../../shared/vendor-sets/model';
import { err, problem, type Result } from '../../shared/scsi/result';
import { readBoundedRegularFile } from '../files/bounded-read';

/** Largest vendor-set file read: far above any real set (the example is 8 KiB), far below harm. */
export const MAX_VENDOR_SET_BYTES = 4 * 1024 * 1024;

/**
 * Reads and checks the vendor-set file at `path`. Errors name the file (a
 * FIFO, a directory, a file over `MAX_VENDOR_SET_BYTES`, text that is not
 * UTF-8) or the line and field of the file that is wrong.
 */
export async function loadVendorSetFile(path: string): Promise<Result<VendorSet>> {
  const read = await readBoundedRegularFile(path, MAX_VENDOR_SET_BYTES);
  if (!read.ok) return read;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(read.value);
  } catch {
    return err(problem('vendor-set-encoding', `${path} is not UTF-8 text`));
  }
  return parseVendorSet(text, basename(path));
}
