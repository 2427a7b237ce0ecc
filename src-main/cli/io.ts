/**
 * The CLI's connection to the world, injectable so commands are tested
 * without spawning processes.
 */
import { formatHex, parseHex } from '../../shared/scsi/hex';
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

/** What a command that reads hex says of it: its name, what the bytes are, and how to give them. */
export interface HexInputWords {
  readonly command: string;
  /** What the bytes are, for messages ("sense" → "no sense bytes to read"). */
  readonly what: string;
  /** The refusal when no words were given, asking for them. */
  readonly ask: string;
}

/**
 * The bytes a command reads as hex: its words, or standard input for a lone `-`. Undefined after
 * saying why there are none or they are not hex; standard input that held no bytes is named as
 * such, since the `-` asking for it was given.
 */
export async function hexInput(
  words: readonly string[],
  io: CliIo,
  said: HexInputWords,
): Promise<Uint8Array | undefined> {
  const stdin = words.length === 1 && words[0] === '-';
  const input = stdin ? await io.readStdin() : ok(words.join(' '));
  const bytes = input.ok ? parseHex(input.value, said.what) : input;
  if (bytes.ok && bytes.value.length > 0) return bytes.value;
  io.err(
    `${said.command}: ${
      !bytes.ok
        ? bytes.error.message
        : stdin
          ? `standard input was empty: no ${said.what} bytes to read`
          : said.ask
    }`,
  );
  return undefined;
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
