/**
 * Command Status Wrapper (BOT 1.0 §5.2): 13 bytes, little-endian, device →
 * host on Bulk-In. Valid (§6.3.1): 13 bytes, signature, tag of the CBW.
 * Meaningful (§6.3.2): status 00h/01h with residue ≤ dCBWDataTransferLength,
 * or status 02h.
 */
import { putLe32, readBounded } from '../scsi/bytes';
import { hexByte } from '../scsi/hex';
import { err, ok, type Result } from '../scsi/result';

export const CSW_SIGNATURE = 0x53425355; // "USBS" on the wire
export const CSW_LENGTH = 13;

export type CswStatus = 'passed' | 'failed' | 'phase-error';

const STATUS_BYTES: readonly CswStatus[] = ['passed', 'failed', 'phase-error'];

export interface CommandStatusWrapper {
  readonly tag: number;
  readonly residue: number;
  readonly status: CswStatus;
}

/** What the host does with a CSW (§5.3.3, §6.5). */
export type CswVerdict =
  | { readonly kind: 'use'; readonly csw: CommandStatusWrapper }
  | {
      readonly kind: 'reset-recovery';
      readonly reason: string;
      readonly csw?: CommandStatusWrapper;
    };

export function encodeCsw(csw: CommandStatusWrapper): Uint8Array {
  const b = new Uint8Array(CSW_LENGTH);
  putLe32(b, 0, CSW_SIGNATURE);
  putLe32(b, 4, csw.tag >>> 0);
  putLe32(b, 8, csw.residue >>> 0);
  b[12] = STATUS_BYTES.indexOf(csw.status);
  return b;
}

/** Decodes a CSW; invalid ones (size, signature, status 03h–FFh) are error values naming the byte. */
export function decodeCsw(bytes: Uint8Array): Result<CommandStatusWrapper> {
  if (bytes.length !== CSW_LENGTH) {
    return err({
      code: 'csw-size',
      message: `A CSW is exactly ${CSW_LENGTH} bytes (BOT 1.0 §6.3); ${bytes.length} were received`,
      offset: Math.min(bytes.length, CSW_LENGTH),
    });
  }
  return readBounded(bytes, 'CSW', (r) => {
    const sig = r.le32(0, 'dCSWSignature');
    if (sig !== CSW_SIGNATURE) {
      return err({
        code: 'csw-signature',
        message: `dCSWSignature (bytes 0–3) is 0x${sig.toString(16).padStart(8, '0')}, not 0x53425355 ("USBS")`,
        offset: 0,
      });
    }
    const s = r.u8(12, 'bCSWStatus');
    const status = STATUS_BYTES[s];
    if (!status) {
      return err({
        code: 'csw-status',
        message: `bCSWStatus (byte 12) is ${hexByte(s)}: reserved (${s <= 4 ? 'obsolete' : 'undefined'}); only 00h passed, 01h failed and 02h phase error are defined`,
        offset: 12,
      });
    }
    return ok({ tag: r.le32(4, 'dCSWTag'), residue: r.le32(8, 'dCSWDataResidue'), status });
  });
}

/**
 * Judges a received CSW against the CBW it answers: invalid or not
 * meaningful → reset recovery; phase error → reset recovery; else use it.
 */
export function judgeCsw(
  bytes: Uint8Array,
  cbw: { readonly tag: number; readonly dataTransferLength: number },
): CswVerdict {
  const d = decodeCsw(bytes);
  if (!d.ok) return { kind: 'reset-recovery', reason: d.error.message };
  const csw = d.value;
  if (csw.tag !== cbw.tag >>> 0) {
    return {
      kind: 'reset-recovery',
      reason: `dCSWTag is 0x${csw.tag.toString(16)} but the CBW's tag was 0x${(cbw.tag >>> 0).toString(16)} (BOT 1.0 §6.3.1)`,
      csw,
    };
  }
  if (csw.status === 'phase-error')
    return {
      kind: 'reset-recovery',
      reason: 'the device reported a phase error (bCSWStatus 02h)',
      csw,
    };
  if (csw.residue > cbw.dataTransferLength) {
    return {
      kind: 'reset-recovery',
      reason: `dCSWDataResidue ${csw.residue} exceeds dCBWDataTransferLength ${cbw.dataTransferLength}: not meaningful (BOT 1.0 §6.3.2)`,
      csw,
    };
  }
  return { kind: 'use', csw };
}
