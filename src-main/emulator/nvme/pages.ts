/**
 * The NVMe data structures the emulated SSD returns (NVM Express Base 1.4):
 * Identify Controller (CNS 01h, figure 247), Identify Namespace (CNS 00h,
 * figure 245), the SMART / Health Information log (02h, figure 194) and the
 * Error Information log (01h, figure 193). Every multi-byte field is
 * little-endian (NVMe 1.4, 1.5 conventions); text fields are ASCII padded
 * with spaces.
 */
import { putLe16, putLe32 } from '../../../shared/scsi/bytes';
import type { NvmeProfile } from '../profile';

export const IDENTIFY_BYTES = 4096;
export const SMART_LOG_BYTES = 512;
/** One Error Information log entry (NVMe 1.4, figure 193). */
export const ERROR_ENTRY_BYTES = 64;
/** Entries the error log holds: ELPE + 1 (Identify Controller byte 262). */
export const ERROR_LOG_ENTRIES = 64;

/** What the namespace holds: the drive's blocks and their size. */
export interface NvmeGeometry {
  readonly blocks: number;
  readonly blockSize: number;
}

/** A little-endian unsigned integer of `size` bytes (up to 16: the 128-bit counters). */
function putLe(buf: Uint8Array, offset: number, size: number, v: bigint): void {
  for (let i = 0; i < size; i++) buf[offset + i] = Number((v >> BigInt(8 * i)) & 0xffn);
}

/** ASCII, space padded to `length` (NVMe 1.4, 1.5: string fields). */
function putText(buf: Uint8Array, offset: number, length: number, text: string): void {
  for (let i = 0; i < length; i++) buf[offset + i] = i < text.length ? text.charCodeAt(i) : 0x20;
}

/** Identify Controller (NVMe 1.4, figure 247): identity, limits, one namespace, one power state. */
export function identifyController(p: NvmeProfile, g: NvmeGeometry): Uint8Array {
  const d = new Uint8Array(IDENTIFY_BYTES);
  putLe16(d, 0, p.pciVendorId); // VID
  putLe16(d, 2, p.pciVendorId); // SSVID
  putText(d, 4, 20, p.serial); // SN
  putText(d, 24, 40, p.model); // MN
  putText(d, 64, 8, p.firmware); // FR
  d[77] = p.mdts; // MDTS: 2^n minimum pages, 0 = no limit
  putLe16(d, 78, 1); // CNTLID
  putLe32(d, 80, p.version); // VER: major 31:16, minor 15:8, tertiary 7:0
  putLe16(d, 256, 0); // OACS: no optional admin commands (no self-test, format, firmware)
  d[258] = 3; // ACL: four commands at once (0's based)
  d[259] = 3; // AERL
  d[260] = 0x02; // FRMW: one firmware slot
  d[261] = 0x04; // LPA bit 2: extended data for Get Log Page (log page offsets, CDW12–13)
  d[262] = ERROR_LOG_ENTRIES - 1; // ELPE (0's based)
  d[263] = 0; // NPSS: one power state (0's based)
  putLe16(d, 266, p.warningTemperatureKelvin); // WCTEMP
  putLe16(d, 268, p.criticalTemperatureKelvin); // CCTEMP
  putLe(d, 280, 16, BigInt(g.blocks) * BigInt(g.blockSize)); // TNVMCAP, bytes
  d[512] = 0x66; // SQES: 64-byte entries
  d[513] = 0x44; // CQES: 16-byte entries
  putLe32(d, 516, 1); // NN
  putLe16(d, 2048, p.maxPowerCentiwatts); // power state 0 MP, in 0.01 W
  return d;
}

/** Identify Namespace (NVMe 1.4, figure 245): every block in use, one LBA format. */
export function identifyNamespace(g: NvmeGeometry): Uint8Array {
  const d = new Uint8Array(IDENTIFY_BYTES);
  const blocks = BigInt(g.blocks);
  putLe(d, 0, 8, blocks); // NSZE
  putLe(d, 8, 8, blocks); // NCAP
  putLe(d, 16, 8, blocks); // NUSE
  d[25] = 0; // NLBAF: one format (0's based)
  d[26] = 0; // FLBAS: format 0 in use, no metadata
  // LBA format 0 (figure 246): LBADS in bits 23:16 = log2(block size), MS 0, RP 0 (best).
  putLe32(d, 128, Math.log2(g.blockSize) << 16);
  return d;
}

/** SMART / Health Information (NVMe 1.4, figure 194), from the profile's values. */
export function smartHealthLog(p: NvmeProfile): Uint8Array {
  const d = new Uint8Array(SMART_LOG_BYTES);
  const s = p.smart;
  d[0] = s.criticalWarning;
  putLe16(d, 1, s.temperatureKelvin); // composite temperature
  d[3] = s.availableSpare;
  d[4] = s.availableSpareThreshold;
  d[5] = s.percentageUsed;
  const counters: readonly [number, number][] = [
    [32, s.dataUnitsRead],
    [48, s.dataUnitsWritten],
    [64, s.hostReadCommands],
    [80, s.hostWriteCommands],
    [96, s.controllerBusyMinutes],
    [112, s.powerCycles],
    [128, s.powerOnHours],
    [144, s.unsafeShutdowns],
    [160, s.mediaErrors],
    [176, s.errorLogEntries],
  ];
  for (const [offset, v] of counters) putLe(d, offset, 16, BigInt(v));
  putLe16(d, 200, s.temperatureKelvin); // temperature sensor 1
  return d;
}

/**
 * The Error Information log (NVMe 1.4, figure 193): `ERROR_LOG_ENTRIES`
 * entries, all empty (error count 0) — the drive has logged no error.
 */
export function errorInformationLog(): Uint8Array {
  return new Uint8Array(ERROR_LOG_ENTRIES * ERROR_ENTRY_BYTES);
}
