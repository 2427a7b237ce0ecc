/**
 * Sense data encoders (the emulated drive builds its sense with these):
 * fixed format, SPC-5, fixed format sense data, 18 bytes; descriptor format, SPC-5, descriptor format sense data.
 */
import { putBe32, putBe64 } from '../bytes';
import type { AtaReturn, SenseKeySpecific } from './types';

export interface SenseFields {
  readonly key: number;
  readonly asc: number;
  readonly ascq: number;
  readonly deferred?: boolean;
  readonly information?: bigint;
  readonly commandSpecific?: bigint;
  readonly fru?: number;
  readonly filemark?: boolean;
  readonly eom?: boolean;
  readonly ili?: boolean;
  readonly senseKeySpecific?: SenseKeySpecific;
  /**
   * ATA registers after an ATA PASS-THROUGH (SAT-4): the ATA Status Return
   * descriptor in descriptor format; in fixed format they take the
   * INFORMATION and COMMAND-SPECIFIC INFORMATION bytes instead.
   */
  readonly ata?: AtaReturn;
}

/** Byte `n` (0 = bits 7:0) of an LBA. */
const lbaByte = (lba: bigint, n: number): number => Number((lba >> BigInt(8 * n)) & 0xffn);

/**
 * ATA Status Return descriptor, 14 bytes (SAT-4, ATA Status Return sense data
 * descriptor): each register's 15:8 byte before its 7:0 byte.
 */
function ataDescriptor(a: AtaReturn): number[] {
  return [
    0x09,
    0x0c,
    a.extend ? 0x01 : 0,
    a.error,
    (a.count >> 8) & 0xff,
    a.count & 0xff,
    lbaByte(a.lba, 3),
    lbaByte(a.lba, 0),
    lbaByte(a.lba, 4),
    lbaByte(a.lba, 1),
    lbaByte(a.lba, 5),
    lbaByte(a.lba, 2),
    a.device,
    a.status,
  ];
}

/**
 * The registers in fixed format (SAT-4, fixed format sense data for ATA
 * PASS-THROUGH): INFORMATION = ERROR, STATUS, DEVICE, COUNT 7:0; byte 8
 * EXTEND and whether COUNT 15:8 / LBA 47:24 are nonzero; bytes 9–11 LBA 23:0.
 */
function putFixedAta(b: Uint8Array, a: AtaReturn): void {
  b[0] = 0x80 | (b[0] ?? 0); // VALID: the INFORMATION bytes hold the registers
  b[3] = a.error;
  b[4] = a.status;
  b[5] = a.device;
  b[6] = a.count & 0xff;
  b[8] =
    (a.extend ? 0x80 : 0) |
    ((a.count & 0xff00) !== 0 ? 0x40 : 0) |
    (a.lba >> 24n !== 0n ? 0x20 : 0);
  b[9] = lbaByte(a.lba, 0);
  b[10] = lbaByte(a.lba, 1);
  b[11] = lbaByte(a.lba, 2);
}

/** The three SKS bytes with SKSV set, or undefined for kinds that carry nothing to encode. */
function sksBytes(s: SenseKeySpecific): [number, number, number] | undefined {
  switch (s.kind) {
    case 'field-pointer':
      return [
        0x80 | (s.inCdb ? 0x40 : 0) | (s.bitPointerValid ? 0x08 : 0) | (s.bitPointer & 7),
        s.fieldPointer >> 8,
        s.fieldPointer & 0xff,
      ];
    case 'segment-pointer':
      return [
        0x80 |
          (s.segmentDescriptor ? 0x20 : 0) |
          (s.bitPointerValid ? 0x08 : 0) |
          (s.bitPointer & 7),
        s.fieldPointer >> 8,
        s.fieldPointer & 0xff,
      ];
    case 'progress':
      return [0x80, (s.progress >> 8) & 0xff, s.progress & 0xff];
    case 'retry-count':
      return [0x80, (s.count >> 8) & 0xff, s.count & 0xff];
    case 'unit-attention-overflow':
      return [0x80 | (s.overflow ? 1 : 0), 0, 0];
    case 'unspecified':
      return undefined;
  }
}

export function encodeFixedSense(f: SenseFields): Uint8Array {
  const b = new Uint8Array(18);
  const hasInfo = f.information !== undefined;
  b[0] = (hasInfo ? 0x80 : 0) | (f.deferred ? 0x71 : 0x70);
  b[2] = (f.filemark ? 0x80 : 0) | (f.eom ? 0x40 : 0) | (f.ili ? 0x20 : 0) | (f.key & 0x0f);
  if (hasInfo) putBe32(b, 3, Number((f.information as bigint) & 0xffffffffn));
  b[7] = 10; // additional sense length: bytes 8–17
  if (f.commandSpecific !== undefined) putBe32(b, 8, Number(f.commandSpecific & 0xffffffffn));
  b[12] = f.asc;
  b[13] = f.ascq;
  b[14] = f.fru ?? 0;
  const sks = f.senseKeySpecific ? sksBytes(f.senseKeySpecific) : undefined;
  if (sks) b.set(sks, 15);
  if (f.ata) putFixedAta(b, f.ata);
  return b;
}

export function encodeDescriptorSense(f: SenseFields): Uint8Array {
  const parts: number[][] = [];
  if (f.information !== undefined) {
    const d = new Uint8Array(12);
    d[0] = 0x00;
    d[1] = 0x0a;
    d[2] = 0x80; // VALID
    putBe64(d, 4, f.information);
    parts.push(Array.from(d));
  }
  if (f.commandSpecific !== undefined) {
    const d = new Uint8Array(12);
    d[0] = 0x01;
    d[1] = 0x0a;
    putBe64(d, 4, f.commandSpecific);
    parts.push(Array.from(d));
  }
  const sks = f.senseKeySpecific ? sksBytes(f.senseKeySpecific) : undefined;
  if (sks) parts.push([0x02, 0x06, 0, 0, ...sks, 0]);
  if (f.fru !== undefined) parts.push([0x03, 0x02, 0, f.fru]);
  if (f.filemark || f.eom)
    parts.push([0x04, 0x02, 0, (f.filemark ? 0x80 : 0) | (f.eom ? 0x40 : 0) | (f.ili ? 0x20 : 0)]);
  else if (f.ili) parts.push([0x05, 0x02, 0, 0x20]);
  if (f.ata) parts.push(ataDescriptor(f.ata));
  const body = parts.flat();
  return Uint8Array.from([
    f.deferred ? 0x73 : 0x72,
    f.key & 0x0f,
    f.asc,
    f.ascq,
    0,
    0,
    0,
    body.length,
    ...body,
  ]);
}
