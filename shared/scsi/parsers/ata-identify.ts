/**
 * IDENTIFY DEVICE data (ACS-4, IDENTIFY DEVICE data): 512 bytes, 256
 * little-endian words, read for the probe through the `sat` set's layout.
 */
import { decodeLayout, findRow } from '../../vendor-sets/layout';
import { ataResponseLayout } from '../ata-commands';
import { readBounded } from '../bytes';
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
  /** Words 100–103, when word 83 (valid: bits 15:14 01b) bit 10 says 48-bit addressing is supported. */
  readonly sectors48: bigint | undefined;
  /** The larger of the two: the drive's size in logical sectors. */
  readonly sectors: bigint;
  /**
   * Logical sector size in bytes: words 117–118 (in words) when word 106 is
   * valid (bit 14 set, bit 15 clear) and bit 12 says the sector is longer
   * than 256 words; 512 otherwise.
   */
  readonly logicalSectorBytes: number;
  /** Word 82 bit 0, when word 83 says words 82–84 are valid. */
  readonly smartSupported: boolean;
  /** Word 85 bit 0, when word 87 says words 85–87 are valid. */
  readonly smartEnabled: boolean;
  /**
   * Word 255: 'valid' (low byte A5h and the 512 bytes sum to 0 mod 256),
   * 'invalid' (A5h but the sum is not 0), 'absent' (no A5h signature: the
   * drive does not fill the integrity word).
   */
  readonly checksum: 'valid' | 'invalid' | 'absent';
}

/** The `sat` set's IDENTIFY DEVICE layout: the one place its word offsets are written. */
const LAYOUT = ataResponseLayout('IDENTIFY DEVICE');

/**
 * Reads the fields the probe needs through the `sat` set's layout (decodeLayout), so the offsets
 * are the ones the app decodes the page with and the emulated drive encodes it with.
 */
export function parseAtaIdentify(bytes: Uint8Array): Result<AtaIdentify> {
  return readBounded(bytes, 'IDENTIFY DEVICE data', (r) => {
    r.le16(510, 'IDENTIFY word 255'); // all 512 bytes must be present
    const rows = decodeLayout(LAYOUT, bytes.subarray(0, 512));
    const raw = (key: string): number | bigint | boolean | string | undefined =>
      findRow(rows, key)?.raw;
    const text = (key: string): string => String(raw(key) ?? '');
    const flag = (key: string): boolean => raw(key) === true;
    const num = (key: string): number => Number(raw(key) ?? 0);
    const sectors28 = num('sectors28');
    const w48 = raw('sectors48');
    // ACS-4: words 82–84 hold information only when word 83's bits 15:14 are 01b, words 85–87
    // only when word 87's are; a drive that leaves them 0000h or FFFFh says nothing there.
    const supportedValid = num('supported83.validity') === 1;
    const enabledValid = num('enabled87.validity') === 1;
    const sectors48 =
      supportedValid && flag('supported83.lba48') && typeof w48 === 'bigint' ? w48 : undefined;
    // Word 106 is valid with bits 15:14 = 01b; bit 12: words 117–118 give the sector in words.
    const long = num('sectorSizes.validity') === 1 && flag('sectorSizes.longLogicalSector');
    const sectorWords = long ? num('logicalSectorWords') : 256;
    let sum = 0;
    for (let i = 0; i < 512; i++) sum = (sum + r.u8(i)) & 0xff;
    const checksum =
      num('integritySignature') !== 0xa5 ? 'absent' : sum === 0 ? 'valid' : 'invalid';
    return ok({
      serial: text('serial'),
      firmware: text('firmware'),
      model: text('model'),
      sectors28,
      sectors48,
      sectors:
        sectors48 !== undefined && sectors48 > BigInt(sectors28) ? sectors48 : BigInt(sectors28),
      logicalSectorBytes: sectorWords * 2,
      smartSupported: supportedValid && flag('supported82.smart'),
      smartEnabled: enabledValid && flag('enabled85.smart'),
      checksum,
    });
  });
}
