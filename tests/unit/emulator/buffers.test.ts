/**
 * READ BUFFER's answers and a download's outcome as status and sense (SPC-5: READ BUFFER modes
 * 02h data and 03h descriptor; WRITE BUFFER microcode downloads), and the drive's LUN 0 store.
 */
import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Microcode } from '../../../src-main/emulator/microcode';
import { check, type CheckResult } from '../../../src-main/emulator/responses';
import {
  downloadResult,
  readBuffer,
  type BufferDevice,
  type BufferRequest,
} from '../../../src-main/emulator/write-buffer';
import { driveStore } from '../../../src-main/emulator/drive';
import { findProfile } from '../../../src-main/emulator/profiles';
import { testTempDir } from '../../temp-dir';

function device(): BufferDevice & { readonly log: string[]; readonly changed: string[] } {
  const log: string[] = [];
  const changed: string[] = [];
  const dataBuffer = new Uint8Array(8).map((_, i) => i + 1);
  return {
    microcode: new Microcode('1.00'),
    dataBuffer,
    log,
    changed,
    microcodeChanged: (r) => void changed.push(r),
    note: (l) => void log.push(l),
  };
}

/** INVALID FIELD IN CDB stand-ins that say which field was named. */
const named = (field: string): CheckResult => check(0x05, 0x24, field.length);
const request = (mode: number, extra: Partial<BufferRequest> = {}): BufferRequest => ({
  mode,
  bufferId: 0,
  offset: 0,
  invalid: named,
  ...extra,
});
const bytesOf = (r: ReturnType<typeof readBuffer>): number[] | undefined =>
  r.kind === 'good' && r.data instanceof Uint8Array ? Array.from(r.data) : undefined;

describe('readBuffer', () => {
  it('mode 02h returns the data buffer from the offset, cut to the allocation length', () => {
    expect(bytesOf(readBuffer(device(), request(0x02, { offset: 2 }), 3))).toEqual([3, 4, 5]);
    expect(bytesOf(readBuffer(device(), request(0x02, { offset: 6 }), 100))).toEqual([7, 8]);
  });

  it('mode 03h returns the descriptor: OFFSET BOUNDARY 2^9, BUFFER CAPACITY in bytes 1–3', () => {
    expect(bytesOf(readBuffer(device(), request(0x03), 4))).toEqual([9, 0, 0, 8]);
    expect(bytesOf(readBuffer(device(), request(0x03), 2))).toEqual([9, 0]);
  });

  it('refuses a BUFFER ID other than 0, an offset past the buffer and any other mode, naming the field', () => {
    expect(readBuffer(device(), request(0x02, { bufferId: 1 }), 4)).toEqual(named('bufferId'));
    expect(readBuffer(device(), request(0x02, { offset: 9 }), 4)).toEqual(named('bufferOffset'));
    expect(readBuffer(device(), request(0x0a), 4)).toEqual(named('mode'));
  });
});

describe('downloadResult', () => {
  const at = { offset: named('bufferOffset'), length: named('length') };

  it('is GOOD for a stored, activated or deferred download; activation is announced, deferral noted', () => {
    const d = device();
    expect(downloadResult(d, { kind: 'stored' }, at).kind).toBe('good');
    expect(downloadResult(d, { kind: 'activated', revision: '2.00' }, at).kind).toBe('good');
    expect(downloadResult(d, { kind: 'deferred', revision: '3.00' }, at).kind).toBe('good');
    expect(d.changed).toEqual(['2.00']);
    expect(d.log).toEqual(['microcode 3.00 downloaded, activation deferred']);
  });

  it('points at the offset or length field, or into the image, or says COMMAND SEQUENCE ERROR', () => {
    const d = device();
    expect(downloadResult(d, { kind: 'bad-offset' }, at)).toBe(at.offset);
    expect(downloadResult(d, { kind: 'too-large' }, at)).toBe(at.length);
    const bad = downloadResult(
      d,
      { kind: 'bad-image', problem: { message: 'bad magic', byte: 0x12345 } },
      at,
    );
    // The field pointer is 16 bits: a byte past it points at the last one it can name.
    expect(bad).toMatchObject({ kind: 'check', key: 0x05, asc: 0x26, ascq: 0x00 });
    expect(bad.kind === 'check' && bad.senseKeySpecific).toMatchObject({
      inCdb: false,
      fieldPointer: 0xffff,
    });
    expect(d.log).toEqual(['microcode rejected: bad magic']);
    expect(downloadResult(d, { kind: 'nothing-deferred' }, at)).toMatchObject({
      key: 0x05,
      asc: 0x2c,
      ascq: 0x00,
    });
  });
});

describe('driveStore', () => {
  const stick = findProfile('flash-stick');
  if (!stick) throw new Error('no flash-stick profile');

  it('keeps LUN 0 in memory without an image, and in a sparse file of the profile’s size with one', () => {
    const memory = driveStore(stick);
    expect(memory.ok).toBe(true);
    const file = join(testTempDir('store'), 'lun0.img');
    const image = driveStore(stick, file);
    expect(image.ok).toBe(true);
    expect(statSync(file).size).toBe(stick.blocks * stick.blockSize);
    if (image.ok) image.value.close?.();
  });

  it('says why when the image cannot be opened', () => {
    const r = driveStore(stick, join(tmpdir(), 'no-such-dir-usbcdb', 'x', 'lun0.img'));
    expect(r.ok).toBe(false);
  });
});
