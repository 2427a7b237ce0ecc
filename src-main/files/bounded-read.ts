/**
 * Reading a file a person named (a trace for `replay:`, a data-out file, a
 * vendor command set) without trusting the name: it may be a FIFO that never
 * delivers (opening one blocks until a writer comes), a device that never
 * ends (/dev/zero), a kernel file whose size says 0 and whose reads touch
 * process memory (/proc/self/mem), or a file far larger than any input.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { errorText } from '../../shared/error-text';
import { err, ok, problem, type Result } from '../../shared/scsi/result';
import { notRegularFile } from './regular-file';

/** Read size per call: large enough for few calls, small enough not to allocate a limit's worth up front. */
const CHUNK = 1 << 20;

/**
 * Reads a whole regular file of at most `maxBytes` bytes, without blocking
 * the event loop: the open uses O_NONBLOCK so a FIFO cannot stall it, the
 * file is checked with fstat on the open descriptor (so it cannot be swapped
 * between check and read), and the read stops once the limit is passed even
 * if the file grows meanwhile. Every error names the file; over the limit,
 * the error names the limit too. The descriptor is closed on every path.
 */
export async function readBoundedRegularFile(
  path: string,
  maxBytes: number,
): Promise<Result<Uint8Array>> {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0)
    throw new RangeError(`maxBytes must be a non-negative integer, not ${maxBytes}`);
  let handle: FileHandle;
  try {
    // O_NONBLOCK is 0 where Node does not define it (Windows has no FIFOs to open).
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    return err(problem('file-open', `cannot open ${path}: ${errorText(e)}`));
  }
  try {
    const stats = await handle.stat();
    const refused = notRegularFile(path, stats);
    if (refused) return err(refused);
    const tooLarge = (what: string): Result<Uint8Array> =>
      err(problem('file-too-large', `${path} ${what} the limit of ${maxBytes} bytes`));
    if (stats.size > maxBytes) return tooLarge(`is ${stats.size} bytes, over`);
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      // What fstat promised plus one byte (to see the end, or growth), at most a chunk, and never
      // more than one byte past the limit, so a file that grew past it is noticed.
      const expected = stats.size > total ? stats.size - total + 1 : CHUNK;
      const chunk = new Uint8Array(Math.min(CHUNK, expected, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, total);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) return tooLarge('grew while being read, past');
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return ok(out);
  } catch (e) {
    return err(problem('file-read', `cannot read ${path}: ${errorText(e)}`));
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * The same checks and limit as `readBoundedRegularFile`, synchronously, for
 * the few callers whose state must match the file at once (the presets
 * store). O_NONBLOCK still keeps a FIFO from blocking the open.
 */
export function readBoundedRegularFileSync(path: string, maxBytes: number): Result<Uint8Array> {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0)
    throw new RangeError(`maxBytes must be a non-negative integer, not ${maxBytes}`);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    return err(problem('file-open', `cannot open ${path}: ${errorText(e)}`));
  }
  try {
    const stats = fstatSync(fd);
    const refused = notRegularFile(path, stats);
    if (refused) return err(refused);
    if (stats.size > maxBytes)
      return err(
        problem(
          'file-too-large',
          `${path} is ${stats.size} bytes, over the limit of ${maxBytes} bytes`,
        ),
      );
    // Room for what fstat promised plus one byte, to see the end or growth; grown up to one
    // byte past the limit, so a file that grew past it is noticed.
    let out = new Uint8Array(Math.min(stats.size, maxBytes) + 1);
    let total = 0;
    for (;;) {
      if (total === out.length) {
        if (total > maxBytes)
          return err(
            problem(
              'file-too-large',
              `${path} grew while being read, past the limit of ${maxBytes} bytes`,
            ),
          );
        const bigger = new Uint8Array(Math.min(out.length * 2, maxBytes + 1));
        bigger.set(out);
        out = bigger;
      }
      const n = readSync(fd, out, total, out.length - total, total);
      if (n === 0) break;
      total += n;
    }
    return ok(out.subarray(0, total));
  } catch (e) {
    return err(problem('file-read', `cannot read ${path}: ${errorText(e)}`));
  } finally {
    try {
      closeSync(fd);
    } catch {
      // Read-only: nothing was pending on it.
    }
  }
}
