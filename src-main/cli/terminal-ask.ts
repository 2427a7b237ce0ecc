/**
 * A yes/no question on the terminal (probe's, before a vendor-specific opcode goes to a real
 * device). While readline reads the answer the terminal is in raw mode, so Ctrl+C reaches
 * readline as a character, not the process as SIGINT: without a listener readline only pauses,
 * the question never settles, and the command hangs or ends without a word. Ctrl+C there means
 * what it means everywhere else, so it answers no and raises SIGINT for the process to stop.
 */
import type { Readable, Writable } from 'node:stream';
import { createInterface } from 'node:readline/promises';

export type Ask = (question: string) => Promise<boolean>;

/** Asks on `input`/`output`; `interrupt` runs on Ctrl+C (the process raising SIGINT on itself). */
export function askOn(
  input: Readable,
  output: Writable,
  interrupt: () => void = () => process.kill(process.pid, 'SIGINT'),
): Ask {
  return async (question) => {
    const rl = createInterface({ input, output, terminal: true });
    const stop = new AbortController();
    rl.once('SIGINT', () => {
      stop.abort();
      interrupt();
    });
    try {
      const answer = await rl.question(`${question} [y/N] `, { signal: stop.signal });
      return /^y(es)?$/i.test(answer.trim());
    } catch (e) {
      if (stop.signal.aborted) return false;
      throw e;
    } finally {
      rl.close();
    }
  };
}

/** Asks on the terminal; undefined when standard input is not one (a script, a pipe, CI). */
export function terminalAsk(): Ask | undefined {
  return process.stdin.isTTY ? askOn(process.stdin, process.stderr) : undefined;
}
