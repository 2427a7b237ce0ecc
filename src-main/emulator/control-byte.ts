/**
 * What the emulated drive does with each field of the CONTROL byte (SAM-5, CONTROL byte), in one
 * place read by the dispatch (disk.ts), which refuses a set bit the drive does not implement, and
 * by REPORT SUPPORTED OPERATION CODES (handlers/maintenance.ts), whose CDB USAGE DATA has a one
 * for each bit the device server evaluates and a zero for each it ignores (SPC-5, one_command
 * parameter data) — so the two cannot disagree.
 */
import type { FieldSpec } from '../../shared/scsi/catalog';
import { fieldMaskAt, fieldValue } from '../../shared/scsi/catalog/fields';

/**
 * Refused when set, with a field pointer at the bit, so examined:
 * - NACA: the drive does not support ACA (standard INQUIRY NormACA=0), SAM-5 CONTROL byte.
 * - LINK: the drive implements no linked commands (standard INQUIRY LINKED=0, where SPC-2 and
 *   SPC-3 define the bit); SAM-3, CONTROL byte: a device server that does not implement linked
 *   commands terminates a command with LINK set to one with CHECK CONDITION, ILLEGAL REQUEST,
 *   INVALID FIELD IN CDB. SAM-4 made LINK obsolete and kept no rule for it, so the SAM-3 one stands.
 */
const REFUSED_CONTROL_FIELDS = ['naca', 'link'] as const;

/**
 * Never read, so not examined: FLAG (meaningful only with LINK set, obsolete since SAM-3) and the
 * two vendor-specific bits, which this drive gives no meaning. Linux's target core likewise reports
 * CONTROL byte bits it does not act on as not examined (SCSI_CONTROL_MASK, 0).
 */
const IGNORED_CONTROL_FIELDS: ReadonlySet<string> = new Set(['flag', 'controlVendor']);

/** The key of the first CONTROL byte field set in `cdb` that the drive refuses, if any. */
export function refusedControlField(
  cdb: Uint8Array,
  layout: { readonly fields: readonly FieldSpec[] },
): (typeof REFUSED_CONTROL_FIELDS)[number] | undefined {
  return REFUSED_CONTROL_FIELDS.find((key) => fieldValue(cdb, layout, key) === 1);
}

/** The bits of CDB byte `index` that belong to a CONTROL byte field the drive never reads. */
export function ignoredBits(fields: readonly FieldSpec[], index: number): number {
  let mask = 0;
  for (const f of fields) if (IGNORED_CONTROL_FIELDS.has(f.key)) mask |= fieldMaskAt(f, index);
  return mask;
}
