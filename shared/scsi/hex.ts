/**
 * Hex text ↔ bytes. Accepts what people paste: `12 00 00`, `120000`,
 * `0x12,0x00`, `12:00:00`, with any mix of spaces, commas, colons and `0x`.
 */
import { err, ok, type Result } from './result';

/** A token as an error quotes it: whole when short, else its start (a pasted run can be megabytes). */
function quoted(raw: string): string {
  return raw.length <= 24 ? `"${raw}"` : `"${raw.slice(0, 16)}…"`;
}

export function parseHex(text: string, label = 'hex'): Result<Uint8Array> {
  // The form usbcdb itself writes (and the IPC contract carries) is decoded
  // in one pass: megabytes of it would otherwise become millions of tokens.
  if (firstNonCanonicalHex(text) < 0) return ok(fromCanonicalHex(text));
  // A comma, semicolon or colon ends an element; white space around it is part of it. An empty
  // element ("12,,00") is a byte left out or a separator doubled: refused, never skipped, since
  // skipping it would shift every later byte. One trailing separator ("0x12, 0x00,", as a C
  // initializer ends) is allowed.
  const trimmed = text.trim();
  if (trimmed.length === 0) return ok(new Uint8Array());
  const tokens = trimmed.split(/\s*[,;:]\s*|\s+/);
  if (tokens.length > 1 && tokens[tokens.length - 1] === '') tokens.pop();
  const out: number[] = [];
  for (const raw of tokens) {
    if (raw.length === 0) {
      return err({
        code: 'bad-hex',
        message: `${label}: nothing between two separators at byte ${out.length}; a byte is missing or a separator is doubled`,
        offset: out.length,
      });
    }
    const t = raw.replace(/^0x/i, '').replace(/h$/i, '');
    const bad = t.length === 0 ? 0 : t.search(/[^0-9a-f]/i);
    if (bad >= 0) {
      // In a run of digits ("deadbeefzz00") the character, and the byte it falls in, are what to fix.
      const at = out.length + Math.floor(bad / 2);
      const what =
        t.length === 0 ? 'no digits' : `"${String.fromCodePoint(t.codePointAt(bad) ?? 0)}"`;
      return err({
        code: 'bad-hex',
        message: `${label}: ${quoted(raw)} is not hexadecimal: ${what} at byte ${at}; write bytes as "12 00 00", "120000" or "0x12,0x00"`,
        offset: at,
      });
    }
    const isPrefixed = /^0x/i.test(raw) || /h$/i.test(raw);
    if (isPrefixed && t.length > 2) {
      return err({
        code: 'bad-hex',
        message: `${label}: ${quoted(raw)} is more than one byte; write one 0x.. per byte`,
        offset: out.length,
      });
    }
    const padded = t.length % 2 === 1 ? (t.length === 1 ? '0' + t : null) : t;
    if (padded === null) {
      return err({
        code: 'bad-hex',
        message: `${label}: ${quoted(raw)} has an odd number of hex digits (byte ${out.length}); split it into two-digit bytes`,
        offset: out.length,
      });
    }
    for (let i = 0; i < padded.length; i += 2) out.push(parseInt(padded.slice(i, i + 2), 16));
  }
  return ok(Uint8Array.from(out));
}

function isLowerHexDigit(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x66);
}

/**
 * Where the canonical form `formatHex` writes ("12 00 24": lower-case pairs,
 * one space between) first goes wrong, or -1 when all of `text` is in it.
 * A loop over character codes rather than a regular expression: a
 * backtracking pattern over megabytes of text runs out of stack (V8 threw
 * "Maximum call stack size exceeded" from about 4 MiB), and this check sees
 * hostile input.
 */
export function firstNonCanonicalHex(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (i % 3 === 2 ? code !== 0x20 : !isLowerHexDigit(code)) return i;
  }
  // A whole text ends right after a pair: it is empty or 3n + 2 characters long.
  return text.length === 0 || text.length % 3 === 2 ? -1 : text.length - 1;
}

/**
 * Hex text in the canonical form: the text itself when it already is (as a
 * presets file usbcdb wrote holds it: megabytes of data-out are not decoded
 * and written again on every read), otherwise parsed and formatted.
 */
export function toCanonicalHex(text: string, label = 'hex'): Result<string> {
  if (firstNonCanonicalHex(text) < 0) return ok(text);
  const bytes = parseHex(text, label);
  return bytes.ok ? ok(formatHex(bytes.value)) : bytes;
}

/** How many bytes text in the canonical form holds: a pair and a space each, the last without. */
export function canonicalHexLength(text: string): number {
  return text.length === 0 ? 0 : (text.length + 1) / 3;
}

/** Bytes of text in the canonical form (firstNonCanonicalHex(text) < 0). */
function fromCanonicalHex(text: string): Uint8Array {
  const out = new Uint8Array(canonicalHexLength(text));
  const nibble = (code: number): number => (code <= 0x39 ? code - 0x30 : code - 0x57);
  for (let i = 0; i < out.length; i++)
    out[i] = (nibble(text.charCodeAt(3 * i)) << 4) | nibble(text.charCodeAt(3 * i + 1));
  return out;
}

export function hex2(n: number): string {
  return (n & 0xff).toString(16).padStart(2, '0');
}

/** Four lower-case hex digits, as USB vendor and product ids are written (`0781`). */
export function hex4(n: number): string {
  return (n & 0xffff).toString(16).padStart(4, '0');
}

/** `12 00 00 24 00 00` — the form sg_raw and this project print. */
export function formatHex(bytes: Uint8Array, sep = ' '): string {
  // Character codes written into one buffer and decoded once: a string per byte (and a join of
  // millions) took about 10 s and a GiB of garbage for a preset's 16 MiB of data-out.
  if (bytes.length === 0) return '';
  const gap = new TextEncoder().encode(sep);
  const step = 2 + gap.length;
  const out = new Uint8Array(bytes.length * step - gap.length);
  const digit = (n: number): number => (n < 10 ? 0x30 + n : 0x57 + n);
  for (let i = 0, o = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    out[o++] = digit(b >> 4);
    out[o++] = digit(b & 0x0f);
    if (i + 1 < bytes.length) for (const g of gap) out[o++] = g;
  }
  return new TextDecoder().decode(out);
}

/** `0x24` style for a single value in messages. */
export function hexByte(n: number): string {
  return '0x' + hex2(n);
}

/** `24h` style, as T10 documents write values (a bigint for 8-byte fields such as an LBA). */
export function t10Hex(n: number | bigint, digits = 2): string {
  return n.toString(16).toUpperCase().padStart(digits, '0') + 'h';
}
