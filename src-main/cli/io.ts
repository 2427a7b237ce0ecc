/**
 * The CLI's connection to the world, injectable so commands are tested
 * without spawning processes.
 */
import { formatHex } from '../../shared/scsi/hex';
import { err, ok, problem, type Result } from '../../shared/scsi/result';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Whole standard input as text (for `decode-sense -`), or why not (past MAX_STDIN_BYTES). */
  readStdin(): Promise<Result<string>>;
}

/**
 * The most standard input a command reads: hex text is three characters a byte, so this holds
 * 16 MiB of data with room for line breaks, far past any sense data or page (a VPD or mode page
 * is at most 64 KiB). Without a bound, `decode-sense - < /dev/zero` would fill the memory.
 */
export const MAX_STDIN_BYTES = 64 * 1024 * 1024;

/** The text of `chunks` (UTF-8), or an error as soon as more than `max` bytes have come. */
export async function readBoundedText(
  chunks: AsyncIterable<Uint8Array>,
  max: number,
): Promise<Result<string>> {
  const kept: Uint8Array[] = [];
  let total = 0;
  for await (const c of chunks) {
    total += c.length;
    // Leaving the loop ends the iteration, which closes the stream: nothing more is read.
    if (total > max)
      return err(
        problem(
          'too-large',
          `standard input holds more than ${max / (1024 * 1024)} MiB; give the bytes as hex, three characters a byte`,
        ),
      );
    kept.push(c);
  }
  return ok(Buffer.concat(kept).toString('utf8'));
}

/**
 * JSON with the project's conventions: byte arrays as `"12 00 00"` hex
 * strings, bigints as numbers when exact and as decimal strings otherwise.
 */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    // A function, not an arrow: `this[key]` is the value before JSON.stringify called its
    // toJSON, and a Buffer's toJSON makes it {type, data: [every byte]} before `v` is seen.
    function (this: Record<string, unknown>, key: string, v: unknown) {
      const before = this[key];
      if (before instanceof Uint8Array) return formatHex(before);
      if (typeof v === 'bigint')
        return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER)
          ? Number(v)
          : v.toString();
      return v;
    },
    2,
  );
}

let pipeWatched = false;

/**
 * A reader that stops early (`usbcdb devices | head`) closes the pipe: stop
 * quietly, as sg3_utils and coreutils do, rather than die on EPIPE.
 */
function quietOnClosedPipe(): void {
  if (pipeWatched) return;
  pipeWatched = true;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

export function processIo(): CliIo {
  quietOnClosedPipe();
  return {
    out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
    err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
    readStdin: () => readBoundedText(process.stdin, MAX_STDIN_BYTES),
  };
}
