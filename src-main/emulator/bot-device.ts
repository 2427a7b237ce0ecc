/**
 * The device side of Bulk-Only Transport over in-memory pipes: receives
 * CBWs on Bulk-Out, moves data, answers CSWs on Bulk-In, handles the class
 * requests and CLEAR_FEATURE(HALT). It knows nothing of SCSI beyond asking
 * the logical unit what it wants to move (docs/style.md lesson 4); the 13 cases
 * come from shared/bot/cases.ts.
 *
 * A command's answer is dropped when the host reset the device while the
 * command ran (see `generation`). A USB port reset never reaches this object:
 * the exporters (export/usb-port.ts) answer it with a new BotDevice from
 * ExportedDrive.attach, so a late answer of the old one has no pipe to go
 * out on.
 */
import { classifyBotCase, expectedCsw, type BotCase } from '../../shared/bot/cases';
import { decodeCbw, type DecodedCbw } from '../../shared/bot/cbw';
import { encodeCsw, type CswStatus } from '../../shared/bot/csw';
import { validateClassRequest, type SetupPacket } from '../../shared/bot/requests';
import type { BulkPipes, PipeResult } from '../engine/pipes';
import { BULK_IN, BULK_OUT, speedOf } from './descriptors';
import type { DiskLu } from './disk';
import { headOf, NO_BYTES, paddedTo, takeData, type DataIn } from './data-in';
import { MediumError } from './medium-error';
import { DataOutJoin, JoinSpare } from './data-out';
import { answerStandardRequest, type UsbDeviceState } from './standard-requests';

type State =
  | { readonly kind: 'idle' }
  /** Data-out arriving: a host may send it in several transfers (one per scatter-gather entry). */
  | {
      readonly kind: 'data-out';
      readonly cbw: DecodedCbw;
      /** Which of the 13 cases host and device make: fixed by the CBW and the CDB. */
      readonly botCase: BotCase;
      /** The device refuses the data: stall Bulk-Out at the first transfer, phase error. */
      readonly refuse: boolean;
      /** The bytes the command takes, bounded by what it takes (min(N, its own amount)). */
      readonly kept: DataOutJoin;
      /** Bytes of the data phase seen so far, kept or discarded. */
      readonly seen: number;
    }
  /** Data-in to send (`sent` bytes of it gone), whether to stall after it, then the CSW. */
  | {
      readonly kind: 'data-in';
      /** The command it answers: a READ whose blocks cannot be read fails with a CSW of its own. */
      readonly cbw: DecodedCbw;
      readonly data: DataIn;
      readonly sent: number;
      readonly stallAfter: boolean;
      readonly csw: Uint8Array;
    }
  | { readonly kind: 'status'; readonly csw: Uint8Array }
  /**
   * A command runs: nothing to send yet, and a Bulk-Out transfer now is no part of the protocol
   * (BOT 1.0 §5: the next CBW comes after the CSW), so it is treated as an invalid CBW.
   */
  | { readonly kind: 'busy' };

/**
 * Fill bytes sent at most after a short data-in (cases 4 and 5). BOT 1.0 §6.7.2
 * lets the device either pad to N or stall Bulk-In; past this it stalls, so a
 * CBW declaring 4 GiB for a 36-byte INQUIRY costs no 4 GiB of zeros.
 */
export const MAX_FILL = 1024 * 1024;

const ok = (data: Uint8Array = NO_BYTES): PipeResult => ({ kind: 'ok', data });
const STALL: PipeResult = { kind: 'stall' };

export class BotDevice implements BulkPipes {
  readonly interfaceNumber = 0;
  private state: State = { kind: 'idle' };
  private readonly halted = { in: false, out: false };
  /** Set by an invalid CBW: both pipes stay stalled until Reset Recovery (BOT 1.0 §6.6.1). */
  private needsReset = false;
  /**
   * Counts the resets a host sends when it gives up on a command: the Bulk-Only
   * Mass Storage Reset and CLEAR_FEATURE(ENDPOINT_HALT), the steps of Reset
   * Recovery (BOT 1.0 §5.3.4, §6.6). A command that finishes under another value
   * than it started with belongs to a host that has moved on: its data and CSW
   * are dropped, or the host would take them for the answer to a later CBW (a
   * hung bridge answers 120 s late: emulator/nvme/jmicron.ts). A halt cleared
   * while a command still runs cannot be the status-stage recovery of that
   * command (§5.3.3): the device stalls only once a command has ended.
   */
  private generation = 0;

  private static connections = 0;
  /** This connection's I_T nexus on the logical unit (sense and unit attentions are per nexus). */
  private readonly initiator = `bot-${++BotDevice.connections}`;

