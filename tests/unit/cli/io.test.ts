/** The CLI's standard input: read whole, but never more than MAX_STDIN_BYTES. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { MAX_STDIN_BYTES, readBoundedText } from '../../../src-main/cli/io';

/** `count` chunks of `size` bytes of ASCII '0', noting how many were taken and whether it was closed. */
function source(size: number, count: number) {
  const seen = { taken: 0, closed: false };
  async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      for (let i = 0; i < count; i++) {
        seen.taken++;
        yield new Uint8Array(size).fill(0x30);
      }
    } finally {
      seen.closed = true;
    }
  }
  return { chunks: chunks(), seen };
}

describe('readBoundedText', () => {
  it('reads everything up to the bound as UTF-8', async () => {
    const { chunks } = source(4, 3);
    expect(await readBoundedText(chunks, 12)).toEqual({ ok: true, value: '0'.repeat(12) });
  });

  it('stops at the first chunk past the bound and closes the source', async () => {
    const { chunks, seen } = source(4, 1000);
    const r = await readBoundedText(chunks, 10);
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'too-large',
        message: `standard input holds more than ${10 / (1024 * 1024)} MiB; give the bytes as hex, three characters a byte`,
      },
    });
    expect(seen).toEqual({ taken: 3, closed: true });
  });

  it('bounds decode-sense - as a process: past the bound it exits 1 naming standard input', () => {
    const r = spawnSync(process.execPath, ['bin/usbcdb.js', 'decode-sense', '-'], {
      input: Buffer.alloc(MAX_STDIN_BYTES + 1, 0x30),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect([r.status, r.stdout]).toEqual([1, '']);
    expect(r.stderr).toBe(
      'decode-sense: standard input holds more than 64 MiB; give the bytes as hex, three characters a byte\n',
    );
  });
});
