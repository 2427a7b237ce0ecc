/**
 * Values derived from the store's state, as selectors: a component subscribes
 * to exactly what it shows (`use(selectLint)`), and a selector that builds an
 * object returns the same one until its inputs change, so subscribing to it
 * does not re-render on unrelated updates. Each selector names the state it
 * reads in its `…Source` type.
 */
import { diagnose } from '../../shared/doctor/doctor';
import type { DoctorReport } from '../../shared/doctor/types';
import { lintCdb, type LintReport } from '../../shared/lint/lint';
import {
  DEFAULT_BLOCK_SIZE,
  findCommand,
  type CommandSpec,
  type Direction,
} from '../../shared/scsi/catalog';
import { resolveCommand } from '../../shared/scsi/catalog/resolve';
import { formatHex } from '../../shared/scsi/hex';
import { parseReadCapacity10, parseReadCapacity16 } from '../../shared/scsi/parsers';
import { decodeSense } from '../../shared/scsi/sense';
import { answerLength } from '../../shared/scsi/answer-length';
import type { VendorSet } from '../../shared/vendor-sets/model';
import { MAX_DATA_BYTES } from '../../shared/ipc/limits';
import { wireBytes } from '../wire-bytes';
import { splitTarget, targetOf, type DeviceSummary } from './devices';
import type { FieldRefusal } from './editor';
import type { HistoryEntry } from './history';
import type { ProbeState } from './probe';
import type { Outcome, SentCommand } from './results';
import { cdbLengthProblem } from '../../shared/bot/cbw';

/**
 * `compute` over the values `inputs` picks, recomputed only when one of them
 * changes (compared with Object.is): one cached result per selector.
 */
export function derived<S, const D extends readonly unknown[], T>(
  inputs: (s: S) => D,
  compute: (...d: D) => T,
): (s: S) => T {
  let last: { d: D; value: T } | undefined;
  return (s) => {
    const d = inputs(s);
    if (last && last.d.length === d.length && last.d.every((x, i) => Object.is(x, d[i])))
      return last.value;
    last = { d, value: compute(...d) };
    return last.value;
  };
}

export interface BlockSizeSource {
  readonly history: readonly HistoryEntry[];
  readonly probe: ProbeState;
  readonly device: string | undefined;
  readonly image: string;
  readonly devices: readonly DeviceSummary[];
}

export interface BlockSize {
  readonly bytes: number;
  /** Where it comes from, in words ("READ CAPACITY(10), history #2", "assumed"). */
  readonly source: string;
  readonly assumed: boolean;
}

/** A LOGICAL BLOCK LENGTH a person could mean: 1 byte to 1 MiB. */
const sane = (n: number): boolean => n > 0 && n <= 1 << 20;

/** The commands whose answer states the logical block length, and how each answer is read. */
const CAPACITY_PARSERS: Partial<
  Record<string, (data: Uint8Array) => ReturnType<typeof parseReadCapacity10>>
> = {
  'READ CAPACITY(10)': parseReadCapacity10,
  'READ CAPACITY(16)': parseReadCapacity16,
};

/** The block length a READ CAPACITY(10)/(16) answer states, or undefined for any other command. */
function capacityBlockLength(cdb: Uint8Array, data: Uint8Array): number | undefined {
  // The catalog says which command the CDB is (opcode and service action), as everywhere else.
  const name = findCommand(cdb)?.name;
  const r = name === undefined ? undefined : CAPACITY_PARSERS[name]?.(data);
  return r?.ok && sane(r.value.blockLength) ? r.value.blockLength : undefined;
}

/**
 * The picked device's logical block size: from the newest READ CAPACITY it
 * answered in this session (history or probe), else the one the device list
 * gives (an emulated drive's profile), else DEFAULT_BLOCK_SIZE,
 * marked assumed so the views say so.
 */
