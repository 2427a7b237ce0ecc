/**
 * Running a vendor-set sequence (shared/vendor-sets/model.ts, `SequenceDef`)
 * on a device: each step planned from the answers before it
 * (shared/vendor-sets/sequence.ts), sent, and its answer decoded with the
 * command's response layout. The run stops at the first step that does not
 * complete GOOD — a transport error, CHECK CONDITION or any other status —
 * or that cannot be built, since later steps may depend on it. It asks for
 * no confirmation itself: callers gate real devices through
 * `SequenceOptions.refuse` (engine/confirmation.ts), which is asked about
 * every step before the first is sent and again about each as it is built.
 */
import { decodeLayout, type DecodedRow } from '../../shared/vendor-sets/layout';
import type { SequenceDef, VendorCommandDef, VendorSet } from '../../shared/vendor-sets/model';
import { stepCdb, type PlannedStep, type StepResult } from '../../shared/vendor-sets/sequence';
import { problem, type Problem } from '../../shared/scsi/result';
import type { CommandOutcome, CommandRequest, Transport } from './transport';

/** One step as it ran. */
export interface StepRun {
  /** The command's alias (`example.get-led`). */
  readonly command: string;
  readonly cdb: Uint8Array;
  readonly request: CommandRequest;
  readonly outcome: CommandOutcome;
  /** The data-in decoded with the step's or else the command's response layout (empty without one, or when it failed). */
  readonly rows: readonly DecodedRow[];
}

export interface SequenceResult {
  /** The steps that were sent, in order; the last one is the failure when `completed` is false. */
  readonly steps: readonly StepRun[];
  /** Every step ran and completed GOOD. */
  readonly completed: boolean;
  /** Why step `steps.length` was not sent: it could not be built, or `refuse` refused it. */
  readonly problem?: Problem;
}

export interface SequenceOptions {
  /**
   * Asked before each step is sent, with the request as built: a sentence
   * stops the run there (nothing is sent for that step) and becomes the
   * result's `needs-confirmation` problem. The CLI's --force gate.
   */
  readonly refuse?: (request: CommandRequest, command: VendorCommandDef) => string | undefined;
}

/**
 * `refuse` asked about every step before anything is sent, each planned with
 * values from earlier answers at their defaults (stepCdb's `ahead`); a step
 * that cannot be planned yet is left to the check as it is built.
 */
function refusedAhead(
  set: VendorSet,
  sequence: SequenceDef,
  lun: number,
  timeoutMs: number,
  refuse: NonNullable<SequenceOptions['refuse']>,
): Problem | undefined {
  for (let i = 0; i < sequence.steps.length; i++) {
    const plan = stepCdb(set, sequence, i, [], { ahead: true });
    const refusal = plan.ok
      ? refuse(requestOf(plan.value, lun, timeoutMs), plan.value.command)
      : undefined;
    if (refusal !== undefined)
      return problem('needs-confirmation', `${sequence.alias} step ${i}: ${refusal}`);
  }
  return undefined;
}

/** The command a planned step sends, to `lun` with `timeoutMs`. */
function requestOf(step: PlannedStep, lun: number, timeoutMs: number): CommandRequest {
  return {
    cdb: step.cdb,
    lun,
    direction: step.direction,
    transferLength: step.transferLength,
    ...(step.dataOut ? { dataOut: step.dataOut } : {}),
    timeoutMs,
  };
}

/** GOOD status (SAM-5, status codes) with no transport error. */
function succeeded(o: CommandOutcome): boolean {
  return o.transportError === undefined && o.status === 0;
}

/**
 * Runs `sequence` of `set` on `transport` at `lun`, each command with
 * `timeoutMs`. Never throws for device behaviour; resolves once the last
 * step that ran has been answered.
 */
export async function runSequence(
  transport: Transport,
  set: VendorSet,
  sequence: SequenceDef,
  lun: number,
  timeoutMs: number,
  options: SequenceOptions = {},
): Promise<SequenceResult> {
  const steps: StepRun[] = [];
  const previous: StepResult[] = [];
  const ahead = options.refuse
    ? refusedAhead(set, sequence, lun, timeoutMs, options.refuse)
    : undefined;
  if (ahead) return { steps, completed: false, problem: ahead };
  for (let i = 0; i < sequence.steps.length; i++) {
    const plan = stepCdb(set, sequence, i, previous);
    if (!plan.ok) return { steps, completed: false, problem: plan.error };
    const p = plan.value;
    const request = requestOf(p, lun, timeoutMs);
    const refusal = options.refuse?.(request, p.command);
    if (refusal !== undefined)
      return {
        steps,
        completed: false,
        problem: problem('needs-confirmation', `${sequence.alias} step ${i}: ${refusal}`),
      };
    const outcome = await transport.execute(request);
    const ok = succeeded(outcome);
    const rows = ok && p.response ? decodeLayout(p.response, outcome.dataIn) : [];
    steps.push({
      command: sequence.steps[i]?.command ?? '',
      cdb: p.cdb,
      request,
      outcome,
      rows,
    });
    if (!ok) return { steps, completed: false };
    previous.push({ dataIn: outcome.dataIn, decoded: rows });
  }
  return { steps, completed: true };
}
