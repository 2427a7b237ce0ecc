/**
 * The doctor's rules for ATA PASS-THROUGH(16)/(12) (SAT-4): which ATA command
 * the CDB carries, what the ATA registers returned in the sense say (CK_COND,
 * ATA errors, bridges whose sense says error while STATUS says success), and
 * what a refusal with 05/20/00 means (not SAT: which family to try, from the
 * USB vendor ID and the bridges table, shared/probe/families.ts). The CDB-only
 * checks (T_LENGTH, BYT_BLOK, T_DIR…) are lint's (shared/lint/ata-pass-through.ts)
 * and reach the report through the lint rule.
 */
import {
  ataCommandName,
  isPassThroughOpcode,
  readPassThrough,
  type PassThroughCdb,
} from '../scsi/ata-commands';
import {
  ATA_STATUS,
  ataRegistersOf,
  describeRegisters,
  smartHealthOf,
  statusSaysSuccess,
  type AtaRegisters,
} from '../scsi/ata-registers';
import { decodeSenseFor } from '../scsi/sense/for-command';
import { t10Hex } from '../scsi/hex';
import { BRIDGE_FAMILIES, familiesFor, vidText } from '../probe/families';
import { CHECK_CONDITION } from './driverkit';
import type { DoctorContext, DoctorRule } from './rules';
import type { Diagnosis } from './types';

/** ATA ERROR register bits (ACS-4). */
const ERROR_BITS: readonly {
  readonly mask: number;
  readonly name: string;
  readonly meaning: string;
}[] = [
  {
    mask: 0x04,
    name: 'ABRT',
    meaning: 'the drive aborted the command: not supported, not enabled, or a bad parameter',
  },
  { mask: 0x10, name: 'IDNF', meaning: 'the address was not found (beyond the end of the drive)' },
  { mask: 0x40, name: 'UNC', meaning: 'the data could not be read (uncorrectable)' },
  { mask: 0x80, name: 'ICRC', meaning: 'an interface CRC error on the link' },
];

/** The ATA PASS-THROUGH the CDB is, unless a vendor set's command reuses its opcode (JMicron NVMe's A1h). */
function passThrough(ctx: DoctorContext): PassThroughCdb | undefined {
  return ctx.resolved?.source === 'vendor' ? undefined : readPassThrough(ctx.input.cdb);
}

function registersOf(ctx: DoctorContext): AtaRegisters | undefined {
  const raw = ctx.input.sense;
  if (!raw) return undefined;
  const d = decodeSenseFor(raw, ctx.input.cdb, ctx.input.vendorSets);
  return d.ok ? ataRegistersOf(d.value) : undefined;
}

const hex = (n: number): string => t10Hex(n);

const passThroughCommand: DoctorRule = {
  id: 'ata-pass-through-command',
  summary: 'Names the ATA command inside an ATA PASS-THROUGH CDB and its registers.',
  check: (ctx) => {
    const pt = passThrough(ctx);
    if (!pt) return [];
    const name = ataCommandName(pt.command, pt.features);
    return [
      {
        id: 'ata-pass-through-command',
        severity: 'info',
        rank: 50,
        title: `The CDB carries ${pt.row ? `ATA ${name}` : `${name}, a command usbcdb’s ATA table does not describe`}.`,
        detail: [
          `Registers sent: FEATURES ${hex(pt.features)}, COUNT ${hex(pt.count)}, LBA low/mid/high ${hex(pt.lbaLow)}/${hex(pt.lbaMid)}/${hex(pt.lbaHigh)}, DEVICE ${hex(pt.device)}, COMMAND ${hex(pt.command)}; PROTOCOL ${pt.protocol}, T_LENGTH ${pt.tLength}, BYT_BLOK ${pt.bytBlok}, T_DIR ${pt.tDir}, CK_COND ${pt.ckCond ? 1 : 0}.`,
          ...(pt.row && !pt.row.reads ? ['This ATA command can change data on the drive.'] : []),
        ],
        fix: [],
        byte: pt.opcode === 0x85 ? 14 : 9,
      },
    ];
  },
};

/** What the returned registers answer for commands that answer in them (ACS-4). */
function answerText(pt: PassThroughCdb, r: AtaRegisters): string | undefined {
  if (pt.command === 0xb0 && pt.features === 0xda) {
    const h = smartHealthOf(r);
    return h === 'good'
      ? 'SMART health is good (LBA mid/high 4Fh/C2h).'
      : h === 'threshold-exceeded'
        ? 'SMART health: THRESHOLD EXCEEDED (LBA mid/high F4h/2Ch): the drive predicts its own failure — back up its data.'
        : `LBA mid/high are ${hex(r.lbaMid)}/${hex(r.lbaHigh)}, neither 4Fh/C2h (good) nor F4h/2Ch (failing): the bridge did not pass the drive’s answer through.`;
  }
  if (pt.command === 0xe5) {
    const modes: Record<number, string> = {
      0x00: 'standby',
      0x40: 'NV cache power mode',
      0x41: 'NV cache, spun down',
      0x80: 'idle',
      0xff: 'active or idle',
    };
    return `Power mode (COUNT ${hex(r.count)}): ${modes[r.count] ?? 'a value ACS-4 does not list'}.`;
  }
  return undefined;
}

/**
 * CHECK CONDITION with RECOVERED ERROR 00h/1Dh (ATA PASS THROUGH INFORMATION AVAILABLE, SAT-4)
 * on an ATA PASS-THROUGH whose registers decode: the sense only carries the drive's registers,
 * so the registers, not the sense key, say how the command ended.
 */
