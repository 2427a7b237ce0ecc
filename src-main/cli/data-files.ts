/**
 * Files the CLI sends as data (a data-out file, blocks to write, a firmware
 * image): read only from a regular file, without blocking, up to a limit.
 */
import { readBoundedRegularFile } from '../files/bounded-read';
import { problem, type Problem } from '../../shared/scsi/result';
import type { CliIo } from './io';

/**
 * `-` given where a file is named: to sg3_utils (sg_dd if=- of=-) and to usbcdb's decode-sense
 * and parse it means standard input or output, which no file option reads or writes; taken as a
 * name, `read --file -` wrote the blocks to a file called "-". Refused, so `./-` names that file.
 */
export function dashForFile(path: string): Problem | undefined {
  return path === '-'
    ? problem(
        'file-dash',
        '"-" is no file name here: only decode-sense and parse read standard input (./- names a file called "-")',
      )
    : undefined;
}

/**
 * The largest data file the CLI sends. The emulated drive takes at most 32 MiB
 * per command, and a real device's MAXIMUM TRANSFER LENGTH is smaller still;
 * 256 MiB leaves room for firmware images sent in several WRITE BUFFERs.
 */
export const MAX_DATA_FILE = 256 * 1024 * 1024;

/** The file's bytes, or undefined after saying why not (naming the command and the file). */
export async function readDataFile(
  path: string,
  io: CliIo,
  command: string,
): Promise<Uint8Array | undefined> {
  const dash = dashForFile(path);
  if (dash) {
    io.err(`${command}: ${dash.message}`);
    return undefined;
  }
  const r = await readBoundedRegularFile(path, MAX_DATA_FILE);
  if (r.ok) return r.value;
  io.err(`${command}: ${r.error.message}`);
  return undefined;
}
