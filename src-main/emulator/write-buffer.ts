/**
 * WRITE BUFFER and READ BUFFER for the emulated disk (SPC-5): mode 02h data
 * buffer, mode 03h descriptor, and microcode download modes 04h–07h and
 * 0Dh–0Fh on the shared Microcode machinery.
 */
import { putBe16 } from '../../shared/scsi/bytes';
import type { DownloadOutcome } from './microcode';
import { Microcode } from './microcode';
import { check, good, invalidParameter, type CheckResult, type HandlerResult } from './responses';

/** The 64 KiB data buffer of mode 02h. */
export const DATA_BUFFER_SIZE = 64 * 1024;

/** Microcode modes: whether offsets are used and when the image takes effect. */
const MICROCODE_MODES: Readonly<
  Record<number, { readonly offsets: boolean; readonly finish: 'activate' | 'defer' }>
> = {
  0x04: { offsets: false, finish: 'activate' },
  0x05: { offsets: false, finish: 'activate' },
  0x06: { offsets: true, finish: 'activate' },
  0x07: { offsets: true, finish: 'activate' },
  0x0d: { offsets: true, finish: 'defer' },
  0x0e: { offsets: true, finish: 'defer' },
};

export interface BufferDevice {
  readonly microcode: Microcode;
  readonly dataBuffer: Uint8Array;
  /** Called after new microcode is active: the unit attention 3Fh/01h and a log line. */
  microcodeChanged(revision: string): void;
  note(line: string): void;
}

/** The sense a refused download points with: at its CDB's offset field, or its length field. */
export interface DownloadFields {
  readonly offset: CheckResult;
  readonly length: CheckResult;
}

/** Maps a download outcome to status and sense. */
export function downloadResult(
  d: BufferDevice,
  o: DownloadOutcome,
  at: DownloadFields,
): HandlerResult {
  switch (o.kind) {
    case 'stored':
      return good();
    case 'activated':
      d.microcodeChanged(o.revision);
      return good();
    case 'deferred':
      d.note(`microcode ${o.revision} downloaded, activation deferred`);
      return good();
    case 'bad-offset':
      return at.offset;
    case 'too-large':
      return at.length;
    case 'bad-image':
      d.note(`microcode rejected: ${o.problem.message}`);
      // The field pointer is 16 bits: a byte past 64 KiB points at the last it can name.
      return invalidParameter(Math.min(o.problem.byte, 0xffff));
    case 'nothing-deferred':
      return check(0x05, 0x2c, 0x00); // COMMAND SEQUENCE ERROR
  }
}

/** The fields of WRITE BUFFER and READ BUFFER a refusal points at. */
export type BufferField = 'mode' | 'bufferId' | 'bufferOffset' | 'length';

/** One WRITE BUFFER or READ BUFFER request: the CDB's fields, and how to refuse one of them. */
export interface BufferRequest {
  readonly mode: number;
  readonly bufferId: number;
  readonly offset: number;
  /** INVALID FIELD IN CDB at a field (`length`: the PARAMETER LIST LENGTH or ALLOCATION LENGTH). */
  readonly invalid: (field: BufferField) => CheckResult;
}

export function writeBuffer(d: BufferDevice, r: BufferRequest, data: Uint8Array): HandlerResult {
  const at: DownloadFields = {
    offset: r.invalid('bufferOffset'),
    length: r.invalid('length'),
  };
  if (r.mode === 0x02) {
    if (r.bufferId !== 0) return r.invalid('bufferId');
    if (r.offset + data.length > d.dataBuffer.length)
      return r.offset >= d.dataBuffer.length ? at.offset : at.length;
    d.dataBuffer.set(data, r.offset);
    return good();
  }
  if (r.mode === 0x0f) return downloadResult(d, d.microcode.activateDeferred(), at);
  const m = MICROCODE_MODES[r.mode];
  if (!m) return r.invalid('mode');
  if (!m.offsets && r.offset !== 0) return at.offset;
  const stored = d.microcode.store(r.offset, data);
  if (stored.kind !== 'stored') return downloadResult(d, stored, at);
  // Without offsets the one command carries the whole image; with offsets the header says when it is complete.
  if (!m.offsets || d.microcode.complete())
    return downloadResult(d, d.microcode.finish(m.finish), at);
  return good();
}

export function readBuffer(d: BufferDevice, r: BufferRequest, allocation: number): HandlerResult {
  if (r.bufferId !== 0) return r.invalid('bufferId');
  if (r.mode === 0x02) {
    if (r.offset > d.dataBuffer.length) return r.invalid('bufferOffset');
    return good(d.dataBuffer.slice(r.offset, Math.min(d.dataBuffer.length, r.offset + allocation)));
  }
  if (r.mode === 0x03) {
    // Descriptor: OFFSET BOUNDARY (2^n), BUFFER CAPACITY (3 bytes).
    const desc = new Uint8Array(4);
    desc[0] = Microcode.BOUNDARY_EXPONENT;
    desc[1] = (d.dataBuffer.length >> 16) & 0xff;
    putBe16(desc, 2, d.dataBuffer.length & 0xffff);
    return good(desc.subarray(0, Math.min(4, allocation)));
  }
  return r.invalid('mode');
}
