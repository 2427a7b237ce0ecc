/** Numeric options shared by several commands, parsed in one place. */
import { MAX_CBW_LUN, MAX_CBW_TRANSFER } from '../../../shared/bot/cbw';
import { TIMEOUT_MS_RANGE } from '../../../shared/exchange';
import { option, parseNumber, type ParsedArgs } from '../args';

/** A host transfer length: what one CBW can ask for. */
const TRANSFER_LENGTH = {
  max: MAX_CBW_TRANSFER,
  why: `a CBW's dCBWDataTransferLength is 32 bits, at most ${MAX_CBW_TRANSFER} (BOT 1.0 §5.1)`,
};

/** Options whose values a transport bounds, with why: outside the bounds nothing could be sent. */
const BOUNDS: Readonly<
  Record<string, { readonly min?: number; readonly max: number; readonly why: string }>
> = {
  in: TRANSFER_LENGTH,
  'data-in': TRANSFER_LENGTH,
  'data-out': TRANSFER_LENGTH,
  lun: {
    max: MAX_CBW_LUN,
    why: `a CBW's bCBWLUN holds 0–${MAX_CBW_LUN} (BOT 1.0, command block wrapper)`,
  },
  timeout: {
    ...TIMEOUT_MS_RANGE,
    why: `a command's timeout is ${TIMEOUT_MS_RANGE.min}–${TIMEOUT_MS_RANGE.max} ms (libusb reads 0 as no timeout at all; an hour is the longest)`,
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
    if (v !== undefined && bound && (v > bound.max || v < (bound.min ?? 0)))
      return new Error(`--${n} ${v} cannot be sent: ${bound.why}`);
    if (v !== undefined) out[n] = v;
  }
  return out;
}
