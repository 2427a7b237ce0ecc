/**
 * Bytes of an answer as they crossed the IPC contract: hex text the contract
 * already validated, or null when there were none. An empty array stands
 * for "none", so views and traces need no second check.
 */
import { parseHex } from '../shared/scsi/hex';

export function wireBytes(hex: string | null | undefined): Uint8Array {
  const r = parseHex(hex ?? '');
  return r.ok ? r.value : new Uint8Array();
}
