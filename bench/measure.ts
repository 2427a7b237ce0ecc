/**
 * Throughput measurement: run a function for a fixed time, report ops/s.
 * Each measurement is paired with a peer measured in the same process, and
 * the ratio is what matters (wall-clock numbers vary by machine).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** docs/performance.md, seen from the bundles in dist/bench/. */
export const PERFORMANCE_DOC = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'docs',
  'performance.md',
);

export interface Measurement {
  readonly name: string;
  readonly ops: number;
  readonly seconds: number;
  readonly opsPerSecond: number;
}

/** Runs `fn` repeatedly for about `ms` milliseconds (after a warm-up) and counts calls. */
export function measure(name: string, fn: () => unknown, ms = 1000): Measurement {
  const warmUntil = performance.now() + ms / 5;
  let sink: unknown;
  while (performance.now() < warmUntil) sink = fn();
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 64; i++) sink = fn();
    ops += 64;
    now = performance.now();
  }
  if (sink === Symbol.for('never')) throw new Error('unreachable');
  const seconds = (now - start) / 1000;
  return { name, ops, seconds, opsPerSecond: ops / seconds };
}

/** Like `measure`, for functions that return a promise (awaited one at a time). */
export async function measureAsync(
  name: string,
  fn: () => Promise<unknown>,
  ms = 1000,
): Promise<Measurement> {
  for (let i = 0; i < 200; i++) await fn();
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 16; i++) await fn();
    ops += 16;
    now = performance.now();
  }
  const seconds = (now - start) / 1000;
  return { name, ops, seconds, opsPerSecond: ops / seconds };
}

export function formatRate(n: number): string {
  return n >= 1e6
    ? `${(n / 1e6).toFixed(2)} M/s`
    : n >= 1e3
      ? `${(n / 1e3).toFixed(1)} k/s`
      : `${n.toFixed(0)} /s`;
}

/** The median of some rates (NaN when there are none). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
}

/** The lowest and highest of some rates. */
export function range(xs: readonly number[]): readonly [number, number] {
  return [Math.min(...xs), Math.max(...xs)];
}

/** The rates a run printed (NaN where it printed none left out). */
export function valid(xs: readonly number[]): number[] {
  return xs.filter((x) => Number.isFinite(x));
}

/**
 * Two sides measured round by round, as a table cell: the ratio of their medians, with the
 * lowest and highest of the ratios within each round.
 */
export function ratio(a: readonly number[], b: readonly number[]): string {
  const perRound = valid(a.map((x, i) => x / (b[i] ?? NaN)));
  if (perRound.length === 0) return 'no result';
  const [lo, hi] = range(perRound);
  return `${(median(valid(a)) / median(valid(b))).toFixed(3)} (${lo.toFixed(3)}–${hi.toFixed(3)})`;
}
