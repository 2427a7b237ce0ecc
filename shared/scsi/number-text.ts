/**
 * Numbers as people type them into a command line or a form: decimal,
 * `0x..`, or `..h` as T10 documents write hex.
 */
import { err, ok, problem, type Result } from './result';

const NUMBER_PATTERN = /^(?:0x([0-9a-f]+)|([0-9a-f]+)h|(\d+))$/i;

/** `36`, `0x24` or `24h` (spaces around allowed) → 36n; undefined for anything else. */
export function numberTextValue(text: string): bigint | undefined {
  const m = NUMBER_PATTERN.exec(text.trim());
  if (!m) return undefined;
  const hex = m[1] ?? m[2];
  return hex !== undefined ? BigInt(`0x${hex}`) : BigInt(m[3] as string);
}

/** Like parseNumberText, as a bigint of any size (a 64-bit LBA). */
export function parseBigNumberText(text: string, what: string): Result<bigint> {
  const n = numberTextValue(text);
  return n === undefined
    ? err(problem('bad-number', `${what} must be a number (decimal, 0x.. or ..h), got "${text}"`))
    : ok(n);
}

/** `36`, `0x24` or `24h` → 36; anything else is a `bad-number` problem naming `what`. */
export function parseNumberText(text: string, what: string): Result<number> {
  const n = parseBigNumberText(text, what);
  if (!n.ok) return n;
  if (n.value > BigInt(Number.MAX_SAFE_INTEGER))
    return err(problem('bad-number', `${what} is too large: "${text}"`));
  return ok(Number(n.value));
}
