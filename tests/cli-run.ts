/** Runs the usbcdb CLI in-process, as the tests drive it: argv in, exit code and both streams out. */
import { runCli } from '../src-main/cli/usbcdb';
import type { CliIo } from '../src-main/cli/io';

export async function runUsbcdb(
  argv: string[],
  stdin = '',
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    out: (t) => void (out += t + '\n'),
    err: (t) => void (err += t + '\n'),
    readStdin: () => Promise.resolve({ ok: true, value: stdin }),
  };
  const code = await runCli(argv, io);
  return { code, out, err };
}
