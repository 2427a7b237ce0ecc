/**
 * The doctor's rule for a vendor command refused as an unknown opcode
 * (CHECK CONDITION, ILLEGAL REQUEST 20h/00h, SPC-5): on a USB disk the first
 * to read a CDB is the bridge, and a vendor command is its firmware's, not
 * the disk's. Which bridge speaks which built-in set comes from the probe's
 * families table (shared/probe/families.ts); ATA PASS-THROUGH has its own
 * rule (pass-through.ts, `not-sat`).
 */
import { opcodeGroup, opcodeOf } from '../scsi/catalog';
import { t10Hex } from '../scsi/hex';
import { BRIDGE_FAMILIES, familiesFor, vidText, type NamedFamily } from '../probe/families';
import { CHECK_CONDITION } from './driverkit';
import type { DoctorContext, DoctorRule } from './rules';
import type { Diagnosis } from './types';

const ILLEGAL_REQUEST = 0x5;
const INVALID_COMMAND_OPERATION_CODE = 0x20;

function refusedAsUnknownOpcode(ctx: DoctorContext): boolean {
  const s = ctx.sense;
  return (
    ctx.input.status === CHECK_CONDITION &&
    s !== undefined &&
    s.key === ILLEGAL_REQUEST &&
    s.asc === INVALID_COMMAND_OPERATION_CODE &&
    s.ascq === 0
  );
}

const familyText = (f: NamedFamily): string =>
  `${f.name}, USB vendor ID ${f.vendorIds.map(vidText).join('/')}`;

/** What the USB vendor ID, when given, says about the set the command belongs to. */
function vendorIdLines(ctx: DoctorContext, setName: string | undefined): string[] {
  const vid = ctx.input.usbVendorId;
  if (vid === undefined) return [];
  const fits = familiesFor(vid, BRIDGE_FAMILIES);
  if (setName !== undefined && fits.some((f) => f.set === setName))
    return [
      `The USB vendor ID ${vidText(vid)} is that family's, so the bridge's firmware is the likely cause: not every firmware revision has every command.`,
    ];
  return fits.length > 0
    ? [
        `This device's USB vendor ID ${vidText(vid)} is ${fits.map((f) => f.name).join(' or ')}: its commands are in vendor set ${fits.map((f) => f.set).join(' or ')}.`,
      ]
    : [`usbcdb knows no vendor command family for USB vendor ID ${vidText(vid)}.`];
}

const bridgeRefusedVendorCommand: DoctorRule = {
  id: 'bridge-refused-vendor-command',
  summary:
    'A vendor command refused as an unknown opcode (05/20/00): the USB bridge in front of the disk does not know it.',
  check: (ctx): Diagnosis[] => {
    if (ctx.input.cdb.length === 0 || !refusedAsUnknownOpcode(ctx)) return [];
    const op = opcodeOf(ctx.input.cdb);
    // ATA PASS-THROUGH has its own rule (not-sat), unless a vendor set's command reuses the opcode.
    const fromSet = ctx.resolved?.source === 'vendor' ? ctx.resolved.set : undefined;
    if (!fromSet && !opcodeGroup(op).vendorSpecific) return [];
    const family = fromSet && BRIDGE_FAMILIES.find((f) => f.set === fromSet.name);
    const what = fromSet
      ? `${ctx.resolved?.spec.name} (vendor set ${fromSet.name})`
      : `vendor opcode ${t10Hex(op)}`;
    return [
      {
        id: 'bridge-refused-vendor-command',
        severity: 'warning',
        rank: 89,
        title: `The USB bridge, not the disk, most likely refused ${what}: INVALID COMMAND OPERATION CODE is what a bridge answers for a vendor opcode its firmware does not define.`,
        detail: [
          'On a USB disk the bridge chip (USB to SATA or NVMe) reads every CDB first. Vendor commands are the bridge firmware’s own: a disk of one brand in another maker’s enclosure, or behind other firmware, never sees them.',
          ...(fromSet
            ? [
                family
                  ? `Vendor set ${fromSet.name} is for ${familyText(family)}.`
                  : `Vendor set ${fromSet.name} is for ${fromSet.vendor} devices.`,
              ]
            : []),
          ...vendorIdLines(ctx, fromSet?.name),
        ],
        fix: [
          'See which bridge the device has: usbcdb devices lists its USB vendor and product ID; usbcdb probe tries, read-only, the pass-through families that fit it.',
          'Use the commands of the set for that bridge; do not try other families’ vendor opcodes blindly, since they also carry firmware and configuration commands.',
        ],
        byte: 0,
      },
    ];
  },
};

export const VENDOR_REFUSAL_RULES: readonly DoctorRule[] = [bridgeRefusedVendorCommand];
