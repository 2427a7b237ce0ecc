/**
 * The few synchronous file calls the writers in this folder make, behind an
 * interface so a test can stand in for the OS: a write that stops short, a
 * disk that fills (ENOSPC), a file size limit (EFBIG under RLIMIT_FSIZE).
 * Production code uses `NODE_FILE_IO`, which is `node:fs` itself.
 */
import {
  closeSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { errorText } from '../../shared/error-text';
import { err, ok, problem, type Result } from '../../shared/scsi/result';

export interface FileIo {
  /** open(2); throws on failure, like `fs.openSync`. */
  openSync(path: string, flags: number | string, mode?: number): number;
  /**
   * write(2) of `length` bytes of `data` from `offset`, at `position` (or the
   * current position when null). May write fewer bytes than asked, even 0;
   * throws on an error (ENOSPC, EFBIG, EIO…).
   */
  writeSync(
    fd: number,
    data: Uint8Array,
    offset: number,
    length: number,
    position: number | null,
  ): number;
  fsyncSync(fd: number): void;
  ftruncateSync(fd: number, length: number): void;
  /** The file's size now (fstat). */
  sizeSync(fd: number): number;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
}

export const NODE_FILE_IO: FileIo = {
  openSync: (path, flags, mode) => openSync(path, flags, mode),
  writeSync: (fd, data, offset, length, position) => writeSync(fd, data, offset, length, position),
  fsyncSync: (fd) => fsyncSync(fd),
  ftruncateSync: (fd, length) => ftruncateSync(fd, length),
  sizeSync: (fd) => fstatSync(fd).size,
  closeSync: (fd) => closeSync(fd),
  renameSync: (from, to) => renameSync(from, to),
  unlinkSync: (path) => unlinkSync(path),
};

/**
 * How many writes in a row may accept no byte before the write is given up:
 * write(2) returning 0 for a non-empty buffer is legal but means no progress,
 * and retrying forever would hang the caller.
 */
const MAX_WRITES_WITHOUT_PROGRESS = 16;

/** errno codes that mean "try again", not "failed". */
const RETRY_CODES: ReadonlySet<string> = new Set(['EINTR', 'EAGAIN']);

function errnoCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string'
    ? e.code
    : undefined;
}

/**
 * Writes every byte of `data` to `fd`, starting at `position` (or at the
 * current position when null), looping over short writes. Fails on the first
 * error, or after MAX_WRITES_WITHOUT_PROGRESS writes in a row that moved no
 * byte. The error's message is the OS's words and how far the write got;
 * callers add which file.
 */
export function writeAllSync(
  io: FileIo,
  fd: number,
  data: Uint8Array,
  position: number | null,
): Result<void> {
  let done = 0;
  let stalled = 0;
  while (done < data.length) {
    let n: number;
    try {
      n = io.writeSync(
        fd,
        data,
        done,
        data.length - done,
        position === null ? null : position + done,
      );
    } catch (e) {
      const code = errnoCode(e);
      if (code !== undefined && RETRY_CODES.has(code) && ++stalled < MAX_WRITES_WITHOUT_PROGRESS)
        continue;
      return err(
        problem(
          code === undefined ? 'write' : code,
          `${errorText(e)} after ${done} of ${data.length} bytes`,
        ),
      );
    }
    if (!Number.isInteger(n) || n < 0 || n > data.length - done)
      return err(problem('write', `the system reported writing ${n} bytes, which is impossible`));
    if (n === 0) {
      if (++stalled >= MAX_WRITES_WITHOUT_PROGRESS)
        return err(
          problem(
            'write',
            `the system accepted no bytes ${stalled} times in a row after ${done} of ${data.length} bytes`,
          ),
        );
      continue;
    }
    stalled = 0;
    done += n;
  }
  return ok(undefined);
}

/** Runs `f`; a throw becomes an error value with the OS's words. */
export function attempt<T>(f: () => T): Result<T> {
  try {
    return ok(f());
  } catch (e) {
    return err(problem(errnoCode(e) ?? 'io', errorText(e)));
  }
}
