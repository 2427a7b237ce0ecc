/**
 * A backing store in an image file: created on demand, sparse (the file is
 * sized with ftruncate, so unwritten blocks cost no disk), written with
 * positional writes that resolve only when every byte is in the file, and
 * made durable by fsync (SYNCHRONIZE CACHE, FUA).
 */
import { closeSync, fstatSync, fsync, ftruncateSync, openSync, read, write } from 'node:fs';
import { promisify } from 'node:util';
import { err, ok, type Result } from '../../shared/scsi/result';
import type { BlockStore } from './store';
import { errorText } from '../../shared/error-text';

const readAt = promisify(read);
const writeAt = promisify(write);
const fsyncFd = promisify(fsync);

export class ImageStore implements BlockStore {
  private constructor(
    private readonly fd: number,
    readonly path: string,
    readonly blockSize: number,
    readonly blocks: number,
  ) {}

  /** Opens (or creates) the image; an existing image of another size is an error, not silently resized. */
  static open(path: string, blockSize: number, blocks: number): Result<ImageStore> {
    const size = blockSize * blocks;
    let fd: number;
    try {
      fd = openSync(path, 'a+');
      closeSync(fd);
      fd = openSync(path, 'r+');
    } catch (e) {
      return err({
        code: 'image',
        message: `cannot open image ${path}: ${errorText(e)}`,
      });
    }
    const existing = fstatSync(fd).size;
    if (existing === 0) ftruncateSync(fd, size);
    else if (existing !== size) {
      closeSync(fd);
      return err({
        code: 'image',
        message: `image ${path} is ${existing} bytes but the profile needs ${size} (${blocks} × ${blockSize}); use another file`,
      });
    }
    return ok(new ImageStore(fd, path, blockSize, blocks));
  }

  async read(lba: number, count: number): Promise<Uint8Array> {
    const out = new Uint8Array(count * this.blockSize);
    let done = 0;
    while (done < out.length) {
      const { bytesRead } = await readAt(
        this.fd,
        out,
        done,
        out.length - done,
        lba * this.blockSize + done,
      );
      if (bytesRead === 0) break; // past the end of a sparse file reads as zeros, already there
      done += bytesRead;
    }
    return out;
  }

  async write(lba: number, data: Uint8Array): Promise<void> {
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await writeAt(
        this.fd,
        data,
        done,
        data.length - done,
        lba * this.blockSize + done,
      );
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
