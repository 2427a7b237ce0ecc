/**
 * A server process a benchmark starts and stops: it is ready once its output says so (the C
 * reference disk's "listening" line, `usbcdb emulate`'s port), and stopping it waits for its exit.
 */
import { spawn } from 'node:child_process';

export interface ListeningProcess<T> {
  /** What `ready` read from the output. */
  readonly value: T;
  readonly pid: number;
  /** Everything it has printed so far, both streams. */
  readonly output: () => string;
  /** Stops it (SIGTERM, as Ctrl+C would); resolves once it has exited. */
  readonly close: () => Promise<void>;
}

/**
 * Starts `command`; resolves once `ready` finds what it waits for in the output, and rejects
 * with that output when the process exits or fails to start first.
 */
export async function startListening<T>(
  what: string,
  command: string,
  args: readonly string[],
  ready: (output: string) => T | undefined,
): Promise<ListeningProcess<T>> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let text = '';
  const value = await new Promise<T>((resolve, reject) => {
    const seen = (d: Buffer): void => {
      text += d.toString('utf8');
      const found = ready(text);
      if (found !== undefined) resolve(found);
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(new Error(`${what} exited (${code ?? signal}) before it was ready: ${text}`)),
    );
  });
  return {
    value,
    pid: child.pid ?? -1,
    output: () => text,
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
