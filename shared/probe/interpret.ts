/**
 * What a probe's answers mean: each step's result in one word (answered,
 * refused, failed…) and the facts the answers add up to. Pure, so the runner,
 * the CLI and the app read them the same way.
 */
import type { CommandOutcome } from '../exchange';
import {
  ataRegistersOf,
  smartHealthOf,
  statusSaysSuccess,
  type SmartHealth,
} from '../scsi/ata-registers';
import { parseAtaIdentify, type AtaIdentify } from '../scsi/parsers/ata-identify';
import { answerLength } from '../scsi/answer-length';
import { parseInquiry, parseReadCapacity10, parseReadCapacity16 } from '../scsi/parsers';
import { parseSupportedPages, parseUnitSerialNumber } from '../scsi/parsers/vpd';
import { asciiText } from '../scsi/bytes';
import { decodeSenseFor } from '../scsi/sense/for-command';
import { VENDOR_FAMILIES } from './families';
import type { ProbeStep } from './plan';

export type StepResult =
  /** The device answered (GOOD, or the registers CK_COND asked for). */
  | 'answered'
  /** ILLEGAL REQUEST: INVALID COMMAND OPERATION CODE or INVALID FIELD IN CDB. */
  | 'refused'
  /** Any other failure: other sense, transport error. */
  | 'failed'
  /** Not sent: its family already refused, or the step it backs up answered. */
  | 'skipped'
  /** Not sent: it needed the user's yes and did not get it. */
  | 'declined';

export interface StepRun {
  readonly step: ProbeStep;
  readonly result: StepResult;
  /** One line: what happened. */
  readonly note: string;
  readonly outcome?: CommandOutcome;
}

const ILLEGAL_REQUEST = 0x5;
/** ATA PASS THROUGH INFORMATION AVAILABLE (SAT-4). */
const PT_INFO = 0x1d;

/**
 * The bytes a GOOD answer brought, and, when the answer states a shorter length of its own, that
 * length: a bridge reporting residue 0 whatever it moved (against BOT 1.0 §5.2, which makes the
 * residue the bytes not sent) pads the rest.
 */
function goodLength(step: ProbeStep, o: CommandOutcome): string {
  const said = answerLength(step.cdb, o.dataIn);
  return said && said.bytes < o.dataIn.length
    ? `${o.dataIn.length} bytes, of which the answer is ${said.bytes} (its ${said.field}); the rest is padding`
    : `${o.dataIn.length} bytes`;
}

/** A step's result from the device's outcome (SPC-5 sense; SAT-4 for the registers). */
export function classify(step: ProbeStep, o: CommandOutcome): { result: StepResult; note: string } {
  if (o.transportError)
    return {
      result: 'failed',
      note: `transport ${o.transportError.kind}: ${o.transportError.message}`,
    };
  if (o.status === 0) return { result: 'answered', note: `GOOD, ${goodLength(step, o)}` };
  const d = o.sense ? decodeSenseFor(o.sense, step.cdb) : undefined;
  if (!d?.ok) return { result: 'failed', note: `status ${o.status ?? '?'} without readable sense` };
  const s = d.value;
  const codes = `${s.senseKey.toString(16)}/${(s.asc ?? 0).toString(16).padStart(2, '0')}/${(s.ascq ?? 0).toString(16).padStart(2, '0')}`;
  if (step.answer === 'smart-status-sat' && o.sense) {
    const regs = ataRegistersOf(s);
    // CK_COND=1 makes even success CHECK CONDITION 01/00/1D; some bridges report an error sense
    // while STATUS says the drive succeeded (smartctl's "bogus sense": trust STATUS).
    if (regs && ((s.asc === 0 && s.ascq === PT_INFO) || statusSaysSuccess(regs)))
      return { result: 'answered', note: `registers returned (sense ${codes})` };
  }
  if (s.senseKey === ILLEGAL_REQUEST && (s.asc === 0x20 || s.asc === 0x24))
    return {
      result: 'refused',
      note: `ILLEGAL REQUEST, ${s.asc === 0x20 ? 'INVALID COMMAND OPERATION CODE' : 'INVALID FIELD IN CDB'} (${codes})`,
    };
  return { result: 'failed', note: `CHECK CONDITION ${codes}` };
}

