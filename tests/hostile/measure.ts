/**
 * What the hostile-peer tests measure around an attack: memory the process
 * holds (ArrayBuffers, where Buffers live, and RSS), the longest the event loop
 * was blocked, and uncaught errors. The server under attack runs in this same
 * process, so the numbers are the exporter's (the attacking clients reuse their
 * buffers and do not read, so they add next to nothing).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const MiB = 1024 * 1024;

/** A forced full collection, so what is measured is what is still held, not garbage. */
setFlagsFromString('--expose-gc');
// V8 frees the memory of collected ArrayBuffers on a background thread after a collection, so
// right after one the count can still include garbage (seen: 32 MiB of joined 16 MiB transfers
// here, gone 200 ms later). Freed within the collection, "held" is what is still referenced.
setFlagsFromString('--no-concurrent-array-buffer-sweeping');
const collect = runInNewContext('gc') as () => void;

export interface Measured {
  /** Peak growth of ArrayBuffer memory over the baseline, sampled every few ms, in MiB. */
  readonly peakBuffersMiB: number;
  /** Growth still held after a full collection at the end (before the attacker leaves), in MiB. */
  readonly heldBuffersMiB: number;
  /** Peak RSS growth, in MiB. */
  readonly peakRssMiB: number;
  /** The longest gap between two 10 ms ticks of the event loop, in ms. */
  readonly longestStallMs: number;
  /** Uncaught exceptions and unhandled rejections seen meanwhile. */
  readonly uncaught: number;
}

const buffers = (): number => process.memoryUsage().arrayBuffers;

/** Runs `attack` and measures around it; `attack` returns once the state to measure is reached. */
export async function measure(attack: () => Promise<void>): Promise<Measured> {
  collect();
  const base = { buffers: buffers(), rss: process.memoryUsage.rss() };
  let peakBuffers = base.buffers;
  let peakRss = base.rss;
  let last = performance.now();
  let longest = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    peakBuffers = Math.max(peakBuffers, buffers());
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 10);
  let uncaught = 0;
  const count = (): void => {
    uncaught++;
  };
  process.on('uncaughtException', count);
  process.on('unhandledRejection', count);
  try {
    await attack();
    const longestStallMs = Math.max(longest, performance.now() - last);
    collect();
    const held = buffers();
    peakBuffers = Math.max(peakBuffers, held);
    return {
      peakBuffersMiB: (peakBuffers - base.buffers) / MiB,
      heldBuffersMiB: (held - base.buffers) / MiB,
      peakRssMiB: (peakRss - base.rss) / MiB,
      longestStallMs,
      uncaught,
    };
  } finally {
    clearInterval(tick);
    process.off('uncaughtException', count);
    process.off('unhandledRejection', count);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
