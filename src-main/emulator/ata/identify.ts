/**
 * IDENTIFY DEVICE data (ACS-4, IDENTIFY DEVICE data): 256 little-endian
 * words describing the emulated SSD, from the profile's `ata` section and
 * capacity.
 */
import { putLe16 } from '../../../shared/scsi/bytes';
import { ataResponseLayout } from '../../../shared/scsi/ata-commands';
import { encodeLayout } from '../../../shared/vendor-sets/layout';
import type { AtaProfile } from '../profile';
import { sealChecksum } from './checksum';

/** Capacity and sector size of the drive (the SAT bridge reports the same on the SCSI side). */
export interface AtaGeometry {
  /** Logical sectors. */
  readonly sectors: number;
  /** Logical sector size in bytes. */
  readonly sectorSize: number;
}

/**
 * Words the `sat` set's IDENTIFY DEVICE layout does not declare (ACS-4, IDENTIFY DEVICE data);
 * every other word is written through that layout (see `identifyDevice`).
 */
const W = {
  specificConfig: 2,
  multiple: 47,
  trustedComputing: 48,
  capabilities2: 50,
  fieldValidity: 53,
  multiwordDma: 63,
  pioModes: 64,
  cycleTimes: 65,
  additionalSupported: 69,
  sataCapabilities: 76,
  sataCapabilities2: 77,
  udma: 88,
  transportMajor: 222,
} as const;

/** Reads an ATA string (ACS-4: the two characters of each word swapped), trailing spaces removed. */
export function readAtaString(data: Uint8Array, word: number, words: number): string {
  let s = '';
  for (let i = 0; i < words * 2; i++) s += String.fromCharCode(data[word * 2 + (i ^ 1)] ?? 0x20);
  return s.trimEnd();
}

/**
 * IDENTIFY DEVICE for the profile's drive: the fields the `sat` set's layout declares are encoded
 * with it (the layout the app decodes the page with), the few words it leaves out are set here,
 * then the integrity word is sealed.
 */
export function identifyDevice(ata: AtaProfile, geometry: AtaGeometry): Uint8Array {
  // Bit 14 shall be one; bit 12: the logical sector is longer than 256 words, words 117–118 say how long.
  const long = geometry.sectorSize > 512;
  const encoded = encodeLayout(
    ataResponseLayout('IDENTIFY DEVICE'),
    {
      generalConfiguration: 0x0040, // bit 15 = 0: ATA device; bit 6 obsolete "not removable", still set by SSDs
      serial: ata.serial,
      firmware: ata.firmware,
      model: ata.model,
      capabilities: { dmaSupported: true, lbaSupported: true },
      // 28-bit capacity saturates at 0FFFFFFFh (ACS-4, words 60–61); the 48-bit count is exact.
      sectors28: Math.min(geometry.sectors, 0x0fffffff),
      // Major version: ATA/ATAPI-5 (bit 5) up to ACS-4 (bit 11), as drives claim every version they meet.
      majorVersion: { value: 0x0fe0 },
      supported82: { smart: true, powerManagement: true },
      supported83: { lba48: true, validity: 1 },
      supported84: { gpl: true, validity: 1 },
      enabled85: { smart: true, powerManagement: true },
      enabled86: { lba48: true },
      enabled87: { gpl: true, validity: 1 },
      sectors48: BigInt(geometry.sectors),
      sectorSizes: { longLogicalSector: long, validity: 1 },
      ...(long ? { logicalSectorWords: geometry.sectorSize / 2 } : {}),
      dataSetManagement: { trim: true },
      rotationRate: 0x0001, // non-rotating medium (solid state)
      integritySignature: 0xa5, // the checksum byte after it is valid (ACS-4, word 255)
    },
    512,
  );
  if (!encoded.ok)
    throw new Error(`IDENTIFY DEVICE for the emulated drive: ${encoded.error.message}`);
  const d = encoded.value;
  const word = (w: number, v: number): void => putLe16(d, w * 2, v & 0xffff);
  word(W.specificConfig, 0xc837); // no SET FEATURES spin-up needed, IDENTIFY DEVICE complete
  word(W.multiple, 0x8001); // bits 15:8 80h; one sector per DRQ block
  word(W.trustedComputing, 0x4000); // bit 14 shall be one; no Trusted Computing feature set
  word(W.capabilities2, 0x4000); // bit 14 shall be one
  word(W.fieldValidity, 0x0006); // words 64–70 and 88 are valid
  word(W.multiwordDma, 0x0007); // multiword DMA modes 0–2 supported
  word(W.pioModes, 0x0003); // PIO modes 3 and 4
  for (let i = 0; i < 4; i++) word(W.cycleTimes + i, 120); // minimum cycle times, ns
  word(W.additionalSupported, 0x4020); // deterministic data after TRIM, and it reads zeros
  word(W.sataCapabilities, 0x000e); // SATA Gen1, Gen2, Gen3 signalling speeds
  word(W.sataCapabilities2, 0x0006); // current speed: Gen3 (bits 3:1 = 011b)
  word(W.udma, 0x407f); // UDMA modes 0–6 supported, mode 6 selected
  word(W.transportMajor, 0x103f); // Serial ATA; ATA8-AST, SATA 1.0a, II, 2.5, 2.6, 3.0
  sealChecksum(d);
  return d;
}
