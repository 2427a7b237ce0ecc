/**
 * The emulated drive's firmware download machinery, shared by WRITE BUFFER
 * (SPC-5: modes 04h–07h, 0Dh–0Fh) and the example vendor set's download
 * command. Images use a small documented format (docs/vendor-example.md):
 *
 *   bytes 0–7   "UCDBFW01"
 *   bytes 8–11  the new PRODUCT REVISION LEVEL (ASCII)
 *   bytes 12–15 the image length in bytes, header and trailer included (big-endian)
 *   …           payload
 *   last 4      sum of all preceding bytes, modulo 2^32 (big-endian)
 */
import { putBe32, readBounded } from '../../shared/scsi/bytes';
import { err, ok, type Result } from '../../shared/scsi/result';

export const FIRMWARE_MAGIC = 'UCDBFW01';
const HEADER = 16;
const TRAILER = 4;

function sum32(bytes: Uint8Array): number {
  let s = 0;
  for (const b of bytes) s = (s + b) >>> 0;
  return s;
}

/** Builds a valid image (tests, demos, and anyone writing a firmware for the emulated drive). */
export function buildFirmwareImage(revision: string, payload: Uint8Array): Uint8Array {
  const total = HEADER + payload.length + TRAILER;
  const image = new Uint8Array(total);
  image.set(new TextEncoder().encode(FIRMWARE_MAGIC), 0);
  image.set(new TextEncoder().encode(revision.padEnd(4).slice(0, 4)), 8);
  putBe32(image, 12, total);
  image.set(payload, HEADER);
  putBe32(image, total - TRAILER, sum32(image.subarray(0, total - TRAILER)));
  return image;
}

/** Why an image was refused: the byte of the parameter data at fault (for the sense field pointer). */
export interface ImageProblem {
  readonly message: string;
  readonly byte: number;
}

/** Checks an image and returns its revision. */
export function checkFirmwareImage(image: Uint8Array): Result<string, ImageProblem> {
  const r = readBounded(image, 'firmware image', (rd) => {
    const magic = new TextDecoder().decode(rd.slice(0, 8, 'the magic'));
    if (magic !== FIRMWARE_MAGIC)
      return err({ code: 'magic', message: `bytes 0–7 are not "${FIRMWARE_MAGIC}"`, offset: 0 });
    const total = rd.be32(12, 'the image length');
    if (total !== image.length)
      return err({
        code: 'length',
        message: `the header says ${total} bytes but ${image.length} arrived`,
        offset: 12,
      });
    const want = rd.be32(total - TRAILER, 'the checksum');
    if (want !== sum32(image.subarray(0, total - TRAILER)))
      return err({
        code: 'checksum',
        message: 'the checksum does not match',
        offset: total - TRAILER,
      });
    return ok(new TextDecoder().decode(rd.slice(8, 4, 'the revision')));
  });
  return r.ok ? r : err({ message: r.error.message, byte: r.error.offset ?? 0 });
}

export type DownloadOutcome =
  | { readonly kind: 'stored' }
  | { readonly kind: 'activated'; readonly revision: string }
  | { readonly kind: 'deferred'; readonly revision: string }
  | { readonly kind: 'bad-offset' }
  | { readonly kind: 'too-large' }
  | { readonly kind: 'bad-image'; readonly problem: ImageProblem }
  | { readonly kind: 'nothing-deferred' };

export class Microcode {
  /** Offsets must be multiples of this (READ BUFFER descriptor: 2^9). */
  static readonly BOUNDARY_EXPONENT = 9;
  static readonly CAPACITY = 1024 * 1024;
  private staging = new Uint8Array(Microcode.CAPACITY);
  private staged = 0;
  private deferred: string | undefined;

  constructor(public revision: string) {}

  /** Stores a chunk; offset 0 starts a new image. */
  store(offset: number, data: Uint8Array): DownloadOutcome {
    if (offset % (1 << Microcode.BOUNDARY_EXPONENT) !== 0) return { kind: 'bad-offset' };
    if (offset + data.length > Microcode.CAPACITY) return { kind: 'too-large' };
    if (offset === 0) this.staged = 0;
    this.staging.set(data, offset);
    this.staged = Math.max(this.staged, offset + data.length);
    return { kind: 'stored' };
  }

  /** True once the staged bytes reach the length the image header declares. */
  complete(): boolean {
    if (this.staged < HEADER) return false;
    const r = readBounded(this.staging.subarray(0, HEADER), 'header', (rd) => ok(rd.be32(12)));
    return r.ok && this.staged >= r.value;
  }

  /** Checks the staged image and activates it now, or holds it for mode 0Fh. */
  finish(how: 'activate' | 'defer'): DownloadOutcome {
    const checked = checkFirmwareImage(this.staging.subarray(0, this.staged));
    this.staged = 0;
    if (!checked.ok) return { kind: 'bad-image', problem: checked.error };
    if (how === 'defer') {
      this.deferred = checked.value;
      return { kind: 'deferred', revision: checked.value };
    }
    this.revision = checked.value;
    return { kind: 'activated', revision: checked.value };
  }

  activateDeferred(): DownloadOutcome {
    if (this.deferred === undefined) return { kind: 'nothing-deferred' };
    this.revision = this.deferred;
    this.deferred = undefined;
    return { kind: 'activated', revision: this.revision };
  }
}
