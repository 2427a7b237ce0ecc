/**
 * Replacing a whole file so that a reader, a crash or a full disk sees either
 * the old contents or the new ones, never a mix: write a temporary file in
 * the same directory (rename(2) is atomic only within one file system), make
 * it durable (fsync), rename it over the target, then fsync the directory so
 * the rename itself survives a power loss (ext4 and XFS need both; see
 * fsync(2), "Calling fsync() does not necessarily ensure that the entry in the
 * directory containing the file has also reached disk").
 */
import { randomBytes } from 'node:crypto';
import { constants, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { err, ok, problem, type Result } from '../../shared/scsi/result';
import { attempt, NODE_FILE_IO, writeAllSync, type FileIo } from './file-io';
import { notRegularTarget } from './regular-file';

export interface AtomicWriteOptions {
  /**
   * Permissions of the new file. 0o600 (owner only) by default: usbcdb's files
   * are user data. The previous file's permissions are not carried over.
   */
  readonly mode?: number;
  /** Stand-in for `node:fs` (tests simulate short writes and full disks). */
  readonly io?: FileIo;
  /**
   * The target is a file of usbcdb's own data folder, not a path the user named: its folder is
   * made first, owner-only (0o700), when missing (a fresh machine has none), and whatever was
   * planted at its name (a FIFO, a link to a device) is replaced by the file, as a rename does.
   * A path the user named is refused instead when it is not a regular file (notRegularTarget),
   * and a missing folder is the user's mistake to hear about.
   */
  readonly createFolder?: boolean;
}

/** The temporary file's name: beside the target, unique per process and call, and hidden. */
function temporaryName(path: string): string {
  return join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
}

/**
 * Replaces `path` with exactly `data`, or fails leaving `path` as it was and
 * no temporary file behind. The error names the file and the step that
 * failed. Synchronous: the files it is for (presets, exported data) are
 * small, and a caller's state stays consistent with the file.
 *
 * One exception to "as it was": if only the final directory fsync fails, the
 * new contents are already in place; the error says so.
 */
export function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  options: AtomicWriteOptions = {},
): Result<void> {
  const io = options.io ?? NODE_FILE_IO;
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const tmp = temporaryName(path);
  const fail = (step: string, why: string): Result<void> =>
    err(
      problem('file-write', `cannot save ${path}: ${step} failed (${why}); ${path} is unchanged`),
    );

  const refused = options.createFolder ? undefined : notRegularTarget(path);
  if (refused)
    return err(problem('file-write', `cannot save ${path}: ${refused.message}; it is unchanged`));
  if (options.createFolder) {
    const made = attempt(() => mkdirSync(dirname(path), { recursive: true, mode: 0o700 }));
    if (!made.ok) return fail(`creating the folder ${dirname(path)}`, made.error.message);
  }
  const opened = attempt(() =>
    io.openSync(
      tmp,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL,
      options.mode ?? 0o600,
    ),
  );
  if (!opened.ok) return fail(`creating the temporary file ${tmp}`, opened.error.message);
  const fd = opened.value;

  const discard = (): void => {
    attempt(() => io.closeSync(fd));
    attempt(() => io.unlinkSync(tmp));
  };
  const written = writeAllSync(io, fd, bytes, 0);
  if (!written.ok) {
    discard();
    return fail(`writing ${bytes.length} bytes to ${tmp}`, written.error.message);
  }
  const synced = attempt(() => io.fsyncSync(fd));
  if (!synced.ok) {
    discard();
    return fail(`fsync of ${tmp}`, synced.error.message);
  }
  const closed = attempt(() => io.closeSync(fd));
  if (!closed.ok) {
    // close(2) can report a deferred write error (NFS): the data may not be there.
    attempt(() => io.unlinkSync(tmp));
    return fail(`closing ${tmp}`, closed.error.message);
  }
  const renamed = attempt(() => io.renameSync(tmp, path));
  if (!renamed.ok) {
    attempt(() => io.unlinkSync(tmp));
    return fail(`renaming ${tmp} over it`, renamed.error.message);
  }
  const dirSynced = syncDirectory(io, dirname(path));
  if (!dirSynced.ok)
    return err(
      problem(
        'file-sync',
        `${path} was saved, but the fsync of its directory failed (${dirSynced.error.message}): the change may not survive a power loss`,
      ),
    );
  return ok(undefined);
}

/** fsync of a directory, so a rename in it is durable. Windows cannot open a directory for this, and needs no such step. */
function syncDirectory(io: FileIo, dir: string): Result<void> {
  if (process.platform === 'win32') return ok(undefined);
  const opened = attempt(() => io.openSync(dir, constants.O_RDONLY));
  if (!opened.ok) return opened;
  const synced = attempt(() => io.fsyncSync(opened.value));
  attempt(() => io.closeSync(opened.value));
  return synced;
}
