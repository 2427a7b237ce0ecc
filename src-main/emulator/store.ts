/**
 * Backing store for an emulated logical unit. The memory store is sparse
 * (unwritten blocks read as zeros) so a large emulated disk costs nothing
 * until written. ImageStore (image-store.ts) keeps blocks in a file.
 */
export interface BlockStore {
  readonly blockSize: number;
  readonly blocks: number;
  /** Reads `count` blocks from `lba`; the caller has checked the range. */
  read(lba: number, count: number): Promise<Uint8Array>;
  /** Writes whole blocks at `lba`; resolves once the data is in the store. */
  write(lba: number, data: Uint8Array): Promise<void>;
  /** Makes written data durable (SYNCHRONIZE CACHE, FUA). */
  flush(): Promise<void>;
  /** Releases the store (closes an image file); data not flushed is the OS's to keep. */
  close?(): void;
}

/** 64 KiB chunks: small enough to stay sparse, large enough for sequential I/O. */
const CHUNK = 64 * 1024;

export class MemoryStore implements BlockStore {
  private readonly chunks = new Map<number, Uint8Array>();

  constructor(
    readonly blockSize: number,
    readonly blocks: number,
  ) {}

  read(lba: number, count: number): Promise<Uint8Array> {
    // Unzeroed allocation: every byte is then either copied from a chunk or zeroed for a never-written one.
    const out = Buffer.allocUnsafe(count * this.blockSize);
    this.copy(lba * this.blockSize, out.length, (chunk, at, pos, n) => {
      if (chunk) out.set(chunk.subarray(at, at + n), pos);
      else out.fill(0, pos, pos + n);
    });
    return Promise.resolve(out);
  }

  write(lba: number, data: Uint8Array): Promise<void> {
    this.copy(lba * this.blockSize, data.length, (_c, at, pos, n, index) => {
      let chunk = this.chunks.get(index);
      if (!chunk) {
        chunk = new Uint8Array(CHUNK);
        this.chunks.set(index, chunk);
      }
      chunk.set(data.subarray(pos, pos + n), at);
    });
    return Promise.resolve();
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  /** Walks the chunks a byte range covers. */
  private copy(
    offset: number,
    length: number,
    visit: (
      chunk: Uint8Array | undefined,
      at: number,
      pos: number,
      n: number,
      index: number,
    ) => void,
  ): void {
    let pos = 0;
    while (pos < length) {
      const abs = offset + pos;
      const index = Math.floor(abs / CHUNK);
      const at = abs % CHUNK;
      const n = Math.min(CHUNK - at, length - pos);
      visit(this.chunks.get(index), at, pos, n, index);
      pos += n;
    }
  }
}
