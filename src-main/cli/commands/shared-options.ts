/** Numeric options shared by several commands, parsed in one place. */
import { option, parseNumber, type ParsedArgs } from '../args';

/** Parses each named option as a number; the first malformed one is returned as an Error. */
export function numericOptions<K extends string>(
  args: ParsedArgs,
  names: readonly K[],
): Partial<Record<K, number>> | Error {
  const out: Partial<Record<K, number>> = {};
  for (const n of names) {
    const v = parseNumber(option(args, n), `--${n}`);
    if (v instanceof Error) return v;
    if (v !== undefined) out[n] = v;
  }
  return out;
}