export function carriesAtaRegisters(ctx: DoctorContext): boolean {
  const s = ctx.sense;
  return (
    s !== undefined &&
    s.key === 0x1 &&
    s.asc === 0x00 &&
    s.ascq === 0x1d &&
    ctx.input.status === CHECK_CONDITION &&
    passThrough(ctx) !== undefined &&
    registersOf(ctx) !== undefined
  );
}

const returnedRegisters: DoctorRule = {
  id: 'ata-registers',
  summary:
    'Reads the ATA registers a SAT bridge returned in the sense: success, ATA error, or a bridge misreporting.',
  check: (ctx) => {
    const pt = passThrough(ctx);
    const r = registersOf(ctx);
    const s = ctx.sense;
    if (!pt || !r || !s || ctx.input.status !== CHECK_CONDITION) return [];
    const name = ataCommandName(pt.command, pt.features);
    const regs = `Returned registers (${r.source === 'descriptor' ? 'ATA Status Return descriptor' : 'fixed-format sense'}): ${describeRegisters(r)}.`;
    const answer = answerText(pt, r);
    const out: Diagnosis[] = [];
    const errBits = ERROR_BITS.filter((b) => (r.error & b.mask) !== 0);
    if ((r.status & ATA_STATUS.ERR) !== 0) {
      out.push({
        id: 'ata-error',
        severity: 'error',
        rank: 92,
        title: `The drive rejected ${name}: STATUS has ERR set, ERROR is ${hex(r.error)}${errBits.length ? ` (${errBits.map((b) => b.name).join(', ')})` : ''}.`,
        detail: [regs, ...errBits.map((b) => `${b.name}: ${b.meaning}.`)],
        fix: errBits.some((b) => b.name === 'ABRT')
          ? [
              'Check that the drive supports the command (IDENTIFY DEVICE words 82–87) and that the FEATURES and COUNT are right for it.',
            ]
          : [],
      });
    } else if (carriesAtaRegisters(ctx)) {
      out.push({
        id: 'ata-registers-returned',
        severity: 'info',
        rank: 93,
        title: `${name} worked: CHECK CONDITION with RECOVERED ERROR 00h/1Dh (ATA PASS THROUGH INFORMATION AVAILABLE) only carries the registers${pt.ckCond ? ' CK_COND=1 asked for' : ''}.`,
        detail: [regs, ...(answer ? [answer] : [])],
        fix: ['Treat this CHECK CONDITION as success and read the registers from the sense data.'],
      });
    } else if (statusSaysSuccess(r)) {
      out.push({
        id: 'ata-bogus-sense',
        severity: 'warning',
        rank: 93,
        title: `The sense reports an error, but the drive’s STATUS (${hex(r.status)}: DRDY set, BSY and ERR clear) says ${name} succeeded.`,
        detail: [
          regs,
          'Some bridges attach error sense to every pass-through answer; smartctl treats this combination as success. The registers are the drive’s own word.',
          ...(answer ? [answer] : []),
        ],
        fix: ['Read the registers as the answer; do not retry the command.'],
      });
    }
    return out;
  },
};

const notSat: DoctorRule = {
  id: 'not-sat',
  summary: 'A bridge that refuses ATA PASS-THROUGH with 05/20/00 is not SAT: which family to try.',
  check: (ctx) => {
    const op = ctx.input.cdb[0];
    const pt: Pick<PassThroughCdb, 'opcode'> | undefined =
      passThrough(ctx) ??
      (ctx.resolved?.source !== 'vendor' && isPassThroughOpcode(op) ? { opcode: op } : undefined);
    const s = ctx.sense;
    if (
      !pt ||
      !s ||
      ctx.input.status !== CHECK_CONDITION ||
      s.key !== 0x5 ||
      s.asc !== 0x20 ||
      s.ascq !== 0x00
    )
      return [];
    const vid = ctx.input.usbVendorId;
    const fits = familiesFor(vid, BRIDGE_FAMILIES);
    const families =
      vid !== undefined
        ? fits.length > 0
          ? [
              `For USB vendor ID ${vidText(vid)} try ${fits.map((f) => `${f.name} (smartctl -d ${f.smartctl})`).join(' or ')}.`,
            ]
          : [
              `No vendor pass-through family is known for USB vendor ID ${vidText(vid)}: the device may have no ATA or NVMe disk behind it (a flash drive, a card reader), or its bridge filters pass-through commands.`,
            ]
        : [
            `Which family to try depends on the USB vendor ID: ${BRIDGE_FAMILIES.map((f) => `${f.vendorIds.map(vidText).join('/')} ${f.name}`).join('; ')}.`,
          ];
    return [
      {
        id: 'not-sat',
        severity: 'error',
        rank: 91,
        title: `The bridge refused ATA PASS-THROUGH(${pt.opcode === 0x85 ? 16 : 12}) with INVALID COMMAND OPERATION CODE (05/20/00): it does not speak SAT, or filters pass-through.`,
        detail: [
          'SAT bridges answer 85h/A1h; USB flash drives, card readers and older ATA bridges do not, and some enclosures filter it.',
          ...(pt.opcode === 0xa1
            ? [
                'A1h is also BLANK on optical drives; a bridge that knows only 16-byte pass-through refuses A1h, so try ATA PASS-THROUGH(16) first.',
              ]
            : []),
          ...families,
        ],
        fix: [
          'Run usbcdb probe on the device: it tries the families that fit its vendor ID, read-only, and says which answered.',
          'Do not try other families’ vendor opcodes blindly: they also carry firmware and configuration commands.',
        ],
        byte: 0,
      },
    ];
  },
};

export const PASS_THROUGH_RULES: readonly DoctorRule[] = [
  passThroughCommand,
  returnedRegisters,
  notSat,
];
