/**
 * The ATA registers a SAT bridge returns in the sense data: the ATA Status
 * Return descriptor (SAT-4, descriptor 09h) of descriptor-format sense, or
 * the fixed-format fields SAT-2 and later allow (ERROR byte 3, STATUS 4,
 * DEVICE 5, COUNT 6, LBA low/mid/high 9–11), which the sense decoder reads
 * when it knows the sense answers an ATA PASS-THROUGH or ASC/ASCQ is 00h/1Dh.
 */
import type { SenseData } from './sense/types';

/** ATA STATUS bits (ACS-4, normal outputs). */
export const ATA_STATUS = { BSY: 0x80, DRDY: 0x40, DF: 0x20, ERR: 0x01 } as const;

export interface AtaRegisters {
  readonly source: 'descriptor' | 'fixed';
  readonly error: number;
  readonly status: number;
  readonly device: number;
  /** COUNT (7:0). */
  readonly count: number;
  readonly lbaLow: number;
  readonly lbaMid: number;
  readonly lbaHigh: number;
}

/** The returned registers, or undefined when the sense carries none. */
export function ataRegistersOf(sense: SenseData): AtaRegisters | undefined {
  const a = sense.ata;
  if (!a) return undefined;
  const lba = Number(a.lba & 0xffffffn);
  return {
    source: sense.format === 'fixed' ? 'fixed' : 'descriptor',
    error: a.error,
    status: a.status,
    device: a.device,
    count: a.count & 0xff,
    lbaLow: lba & 0xff,
    lbaMid: (lba >> 8) & 0xff,
    lbaHigh: (lba >> 16) & 0xff,
  };
}

/** DRDY set, BSY and ERR clear: the drive finished the command without error (ACS-4). */
export function statusSaysSuccess(r: AtaRegisters): boolean {
  return (
    (r.status & ATA_STATUS.DRDY) !== 0 &&
    (r.status & ATA_STATUS.BSY) === 0 &&
    (r.status & ATA_STATUS.ERR) === 0
  );
}

export type SmartHealth = 'good' | 'threshold-exceeded' | 'unknown';

/** SMART RETURN STATUS's answer (ACS-4): LBA mid/high 4Fh/C2h good, F4h/2Ch threshold exceeded. */
export function smartHealthOf(r: AtaRegisters): SmartHealth {
  if (r.lbaMid === 0x4f && r.lbaHigh === 0xc2) return 'good';
  if (r.lbaMid === 0xf4 && r.lbaHigh === 0x2c) return 'threshold-exceeded';
  return 'unknown';
}

/** "STATUS 50h (DRDY), ERROR 00h". */
export function describeRegisters(r: AtaRegisters): string {
  const hex = (n: number): string => `${n.toString(16).toUpperCase().padStart(2, '0')}h`;
  const bits = (Object.entries(ATA_STATUS) as [string, number][])
    .filter(([, m]) => (r.status & m) !== 0)
    .map(([n]) => n);
  return `STATUS ${hex(r.status)}${bits.length ? ` (${bits.join(' ')})` : ''}, ERROR ${hex(r.error)}, COUNT ${hex(r.count)}, LBA low/mid/high ${hex(r.lbaLow)}/${hex(r.lbaMid)}/${hex(r.lbaHigh)}, DEVICE ${hex(r.device)}`;
}