export interface ProbeFacts {
  /** SAT ATA PASS-THROUGH: 'yes' it answered, 'no' it was refused, 'unknown' otherwise. */
  readonly sat: 'yes' | 'no' | 'unknown';
  /** What the disk behind the bridge speaks, when an identify answered. */
  readonly diskInterface: 'ata' | 'nvme' | undefined;
  /** The vendor family whose pass-through answered. */
  readonly family: string | undefined;
  readonly inquiry:
    { readonly vendor: string; readonly product: string; readonly revision: string } | undefined;
  readonly vpdPages: readonly number[] | undefined;
  readonly unitSerial: string | undefined;
  readonly capacity:
    { readonly blocks: bigint; readonly blockLength: number; readonly bytes: bigint } | undefined;
  readonly model: string | undefined;
  readonly serial: string | undefined;
  readonly firmware: string | undefined;
  readonly ata: AtaIdentify | undefined;
  readonly smartHealth: SmartHealth | undefined;
  /** Answers that could not be read, each naming the step. */
  readonly problems: readonly string[];
}

/** Identify Controller strings (NVMe 2.0, Identify Controller: 4–23 serial, 24–63 model, 64–71 firmware). */
function nvmeStrings(
  data: Uint8Array,
): { serial: string; model: string; firmware: string } | undefined {
  if (data.length < 72) return undefined;
  const text = (a: number, b: number): string => asciiText(data.subarray(a, b)).trim();
  return { serial: text(4, 24), model: text(24, 64), firmware: text(64, 72) };
}

/** The facts a probe's answers add up to. */
export function probeFacts(runs: readonly StepRun[]): ProbeFacts {
  const problems: string[] = [];
  const facts: {
    -readonly [K in keyof ProbeFacts]: ProbeFacts[K];
  } = {
    sat: 'unknown',
    diskInterface: undefined,
    family: undefined,
    inquiry: undefined,
    vpdPages: undefined,
    unitSerial: undefined,
    capacity: undefined,
    model: undefined,
    serial: undefined,
    firmware: undefined,
    ata: undefined,
    smartHealth: undefined,
    problems,
  };
  const read = <T>(
    step: ProbeStep,
    r: { ok: true; value: T } | { ok: false; error: { message: string } },
  ): T | undefined => {
    if (r.ok) return r.value;
    problems.push(`${step.id}: ${r.error.message}`);
    return undefined;
  };
  for (const run of runs) {
    const { step, outcome: o } = run;
    if (step.id === 'sat-identify' && run.result === 'refused') facts.sat = 'no';
    if (run.result !== 'answered' || !o) continue;
    const data = o.dataIn;
    switch (step.answer) {
      case 'inquiry': {
        const q = read(step, parseInquiry(data));
        // The probe asks for 36 bytes; an answer too short to name the device names nothing.
        if (q?.vendor !== undefined && q.product !== undefined && q.revision !== undefined)
          facts.inquiry = { vendor: q.vendor, product: q.product, revision: q.revision };
        else if (q) problems.push(`${step.id}: the answer ends before the identity strings`);
        break;
      }
      case 'vpd-supported':
        facts.vpdPages = read(step, parseSupportedPages(data))?.pages;
        break;
      case 'vpd-serial':
        facts.unitSerial = read(step, parseUnitSerialNumber(data))?.serial.trim() || undefined;
        break;
      case 'vpd-identification':
        break;
      case 'capacity16':
      case 'capacity10': {
        const c = read(
          step,
          step.answer === 'capacity16' ? parseReadCapacity16(data) : parseReadCapacity10(data),
        );
        if (c)
          facts.capacity = {
            blocks: BigInt(c.lastLba) + 1n,
            blockLength: c.blockLength,
            bytes: c.bytes,
          };
        break;
      }
      case 'ata-identify-sat':
      case 'ata-identify': {
        const id = read(step, parseAtaIdentify(data));
        if (!id) break;
        if (step.answer === 'ata-identify-sat') facts.sat = 'yes';
        else facts.family = step.family;
        facts.diskInterface = 'ata';
        facts.ata = id;
        facts.model = id.model;
        facts.serial = id.serial;
        facts.firmware = id.firmware;
        break;
      }
      case 'smart-status-sat': {
        const d = o.sense ? decodeSenseFor(o.sense, step.cdb) : undefined;
        const regs = d?.ok ? ataRegistersOf(d.value) : undefined;
        facts.smartHealth = regs ? smartHealthOf(regs) : 'unknown';
        break;
      }
      case 'nvme-identify-controller': {
        const n = nvmeStrings(data);
        if (!n) {
          problems.push(
            `${step.id}: Identify Controller data is ${data.length} bytes, too short for its strings`,
          );
          break;
        }
        facts.family = step.family;
        facts.diskInterface = 'nvme';
        facts.model = n.model;
        facts.serial = n.serial;
        facts.firmware = n.firmware;
        break;
      }
    }
  }
  return facts;
}

/** The family's display name ("JMicron ATA (DFh)"), or the id. */
export function familyName(id: string): string {
  return id === 'sat'
    ? 'SAT ATA PASS-THROUGH'
    : (VENDOR_FAMILIES.find((f) => f.id === id)?.name ?? id);
}
