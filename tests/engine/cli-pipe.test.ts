/** The CLI as a process: a reader that closes the pipe early (`| head`) ends it quietly, not with a crash. */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('usbcdb writing into a closed pipe', () => {
  it('stops quietly with exit status 0 when the reader goes away', async () => {
    const child = spawn(
      process.execPath,
      ['bin/usbcdb.js', 'raw', '--json', '--in', '1048576', '28 00 00 00 00 00 00 08 00 00'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    // Read one chunk, then close our end like `head -1` does.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(err).not.toMatch(/EPIPE|Unhandled|at /);
    expect(code).toBe(0);
  });
});
