/**
 * Runs a probe plan (shared/probe/plan.ts) against a Transport: the steps in
 * order, a family stopped at its first refusal, READ CAPACITY(10) only when
 * (16) did not answer, and vendor-specific steps on a real device only after
 * `confirm` says yes. Returns every step with its outcome and the facts.
 */
import { DEFAULT_TIMEOUT_MS } from '../../shared/exchange';
import {
  probePlan,
  type ProbeOptions,
  type ProbePlan,
  type ProbeStep,
} from '../../shared/probe/plan';
import { classify, probeFacts, type ProbeFacts, type StepRun } from '../../shared/probe/interpret';
import { findProfile } from '../emulator/profiles';
import type { DeviceDescription, Transport } from './transport';

export interface ProbeRunOptions {
  readonly lun?: number;
  readonly timeoutMs?: number;
  /**
   * Asked before each vendor-specific step on a `usb:` device; without it,
   * such steps are declined. Emulated and replayed devices are never asked.
   */
  readonly confirm?: (step: ProbeStep) => Promise<boolean>;
}

export interface ProbeRun {
  readonly plan: ProbePlan;
  readonly steps: readonly StepRun[];
  readonly facts: ProbeFacts;
}

/**
 * The device's USB vendor ID: from a `usb:VVVV:PPPP` id, or an emulated
 * profile's descriptor; undefined for a replay.
 */
export function usbVendorIdOf(device: DeviceDescription): number | undefined {
  if (device.kind === 'usb') {
    const m = /^usb:([0-9a-f]{4}):/i.exec(device.id);
    return m ? parseInt(m[1] as string, 16) : undefined;
  }
  if (device.kind === 'emu') return findProfile(device.id.slice('emu:'.length))?.usb.vendorId;
  return undefined;
}

/** The plan for this device: its vendor ID picks the vendor families. */
export function planFor(device: DeviceDescription, options: ProbeOptions = {}): ProbePlan {
  return probePlan(usbVendorIdOf(device), options);
}

/** Whether a step must be confirmed on this device before it is sent. */
export function stepNeedsConfirmation(device: DeviceDescription, step: ProbeStep): boolean {
  return device.kind === 'usb' && step.nonStandard;
}

export async function runProbe(
  t: Transport,
  plan: ProbePlan,
  options: ProbeRunOptions = {},
): Promise<ProbeRun> {
  const device = t.describe();
  const runs: StepRun[] = [];
  const endedFamilies = new Set<string>();
  for (const step of plan.steps) {
    if (endedFamilies.has(step.family)) {
      runs.push({ step, result: 'skipped', note: `not sent: ${step.family} already refused` });
      continue;
    }
    const backed = step.onlyIfNotAnswered;
    if (backed !== undefined && runs.some((r) => r.step.id === backed && r.result === 'answered')) {
      runs.push({ step, result: 'skipped', note: `not needed: ${backed} answered` });
      continue;
    }
    if (stepNeedsConfirmation(device, step) && !(await (options.confirm?.(step) ?? false))) {
      runs.push({
        step,
        result: 'declined',
        note: `not sent: a vendor-specific opcode needs your yes on ${device.id}`,
      });
      continue;
    }
    const outcome = await t.execute({
      cdb: step.cdb,
      lun: options.lun ?? 0,
      direction: step.direction,
      transferLength: step.transferLength,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    });
    const { result, note } = classify(step, outcome);
    runs.push({ step, result, note, outcome });
    if (step.refusalEndsFamily && result !== 'answered') endedFamilies.add(step.family);
  }
  return { plan, steps: runs, facts: probeFacts(runs) };
}
