/**
 * The vendor bridge families a probe may try, one row each (bridges.md, "Vendor ATA bridges"
 * and "NVMe behind USB bridges"): the USB vendor IDs they are seen under and one read-only
 * identify command in their own CDB layout. These opcodes are vendor specific, so the catalog
 * has no rows for them; each CDB is written out here byte by byte with its layout's names.
 */

/** What a family's identify answer holds. */
export type FamilyAnswer = 'ata-identify' | 'nvme-identify-controller';

export interface VendorFamily {
  readonly id: string;
  readonly name: string;
  /** smartctl's `-d` type for the same family, for the reader who knows it. */
  readonly smartctl: string;
  readonly vendorIds: readonly number[];
  readonly purpose: string;
  readonly cdb: readonly number[];
  readonly transferLength: number;
  readonly answer: FamilyAnswer;
}

/** IDENTIFY DEVICE (ACS-4) and NVMe Identify (admin 06h, CNS 01h controller). */
const IDENTIFY = 0xec;
const NVME_IDENTIFY = 0x06;
const CNS_CONTROLLER = 0x01;
/** DEVICE register with the obsolete bits 7 and 5 set, as these bridges expect (master). */
const DEVICE_A0 = 0xa0;

export const VENDOR_FAMILIES: readonly VendorFamily[] = Object.freeze([
  {
    id: 'jmicron-ata',
    name: 'JMicron ATA (DFh)',
    smartctl: 'usbjmicron',
    vendorIds: [0x152d],
    purpose: 'IDENTIFY DEVICE through the old JMicron ATA pass-through',
    // 0 DFh; 1 10h read/no data; 2 0; 3–4 transfer length BE16 = 512; 5–9 FEATURES, COUNT,
    // LBA low/mid/high; 10 DEVICE | A0h (port 0); 11 COMMAND.
    cdb: [0xdf, 0x10, 0x00, 0x02, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, DEVICE_A0, IDENTIFY],
    transferLength: 512,
    answer: 'ata-identify',
  },
  {
    id: 'asmedia-nvme',
    name: 'ASMedia NVMe (E6h)',
    smartctl: 'sntasmedia',
    vendorIds: [0x174c],
    purpose: 'NVMe Identify Controller through the ASMedia ASM2362/2364 pass-through',
    // 0 E6h; 1 admin opcode; 3 CDW10 7:0 (CNS); the rest zero (data-in only).
    cdb: [0xe6, NVME_IDENTIFY, 0x00, CNS_CONTROLLER, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    transferLength: 4096,
    answer: 'nvme-identify-controller',
  },
  {
    id: 'realtek-nvme',
    name: 'Realtek NVMe (E4h)',
    smartctl: 'sntrealtek',
    vendorIds: [0x0bda],
    purpose: 'NVMe Identify Controller through the Realtek RTL9210/9220 pass-through',
    // 0 E4h; 1–2 transfer length little-endian (4096 = 00h 10h); 3 admin opcode; 4 CDW10 7:0.
    cdb: [0xe4, 0x00, 0x10, NVME_IDENTIFY, CNS_CONTROLLER, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    transferLength: 4096,
    answer: 'nvme-identify-controller',
  },
  {
    id: 'cypress-atacb',
    name: 'Cypress ATACB (24h)',
    smartctl: 'usbcypress',
    vendorIds: [0x04b4],
    purpose: 'IDENTIFY DEVICE through the Cypress ATACB pass-through',
    // 0 24h; 1 24h ATACB; 2 flags bit 7 identify; 3 register-select mask BEh; 4 transfer
    // block count; 6–10 FEATURES, COUNT, LBA low/mid/high; 11 DEVICE; 12 COMMAND.
    cdb: [0x24, 0x24, 0x80, 0xbe, 0x01, 0, 0x00, 0x01, 0, 0, 0, DEVICE_A0, IDENTIFY, 0, 0, 0],
    transferLength: 512,
    answer: 'ata-identify',
  },
  {
    id: 'prolific-ata',
    name: 'Prolific ATA (D8h)',
    smartctl: 'usbprolific',
    vendorIds: [0x067b],
    purpose: 'IDENTIFY DEVICE through the Prolific ATA pass-through',
    // 0 D8h; 1 15h read/no data; 3 FEATURES; 4–5 06h 7Bh; 6–9 transfer length BE32 = 512;
    // 10–13 COUNT, LBA low/mid/high; 14 DEVICE | A0h; 15 COMMAND.
    cdb: [0xd8, 0x15, 0, 0x00, 0x06, 0x7b, 0, 0, 0x02, 0x00, 0x01, 0, 0, 0, DEVICE_A0, IDENTIFY],
    transferLength: 512,
    answer: 'ata-identify',
  },
  {
    id: 'sunplus-ata',
    name: 'Sunplus ATA (F8h)',
    smartctl: 'usbsunplus',
    vendorIds: [0x04fc],
    purpose: 'IDENTIFY DEVICE through the Sunplus ATA pass-through (sub-command 22h)',
    // 0 F8h; 2 22h pass-through; 3 PROTO 10h data-in; 4 length/512; 5 FEATURES; 6 COUNT;
    // 7–9 LBA low/mid/high; 10 DEVICE | A0h; 11 COMMAND.
    cdb: [0xf8, 0x00, 0x22, 0x10, 0x01, 0x00, 0x01, 0, 0, 0, DEVICE_A0, IDENTIFY],
    transferLength: 512,
    answer: 'ata-identify',
  },
] satisfies VendorFamily[]);

/**
 * Families a probe never tries, and why: JMicron's NVMe pass-through (A1h in three phases)
 * starts with a 512-byte data-out phase, and a probe sends no data-out.
 */
export const NEVER_PROBED: readonly { readonly name: string; readonly why: string }[] = [
  {
    name: 'JMicron NVMe (A1h, three phases; USB vendor 152d)',
    why: 'its first phase sends 512 bytes of data-out, and a probe never sends data-out',
  },
];

/** Families whose vendor IDs include `vendorId`. */
export function familiesFor(vendorId: number | undefined): readonly VendorFamily[] {
  return vendorId === undefined
    ? []
    : VENDOR_FAMILIES.filter((f) => f.vendorIds.includes(vendorId));
}

/** "152d" */
export function vidText(vendorId: number): string {
  return vendorId.toString(16).padStart(4, '0');
}
