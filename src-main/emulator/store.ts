/**
 * Backing store for an emulated logical unit. The memory store is sparse
 * (unwritten blocks read as zeros) so a large emulated disk costs nothing
 * until written. ImageStore (image-store.ts) keeps blocks in a file.
 */
import { asBlockCount, type BlockCount, type Lba } from '../../shared/scsi/brand';
import { bytesOf, type DeferredData } from './data-in';

/**
 * A run of blocks, as every addressing call takes it: the LBA and the count are branded, so the
 * two cannot change places unnoticed. The caller has checked the range against `blocks`, so an
 * LBA the store is handed fits a JavaScript number.
 */
export interface BlockStore {
  readonly blockSize: number;
  readonly blocks: number;
  /** Reads `count` blocks from `lba`; the caller has checked the range. */
  read(lba: Lba, count: BlockCount): Promise<Uint8Array>;
  /**
   * The same blocks, copied only when the host takes them (data-in.ts): a store whose reads
   * are memory copies offers it, so a READ's data goes straight into the buffer it leaves in.
   */
  readLater?(lba: Lba, count: BlockCount): DeferredData;
  /** Writes whole blocks at `lba`; resolves once the data is in the store. */
  write(lba: Lba, data: Uint8Array): Promise<void>;
  /** Makes written data durable (SYNCHRONIZE CACHE, FUA). */
  flush(): Promise<void>;
  /** Releases the store (closes an image file); data not flushed is the OS's to keep. */
  close?(): void;
  /**
   * Deallocates whole blocks (SBC-4 logical block provisioning: UNMAP, WRITE
   * SAME with UNMAP=1); they read as zeros afterwards (LBPRZ). A store
   * without it has the caller write zeros instead.
   */
  deallocate?(lba: Lba, count: BlockCount): Promise<void>;
  /**
   * The provisioning status at `lba`: whether that block is mapped, and how
   * many blocks from it (at most `count`) share that status. A store without
   * it reports every block as mapped.
   */
  provisioning?(lba: Lba, count: BlockCount): ProvisioningExtent;
}

/** Blocks from an LBA that share one provisioning status. */
export interface ProvisioningExtent {
  readonly mapped: boolean;
  readonly count: BlockCount;
}

/** 64 KiB chunks: small enough to stay sparse, large enough for sequential I/O. */
const CHUNK = 64 * 1024;
/** Blocks per page of the mapped-block bitmap (4 KiB of bits). */
const MAP_PAGE = 32 * 1024;

/** Sets or clears bits [from, to) of a little-endian bitmap (bit i is byte i >> 3, bit i & 7). */
function setBits(bits: Uint8Array, from: number, to: number, on: boolean): void {
  let i = from;
  // Single bits up to a byte boundary, whole bytes through the middle, single bits at the end.
  for (; i < to && (i & 7) !== 0; i++) flip(bits, i, on);
  const wholeEnd = to & ~7;
  if (i < wholeEnd) {
    bits.fill(on ? 0xff : 0, i >> 3, wholeEnd >> 3);
    i = wholeEnd;
  }
  for (; i < to; i++) flip(bits, i, on);
}

function flip(bits: Uint8Array, i: number, on: boolean): void {
  const byte = bits[i >> 3] as number;
  bits[i >> 3] = on ? byte | (1 << (i & 7)) : byte & ~(1 << (i & 7));
}

export class MemoryStore implements BlockStore {
  private readonly chunks = new Map<number, Uint8Array>();
  /** Which blocks are mapped (written since their last deallocation), a sparse bitmap by page. */
  private readonly mapped = new Map<number, Uint8Array>();

  constructor(
    readonly blockSize: number,
    readonly blocks: number,
  ) {}

  read(lba: Lba, count: BlockCount): Promise<Uint8Array> {
    return Promise.resolve(bytesOf(this.readLater(lba, count)));
  }

  readLater(lba: Lba, count: BlockCount): DeferredData {
    const start = Number(lba) * this.blockSize;
    return {
      length: count * this.blockSize,
      // Every target byte is either copied from a chunk or zeroed for a never-written one.
      copyTo: (target, at, from, n) =>
        this.copy(start + from, n, (chunk, offset, pos, k) => {
          if (chunk) target.set(chunk.subarray(offset, offset + k), at + pos);
          else target.fill(0, at + pos, at + pos + k);
        }),
    };
  }

  write(lba: Lba, data: Uint8Array): Promise<void> {
    const first = Number(lba);
    this.copy(first * this.blockSize, data.length, (_c, at, pos, n, index) => {
      let chunk = this.chunks.get(index);
      if (!chunk) {
        chunk = new Uint8Array(CHUNK);
        this.chunks.set(index, chunk);
      }
      chunk.set(data.subarray(pos, pos + n), at);
    });
    this.mark(first, Math.ceil(data.length / this.blockSize), true);
    return Promise.resolve();
  }

  deallocate(lba: Lba, count: BlockCount): Promise<void> {
    const first = Number(lba);
    this.copy(first * this.blockSize, count * this.blockSize, (chunk, at, _pos, n, index) => {
      if (!chunk) return;
      // A chunk wholly deallocated is dropped, giving its memory back; a part of one is zeroed.
      if (at === 0 && n === CHUNK) this.chunks.delete(index);
      else chunk.fill(0, at, at + n);
    });
    this.mark(first, count, false);
    return Promise.resolve();
  }

  provisioning(lba: Lba, count: BlockCount): ProvisioningExtent {
    const first = Number(lba);
    const mapped = this.isMapped(first);
    let n = 1;
    while (n < count) {
      const b = first + n;
      const page = this.mapped.get(Math.floor(b / MAP_PAGE));
      // A page never written is all unmapped: step over it at once.
      if (!page && !mapped) {
        n = Math.min(count, (Math.floor(b / MAP_PAGE) + 1) * MAP_PAGE - first);
        continue;
      }
      if (this.isMapped(b) !== mapped) break;
      n++;
    }
    return { mapped, count: asBlockCount(n) };
  }

  private isMapped(lba: number): boolean {
    const page = this.mapped.get(Math.floor(lba / MAP_PAGE));
    const bit = lba % MAP_PAGE;
    return page !== undefined && ((page[bit >> 3] as number) & (1 << (bit & 7))) !== 0;
  }

  /** Sets (or clears) the mapped bits of `count` blocks from `lba`, a page and a byte at a time where it can. */
  private mark(lba: number, count: number, mapped: boolean): void {
    let b = lba;
    const end = lba + count;
    while (b < end) {
      const index = Math.floor(b / MAP_PAGE);
      const stop = Math.min(end, (index + 1) * MAP_PAGE);
      let page = this.mapped.get(index);
      if (!page) {
        // Nothing mapped in this page to clear.
        if (mapped) this.mapped.set(index, (page = new Uint8Array(MAP_PAGE / 8)));
      }
      if (page) setBits(page, b - index * MAP_PAGE, stop - index * MAP_PAGE, mapped);
      b = stop;
    }
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
