/**
 * Names of VPD pages, mode pages and log pages, declared once: the catalog offers them
 * as values of PAGE CODE fields and the parsers use them to label data.
 */

import { t10Hex } from './hex';

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

/**
 * Log pages of a direct-access device (SPC-5's table of log page codes and subpage codes, SBC-4,
 * SAT-4), by page code, subpage 00h. 30h–3Eh are vendor specific.
 */
export const LOG_PAGE_NAMES: Readonly<Record<number, string>> = {
  0x00: 'Supported Log Pages',
  0x01: 'Buffer Over-Run/Under-Run',
  0x02: 'Write Error Counter',
  0x03: 'Read Error Counter',
  0x04: 'Read Reverse Error Counter',
  0x05: 'Verify Error Counter',
  0x06: 'Non-Medium Error',
  0x07: 'Last n Error Events',
  0x08: 'Format Status',
  0x0b: 'Last n Deferred Errors or Asynchronous Events',
  0x0c: 'Logical Block Provisioning',
  0x0d: 'Temperature',
  0x0e: 'Start-Stop Cycle Counter',
  0x0f: 'Application Client',
  0x10: 'Self-Test Results',
  0x11: 'Solid State Media',
  0x15: 'Background Scan Results',
  0x16: 'ATA PASS-THROUGH Results',
  0x17: 'Non-volatile Cache',
  0x18: 'Protocol Specific Port',
  0x19: 'General Statistics and Performance',
  0x1a: 'Power Condition Transitions',
  0x2f: 'Informational Exceptions',
};

/** Log subpages other than 00h, by page code × 256 + subpage code (FFh of any page: its subpages). */
export const LOG_SUBPAGE_NAMES: Readonly<Record<number, string>> = {
  0x00ff: 'Supported Log Pages and Subpages',
  0x0b01: 'Last n Inquiry Data Changed',
  0x0b02: 'Last n Mode Page Data Changed',
  0x0d01: 'Environmental Reporting',
  0x0d02: 'Environmental Limits',
  0x0e01: 'Utilization',
  0x1401: 'Zoned Block Device Statistics',
  0x1501: 'Pending Defects',
  0x1502: 'Background Operation',
  0x1503: 'LPS Misalignment',
  0x1920: 'Cache Memory Statistics',
  0x1921: 'Command Duration Limits Statistics',
};

/** A log page's code as T10 writes it: "0Dh", "0Dh/01h" with a subpage. */
export function logPageCode(page: number, subpage: number): string {
  return `${t10Hex(page)}${subpage !== 0 ? `/${t10Hex(subpage)}` : ''}`;
}

/** A log page's name: "Temperature", "Environmental Reporting", "vendor specific" for 30h–3Eh. */
export function logPageName(page: number, subpage: number): string | undefined {
  if (subpage === 0)
    return LOG_PAGE_NAMES[page] ?? (page >= 0x30 && page <= 0x3e ? 'vendor specific' : undefined);
  if (subpage === 0xff && page !== 0)
    return `Supported Subpages of ${logPageName(page, 0) ?? 'this page'}`;
  if (page === 0x19 && subpage >= 0x01 && subpage <= 0x1f)
    return 'Group Statistics and Performance';
  return LOG_SUBPAGE_NAMES[page * 256 + subpage];
}

/** As catalog field values. */
export function asValues(
  names: Readonly<Record<number, string>>,
): { value: number; name: string }[] {
  return Object.entries(names).map(([k, name]) => ({ value: Number(k), name }));
}
