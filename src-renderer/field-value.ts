/**
 * A CDB field's value as the editor shows and reads it: hex the way T10
 * documents write it, with decimal beside (OPERATION CODE "12h (18)"); typed
 * values may be decimal ("18"), T10 hex ("12h") or C hex ("0x12").
 */

/** "12h (18)"; a value under 10 reads the same either way and shows once: "0". */
export function fieldValueText(value: bigint): string {
  return value < 10n ? value.toString() : `${value.toString(16).toUpperCase()}h (${value})`;
}

/** The value typed into a field control, or undefined when it is not a whole number. */
export function parseFieldValue(text: string): bigint | undefined {
  const t = text.trim();
  if (t === '') return 0n;
  if (/^0x[0-9a-f]+$/i.test(t)) return BigInt(t);
  if (/^[0-9a-f]+h$/i.test(t)) return BigInt(`0x${t.slice(0, -1)}`);
  if (/^[0-9]+$/.test(t)) return BigInt(t);
  return undefined;
}
