/**
 * Text from outside (a device's answer, a vendor-set file) on one line, read in the order it is
 * stored: what `asciiText` (bytes.ts) does for a device's ASCII fields, for text already decoded.
 *
 * The characters that break that: the C0 controls, DEL and the C1 controls (a line break ends a
 * C++ `//` comment; ESC starts a terminal's escape sequences, ECMA-48), the Unicode line and
 * paragraph separators (U+2028, U+2029), and the bidirectional embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069; Unicode UAX #9), which make text display in another order than
 * it is read (CVE-2021-42574).
 */
const UNPRINTABLE = '\\u0000-\\u001f\\u007f-\\u009f\\u2028-\\u202e\\u2066-\\u2069';

/** Text holding none of them: a pattern for a schema (published in JSON Schema too). */
export const ONE_LINE_TEXT = new RegExp(`^[^${UNPRINTABLE}]*$`);

const ANY_UNPRINTABLE = new RegExp(`[${UNPRINTABLE}]`, 'g');

/** `text` with each of them shown as '.', as `asciiText` shows a device's non-printable bytes. */
export function printableText(text: string): string {
  return text.replace(ANY_UNPRINTABLE, '.');
}

/** The first of them in `text`, named for a person (`U+001B at character 6`); undefined when none. */
export function firstUnprintable(text: string): string | undefined {
  const at = text.search(ANY_UNPRINTABLE);
  if (at < 0) return undefined;
  const code = text.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0');
  return `U+${code} at character ${at + 1}`;
}
