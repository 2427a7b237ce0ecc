import { describe, expect, it } from 'vitest';
import { parseAtaIdentify } from '../../../shared/scsi/parsers/ata-identify';

/** Writes `text` as an ATA string: space padded, first character of each pair in the word's high byte. */
function putString(buf: Uint8Array, firstWord: number, words: number, text: string): void {
  const padded = text.padEnd(words * 2, ' ');
  for (let i = 0; i < words; i++) {
    buf[(firstWord + i) * 2] = padded.charCodeAt(i * 2 + 1); // low byte: second character
    buf[(firstWord + i) * 2 + 1] = padded.charCodeAt(i * 2); // high byte: first character
  }
}

function putWord(buf: Uint8Array, word: number, value: number): void {
  buf[word * 2] = value & 0xff;
  buf[word * 2 + 1] = value >> 8;
}

/** Word 255: signature A5h in the low byte, the high byte making all 512 bytes sum to 0 mod 256. */
function seal(buf: Uint8Array): void {
  buf[510] = 0xa5;
  let sum = 0;
  for (let i = 0; i < 511; i++) sum = (sum + (buf[i] ?? 0)) & 0xff;
  buf[511] = (256 - sum) & 0xff;
}

function vector(): Uint8Array {
  const b = new Uint8Array(512);
  putString(b, 10, 10, 'S3Z9NB0K123456A'); // words 10–19 SERIAL NUMBER
  putString(b, 23, 4, 'RVT04B6Q'); // words 23–26 FIRMWARE REVISION
  putString(b, 27, 20, 'Samsung SSD 860 EVO 500GB'); // words 27–46 MODEL NUMBER
  putWord(b, 60, 0xffff); // words 60–61: 28-bit sector count, capped at 0FFFFFFFh
  putWord(b, 61, 0x0fff);
  putWord(b, 82, 0x0001); // word 82 bit 0: SMART feature set supported
  putWord(b, 83, 0x4400); // word 83 bits 15:14 01b (words 82–84 valid), bit 10: 48-bit addressing
  putWord(b, 85, 0x0001); // word 85 bit 0: SMART enabled
  putWord(b, 87, 0x4000); // word 87 bits 15:14 01b: words 85–87 valid
  putWord(b, 100, 0x6030); // words 100–103: 48-bit sector count 976773168 = 3A386030h
  putWord(b, 101, 0x3a38);
  seal(b);
  return b;
}

describe('parseAtaIdentify', () => {
  it('reads the byte-swapped strings, sector counts, SMART bits and a valid integrity word', () => {
    const r = parseAtaIdentify(vector());
    expect(r.ok && r.value).toEqual({
      serial: 'S3Z9NB0K123456A',
      firmware: 'RVT04B6Q',
      model: 'Samsung SSD 860 EVO 500GB',
      sectors28: 0x0fffffff,
      sectors48: 976773168n,
      sectors: 976773168n,
      logicalSectorBytes: 512,
      smartSupported: true,
      smartEnabled: true,
      checksum: 'valid',
    });
  });

  it('says the integrity word is invalid when a byte changed after sealing', () => {
    const b = vector();
    b[54] = (b[54] ?? 0) ^ 0x01;
    const r = parseAtaIdentify(b);
    expect(r.ok && r.value.checksum).toBe('invalid');
  });

  it('says the integrity word is absent without the A5h signature', () => {
    const b = vector();
    b[510] = 0;
    b[511] = 0;
    const r = parseAtaIdentify(b);
    expect(r.ok && r.value.checksum).toBe('absent');
  });

  it('reads no feature words that do not say they are valid (ACS-4: bits 15:14 of words 83 and 87)', () => {
    for (const invalid of [0x0000, 0xffff]) {
      const b = vector();
      putWord(b, 83, invalid === 0 ? 0x0400 : invalid); // 48-bit bit set, validity not 01b
      putWord(b, 87, invalid);
      seal(b);
      const r = parseAtaIdentify(b);
      expect(r.ok && [r.value.sectors48, r.value.smartSupported, r.value.smartEnabled]).toEqual([
        undefined,
        false,
        false,
      ]);
    }
  });

  it('ignores words 100–103 when word 83 does not claim 48-bit addressing', () => {
    const b = vector();
    b[83 * 2 + 1] = 0x40;
    seal(b);
    const r = parseAtaIdentify(b);
    expect(r.ok && [r.value.sectors48, r.value.sectors]).toEqual([undefined, 0x0fffffffn]);
  });

  it('reads a 4096-byte logical sector from words 106 and 117–118', () => {
    const b = vector();
    putWord(b, 106, 0x5000); // bit 14 valid, bit 12 logical sector longer than 256 words
    putWord(b, 117, 2048); // words 117–118: 2048 words per logical sector
    seal(b);
    const r = parseAtaIdentify(b);
    expect(r.ok && r.value.logicalSectorBytes).toBe(4096);
  });

  it('refuses a short buffer, naming the missing word', () => {
    const r = parseAtaIdentify(new Uint8Array(100));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toMatch(/IDENTIFY word 255/);
  });
});
