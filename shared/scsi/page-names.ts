/**
 * Names of VPD pages and mode pages, declared once: the catalog offers them
 * as values of PAGE CODE fields and the parsers use them to label data.
 */

/** VPD pages usbcdb knows (SPC-5, SBC-4, SAT-4). */
export const VPD_PAGE_NAMES: Readonly<Record<number, string>> = {
  0x00: 'Supported VPD pages',
  0x80: 'Unit Serial Number',
  0x83: 'Device Identification',
  0x86: 'Extended INQUIRY Data',
  0x89: 'ATA Information',
  0xb0: 'Block Limits',
  0xb1: 'Block Device Characteristics',
  0xb2: 'Logical Block Provisioning',
};

/** Mode pages usbcdb knows (SPC-5, SBC-4); 3Fh asks for all of them. */
export const MODE_PAGE_NAMES: Readonly<Record<number, string>> = {
  0x01: 'Read-Write Error Recovery',
  0x08: 'Caching',
  0x0a: 'Control',
  0x1a: 'Power Condition',
  0x1c: 'Informational Exceptions Control',
  0x3f: 'all pages',
};

/** As catalog field values. */
export function asValues(
  names: Readonly<Record<number, string>>,
): { value: number; name: string }[] {
  return Object.entries(names).map(([k, name]) => ({ value: Number(k), name }));
}
