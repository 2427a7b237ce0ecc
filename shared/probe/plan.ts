/**
 * The probe plan: the ordered read-only commands that find out what sits
 * behind a USB bridge, safest first (docs/bridges.md): INQUIRY and VPD pages, READ
 * CAPACITY, then SAT ATA PASS-THROUGH(16) carrying read-only ATA commands, then
 * the vendor families whose USB vendor ID fits (all of them only when asked).
 * No step has a data-out phase. Pure: the engine runs it.
 */
import type { Direction } from '../scsi/catalog';
import { standardCdb, type FieldValues } from '../scsi/cdb/build';
import { ataCommandFor, type AtaCommandName } from '../scsi/ata-commands';
import { passThroughCdb } from '../scsi/ata-pass-through-cdb';
import { familiesFor, NEVER_PROBED, VENDOR_FAMILIES, vidText, type FamilyAnswer } from './families';

/** What a step's answer is read as. */
export type StepAnswer =
  | 'inquiry'
  | 'vpd-supported'
  | 'vpd-serial'
  | 'vpd-identification'
  | 'capacity16'
  | 'capacity10'
  | 'ata-identify-sat'
  | 'smart-status-sat'
  | FamilyAnswer;

export interface ProbeStep {
  readonly id: string;
  /** 'scsi' for the standard commands, 'sat' for ATA PASS-THROUGH, else a vendor family's id. */
  readonly family: string;
  readonly purpose: string;
  readonly cdb: Uint8Array;
  readonly direction: Exclude<Direction, 'out'>;
  readonly transferLength: number;
  /** A vendor-specific opcode: a real device must be asked about it first. */
  readonly nonStandard: boolean;
  readonly answer: StepAnswer;
  /** Sent only when that step did not answer (READ CAPACITY(10) after (16)). */
  readonly onlyIfNotAnswered?: string;
  /**
   * Whether the first refusal of this step ends its family (SAT, vendor
   * families: a bridge that refuses the opcode will refuse the rest too).
   */
  readonly refusalEndsFamily: boolean;
}

export interface ProbeOptions {
  /** Try every vendor family, not only those whose USB vendor ID fits. */
  readonly allFamilies?: boolean;
}

export interface ProbePlan {
  readonly vendorId: number | undefined;
  readonly steps: readonly ProbeStep[];
  /** Families left out, and why. */
  readonly leftOut: readonly string[];
}

const scsi = (
  id: string,
  purpose: string,
  command: string,
  values: FieldValues,
  transferLength: number,
  answer: StepAnswer,
  extra: Partial<ProbeStep> = {},
): ProbeStep => ({
  id,
  family: 'scsi',
  purpose,
  cdb: standardCdb(command, values),
  direction: 'in',
  transferLength,
  nonStandard: false,
  answer,
  refusalEndsFamily: false,
  ...extra,
});

/** The standard part of every plan: SPC-5 and SBC-4 commands every disk answers. */
function standardSteps(): ProbeStep[] {
  const vpd = (page: number, id: string, purpose: string, answer: StepAnswer): ProbeStep =>
    scsi(id, purpose, 'inquiry', { evpd: 1, pageCode: page, allocationLength: 252 }, 252, answer);
  return [
    scsi(
      'inquiry',
      'standard INQUIRY: vendor, product, revision, SPC level',
      'inquiry',
      { allocationLength: 36 },
      36,
      'inquiry',
    ),
    vpd(0x00, 'vpd-00', 'VPD 00h: which VPD pages the device has', 'vpd-supported'),
    vpd(0x80, 'vpd-80', 'VPD 80h: unit serial number', 'vpd-serial'),
    vpd(
      0x83,
      'vpd-83',
      'VPD 83h: device identification (names the bridge or the disk)',
      'vpd-identification',
    ),
    scsi(
      'readcap16',
      'READ CAPACITY(16): size and block length',
      'readcap16',
      { allocationLength: 32 },
      32,
      'capacity16',
    ),
    scsi(
      'readcap10',
      'READ CAPACITY(10): size, for devices without (16)',
      'readcap',
      {},
      8,
      'capacity10',
      {
        onlyIfNotAnswered: 'readcap16',
      },
    ),
  ];
}

/** SAT ATA PASS-THROUGH(16): IDENTIFY DEVICE, then SMART RETURN STATUS (both read-only, ACS-4). */
function satSteps(): ProbeStep[] {
  const pt = (name: AtaCommandName, registers: FieldValues = {}): Uint8Array => {
    const built = passThroughCdb('ata16', name, registers);
    if (!built.ok) throw new Error(built.error.message);
    return built.value.cdb;
  };
  const steps: ProbeStep[] = [
    {
      id: 'sat-identify',
      family: 'sat',
      purpose:
        'SAT ATA PASS-THROUGH(16) IDENTIFY DEVICE: is this a SAT bridge with an ATA disk? (PIO data-in, 1 block of 512 bytes)',
      cdb: pt('IDENTIFY DEVICE'),
      direction: 'in',
      transferLength: 512,
      nonStandard: false,
      answer: 'ata-identify-sat',
      refusalEndsFamily: true,
    },
    {
      id: 'sat-smart-status',
      family: 'sat',
      purpose:
        'SAT ATA PASS-THROUGH(16) SMART RETURN STATUS: the drive’s health, in the registers returned with CK_COND=1 (non-data)',
      // SMART commands carry the signature 4Fh/C2h in LBA mid/high (ACS-4, SMART feature set).
      cdb: pt('SMART RETURN STATUS', { lba1: 0x4f, lba2: 0xc2 }),
      direction: 'none',
      transferLength: 0,
      nonStandard: false,
      answer: 'smart-status-sat',
      refusalEndsFamily: true,
    },
  ];
  // The probe tunnels only commands the ATA table marks read-only.
  for (const s of steps) {
    const row = ataCommandFor(s.cdb[14] ?? 0, s.cdb[4] ?? 0);
    if (!row?.reads)
      throw new Error(`probe step ${s.id} carries an ATA command that is not read-only`);
  }
  return steps;
}

/** The ordered probe for a device with this USB vendor ID (undefined when unknown). */
export function probePlan(vendorId: number | undefined, options: ProbeOptions = {}): ProbePlan {
  const chosen = options.allFamilies ? VENDOR_FAMILIES : familiesFor(vendorId, VENDOR_FAMILIES);
  const vendorSteps: ProbeStep[] = chosen.map((f) => ({
    id: f.id,
    family: f.id,
    purpose: `${f.name}: ${f.purpose}`,
    cdb: Uint8Array.from(f.cdb),
    direction: 'in',
    transferLength: f.transferLength,
    nonStandard: true,
    answer: f.answer,
    refusalEndsFamily: true,
  }));
  const vid =
    vendorId === undefined ? 'an unknown USB vendor ID' : `USB vendor ID ${vidText(vendorId)}`;
  const leftOut = [
    ...VENDOR_FAMILIES.filter((f) => !chosen.includes(f)).map(
      (f) =>
        `${f.name}: seen under vendor ID ${f.vendorIds.map(vidText).join(', ')}, not ${vid} (--all-families tries it)`,
    ),
    ...NEVER_PROBED.map(
      (n) => `${n.name}, USB vendor ${n.vendorIds.map(vidText).join('/')}: ${n.why}`,
    ),
  ];
  return { vendorId, steps: [...standardSteps(), ...satSteps(), ...vendorSteps], leftOut };
}
