/**
 * Appending one line to a JSON-lines file (a `--record` trace) so that the
 * file only ever grows by whole lines: a line that cannot be written in full
 * is cut off again, leaving the file as it was, and the caller is told.
 */
import { constants, fstatSync } from 'node:fs';
import { err, ok, problem, type Result } from '../../shared/scsi/result';
import { attempt, NODE_FILE_IO, writeAllSync, type FileIo } from './file-io';
import { notRegularFile, notRegularTarget } from './regular-file';

export interface AppendLineOptions {
  /** Permissions if the file is created: 0o600 (owner only) by default. */
  readonly mode?: number;
  /** Stand-in for `node:fs` (tests simulate short writes and full disks). */
  readonly io?: FileIo;
}

/**
 * Appends `line` and a newline (unless it ends with one) to `path`, creating
 * the file if needed. Either the whole line is in the file or the call fails
 * and the file has its previous length; the error names the file and what
 * failed. Not durable by itself (no fsync): a trace is a record of a session,
 * not a store.
 */
export function appendLineSync(
  path: string,
  line: string,
  options: AppendLineOptions = {},
): Result<void> {
  const io = options.io ?? NODE_FILE_IO;
  const bytes = new TextEncoder().encode(line.endsWith('\n') ? line : `${line}\n`);
  const fail = (step: string, why: string): Result<void> =>
    err(problem('file-append', `cannot append to ${path}: ${step} failed (${why})`));

  const target = notRegularTarget(path);
  if (target) return err(problem('file-append', `cannot append to ${path}: ${target.message}`));
  // O_NONBLOCK: a FIFO (behind a symbolic link) fails the open at once instead of waiting for
  // a reader; one that has a reader is refused by the fstat check below.
  const opened = attempt(() =>
    io.openSync(
      path,
      constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (constants.O_NONBLOCK ?? 0),
      options.mode ?? 0o600,
    ),
  );
  if (!opened.ok) return fail('opening it', opened.error.message);
  const fd = opened.value;
  const stats = attempt(() => fstatSync(fd));
  if (!stats.ok) {
    attempt(() => io.closeSync(fd));
    return fail('fstat', stats.error.message);
  }
  const refused = notRegularFile(path, stats.value);
  if (refused) {
    attempt(() => io.closeSync(fd));
    return err(problem('file-append', `cannot append to ${path}: ${refused.message}`));
  }
  const before = attempt(() => io.sizeSync(fd));
  if (!before.ok) {
    attempt(() => io.closeSync(fd));
    return fail('fstat', before.error.message);
  }
  // O_APPEND: every write(2), the retries of a short one included, goes to the end.
  const written = writeAllSync(io, fd, bytes, null);
  if (!written.ok) {
    // Cut the partial line off so a reader never sees half a record.
    const cut = attempt(() => io.ftruncateSync(fd, before.value));
    attempt(() => io.closeSync(fd));
    return fail(
      `writing ${bytes.length} bytes`,
      `${written.error.message}${cut.ok ? '; the file is as it was' : `; the partial line could not be removed: ${cut.error.message}`}`,
    );
  }
  const closed = attempt(() => io.closeSync(fd));
  if (!closed.ok) return fail('closing it', closed.error.message);
  return ok(undefined);
}
