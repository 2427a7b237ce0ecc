/**
 * IDENTIFY DEVICE data (ACS-4, IDENTIFY DEVICE data): 256 little-endian
 * words describing the emulated SSD, from the profile's `ata` section and
 * capacity.
 */
import { putLe16 } from '../../../shared/scsi/bytes';
import type { AtaProfile } from '../profile';

/** Capacity and sector size of the drive (the SAT bridge reports the same on the SCSI side). */
export interface AtaGeometry {
  /** Logical sectors. */
  readonly sectors: number;
  /** Logical sector size in bytes. */
  readonly sectorSize: number;
}

/** Word offsets used below (ACS-4, IDENTIFY DEVICE data). */
const W = {
  general: 0,
  specificConfig: 2,
  serial: 10,
  firmware: 23,
  model: 27,
  multiple: 47,
  trustedComputing: 48,
  capabilities: 49,
  capabilities2: 50,
  fieldValidity: 53,
  sectors28: 60,
  multiwordDma: 63,
  pioModes: 64,
  cycleTimes: 65,
  additionalSupported: 69,
  sataCapabilities: 76,
  sataCapabilities2: 77,
  majorVersion: 80,
  commandSets: 82,
  commandSets2: 83,
  commandSets3: 84,
  enabled: 85,
  enabled2: 86,
  enabled3: 87,
  udma: 88,
  sectors48: 100,
  sectorRelation: 106,
  logicalSectorWords: 117,
  dataSetManagement: 169,
  rotationRate: 217,
  transportMajor: 222,
  integrity: 255,
} as const;

/**
 * An ATA string: space padded, the two characters of each word swapped
 * (ACS-4, ATA string convention: the first character is bits 15:8 of the
 * first word).
 */
export function ataString(text: string, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes).fill(0x20);
  for (let i = 0; i < Math.min(bytes, text.length); i++) out[i ^ 1] = text.charCodeAt(i) & 0x7f;
  return out;
}

/** Reads an ATA string back (the inverse of ataString, trailing spaces removed). */
export function readAtaString(data: Uint8Array, word: number, words: number): string {
  let s = '';
  for (let i = 0; i < words * 2; i++) s += String.fromCharCode(data[word * 2 + (i ^ 1)] ?? 0x20);
  return s.trimEnd();
}

/** Sets the integrity word: A5h, then the byte that makes all 512 bytes sum to 0 mod 256 (ACS-4, word 255). */
export function sealIntegrity(data: Uint8Array): void {
  data[510] = 0xa5;
  let sum = 0;
  for (let i = 0; i < 511; i++) sum += data[i] ?? 0;
  data[511] = (256 - (sum & 0xff)) & 0xff;
}

export function identifyDevice(ata: AtaProfile, geometry: AtaGeometry): Uint8Array {
  const d = new Uint8Array(512);
  const word = (w: number, v: number): void => putLe16(d, w * 2, v & 0xffff);
  word(W.general, 0x0040); // bit 15 = 0: ATA device; bit 6 obsolete "not removable", still set by SSDs
  word(W.specificConfig, 0xc837); // no SET FEATURES spin-up needed, IDENTIFY DEVICE complete
  d.set(ataString(ata.serial, 20), W.serial * 2);
  d.set(ataString(ata.firmware, 8), W.firmware * 2);
  d.set(ataString(ata.model, 40), W.model * 2);
  word(W.multiple, 0x8001); // bits 15:8 80h; one sector per DRQ block
  word(W.trustedComputing, 0x4000); // bit 14 shall be one; no Trusted Computing feature set
  word(W.capabilities, 0x0300); // bit 9 LBA supported, bit 8 DMA supported
  word(W.capabilities2, 0x4000); // bit 14 shall be one
  word(W.fieldValidity, 0x0006); // words 64–70 and 88 are valid
  // 28-bit capacity saturates at 0FFFFFFFh (ACS-4, word 60–61); the 48-bit count is exact.
  const sectors28 = Math.min(geometry.sectors, 0x0fffffff);
  word(W.sectors28, sectors28 & 0xffff);
  word(W.sectors28 + 1, sectors28 >>> 16);
  word(W.multiwordDma, 0x0007); // multiword DMA modes 0–2 supported
  word(W.pioModes, 0x0003); // PIO modes 3 and 4
  for (let i = 0; i < 4; i++) word(W.cycleTimes + i, 120); // minimum cycle times, ns
  word(W.additionalSupported, 0x4020); // deterministic data after TRIM, and it reads zeros
  word(W.sataCapabilities, 0x000e); // SATA Gen1, Gen2, Gen3 signalling speeds
  word(W.sataCapabilities2, 0x0006); // current speed: Gen3 (bits 3:1 = 011b)
  // Major version: ATA/ATAPI-5 (bit 5) up to ACS-4 (bit 11), as drives claim every version they meet.
  word(W.majorVersion, 0x0fe0);
  word(W.commandSets, 0x0009); // bit 0 SMART, bit 3 Power Management feature set
  word(W.commandSets2, 0x4400); // bit 14 shall be one, bit 10 48-bit Address feature set
  word(W.commandSets3, 0x4020); // bit 14 shall be one, bit 5 General Purpose Logging
  word(W.enabled, 0x0009); // SMART and Power Management enabled
  word(W.enabled2, 0x0400); // 48-bit Address feature set enabled
  word(W.enabled3, 0x4020); // bit 14 shall be one, General Purpose Logging enabled
  word(W.udma, 0x407f); // UDMA modes 0–6 supported, mode 6 selected
  const big = BigInt(geometry.sectors);
  for (let i = 0; i < 4; i++) word(W.sectors48 + i, Number((big >> BigInt(16 * i)) & 0xffffn));
  // Bit 14 shall be one; bit 12: the logical sector is longer than 256 words, words 117–118 say how long.
  const long = geometry.sectorSize > 512;
  word(W.sectorRelation, 0x4000 | (long ? 0x1000 : 0));
  if (long) {
    const words = geometry.sectorSize / 2;
    word(W.logicalSectorWords, words & 0xffff);
    word(W.logicalSectorWords + 1, words >>> 16);
  }
  word(W.dataSetManagement, 0x0001); // TRIM supported
  word(W.rotationRate, 0x0001); // non-rotating medium (solid state)
  word(W.transportMajor, 0x103f); // Serial ATA; ATA8-AST, SATA 1.0a, II, 2.5, 2.6, 3.0
  sealIntegrity(d);
  return d;
}
