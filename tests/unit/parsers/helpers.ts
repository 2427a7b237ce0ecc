/** Shared by the parser tests: hex text to bytes, and unwrapping results. */
import { parseHex } from '../../../shared/scsi/hex';
import type { Problem, Result } from '../../../shared/scsi/result';

export function hex(t: string): Uint8Array {
  const r = parseHex(t);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

export function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value;
}

export function failure<T>(r: Result<T>): Problem {
  if (r.ok) throw new Error('expected an error value, got ok');
  return r.error;
}

/** `length` bytes with `head` written at the start. */
export function padded(head: string, length: number): Uint8Array {
  const b = new Uint8Array(length);
  b.set(hex(head));
  return b;
}

/**
 * QEMU 7.2 usb-storage's standard INQUIRY (hw/scsi/scsi-disk.c), 36 bytes.
 * SPC-5, standard INQUIRY data format.
 */
export const QEMU_INQUIRY =
  '00' + //    byte 0: PERIPHERAL QUALIFIER 000b, PERIPHERAL DEVICE TYPE 00h (disk)
  ' 00' + //   byte 1: RMB 0, LU_CONG 0
  ' 05' + //   byte 2: VERSION 05h (SPC-3)
  ' 12' + //   byte 3: NORMACA 0, HISUP 1, RESPONSE DATA FORMAT 2
  ' 1f' + //   byte 4: ADDITIONAL LENGTH 31 (36 bytes in all)
  ' 00' + //   byte 5: SCCS ACC TPGS 3PC PROTECT all 0
  ' 00' + //   byte 6: ENCSERV 0, MULTIP 0
  ' 10' + //   byte 7: bit 4 (obsolete SYNC) set, CMDQUE 0
  ' 51 45 4d 55 20 20 20 20' + //                          bytes 8–15: T10 VENDOR IDENTIFICATION "QEMU    "
  ' 51 45 4d 55 20 48 41 52 44 44 49 53 4b 20 20 20' + //  bytes 16–31: PRODUCT IDENTIFICATION "QEMU HARDDISK   "
  ' 32 2e 35 2b'; //                                       bytes 32–35: PRODUCT REVISION LEVEL "2.5+"
