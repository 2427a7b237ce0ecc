/**
 * usbcdb's exporter as a user runs it — `usbcdb emulate --profile P --usbredir|--usbip 127.0.0.1:0`
 * in a process of its own — for the benchmarks that compare it with the C reference disk (also a
 * process of its own) and watch its memory.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ExporterProcess {
  readonly port: number;
  /** The process's resident set size now, in bytes (VmRSS of /proc/PID/status). */
  readonly rss: () => number;
  /** Stops it (SIGTERM, as Ctrl+C would); resolves once it has exited. */
  readonly close: () => Promise<void>;
}

/** Reads VmRSS (kB) of a process from /proc; NaN when it is gone or the line is missing. */
export function rssOf(pid: number): number {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? NaN : Number(kb) * 1024;
  } catch {
    return NaN;
  }
}

/** Starts the exporter on a free loopback port; resolves with the port it printed. */
export async function startExporter(
  profile: string,
  protocol: 'usbredir' | 'usbip',
): Promise<ExporterProcess> {
  const child = spawn(
    process.execPath,
    [
      join(process.cwd(), 'bin', 'usbcdb.js'),
      'emulate',
      '--profile',
      profile,
      `--${protocol}`,
      '127.0.0.1:0',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let text = '';
  const port = await new Promise<number>((resolve, reject) => {
    const seen = (d: Buffer): void => {
      text += d.toString('utf8');
      const m = new RegExp(`on ${protocol} [^\\s]+:(\\d+)`).exec(text);
      if (m) resolve(Number(m[1]));
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(new Error(`usbcdb emulate exited (${code ?? signal}) before listening: ${text}`)),
    );
  });
  const pid = child.pid ?? -1;
  return {
    port,
    rss: () => rssOf(pid),
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