  /**
   * What the standard requests (standard-requests.ts) see of this device: its configuration
   * (0 until the host sets one; a USB reset makes a new device) and the bulk endpoints' halts.
   */
  private readonly usb: UsbDeviceState;

  /** The buffer a data-out that comes in pieces is joined in (data-out.ts). */
  private readonly spare = new JoinSpare();

  /** @param lus the logical units, LUN 0 first; Get Max LUN reports the highest. */
  constructor(private readonly lus: readonly DiskLu[]) {
    if (lus.length === 0 || lus.length > 16)
      throw new Error('a Bulk-Only device has 1–16 logical units');
    this.usb = {
      profile: this.lu.profile,
      configuration: 0,
      halted: (endpoint) => {
        const direction = directionOf(endpoint);
        return direction && (this.halted[direction] || this.needsReset);
      },
      clearHalt: (endpoint) => {
        const direction = directionOf(endpoint);
        if (direction !== undefined) void this.clearHalt(direction);
        return direction !== undefined;
      },
      // The host halts the endpoint: it stalls until CLEAR_FEATURE, whatever the command's stage.
      setHalt: (endpoint) => {
        const direction = directionOf(endpoint);
        if (direction !== undefined) this.halted[direction] = true;
        return direction !== undefined;
      },
    };
  }

  /** LUN 0 speaks for the device: its profile gives descriptors and quirks. */
  private get lu(): DiskLu {
    return this.lus[0] as DiskLu;
  }

  private get maxLun(): number {
    return this.lus.length - 1;
  }

  private unit(cbw: DecodedCbw): DiskLu {
    return this.lus[cbw.lun] ?? this.lu;
  }

  bulkOut(data: Uint8Array): Promise<PipeResult> {
    if (this.needsReset || this.halted.out) return Promise.resolve(STALL);
    if (this.state.kind === 'data-out') return this.receiveData(this.state, data);
    if (this.state.kind !== 'idle') {
      // A CBW before the previous CSW was read: BOT gives no meaning to it (§6.4.1.3); treat it as invalid.
      return Promise.resolve(this.invalid());
    }
    return this.receiveCbw(data);
  }

  /**
   * The next Bulk-In transfer. Deferred data (a READ's blocks) is copied into `into` when it has
   * room — the caller's buffer or an exporter's outgoing message — so it is copied once.
   */
  bulkIn(length: number, _timeoutMs?: number, into?: Uint8Array): Promise<PipeResult> {
    if (this.needsReset || this.halted.in) return Promise.resolve(STALL);
    const s = this.state;
    if (s.kind === 'data-in') {
      const n = Math.min(length, s.data.length - s.sent);
      let chunk: Uint8Array;
      try {
        chunk = takeData(s.data, s.sent, n, into);
      } catch (e) {
        if (!(e instanceof MediumError)) throw e;
        return Promise.resolve(this.unreadable(s, e));
      }
      if (s.sent + n < s.data.length)
        this.state = {
          kind: 'data-in',
          cbw: s.cbw,
          data: s.data,
          sent: s.sent + n,
          stallAfter: s.stallAfter,
          csw: s.csw,
        };
      else {
        this.state = { kind: 'status', csw: s.csw };
        if (s.stallAfter) this.halted.in = true;
      }
      // A device that stalls instead of sending anything stalls right away.
      return Promise.resolve(chunk.length === 0 && s.stallAfter ? STALL : ok(chunk));
    }
    if (s.kind === 'status') {
      this.state = { kind: 'idle' };
      return Promise.resolve(ok(s.csw));
    }
    // Nothing to send: the host would wait until its timeout.
    return Promise.resolve({ kind: 'timeout' });
  }

  control(setup: SetupPacket): Promise<PipeResult> {
    const standard = answerStandardRequest(setup, this.usb);
    if (standard) return Promise.resolve(standard);
    const { request, problems } = validateClassRequest(setup, this.interfaceNumber);
    if (request === 'other' || problems.length > 0) return Promise.resolve(STALL);
    if (request === 'get-max-lun') return Promise.resolve(ok(Uint8Array.from([this.maxLun])));
    // Bulk-Only Mass Storage Reset (§3.1): ready for the next CBW; halt states are the host's to clear.
    if (this.state.kind === 'data-out') this.state.kept.release();
    this.state = { kind: 'idle' };
    this.needsReset = false;
    this.generation++;
    return Promise.resolve(ok());
  }

  /** CLEAR_FEATURE(ENDPOINT_HALT): an invalid CBW's stall outlives it (BOT 1.0 §6.6.1). */
  clearHalt(direction: 'in' | 'out'): Promise<PipeResult> {
    if (!this.needsReset) this.halted[direction] = false;
    this.generation++;
    return Promise.resolve(ok());
  }

