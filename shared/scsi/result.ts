/**
 * Errors as values. Every decoder, builder and validator in usbcdb returns a
 * `Result`; exceptions are reserved for programmer errors.
 */

/** A problem a person can act on: a stable code, a sentence, and where it is. */
export interface Problem {
  /** Stable machine-readable identifier, e.g. `out-of-bounds`, `bad-hex`. */
  readonly code: string;
  /** One or two sentences naming the byte or field and what is wrong with it. */
  readonly message: string;
  /** Byte offset in the input the problem refers to, when there is one. */
  readonly offset?: number;
}

export type Result<T, E = Problem> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function err<E = Problem>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}

export function problem(code: string, message: string, offset?: number): Problem {
  return offset === undefined ? { code, message } : { code, message, offset };
}