export const selectBlockSize = derived(
  (s: BlockSizeSource) => [s.history, s.probe.result, s.device, s.image, s.devices] as const,
  (history, probe, device, image, devices): BlockSize => {
    const target = targetOf(device, image);
    for (let i = history.length - 1; i >= 0; i--) {
      const h = history[i];
      if (!h || h.device !== target || h.outcome.status !== 0) continue;
      const n = capacityBlockLength(h.cdb, wireBytes(h.outcome.dataIn));
      if (n !== undefined)
        return { bytes: n, source: `READ CAPACITY, history #${i + 1}`, assumed: false };
    }
    if (probe && target !== undefined && probe.device === target) {
      for (const step of probe.steps) {
        if (step.result !== 'answered' || !step.outcome || step.outcome.status !== 0) continue;
        const n = capacityBlockLength(wireBytes(step.cdb), wireBytes(step.outcome.dataIn));
        if (n !== undefined) return { bytes: n, source: 'READ CAPACITY, probe', assumed: false };
      }
    }
    const known = deviceOf(devices, device)?.blockSize;
    if (known !== undefined && sane(known))
      return { bytes: known, source: "the emulated drive's profile", assumed: false };
    return {
      bytes: DEFAULT_BLOCK_SIZE,
      source: `assumed ${DEFAULT_BLOCK_SIZE}: send READ CAPACITY to learn the device's`,
      assumed: true,
    };
  },
);

export interface LintSource extends BlockSizeSource {
  readonly cdb: Uint8Array;
  readonly direction: Direction;
  readonly transferLength: number;
  readonly lun: number;
  readonly vendorSets: readonly VendorSet[];
}

/** The listed device with id `device`, if any. */
function deviceOf(
  devices: readonly DeviceSummary[],
  device: string | undefined,
): DeviceSummary | undefined {
  return devices.find((d) => d.id === device);
}

/** The highest LUN a device reported (Get Max LUN, BOT 1.0 §3.2), when it is in the list. */
function maxLunOf(
  devices: readonly DeviceSummary[],
  device: string | undefined,
): number | undefined {
  return deviceOf(devices, device)?.maxLun;
}

/** Lint of the editor's command with the host's data phase and LUN, at the device's block size. */
export const selectLint = derived(
  (s: LintSource) =>
    [
      s.cdb,
      s.direction,
      s.transferLength,
      s.lun,
      maxLunOf(s.devices, s.device),
      s.vendorSets,
      selectBlockSize(s),
    ] as const,
  (cdb, direction, transferLength, lun, maxLun, vendorSets, block): LintReport =>
    lintCdb({
      cdb,
      lun,
      ...(maxLun !== undefined ? { maxLun } : {}),
      vendorSets,
      ...(block.assumed ? {} : { blockSize: block.bytes }),
      ...(direction === 'in'
        ? { dataIn: transferLength }
        : direction === 'out'
          ? { dataOut: transferLength }
          : { noDataPhase: true }),
    }),
);

/** The catalog or vendor-set command the editor's CDB is. */
export function selectSpec(s: {
  readonly cdb: Uint8Array;
  readonly vendorSets: readonly VendorSet[];
}): CommandSpec | undefined {
  return resolveCommand(s.cdb, s.vendorSets)?.spec;
}

/**
 * The device the probe shown was run on, when another is picked now (or the same drive with
 * another image); undefined while it answers for the picked device, or there is none.
 */
export function selectProbeElsewhere(
  s: Pick<BlockSizeSource, 'probe' | 'device' | 'image'>,
): string | undefined {
  const of = s.probe.result?.device;
  return of !== undefined && of !== targetOf(s.device, s.image) ? of : undefined;
}

export interface SendBlockSource extends LintSource {
  readonly hexError: string | undefined;
  readonly running: boolean;
  readonly dataOut: Uint8Array | undefined;
  readonly dataOutSource: string | undefined;
  readonly dataOutLost: string | undefined;
  readonly dataOutError: string | undefined;
  readonly fieldRefusal: FieldRefusal | undefined;
}

