/**
 * The vendor bridge families a probe may try, one row each (docs/bridges.md, "Vendor ATA bridges"
 * and "NVMe behind USB bridges"): the USB vendor IDs they are seen under and one read-only
 * identify command in their own CDB layout. Where a built-in vendor set declares that command,
 * the CDB and its data-in length are built from the set's declaration (its field defaults), so
 * the layout is written down once, in the set's JSON — Cypress ATACB's too, although its 24h is a
 * standard opcode: the cypress set declares why it reuses it and the selector that tells it apart.
 */
import { dataPhaseOf, DEFAULT_BLOCK_SIZE, unitBytes } from '../scsi/catalog';
import { resolveByName } from '../scsi/catalog/resolve';
import { buildCdb } from '../scsi/cdb/build';
import { findVendorSet } from '../vendor-sets/registry';

/** What a family's identify answer holds. */
export type FamilyAnswer = 'ata-identify' | 'nvme-identify-controller';

/** A bridge family as the doctor and the probe's advice name it. */
export interface NamedFamily {
  readonly id: string;
  readonly name: string;
  /** smartctl's `-d` type for the same family, for the reader who knows it. */
  readonly smartctl: string;
  readonly vendorIds: readonly number[];
  /** The built-in vendor set declaring the family's commands. */
  readonly set: string;
}

/** A family the probe may try: one read-only identify command in its own layout. */
export interface VendorFamily extends NamedFamily {
  readonly purpose: string;
  readonly cdb: readonly number[];
  readonly transferLength: number;
  readonly answer: FamilyAnswer;
}

/**
 * The CDB and data-in length of built-in set `setName`'s command `alias`, from its field
 * defaults. A missing set or command, or one whose defaults do not build, is a programmer
 * error: the family tests pin every one.
 */
function packCommand(
  setName: string,
  alias: string,
): Pick<VendorFamily, 'set' | 'cdb' | 'transferLength'> {
  const set = findVendorSet(setName);
  const resolved = set && resolveByName(alias, [set]);
  if (resolved?.source !== 'vendor')
    throw new Error(`built-in vendor set ${setName} has no command ${alias}`);
  const built = buildCdb(resolved.spec, {});
  if (!built.ok) throw new Error(`${alias}: ${built.error.message}`);
  const phase = dataPhaseOf(built.value, resolved.spec.fields, resolved.spec.length);
  if (phase.direction !== 'in' || phase.rule === undefined || phase.units === undefined)
    throw new Error(`${alias}: a probe command must read a known number of bytes`);
  return {
    set: setName,
    cdb: [...built.value],
    transferLength: phase.units * unitBytes(phase.rule.unit, DEFAULT_BLOCK_SIZE),
  };
}

export const VENDOR_FAMILIES: readonly VendorFamily[] = Object.freeze([
  {
    id: 'jmicron-ata',
    name: 'JMicron ATA (DFh)',
    smartctl: 'usbjmicron',
    vendorIds: [0x152d],
    purpose: 'IDENTIFY DEVICE through the old JMicron ATA pass-through',
    ...packCommand('jmicron-ata', 'jmicron-ata.identify'),
    answer: 'ata-identify',
  },
  {
    id: 'asmedia-nvme',
    name: 'ASMedia NVMe (E6h)',
    smartctl: 'sntasmedia',
    vendorIds: [0x174c],
    purpose: 'NVMe Identify Controller through the ASMedia ASM2362/2364 pass-through',
    ...packCommand('asmedia', 'asmedia.identify-controller'),
    answer: 'nvme-identify-controller',
  },
  {
    id: 'realtek-nvme',
    name: 'Realtek NVMe (E4h)',
    smartctl: 'sntrealtek',
    vendorIds: [0x0bda],
    purpose: 'NVMe Identify Controller through the Realtek RTL9210/9220 pass-through',
    ...packCommand('realtek', 'realtek.identify-controller'),
    answer: 'nvme-identify-controller',
  },
  {
    id: 'cypress-atacb',
    name: 'Cypress ATACB (24h)',
    smartctl: 'usbcypress',
    vendorIds: [0x04b4],
    purpose: 'IDENTIFY DEVICE through the Cypress ATACB pass-through',
    ...packCommand('cypress', 'cypress.identify'),
    answer: 'ata-identify',
  },
  {
    id: 'prolific-ata',
    name: 'Prolific ATA (D8h)',
    smartctl: 'usbprolific',
    vendorIds: [0x067b],
    purpose: 'IDENTIFY DEVICE through the Prolific ATA pass-through',
    ...packCommand('prolific', 'prolific.identify'),
    answer: 'ata-identify',
  },
  {
    id: 'sunplus-ata',
    name: 'Sunplus ATA (F8h)',
    smartctl: 'usbsunplus',
    vendorIds: [0x04fc],
    purpose: 'IDENTIFY DEVICE through the Sunplus ATA pass-through (sub-command 22h)',
    ...packCommand('sunplus', 'sunplus.identify'),
    answer: 'ata-identify',
  },
] satisfies VendorFamily[]);

/**
 * Families a probe never tries, and why: JMicron's NVMe pass-through (A1h in three phases)
 * starts with a 512-byte data-out phase, and a probe sends no data-out.
 */
export const NEVER_PROBED: readonly (NamedFamily & { readonly why: string })[] = [
  {
    id: 'jmicron-nvme',
    name: 'JMicron NVMe (A1h, three phases)',
    smartctl: 'sntjmicron',
    vendorIds: [0x152d],
    set: 'jmicron-nvme',
    why: 'its first phase sends 512 bytes of data-out, and a probe never sends data-out',
  },
];

/** Every family usbcdb knows, probed or not: the ones a USB vendor ID is named by. */
export const BRIDGE_FAMILIES: readonly NamedFamily[] = [...VENDOR_FAMILIES, ...NEVER_PROBED];

/** The families of `among` whose vendor IDs include `vendorId`. */
export function familiesFor<F extends NamedFamily>(
  vendorId: number | undefined,
  among: readonly F[],
): readonly F[] {
  return vendorId === undefined ? [] : among.filter((f) => f.vendorIds.includes(vendorId));
}

/** "152d" */
export function vidText(vendorId: number): string {
  return vendorId.toString(16).padStart(4, '0');
}
