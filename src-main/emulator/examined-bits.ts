/**
 * Which CDB bits the emulated drive reads, in one place read by the dispatch (disk.ts), which
 * refuses a set bit the drive does not implement, and by REPORT SUPPORTED OPERATION CODES
 * (handlers/maintenance.ts), whose CDB USAGE DATA has a one for each bit the device server
 * evaluates and a zero for each it ignores (SPC-5, one_command parameter data) — so the two
 * cannot disagree. tests/engine/cdb-usage.test.ts holds the drive to what it reports.
 */
import { reservedMask, type FieldSpec } from '../../shared/scsi/catalog';
import { fieldMaskAt } from '../../shared/scsi/catalog/fields';

/**
 * CONTROL byte bits refused when set, with a field pointer at the bit, so examined:
 * - NACA: the drive does not support ACA (standard INQUIRY NormACA=0), SAM-5 CONTROL byte.
 * - LINK: the drive implements no linked commands (standard INQUIRY LINKED=0, where SPC-2 and
 *   SPC-3 define the bit); SAM-3, CONTROL byte: a device server that does not implement linked
 *   commands terminates a command with LINK set to one with CHECK CONDITION, ILLEGAL REQUEST,
 *   INVALID FIELD IN CDB. SAM-4 made LINK obsolete and kept no rule for it, so the SAM-3 one stands.
 */
const REFUSED_CONTROL_FIELDS = ['naca', 'link'] as const;

/**
 * Obsolete fields the drive still reads, to refuse them: the refused CONTROL bits above (LINK is
 * obsolete), and WRITE SAME's PBDATA
 * and LBDATA (handlers/block.ts, as QEMU's disk refuses them). Every other obsolete field (RELADR,
 * FUA_NV, SYNC_NV, PMI, PPC, FLAG, the SCSI-2 LUN bits, CMDDT where SPC-3 made it obsolete) the
 * drive never reads, so it reports them as not examined; Linux's target core likewise reports no
 * CONTROL byte bit it does not act on (SCSI_CONTROL_MASK, 0).
 */
const OBSOLETE_BUT_READ: ReadonlySet<string> = new Set([
  ...REFUSED_CONTROL_FIELDS,
  'pbdata',
  'lbdata',
]);

/** The CONTROL byte's vendor-specific bits, which this drive gives no meaning and never reads. */
const VENDOR_CONTROL_FIELD = 'controlVendor';

type RefusedKey = (typeof REFUSED_CONTROL_FIELDS)[number];

/**
 * Where each refused one-bit field sits in a layout, found once per layout: every command the
 * drive answers is checked here, and TEST UNIT READY's rate is a target (issue 13).
 */
const refusedBits = new WeakMap<
  readonly FieldSpec[],
  readonly { readonly key: RefusedKey; readonly byte: number; readonly mask: number }[]
>();

function refusedBitsOf(fields: readonly FieldSpec[]) {
  let found = refusedBits.get(fields);
  if (!found) {
    found = REFUSED_CONTROL_FIELDS.flatMap((key) => {
      const f = fields.find((x) => x.key === key);
      return f ? [{ key, byte: f.byte, mask: fieldMaskAt(f, f.byte) }] : [];
    });
    refusedBits.set(fields, found);
  }
  return found;
}

/** The key of the first CONTROL byte field set in `cdb` that the drive refuses, if any. */
export function refusedControlField(
  cdb: Uint8Array,
  layout: { readonly fields: readonly FieldSpec[] },
): RefusedKey | undefined {
  return refusedBitsOf(layout.fields).find(({ byte, mask }) => ((cdb[byte] ?? 0) & mask) !== 0)
    ?.key;
}

const ignored = (f: FieldSpec): boolean =>
  f.key === VENDOR_CONTROL_FIELD || (f.obsolete === true && !OBSOLETE_BUT_READ.has(f.key));

/**
 * The CDB USAGE DATA of byte `index` (1 and up; byte 0 is the opcode itself): every bit but the
 * fields the drive ignores, and but the reserved bits unless the drive refuses those (an SPC-2
 * device, which checks them: SPC-2, reserved).
 */
export function examinedBits(
  fields: readonly FieldSpec[],
  index: number,
  refusesReserved: boolean,
): number {
  let mask = refusesReserved ? 0 : reservedMask(fields, index);
  for (const f of fields) if (ignored(f)) mask |= fieldMaskAt(f, index);
  return ~mask & 0xff;
}
