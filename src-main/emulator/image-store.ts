/**
 * A backing store in an image file: created on demand, sparse (the file is
 * sized with ftruncate, so unwritten blocks cost no disk), written with
 * positional writes that resolve only when every byte is in the file, and
 * made durable by fsync (SYNCHRONIZE CACHE, FUA).
 */
import {
  closeSync,
  constants,
  fstatSync,
  fsync,
  ftruncateSync,
  openSync,
  readSync,
  unlinkSync,
  write,
} from 'node:fs';
import { promisify } from 'node:util';
import { err, ok, type Result } from '../../shared/scsi/result';
import type { BlockCount, Lba } from '../../shared/scsi/brand';
import type { BlockStore } from './store';
import { bytesOf, type DeferredData } from './data-in';
import { errorText } from '../../shared/error-text';
import { notRegularFile } from '../files/regular-file';
import { MediumError, type MediumOperation } from './medium-error';

const writeAt = promisify(write);
const fsyncFd = promisify(fsync);

/** Writes in a row that may move no byte before a block write is given up. */
const MAX_WRITES_WITHOUT_PROGRESS = 16;

/**
 * Checks that `fd` is a regular file and gives it `size` bytes: an empty file
 * is extended (sparse), a file of another size is refused. The size is read
 * back, so a file that silently ignores ftruncate is refused too.
 */
function sizeImage(fd: number, path: string, size: number, geometry: string): Result<void> {
  try {
    const stats = fstatSync(fd);
    const refused = notRegularFile(path, stats);
    if (refused)
      return err({ code: 'image', message: `image ${refused.message}; use a regular file` });
    if (stats.size === 0) ftruncateSync(fd, size);
    else if (stats.size !== size)
      return err({
        code: 'image',
        message: `image ${path} is ${stats.size} bytes but the profile needs ${size} (${geometry}); use another file`,
      });
    const now = fstatSync(fd).size;
    if (now !== size)
      return err({
        code: 'image',
        message: `image ${path} is ${now} bytes after sizing it to ${size}; use another file`,
      });
    return ok(undefined);
  } catch (e) {
    return err({ code: 'image', message: `cannot size image ${path}: ${errorText(e)}` });
  }
}

export class ImageStore implements BlockStore {
  private constructor(
    private readonly fd: number,
    readonly path: string,
    readonly blockSize: number,
    readonly blocks: number,
  ) {}

  /**
   * Opens (or creates) the image; an existing image of another size is an
   * error, not silently resized. Only a regular file is accepted: a FIFO, a
   * device, a directory or a kernel file (/proc/self/mem) is refused. On
   * every failure the descriptor is closed, and a file this call created is
   * removed again.
   */
  static open(path: string, blockSize: number, blocks: number): Result<ImageStore> {
    const size = blockSize * blocks;
    const fail = (message: string): Result<ImageStore> => err({ code: 'image', message });
    // O_NONBLOCK: opening a FIFO must not wait for a writer before fstat can refuse it.
    const flags = constants.O_RDWR | (constants.O_NONBLOCK ?? 0);
    let fd: number;
    let created = false;
    try {
      try {
        fd = openSync(path, flags | constants.O_CREAT | constants.O_EXCL);
        created = true;
      } catch (e) {
        if (!(e instanceof Error && 'code' in e && e.code === 'EEXIST')) throw e;
        fd = openSync(path, flags);
      }
    } catch (e) {
      return fail(`cannot open image ${path}: ${errorText(e)}`);
    }
    const sized = sizeImage(fd, path, size, `${blocks} × ${blockSize}`);
    if (!sized.ok) {
      // Undo in reverse; a failure to undo is not the error to report.
      try {
        closeSync(fd);
      } catch {
        // The descriptor is gone either way (close(2) frees it even when it fails).
      }
      if (created)
        try {
          unlinkSync(path);
        } catch {
          // Someone else removed or replaced it meanwhile: not ours to touch.
        }
      return fail(sized.error.message);
    }
    return ok(new ImageStore(fd, path, blockSize, blocks));
  }

  /** The same synchronous read as `readLater`, taken at once (VERIFY's compare, ATA READ). */
  async read(lba: Lba, count: BlockCount): Promise<Uint8Array> {
    return bytesOf(this.readLater(lba, count));
  }

  /** The MediumError for a failure at byte `offset` of the image: it names the block there. */
  private failed(operation: MediumOperation, offset: number, e: unknown): MediumError {
    return new MediumError(
      operation,
      Math.floor(offset / this.blockSize),
      `image ${this.path}: ${errorText(e)}`,
    );
  }

  /**
   * The blocks read when the host takes them, by a synchronous pread straight into the buffer
   * they leave in (data-in.ts). With the file in the page cache that is a memory copy, many
   * times the rate of a read through libuv's thread pool into a new buffer (`npm run bench`); a
   * block not cached holds the event loop for one disk read. Past the end of the file (another
   * process shortened it) reads as zeros, as `read` does.
   */
  readLater(lba: Lba, count: BlockCount): DeferredData {
    const start = Number(lba) * this.blockSize;
    return {
      length: count * this.blockSize,
      copyTo: (target, at, from, n) => {
        let done = 0;
        while (done < n) {
          let got: number;
          try {
            got = readSync(this.fd, target, at + done, n - done, start + from + done);
          } catch (e) {
            throw this.failed('read', start + from + done, e);
          }
          if (got === 0) break;
          done += got;
        }
        target.fill(0, at + done, at + n);
      },
    };
  }

  async write(lba: Lba, data: Uint8Array): Promise<void> {
    const start = Number(lba) * this.blockSize;
    let done = 0;
    let stalled = 0;
    while (done < data.length) {
      const offset = start + done;
      let bytesWritten: number;
      try {
        ({ bytesWritten } = await writeAt(this.fd, data, done, data.length - done, offset));
      } catch (e) {
        throw this.failed('write', offset, e);
      }
      // write(2) may return 0 without an error; retrying forever would hang the command.
      if (bytesWritten === 0 && ++stalled >= MAX_WRITES_WITHOUT_PROGRESS)
        throw this.failed('write', offset, 'the system accepted no bytes');
      if (bytesWritten > 0) stalled = 0;
      done += bytesWritten;
    }
  }

  flush(): Promise<void> {
    return fsyncFd(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}
