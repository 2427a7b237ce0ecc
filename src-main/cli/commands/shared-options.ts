/** Numeric options shared by several commands, parsed in one place. */
import { MAX_CBW_LUN } from '../../../shared/bot/cbw';
import { option, parseNumber, type ParsedArgs } from '../args';

/** Options whose values a transport bounds, with why: past the bound nothing could be sent. */
const BOUNDS: Readonly<Record<string, { readonly max: number; readonly why: string }>> = {
  lun: {
    max: MAX_CBW_LUN,
    why: `a CBW's bCBWLUN holds 0–${MAX_CBW_LUN} (BOT 1.0, command block wrapper)`,
  },
};

/** Parses each named option as a number; the first malformed one is returned as an Error. */
export function numericOptions<K extends string>(
  args: ParsedArgs,
  names: readonly K[],
): Partial<Record<K, number>> | Error {
  const out: Partial<Record<K, number>> = {};
  for (const n of names) {
    const v = parseNumber(option(args, n), `--${n}`);
    if (v instanceof Error) return v;
    const bound = BOUNDS[n];
    if (v !== undefined && bound && v > bound.max)
      return new Error(`--${n} ${v} cannot be sent: ${bound.why}`);
    if (v !== undefined) out[n] = v;
  }
  return out;
}
