import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsbCapture } from '../../../src-main/capture/usbmon';
import type { Problem } from '../../../shared/scsi/result';
import { ENOSPC, limitedIo, tempDir } from './fake-io';
import type { FileIo } from '../../../src-main/files/file-io';

const work = tempDir('capture-write');
afterAll(work.remove);

/** Lengths of the records of a pcap file; throws where a record is cut off. */
function pcapRecordLengths(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect(view.getUint32(0, true)).toBe(0xa1b2c3d4);
  const lengths: number[] = [];
  let at = 24;
  while (at < bytes.length) {
    if (at + 16 > bytes.length) throw new Error(`a record header is cut off at byte ${at}`);
    const caplen = view.getUint32(at + 8, true);
    if (at + 16 + caplen > bytes.length) throw new Error(`record data is cut off at byte ${at}`);
    lengths.push(caplen);
    at += 16 + caplen;
  }
  return lengths;
}

/** Ten bulk OUT transfers of 1000 bytes each: 20 records of 64 + (1000 or 0) bytes. */
function captureTen(
  file: string,
  io: FileIo,
  failures: Problem[] = [],
): ReturnType<UsbCapture['close']> {
  const c = new UsbCapture(file, { bus: 1, device: 2 }, () => 1_700_000_000_000_000, {
    io,
    onFailure: (p) => failures.push(p),
  });
  for (let i = 0; i < 10; i++) {
    const urb = c.submit({ type: 'bulk', endpoint: 0x02, length: 1000 }, new Uint8Array(1000));
    c.complete(urb, 0);
  }
  return c.close();
}

describe('a usbmon capture written to a file that fills up', () => {
  it('writes every record whole through short writes', () => {
    const file = join(work.dir, 'short.pcap');
    const r = captureTen(file, limitedIo({ perCall: 7, budget: Infinity, then: ENOSPC }));
    expect(r.ok).toBe(true);
    expect(pcapRecordLengths(readFileSync(file))).toEqual(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 1064 : 64)),
    );
  });

  it('stops on ENOSPC with only whole records in the file, and says so', () => {
    const file = join(work.dir, 'full.pcap');
    const failures: Problem[] = [];
    // Room for the file header, 4 records (1080 + 80 + 1080 + 80) and part of the fifth.
    const r = captureTen(
      file,
      limitedIo({ perCall: 4096, budget: 24 + 2 * 1160 + 500, then: ENOSPC }),
      failures,
    );
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toBe(
      `capture ${file} stopped: writing record 5 failed (ENOSPC: no space left on device, write after 500 of 1080 bytes); the file holds the 4 whole records before it`,
    );
    expect(failures).toHaveLength(1);
    expect(pcapRecordLengths(readFileSync(file))).toEqual([1064, 64, 1064, 64]);
  });
});
