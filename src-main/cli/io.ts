/**
 * The CLI's connection to the world, injectable so commands are tested
 * without spawning processes.
 */
import { formatHex } from '../../shared/scsi/hex';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Whole standard input as text (for `decode-sense -`). */
  readStdin(): Promise<string>;
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
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}
