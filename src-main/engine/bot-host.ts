/**
 * The host side of Bulk-Only Transport: CBW → data → CSW over any BulkPipes,
 * with the stall handling, CSW checks and reset recovery BOT 1.0 §5.3 and §6
 * require. CHECK CONDITION is reported by CSW status 01h; the sense is then
 * fetched with REQUEST SENSE, since USB mass storage has no autosense.
 */
import { encodeCbw } from '../../shared/bot/cbw';
import { judgeCsw, CSW_LENGTH } from '../../shared/bot/csw';
import { resetRecovery } from '../../shared/bot/requests';
import { asByteCount, asLun } from '../../shared/scsi/brand';
import { decodeSense } from '../../shared/scsi/sense';
import { standardCdb } from '../../shared/scsi/cdb/build';
import type { BulkPipes, PipeResult } from './pipes';
import type { CommandOutcome, CommandRequest, TransportError } from './transport';

const GOOD = 0x00;
const CHECK_CONDITION = 0x02;
/** REQUEST SENSE with room for any sense a USB device sends (fixed format is 18 bytes; descriptor up to 252). */
const REQUEST_SENSE_LENGTH = 252;

export class BotHost {
  private tag = 0;

  constructor(private readonly pipes: BulkPipes) {}

  /** Bulk-Only Mass Storage Reset, then clear HALT on Bulk-In and Bulk-Out (§5.3.4). */
  async resetRecovery(timeoutMs = 5000): Promise<void> {
    const [reset] = resetRecovery(this.pipes.interfaceNumber, 0, 0);
    if (reset) await this.pipes.control(reset, 0, timeoutMs);
    await this.pipes.clearHalt('in', timeoutMs);
    await this.pipes.clearHalt('out', timeoutMs);
  }

  /** `into`: where the data-in may be placed (Transport.execute). */
  async execute(req: CommandRequest, into?: Uint8Array): Promise<CommandOutcome> {
    const started = performance.now();
    const done = (o: Omit<CommandOutcome, 'durationMs'>): CommandOutcome =>
      timed(o, performance.now() - started);
    const first = await this.transfer(req, into);
    if (first.status !== CHECK_CONDITION) return done(first);
    // The command failed (CSW 01h): fetch its sense before anything else can replace it.
    const sense = await this.transfer({
      cdb: standardCdb('request-sense', { allocationLength: REQUEST_SENSE_LENGTH }),
      lun: req.lun,
      direction: 'in',
      transferLength: REQUEST_SENSE_LENGTH,
      timeoutMs: req.timeoutMs,
    });
    // Keep only the sense the device describes (8 + ADDITIONAL SENSE LENGTH): padding, or a bridge that misreports the residue, must not look like sense.
    const decoded = sense.status === GOOD ? decodeSense(sense.dataIn) : undefined;
    const bytes = decoded?.ok
      ? sense.dataIn.subarray(0, Math.min(sense.dataIn.length, decoded.value.claimedLength))
      : sense.dataIn;
    return done({ ...first, ...(sense.status === GOOD ? { sense: bytes } : {}) });
  }

  private async fail(
    error: TransportError,
    dataIn: Uint8Array = new Uint8Array(),
    residue = 0,
  ): Promise<Omit<CommandOutcome, 'durationMs'>> {
    await this.resetRecovery();
    return { status: undefined, transportError: error, dataIn, residue };
  }

  private async transfer(
    req: CommandRequest,
    into?: Uint8Array,
  ): Promise<Omit<CommandOutcome, 'durationMs'>> {
    this.tag = (this.tag + 1) >>> 0;
    const length =
      req.direction === 'out'
        ? (req.dataOut?.length ?? 0)
        : req.direction === 'in'
          ? req.transferLength
          : 0;
    const cbw = encodeCbw({
      tag: this.tag,
      dataTransferLength: asByteCount(length),
      direction: req.direction === 'in' ? 'in' : 'out',
      lun: asLun(req.lun),
      cdb: req.cdb,
    });
    if (!cbw.ok)
      return {
        status: undefined,
        transportError: { kind: 'not-sent', message: `nothing was sent: ${cbw.error.message}` },
        dataIn: new Uint8Array(),
        residue: 0,
      };

    const sent = await this.pipes.bulkOut(cbw.value, req.timeoutMs);
    if (sent.kind !== 'ok') return this.fail(pipeError(sent, 'sending the CBW'));

    // Data phase (§5.3.2): a STALL ends it early; clear the halt and go on to the status.
    let dataIn: Uint8Array = new Uint8Array();
    if (length > 0 && req.direction === 'in') {
      const r = await this.pipes.bulkIn(length, req.timeoutMs, into);
      if (r.kind === 'ok') dataIn = r.data;
      else if (r.kind === 'stall') await this.pipes.clearHalt('in', req.timeoutMs);
      else return this.fail(pipeError(r, 'reading data-in'));
    } else if (length > 0 && req.direction === 'out') {
      const r = await this.pipes.bulkOut(req.dataOut ?? new Uint8Array(), req.timeoutMs);
      if (r.kind === 'stall') await this.pipes.clearHalt('out', req.timeoutMs);
      else if (r.kind !== 'ok') return this.fail(pipeError(r, 'sending data-out'));
    }

    // Status phase (§5.3.3): on a STALL clear it and read the CSW once more.
    let csw = await this.pipes.bulkIn(CSW_LENGTH, req.timeoutMs);
    if (csw.kind === 'stall') {
      await this.pipes.clearHalt('in', req.timeoutMs);
      csw = await this.pipes.bulkIn(CSW_LENGTH, req.timeoutMs);
    }
    if (csw.kind !== 'ok') return this.fail(pipeError(csw, 'reading the CSW'), dataIn);
    const verdict = judgeCsw(csw.data, { tag: this.tag, dataTransferLength: length });
    if (verdict.kind === 'reset-recovery') {
      const kind = verdict.csw?.status === 'phase-error' ? 'phase-error' : 'bad-csw';
      return {
        ...(await this.fail({ kind, message: verdict.reason }, dataIn)),
        ...(verdict.csw ? { cswStatus: 2 } : {}),
      };
    }
    const { status, residue } = verdict.csw;
    // Data-in beyond what the device says was relevant is padding (§6.7 case 4/5).
    const relevant =
      req.direction === 'in' ? dataIn.subarray(0, Math.max(0, length - residue)) : dataIn;
    return {
      status: status === 'passed' ? GOOD : CHECK_CONDITION,
      dataIn: relevant,
      residue,
      cswStatus: status === 'passed' ? 0 : 1,
    };
  }
}

/**
 * `o` with its duration, built field by field in the order a spread would give (the CLI's JSON
 * keeps it): an object spread here cost TEST UNIT READY a sixth of its time in-process (issue 13).
 */
function timed(o: Omit<CommandOutcome, 'durationMs'>, durationMs: number): CommandOutcome {
  const { status, transportError, dataIn, residue, cswStatus, sense } = o;
  return {
    status,
    ...(transportError !== undefined ? { transportError } : {}),
    dataIn,
    residue,
    ...(cswStatus !== undefined ? { cswStatus } : {}),
    ...(sense !== undefined ? { sense } : {}),
    durationMs,
  };
}

function pipeError(r: Exclude<PipeResult, { kind: 'ok' }>, during: string): TransportError {
  if (r.kind === 'timeout') return { kind: 'timeout', message: `timed out ${during}` };
  if (r.kind === 'stall') return { kind: 'io-error', message: `the device stalled ${during}` };
  return { kind: 'io-error', message: `${r.message} (${during})` };
}
