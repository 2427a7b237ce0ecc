/**
 * WRITE BUFFER and READ BUFFER for the emulated disk (SPC-5): mode 02h data
 * buffer, mode 03h descriptor, and microcode download modes 04h–07h and
 * 0Dh–0Fh on the shared Microcode machinery.
 */
import { putBe16 } from '../../shared/scsi/bytes';
import type { DownloadOutcome } from './microcode';
import { Microcode } from './microcode';
import { check, good, invalidField, type HandlerResult } from './responses';

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

/** Maps a download outcome to status and sense; `offsetByte` is where the CDB holds the offset. */
export function downloadResult(
  d: BufferDevice,
  o: DownloadOutcome,
  offsetByte: number,
  lengthByte: number,
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
      return invalidField(offsetByte);
    case 'too-large':
      return invalidField(lengthByte);
    case 'bad-image':
      d.note(`microcode rejected: ${o.problem.message}`);
      // INVALID FIELD IN PARAMETER LIST, pointing into the data-out (C/D = 0).
      return check(0x05, 0x26, 0x00, {
        senseKeySpecific: {
          kind: 'field-pointer',
          inCdb: false,
          bitPointerValid: false,
          bitPointer: 0,
          fieldPointer: Math.min(o.problem.byte, 0xffff),
        },
      });
    case 'nothing-deferred':
      return check(0x05, 0x2c, 0x00); // COMMAND SEQUENCE ERROR
  }
}

export function writeBuffer(
  d: BufferDevice,
  mode: number,
  bufferId: number,
  offset: number,
  data: Uint8Array,
): HandlerResult {
  if (mode === 0x02) {
    if (bufferId !== 0) return invalidField(2);
    if (offset + data.length > d.dataBuffer.length)
      return invalidField(offset >= d.dataBuffer.length ? 3 : 6);
    d.dataBuffer.set(data, offset);
    return good();
  }
  if (mode === 0x0f) return downloadResult(d, d.microcode.activateDeferred(), 3, 6);
  const m = MICROCODE_MODES[mode];
  if (!m) return invalidField(1, 4);
  if (!m.offsets && offset !== 0) return invalidField(3);
  const stored = d.microcode.store(offset, data);
  if (stored.kind !== 'stored') return downloadResult(d, stored, 3, 6);
  // Without offsets the one command carries the whole image; with offsets the header says when it is complete.
  if (!m.offsets || d.microcode.complete())
    return downloadResult(d, d.microcode.finish(m.finish), 3, 6);
  return good();
}

export function readBuffer(
  d: BufferDevice,
  mode: number,
  bufferId: number,
  offset: number,
  allocation: number,
): HandlerResult {
  if (bufferId !== 0) return invalidField(2);
  if (mode === 0x02) {
    if (offset > d.dataBuffer.length) return invalidField(3);
    return good(d.dataBuffer.slice(offset, Math.min(d.dataBuffer.length, offset + allocation)));
  }
  if (mode === 0x03) {
    // Descriptor: OFFSET BOUNDARY (2^n), BUFFER CAPACITY (3 bytes).
    const desc = new Uint8Array(4);
    desc[0] = Microcode.BOUNDARY_EXPONENT;
    desc[1] = (d.dataBuffer.length >> 16) & 0xff;
    putBe16(desc, 2, d.dataBuffer.length & 0xffff);
    return good(desc.subarray(0, Math.min(4, allocation)));
  }
  return invalidField(1, 4);
}
