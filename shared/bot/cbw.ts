/**
 * Command Block Wrapper (BOT 1.0 §5.1): 31 bytes, little-endian, host →
 * device on Bulk-Out. A *valid* CBW (§6.2.1) has the right size and
 * signature; a *meaningful* one (§6.2.2) also has no reserved bits set, a
 * supported LUN and a CB length of 1–16.
 */
import { asByteCount, asLun, type ByteCount, type Lun } from '../scsi/brand';
import { putLe32 } from '../scsi/bytes';
import { readBounded } from '../scsi/bytes';
import { hexByte } from '../scsi/hex';
import { err, ok, type Problem, type Result } from '../scsi/result';

export const CBW_SIGNATURE = 0x43425355; // "USBC" on the wire
export const CBW_LENGTH = 31;

export interface CommandBlockWrapper {
  readonly tag: number;
  readonly dataTransferLength: ByteCount;
  /** bmCBWFlags bit 7; ignored by the device when the length is 0. */
  readonly direction: 'in' | 'out';
  readonly lun: Lun;
  /** 1–16 bytes; encoded into the 16-byte CBWCB with zero padding. */
  readonly cdb: Uint8Array;
}

export interface DecodedCbw extends CommandBlockWrapper {
  /** Why the CBW is valid but not meaningful (§6.2.2); empty when it is meaningful. */
  readonly problems: readonly Problem[];
}

/** The highest LUN a CBW can carry: bCBWLUN is 4 bits (BOT 1.0, command block wrapper). */
export const MAX_CBW_LUN = 15;

/** The longest transfer a CBW can ask for: dCBWDataTransferLength is 32 bits (BOT 1.0 §5.1). */
export const MAX_CBW_TRANSFER = 0xffff_ffff;

/** The longest CDB a CBW can carry: CBWCB is 16 bytes, bCBWCBLength 1–16 (BOT 1.0 §5.1). */
export const MAX_CBW_CDB = 16;

/**
 * Why a CDB of `length` bytes cannot go in a CBW, or undefined when it can: the one
 * check (and message) behind encodeCbw, `usbcdb raw` and the transport's refusal.
 */
export function cdbLengthProblem(length: number): Problem | undefined {
  return length >= 1 && length <= MAX_CBW_CDB
    ? undefined
    : {
        code: 'cb-length',
        message: `the CDB is ${length} bytes; a Bulk-Only CBW carries 1–${MAX_CBW_CDB} (bCBWCBLength, BOT 1.0 §5.1)`,
      };
}

export function encodeCbw(cbw: CommandBlockWrapper): Result<Uint8Array> {
  const tooLong = cdbLengthProblem(cbw.cdb.length);
  if (tooLong) return err(tooLong);
  if (!Number.isInteger(cbw.lun) || cbw.lun < 0 || cbw.lun > MAX_CBW_LUN) {
    return err({
      code: 'lun',
      message: `bCBWLUN holds 0–${MAX_CBW_LUN}; LUN ${cbw.lun} cannot be sent`,
    });
  }
  if (
    !Number.isInteger(cbw.dataTransferLength) ||
    cbw.dataTransferLength < 0 ||
    cbw.dataTransferLength > MAX_CBW_TRANSFER
  ) {
    return err({
      code: 'length',
      message: `dCBWDataTransferLength is 32 bits; ${cbw.dataTransferLength} does not fit`,
    });
  }
  const b = new Uint8Array(CBW_LENGTH);
  putLe32(b, 0, CBW_SIGNATURE);
  putLe32(b, 4, cbw.tag >>> 0);
  putLe32(b, 8, cbw.dataTransferLength);
  b[12] = cbw.direction === 'in' ? 0x80 : 0x00;
  b[13] = cbw.lun;
  b[14] = cbw.cdb.length;
  b.set(cbw.cdb, 15);
  return ok(b);
}

/**
 * Decodes a CBW. Not valid (wrong size or signature) is an error value;
 * valid but not meaningful decodes with `problems` listing each reason.
 * @param maxLun the device's highest LUN (Get Max LUN), if known
 */
export function decodeCbw(bytes: Uint8Array, maxLun?: number): Result<DecodedCbw> {
  if (bytes.length !== CBW_LENGTH) {
    return err({
      code: 'cbw-size',
      message: `A CBW is exactly ${CBW_LENGTH} bytes (BOT 1.0 §6.2.1); ${bytes.length} were received`,
      offset: Math.min(bytes.length, CBW_LENGTH),
    });
  }
  return readBounded(bytes, 'CBW', (r) => {
    const sig = r.le32(0, 'dCBWSignature');
    if (sig !== CBW_SIGNATURE) {
      return err({
        code: 'cbw-signature',
        message: `dCBWSignature (bytes 0–3) is 0x${sig.toString(16).padStart(8, '0')}, not 0x43425355 ("USBC")`,
        offset: 0,
      });
    }
    const flags = r.u8(12);
    const lunByte = r.u8(13);
    const cbLenByte = r.u8(14);
    const problems: Problem[] = [];
    if (flags & 0x7f)
      problems.push({
        code: 'cbw-flags-reserved',
        message: `bmCBWFlags (byte 12) is ${hexByte(flags)}: reserved bits ${hexByte(flags & 0x7f)} are set (only bit 7, direction, is defined)`,
        offset: 12,
      });
    if (lunByte & 0xf0)
      problems.push({
        code: 'cbw-lun-reserved',
        message: `bCBWLUN (byte 13) is ${hexByte(lunByte)}: reserved bits 7:4 are set`,
        offset: 13,
      });
    if (cbLenByte & 0xe0)
      problems.push({
        code: 'cbw-cblength-reserved',
        message: `bCBWCBLength (byte 14) is ${hexByte(cbLenByte)}: reserved bits 7:5 are set`,
        offset: 14,
      });
    const cbLen = cbLenByte & 0x1f;
    if (cbLen < 1 || cbLen > 16)
      problems.push({
        code: 'cbw-cblength',
        message: `bCBWCBLength (byte 14) is ${cbLen}; it must be 1–16`,
        offset: 14,
      });
    const lun = lunByte & 0x0f;
    if (maxLun !== undefined && lun > maxLun)
      problems.push({
        code: 'cbw-lun',
        message: `bCBWLUN (byte 13) addresses LUN ${lun} but the device's highest LUN is ${maxLun}`,
        offset: 13,
      });
    return ok({
      tag: r.le32(4, 'dCBWTag'),
      dataTransferLength: asByteCount(r.le32(8, 'dCBWDataTransferLength')),
      direction: flags & 0x80 ? 'in' : 'out',
      lun: asLun(lun),
      cdb: r.slice(15, Math.min(Math.max(cbLen, 1), 16), 'CBWCB'),
      problems,
    });
  });
}