/** Why Send cannot send the editor's command now, in words; undefined when it can. */
export function selectSendBlock(s: SendBlockSource): string | undefined {
  if (s.device === undefined) return 'Pick a device first.';
  if (s.running) return 'The last command is still on its way.';
  if (s.hexError !== undefined) return `The CDB hex is malformed: ${s.hexError}.`;
  // The CDB would not be what the field shows: send neither the typed value nor the old one.
  if (s.fieldRefusal !== undefined)
    return `${s.fieldRefusal.name} shows ${s.fieldRefusal.text}, which the CDB does not hold (${s.fieldRefusal.message}): correct it, or press Escape in it to show the CDB's value.`;
  if (s.cdb.length === 0) return 'The CDB is empty.';
  const tooLong = cdbLengthProblem(s.cdb.length);
  if (tooLong) return `This CDB cannot be sent: ${tooLong.message}.`;
  if (s.direction !== 'none' && s.transferLength > MAX_DATA_BYTES)
    return `The transfer length is ${s.transferLength} bytes; the app moves at most ${MAX_DATA_BYTES} (64 MiB) in one command: split it, or use usbcdb read or write on the command line.`;
  if (s.direction === 'out' && s.dataOutLost !== undefined)
    return `The data-out (${s.dataOutLost}) was not kept across the reload; load it again, or clear it to send zeros.`;
  // Whatever the direction shows: typed data-out that was not taken would leave the data phase
  // as it was (none, for a command just picked), and the command would go without the bytes meant.
  if (s.dataOutError !== undefined) return `The data-out hex is malformed: ${s.dataOutError}.`;
  if (s.direction === 'out' && s.dataOut && s.dataOut.length !== s.transferLength)
    return `The data-out (${s.dataOutSource ?? 'loaded'}) holds ${s.dataOut.length} bytes but the transfer length is ${s.transferLength}; make them match (or clear the data-out to send ${s.transferLength} zero bytes).`;
  return undefined;
}

export interface ResultSource extends BlockSizeSource {
  readonly outcome: Outcome | undefined;
  readonly sent: SentCommand | undefined;
  readonly cdb: Uint8Array;
  readonly hexError: string | undefined;
  readonly direction: Direction;
  readonly transferLength: number;
  readonly lun: number;
  readonly vendorSets: readonly VendorSet[];
  readonly dataOutError: string | undefined;
}

/**
 * Why the result shown no longer answers what the editor and the picked
 * device hold, in words; undefined while it still does.
 */
export function selectStale(s: ResultSource): string | undefined {
  const { sent, outcome } = s;
  if (!sent || !outcome) return undefined;
  const target = targetOf(s.device, s.image);
  // Device strings stay out of the words: the picker already shows them, once.
  const changes = [
    target !== sent.target ? 'another device is picked' : '',
    s.hexError !== undefined
      ? "the editor's hex does not parse"
      : formatHex(s.cdb) !== formatHex(sent.cdb)
        ? `the CDB is now ${formatHex(s.cdb)}`
        : '',
    (s.direction === 'none' ? 0 : s.transferLength) !== sent.transferLength ||
    (sent.transferLength > 0 && s.direction !== sent.direction)
      ? 'the data phase changed'
      : '',
    s.lun !== sent.lun ? `the LUN is now ${s.lun}` : '',
    s.dataOutError !== undefined ? "the editor's data-out hex does not parse" : '',
  ].filter((x) => x !== '');
  return changes.length === 0
    ? undefined
    : `Stale: this answers ${formatHex(sent.cdb)} as sent before; ${changes.join(', ')}.`;
}

/**
 * The CDB byte the last answer's sense points at (SPC-5 sense key specific
 * field pointer with C/D set), while the editor still holds the CDB that was sent.
 */
export function selectPointedByte(s: ResultSource): number | undefined {
  const { outcome, sent } = s;
  if (!outcome?.sense || !sent || s.hexError !== undefined) return undefined;
  if (formatHex(sent.cdb) !== formatHex(s.cdb)) return undefined;
  const sense = decodeSense(wireBytes(outcome.sense));
  const sks = sense.ok ? sense.value.senseKeySpecific : undefined;
  return sks?.kind === 'field-pointer' && sks.inCdb ? sks.fieldPointer : undefined;
}

