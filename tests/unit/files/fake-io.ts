/**
 * Stand-ins for the OS in the file-writing tests: the real `node:fs` calls,
 * except that writes stop short and then fail the way a full disk (ENOSPC)
 * or a file size limit (EFBIG, RLIMIT_FSIZE) makes them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE_FILE_IO, type FileIo } from '../../../src-main/files/file-io';

/** An error shaped like Node's own fs errors (message and errno code). */
export function fsError(code: string, words: string, call: string): Error {
  return Object.assign(new Error(`${code}: ${words}, ${call}`), { code });
}

export const ENOSPC = (): Error => fsError('ENOSPC', 'no space left on device', 'write');
export const EFBIG = (): Error => fsError('EFBIG', 'file too large', 'write');

export interface WriteScript {
  /** Most bytes one write call accepts (a short write when the caller asks for more). */
  readonly perCall: number;
  /** Bytes the "disk" takes in all before `then` happens. */
  readonly budget: number;
  /** What a write does once the budget is spent: throw this error, or return 0 ('stall'). */
  readonly then: (() => Error) | 'stall';
}

/** The real fs, with writes limited by `script`; `calls` counts write calls. */
export function limitedIo(
  script: WriteScript,
  overrides: Partial<FileIo> = {},
): FileIo & { calls: number } {
  let left = script.budget;
  const io = {
    ...NODE_FILE_IO,
    calls: 0,
    writeSync(
      fd: number,
      data: Uint8Array,
      offset: number,
      length: number,
      position: number | null,
    ) {
      io.calls++;
      if (left === 0) {
        if (script.then === 'stall') return 0;
        throw script.then();
      }
      const n = Math.min(length, script.perCall, left);
      left -= n;
      return NODE_FILE_IO.writeSync(fd, data, offset, n, position);
    },
    ...overrides,
  };
  return io;
}

/** A fresh `usbcdb-`-prefixed temporary directory and the function that removes it. */
export function tempDir(label: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `usbcdb-${label}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
