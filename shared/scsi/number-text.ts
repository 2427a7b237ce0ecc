/**
 * Numbers as people type them into a command line or a form: decimal,
 * `0x..`, or `..h` as T10 documents write hex.
 */
import { err, ok, problem, type Result } from './result';

const NUMBER_PATTERN = /^(?:0x([0-9a-f]+)|([0-9a-f]+)h|(\d+))$/i;

/** `36`, `0x24` or `24h` → 36; anything else is a `bad-number` problem naming `what`. */
export function parseNumberText(text: string, what: string): Result<number> {
  const m = NUMBER_PATTERN.exec(text.trim());
  if (!m)
    return err(
      problem('bad-number', `${what} must be a number (decimal, 0x.. or ..h), got "${text}"`),
    );
  const n = m[1] ? parseInt(m[1], 16) : m[2] ? parseInt(m[2], 16) : parseInt(m[3] as string, 10);
  if (!Number.isSafeInteger(n))
    return err(problem('bad-number', `${what} is too large: "${text}"`));
  return ok(n);
}