/**
 * The doctor's diagnosis of the last result when it failed — a CHECK
 * CONDITION or any transport error (phase error, timeout, bad CSW) — judged
 * against the data phase that was really set up.
 */
export const selectDiagnosis = derived(
  (s: ResultSource) =>
    [
      s.outcome,
      s.sent,
      s.sent ? maxLunOf(s.devices, splitTarget(s.sent.target).device) : undefined,
      s.vendorSets,
      selectBlockSize(s),
    ] as const,
  (outcome, sent, maxLun, vendorSets, block): DoctorReport | undefined => {
    if (!outcome || !sent) return undefined;
    if (outcome.status === 0 && !outcome.transportError) return undefined;
    const sense = outcome.sense ? wireBytes(outcome.sense) : undefined;
    return diagnose({
      cdb: sent.cdb,
      lun: sent.lun,
      ...(maxLun !== undefined ? { maxLun } : {}),
      ...(sent.direction === 'in'
        ? { dataIn: sent.transferLength }
        : sent.direction === 'out'
          ? { dataOut: sent.transferLength }
          : { dataIn: 0 }),
      ...(outcome.status !== null ? { status: outcome.status } : {}),
      ...(outcome.transportError ? { transport: outcome.transportError.kind } : {}),
      ...(outcome.cswStatus !== null ? { cswStatus: outcome.cswStatus } : {}),
      ...(sense ? { sense } : {}),
      residue: outcome.residue,
      ...(block.assumed ? {} : { blockSize: block.bytes }),
      vendorSets,
    });
  },
);

/** How many data-in bytes of the last result are the device's answer, against what was asked. */
export interface DataInCount {
  readonly asked: number;
  /** Bytes that crossed the bus. */
  readonly received: number;
  /** Bytes of real answer among them: the answer's own length when it states one and is shorter. */
  readonly arrived: number;
  /**
   * The bytes to show: what was received, followed by zeros up to what the
   * residue claims when that is more, so the hex view can mark everything
   * past `arrived` as not arrived.
   */
  readonly shown: Uint8Array;
  /** Set when the device's residue contradicts what arrived: the flag, in words. */
  readonly residueProblem: string | undefined;
}

/**
 * Data-in of the last result, counted. A device that reports residue 0 yet
 * sent less than asked — fewer bytes, or padding past the length its answer
 * states — is flagged: a host trusting dCSWDataResidue (BOT 1.0 §5.2) would
 * read the padding as data. Some SATA bridges report 0 whatever they moved.
 */
export const selectDataInCount = derived(
  (s: ResultSource) => [s.outcome, s.sent] as const,
  (outcome, sent): DataInCount | undefined => {
    if (!outcome || !sent || sent.direction !== 'in') return undefined;
    const data = wireBytes(outcome.dataIn);
    const asked = sent.transferLength;
    const claimed = Math.max(0, asked - outcome.residue);
    const stated = answerLength(sent.cdb, data);
    const arrived = stated && stated.bytes < data.length ? stated.bytes : data.length;
    let shown = data;
    if (claimed > data.length) {
      shown = new Uint8Array(claimed);
      shown.set(data);
    }
    const quirk =
      ' Trust the answer, not the residue: some SATA bridges report residue 0 whatever they moved.';
    const residueProblem =
      outcome.transportError || outcome.residue !== 0 || asked === 0
        ? undefined
        : data.length < asked
          ? `The device reported residue 0 but sent ${data.length} of ${asked} bytes.${quirk}`
          : stated && stated.bytes < asked
            ? `The device reported residue 0 — all ${asked} bytes sent — but its answer is ${stated.bytes} bytes by its ${stated.field}: bytes ${stated.bytes}–${asked - 1} are padding, not data.${quirk}`
            : undefined;
    return { asked, received: data.length, arrived, shown, residueProblem };
  },
);