  private invalid(): PipeResult {
    this.needsReset = true;
    this.halted.in = true;
    this.halted.out = true;
    this.state = { kind: 'idle' };
    return STALL;
  }

  private async receiveCbw(bytes: Uint8Array): Promise<PipeResult> {
    const decoded = decodeCbw(bytes, this.maxLun);
    if (!decoded.ok) return this.invalid();
    const cbw = decoded.value;
    const host = {
      direction: cbw.dataTransferLength === 0 ? ('none' as const) : cbw.direction,
      length: cbw.dataTransferLength,
    };
    if (cbw.problems.length > 0) {
      // Valid but not meaningful (§6.2.2, e.g. a LUN past Get Max LUN): BOT leaves the response
      // open; this device runs nothing and reports a phase error. The data stage the host set up
      // ends in a stall first (§6.7.2, §6.7.3), or the host would read the CSW as its data.
      if (host.direction === 'out') {
        this.state = dataOutState(cbw, { direction: 'none', bytes: 0 }, true, this.spare);
        return ok();
      }
      this.finish(cbw, 'phase-error', 0, host.direction === 'in');
      return ok();
    }
    const plan = this.unit(cbw).plan(cbw.cdb);
    // More than the device can buffer: an internal device error (BOT 1.0 §6.6.2), before anything
    // runs. An allocation length is no such demand: REPORT LUNS with FFFFFFFFh gets its 16 bytes.
    const tooLarge = plan.upTo !== true && plan.bytes > this.lu.maxCommandData;
    if (host.direction === 'out') {
      this.state = dataOutState(cbw, plan, tooLarge, this.spare);
      return ok();
    }
    if (tooLarge) {
      this.finish(cbw, 'phase-error', 0, host.direction === 'in');
      return ok();
    }
    if (plan.direction === 'out') {
      // Cases 3 (Hn < Do) and 8 (Hi <> Do): the device wanted data the host will not send.
      const c = classifyBotCase(host, { direction: 'out', length: plan.bytes });
      this.finish(cbw, 'phase-error', 0, c.number === 8);
      return ok();
    }
    const result = await this.run(this.unit(cbw), cbw.cdb);
    // Reset while it ran: the CBW transfer itself went through; its answer is dropped.
    if (!result) return ok();
    const data = result.dataIn;
    const c = classifyBotCase(host, {
      direction: data.length > 0 ? 'in' : 'none',
      length: data.length,
    });
    this.respondIn(cbw, c, data, result.status === 'good' ? 'passed' : 'failed');
    return ok();
  }

  private respondIn(cbw: DecodedCbw, c: BotCase, data: DataIn, status: CswStatus): void {
    const n = cbw.dataTransferLength;
    const q = this.lu.profile.quirks;
    if (c.status === 'phase-error') {
      // Case 7 (Hi < Di): QEMU-like devices send N bytes and call it success; BOT says phase error.
      if (c.number === 7 && q.truncateExcessDataIn) {
        this.queueIn(cbw, headOf(data, n), false, encodeCsw({ tag: cbw.tag, residue: 0, status }));
        return;
      }
      this.finish(
        cbw,
        'phase-error',
        0,
        c.host === 'in',
        c.number === 7 ? headOf(data, n) : undefined,
      );
      return;
    }
    const csw = encodeCsw({
      tag: cbw.tag,
      residue: q.zeroResidue ? 0 : (expectedCsw(c, n, data.length).residue ?? 0),
      status,
    });
    if (c.host !== 'in' || data.length === n) {
      this.queueIn(cbw, data, false, csw);
      return;
    }
    // Cases 4 and 5: short data — pad to N, or stall Bulk-In (BOT 1.0 §6.7.2).
    if (q.stallShortDataIn || n - data.length > MAX_FILL) this.queueIn(cbw, data, true, csw);
    else this.queueIn(cbw, paddedTo(data, n), false, csw);
  }

  /**
   * Executes on the logical unit, taking as long as the profile's latency model
   * says; undefined when the host reset the device meanwhile (`generation`), so
   * the caller answers nothing.
   */
  private async run(
    lu: DiskLu,
    cdb: Uint8Array,
    dataOut?: Uint8Array,
  ): Promise<Awaited<ReturnType<DiskLu['executeForTransfer']>> | undefined> {
    const generation = this.generation;
    const busy: State = { kind: 'busy' };
    this.state = busy;
    const result = await lu.executeForTransfer(cdb, dataOut ?? NO_BYTES, this.initiator);
    const { perCommandMs, perMiBMs } = this.lu.profile.quirks.latency;
    const moved = result.dataIn.length + (dataOut?.length ?? 0);
    const delay = perCommandMs + (perMiBMs * moved) / (1024 * 1024);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    if (generation === this.generation) return result;
    // A halt cleared meanwhile leaves the device waiting for a CBW; a reset already did that,
    // and a command the host started since is not this one's to touch.
    if (this.state === busy) this.state = { kind: 'idle' };
    return undefined;
  }

