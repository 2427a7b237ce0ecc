/**
 * `usbcdb serve --port N` as a person runs it on a lab machine (README): on a fresh machine
 * the data folder that keeps its token does not exist yet, and a port past 65535 is refused.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('usbcdb serve --port', () => {
  it('starts on a fresh machine, making the data folder that keeps its token', async () => {
    const config = mkdtempSync(join(tmpdir(), 'usbcdb-serve-'));
    dirs.push(config);
    const port = await freePort();
    const child = spawn(process.execPath, ['bin/usbcdb.js', 'serve', '--port', String(port)], {
      env: { ...process.env, XDG_CONFIG_HOME: config },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    await expect
      .poll(() => out + err, { timeout: 20_000 })
      .toMatch(/open http:\/\/127\.0\.0\.1:\d+\/#token=|serve: /);
    child.kill('SIGTERM');
    expect(err).toBe('');
    expect(out).toContain(`http://127.0.0.1:${port}/#token=`);
    expect(existsSync(join(config, 'usbcdb', 'web-token'))).toBe(true);
    expect(await exited).toBe(0);
  });

  it('refuses a port past 65535 in a sentence', () => {
    const r = spawnSync(process.execPath, ['bin/usbcdb.js', 'serve', '--port', '70000'], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^serve: --port 70000: a TCP port is 0–65535/);
  });
});
