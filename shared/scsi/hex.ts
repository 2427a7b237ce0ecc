/**
 * Hex text ↔ bytes. Accepts what people paste: `12 00 00`, `120000`,
 * `0x12,0x00`, `12:00:00`, with any mix of spaces, commas, colons and `0x`.
 */
import { err, ok, type Result } from './result';

export function parseHex(text: string, label = 'hex'): Result<Uint8Array> {
  const tokens = text
    .trim()
    .split(/[\s,;:]+/)
    .filter((t) => t.length > 0);
  const out: number[] = [];
  for (const raw of tokens) {
    const t = raw.replace(/^0x/i, '').replace(/h$/i, '');
    if (!/^[0-9a-f]+$/i.test(t)) {
      return err({
        code: 'bad-hex',
        message: `${label}: "${raw}" is not hexadecimal (byte ${out.length} onward); write bytes as "12 00 00", "120000" or "0x12,0x00"`,
        offset: out.length,
      });
    }
    const isPrefixed = /^0x/i.test(raw) || /h$/i.test(raw);
    if (isPrefixed && t.length > 2) {
      return err({
        code: 'bad-hex',
        message: `${label}: "${raw}" is more than one byte; write one 0x.. per byte`,
        offset: out.length,
      });
    }
    const padded = t.length % 2 === 1 ? (t.length === 1 ? '0' + t : null) : t;
    if (padded === null) {
      return err({
        code: 'bad-hex',
        message: `${label}: "${raw}" has an odd number of hex digits (byte ${out.length}); split it into two-digit bytes`,
        offset: out.length,
      });
    }
    for (let i = 0; i < padded.length; i += 2) out.push(parseInt(padded.slice(i, i + 2), 16));
  }
  return ok(Uint8Array.from(out));
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
  return Array.from(bytes, hex2).join(sep);
}

/** `0x24` style for a single value in messages. */
export function hexByte(n: number): string {
  return '0x' + hex2(n);
}

/** `24h` style, as T10 documents write values. */
export function t10Hex(n: number, digits = 2): string {
  return n.toString(16).toUpperCase().padStart(digits, '0') + 'h';
}
