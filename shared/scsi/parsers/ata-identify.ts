/**
 * IDENTIFY DEVICE data (ACS-4, IDENTIFY DEVICE data): 512 bytes, 256
 * little-endian words. ATA strings keep two characters per word with the
 * first in the high byte, so each word's bytes are swapped to read them.
 */
import { readBounded, type ByteReader } from '../bytes';
import { ok, type Result } from '../result';

export interface AtaIdentify {
  /** Words 10–19. */
  readonly serial: string;
  /** Words 23–26. */
  readonly firmware: string;
  /** Words 27–46. */
  readonly model: string;
  /** Words 60–61: user-addressable sectors for 28-bit commands. */
  readonly sectors28: number;
  /** Words 100–103, when word 83 bit 10 says 48-bit addressing is supported. */
  readonly sectors48: bigint | undefined;
  /** The larger of the two: the drive's size in logical sectors. */
  readonly sectors: bigint;
  /**
   * Logical sector size in bytes: words 117–118 (in words) when word 106 is
   * valid (bit 14 set, bit 15 clear) and bit 12 says the sector is longer
   * than 256 words; 512 otherwise.
   */
  readonly logicalSectorBytes: number;
  /** Word 82 bit 0. */
  readonly smartSupported: boolean;
  /** Word 85 bit 0. */
  readonly smartEnabled: boolean;
  /**
   * Word 255: 'valid' (low byte A5h and the 512 bytes sum to 0 mod 256),
   * 'invalid' (A5h but the sum is not 0), 'absent' (no A5h signature: the
   * drive does not fill the integrity word).
   */
  readonly checksum: 'valid' | 'invalid' | 'absent';
}

const word = (r: ByteReader, w: number): number => r.le16(w * 2, `IDENTIFY word ${w}`);

/** An ATA string of words first..last, bytes swapped per word, trailing spaces trimmed. */
function ataString(r: ByteReader, first: number, last: number): string {
  let s = '';
  for (let w = first; w <= last; w++) {
    const v = word(r, w);
    for (const c of [v >> 8, v & 0xff]) s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : ' ';
  }
  return s.trim();
}

export function parseAtaIdentify(bytes: Uint8Array): Result<AtaIdentify> {
  return readBounded(bytes, 'IDENTIFY DEVICE data', (r) => {
    word(r, 255); // all 512 bytes must be present
    const sectors28 = word(r, 60) + word(r, 61) * 0x10000;
    const lba48 = (word(r, 83) & 0x0400) !== 0;
    let sectors48: bigint | undefined;
    if (lba48) {
      sectors48 = 0n;
      for (let w = 103; w >= 100; w--) sectors48 = (sectors48 << 16n) | BigInt(word(r, w));
    }
    const w106 = word(r, 106);
    const long = (w106 & 0xc000) === 0x4000 && (w106 & 0x1000) !== 0;
    const sectorWords = long ? word(r, 117) + word(r, 118) * 0x10000 : 256;
    let sum = 0;
    for (let i = 0; i < 512; i++) sum = (sum + r.u8(i)) & 0xff;
    const checksum = r.u8(510) !== 0xa5 ? 'absent' : sum === 0 ? 'valid' : 'invalid';
    return ok({
      serial: ataString(r, 10, 19),
      firmware: ataString(r, 23, 26),
      model: ataString(r, 27, 46),
      sectors28,
      sectors48,
      sectors:
        sectors48 !== undefined && sectors48 > BigInt(sectors28) ? sectors48 : BigInt(sectors28),
      logicalSectorBytes: sectorWords * 2,
      smartSupported: (word(r, 82) & 1) !== 0,
      smartEnabled: (word(r, 85) & 1) !== 0,
      checksum,
    });
  });
}
