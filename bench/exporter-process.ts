/**
 * usbcdb's exporter as a user runs it — `usbcdb emulate --profile P --usbredir|--usbip 127.0.0.1:0`
 * in a process of its own — for the benchmarks that compare it with the C reference disk (also a
 * process of its own) and watch its memory.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startListening } from './listening-process';

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
  const args = ['emulate', '--profile', profile, `--${protocol}`, '127.0.0.1:0'];
  const listening = new RegExp(`on ${protocol} [^\\s]+:(\\d+)`);
  const exporter = await startListening(
    'usbcdb emulate',
    process.execPath,
    [join(process.cwd(), 'bin', 'usbcdb.js'), ...args],
    (text) => {
      const port = listening.exec(text)?.[1];
      return port === undefined ? undefined : Number(port);
    },
  );
  return { port: exporter.value, rss: () => rssOf(exporter.pid), close: exporter.close };
}
