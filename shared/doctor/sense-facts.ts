/**
 * What the doctor needs from sense bytes: the decoded codes and their
 * explanation (with the CDB, so field pointers name catalog fields).
 */
import type { VendorSet } from '../vendor-sets/model';
import { explainSenseFor } from '../scsi/sense/for-command';
import type { SensePointer } from '../scsi/sense';
import type { Result } from '../scsi/result';

export interface SenseFacts {
  readonly key: number;
  readonly asc: number | undefined;
  readonly ascq: number | undefined;
  /** Anything to report at all (not NO SENSE with 00h/00h). */
  readonly nonzero: boolean;
  readonly headline: string;
  readonly details: readonly string[];
  readonly advice: readonly string[];
  readonly pointer?: SensePointer;
}

/**
 * @param spcLevel the device's SPC level when known: SPC-2 devices read CDBs with the SPC-2 layouts.
 * @param vendorSets the device's vendor sets, so a field pointer into a vendor CDB names its field.
 */
export function senseFacts(
  bytes: Uint8Array,
  cdb: Uint8Array,
  spcLevel?: number,
  vendorSets: readonly VendorSet[] = [],
): Result<SenseFacts> {
  const d = explainSenseFor(bytes, {
    cdb,
    vendorSets,
    ...(spcLevel !== undefined && spcLevel <= 2 ? { standard: 'SPC-2' } : {}),
  });
  if (!d.ok) return d;
  const { sense: s, explanation: e } = d.value;
  return {
    ok: true,
    value: {
      key: s.senseKey,
      asc: s.asc,
      ascq: s.ascq,
      nonzero: s.senseKey !== 0 || (s.asc ?? 0) !== 0 || (s.ascq ?? 0) !== 0,
      headline: e.headline,
      details: e.details,
      advice: e.advice,
      ...(e.pointer ? { pointer: e.pointer } : {}),
    },
  };
}
