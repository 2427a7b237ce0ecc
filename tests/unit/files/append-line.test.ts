import { execFileSync } from 'node:child_process';
import {
  closeSync,
  constants,
  lstatSync,
  openSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appendLineSync } from '../../../src-main/files/append-line';
import { RecordingTransport } from '../../../src-main/engine/recorder';
import { openDevice } from '../../../src-main/engine/device-string';
import { parseTrace } from '../../../shared/trace';
import { ENOSPC, limitedIo, tempDir } from './fake-io';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function traceFile(): string {
  const t = tempDir('append');
  cleanups.push(t.remove);
  return join(t.dir, 'session.jsonl');
}

describe('appendLineSync', () => {
  it('refuses a FIFO at once, named or behind a link, with or without a reader, instead of waiting', () => {
    const t = tempDir('append-fifo');
    cleanups.push(t.remove);
    const fifo = join(t.dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const link = join(t.dir, 'link');
    symlinkSync(fifo, link);
    for (const p of [fifo, link])
      expect(appendLineSync(p, '{}')).toEqual({
        ok: false,
        error: expect.objectContaining({
          message: `cannot append to ${p}: ${p} is not a regular file (it is a FIFO)`,
        }),
      });
    // With a reader (this process's own), where an open for writing would not wait, still refused.
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      expect(appendLineSync(fifo, '{}').ok).toBe(false);
      expect(lstatSync(fifo).isFIFO()).toBe(true);
    } finally {
      closeSync(reader);
    }
  });

  it('appends whole lines through short writes, creating the file owner-only', () => {
    const file = traceFile();
    const io = limitedIo({ perCall: 3, budget: Infinity, then: ENOSPC });
    expect(appendLineSync(file, '{"a":1}', { io }).ok).toBe(true);
    expect(appendLineSync(file, '{"b":2}\n', { io }).ok).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('{"a":1}\n{"b":2}\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('cuts a partial line off again on a full disk, leaving the file byte-identical', () => {
    const file = traceFile();
    writeFileSync(file, '{"usbcdbTrace":1}\n');
    const before = readFileSync(file);
    const io = limitedIo({ perCall: 10, budget: 25, then: ENOSPC });
    const r = appendLineSync(file, 'x'.repeat(100), { io });
    expect(!r.ok && r.error.message).toMatch(
      new RegExp(`cannot append to ${file}: writing 101 bytes failed \\(ENOSPC.*after 25 of 101`),
    );
    expect(!r.ok && r.error.message).toMatch(/the file is as it was/);
    expect(readFileSync(file)).toEqual(before);
  });
});

describe('a recording whose trace file fills up', () => {
  it('stops at the last whole exchange, reports the failure, and still returns outcomes', async () => {
    const file = traceFile();
    const device = await openDevice('emu:');
    if (!device.ok) throw new Error(device.error.message);
    // Room for the header line and about one exchange, then the disk is full.
    const io = limitedIo({ perCall: 64, budget: 900, then: ENOSPC });
    const rec = new RecordingTransport(device.value, {
      append: (line) => appendLineSync(file, line, { io }),
    });
    const tur = {
      cdb: new Uint8Array(6),
      lun: 0,
      direction: 'none' as const,
      transferLength: 0,
      timeoutMs: 1000,
    };
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push(await rec.execute(tur));
    await rec.close();
    expect(outcomes.map((o) => o.status)).toEqual([2, 0, 0, 0, 0]);
    expect(rec.failure?.message).toMatch(new RegExp(`cannot append to ${file}: .*ENOSPC`));
    const text = readFileSync(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const trace = parseTrace(text, file);
    expect(trace.ok).toBe(true);
    const recorded = trace.ok ? trace.value.exchanges.length : -1;
    expect(recorded).toBeGreaterThan(0);
    expect(recorded).toBeLessThan(5);
  });
});