  private queueIn(cbw: DecodedCbw, data: DataIn, stallAfter: boolean, csw: Uint8Array): void {
    this.state =
      data.length > 0 || stallAfter
        ? { kind: 'data-in', cbw, data, sent: 0, stallAfter, csw }
        : { kind: 'status', csw };
  }

  /**
   * A READ's blocks could not be read as the host took them (an image file's I/O error,
   * medium-error.ts): the data stage ends with a stall, the CSW reports the command failed with
   * what was not sent as its residue (BOT 1.0 §6.7.2), and the next REQUEST SENSE says MEDIUM
   * ERROR and names the block. The device goes on serving.
   */
  private unreadable(s: Extract<State, { kind: 'data-in' }>, e: MediumError): PipeResult {
    this.unit(s.cbw).failedTransfer(e, this.initiator);
    const residue = this.lu.profile.quirks.zeroResidue ? 0 : s.cbw.dataTransferLength - s.sent;
    this.state = { kind: 'status', csw: encodeCsw({ tag: s.cbw.tag, residue, status: 'failed' }) };
    this.halted.in = true;
    return STALL;
  }

  /** Ends a command with a CSW; `stallIn` stalls Bulk-In first (after any `data`). */
  private finish(
    cbw: DecodedCbw,
    status: CswStatus,
    residue: number,
    stallIn = false,
    data?: DataIn,
  ): void {
    const csw = encodeCsw({ tag: cbw.tag, residue, status });
    this.queueIn(cbw, data ?? NO_BYTES, stallIn, csw);
  }

  private async receiveData(
    s: Extract<State, { kind: 'data-out' }>,
    chunk: Uint8Array,
  ): Promise<PipeResult> {
    const cbw = s.cbw;
    const n = cbw.dataTransferLength;
    if (s.refuse) {
      // Cases 10 (Ho <> Di) and 13 (Ho < Do), or a command too large (§6.6.2): stall Bulk-Out, phase error.
      this.halted.out = true;
      this.finish(cbw, 'phase-error', 0);
      return STALL;
    }
    // Bytes past N are no part of this data phase; bytes past what the command takes are
    // accepted and discarded (cases 9 and 11, BOT 1.0 §6.7.3), so memory stays bounded by the command.
    const inPhase = chunk.subarray(0, n - s.seen);
    const room = s.kept.limit - s.kept.length;
    const part = inPhase.subarray(0, room);
    const seen = s.seen + inPhase.length;
    // The transfer goes on until N bytes came or a short packet ended it (USB 2.0 §5.8.3).
    const more =
      seen < n && chunk.length > 0 && chunk.length % speedOf(this.lu.profile).bulkMaxPacket === 0;
    // A part of a larger transfer is copied too, so the discarded rest is not held through it.
    s.kept.add(part, !more && part.length === chunk.length);
    if (more) {
      this.state = { ...s, seen };
      return ok();
    }
    const used = s.kept.take();
    const result = await this.run(this.unit(cbw), cbw.cdb, used).finally(() => s.kept.release());
    if (!result) return ok();
    // Residue: N less the bytes the command processed (§6.7.3, cases 9, 11 and 12).
    const residue = this.lu.profile.quirks.zeroResidue
      ? 0
      : (expectedCsw(s.botCase, n, used.length).residue ?? 0);
    this.finish(cbw, result.status === 'good' ? 'passed' : 'failed', residue);
    return ok();
  }
}

/** Which of the two bulk endpoints `endpoint` (bEndpointAddress) is, if either. */
function directionOf(endpoint: number): 'in' | 'out' | undefined {
  return endpoint === BULK_IN ? 'in' : endpoint === BULK_OUT ? 'out' : undefined;
}

/**
 * The data-out phase a CBW opens: the case it makes and how much of the data the
 * command takes. `kept` is bounded by that amount, never by N alone.
 */
function dataOutState(
  cbw: DecodedCbw,
  plan: ReturnType<DiskLu['plan']>,
  tooLarge: boolean,
  spare: JoinSpare,
): Extract<State, { kind: 'data-out' }> {
  const n = cbw.dataTransferLength;
  const botCase = classifyBotCase(
    { direction: 'out', length: n },
    { direction: plan.direction, length: plan.bytes },
  );
  const wanted = plan.direction === 'out' ? Math.min(n, plan.bytes) : 0;
  return {
    kind: 'data-out',
    cbw,
    botCase,
    refuse: tooLarge || botCase.status === 'phase-error',
    kept: new DataOutJoin(wanted, spare),
    seen: 0,
  };
}
