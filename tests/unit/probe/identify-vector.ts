/** A hand-built IDENTIFY DEVICE answer (ACS-4 word layout) for the probe tests. */

/** Writes `text` as an ATA string: space padded, first character of each pair in the word's high byte. */
export function putAtaString(
  buf: Uint8Array,
  firstWord: number,
  words: number,
  text: string,
): void {
  const padded = text.padEnd(words * 2, ' ');
  for (let i = 0; i < words; i++) {
    buf[(firstWord + i) * 2] = padded.charCodeAt(i * 2 + 1);
    buf[(firstWord + i) * 2 + 1] = padded.charCodeAt(i * 2);
  }
}

/** Word 255: signature A5h, and the checksum byte that makes the 512 bytes sum to 0 mod 256. */
export function sealIdentify(buf: Uint8Array): void {
  buf[510] = 0xa5;
  let sum = 0;
  for (let i = 0; i < 511; i++) sum = (sum + (buf[i] ?? 0)) & 0xff;
  buf[511] = (256 - sum) & 0xff;
}

export function identifyVector(model: string, serial: string, firmware: string): Uint8Array {
  const b = new Uint8Array(512);
  putAtaString(b, 10, 10, serial);
  putAtaString(b, 23, 4, firmware);
  putAtaString(b, 27, 20, model);
  b[60 * 2] = 0x00; // words 60–61: 00100000h sectors
  b[61 * 2] = 0x10;
  b[82 * 2] = 0x01; // SMART supported
  b[85 * 2] = 0x01; // SMART enabled
  sealIdentify(b);
  return b;
}
