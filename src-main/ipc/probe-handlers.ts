/**
 * The `device.probe` channel: the probe plan for a device of the session, run
 * by the engine (src-main/engine/probe.ts). A real device first gets the plan
 * back unsent, with what needs the user's yes; the confirmed request runs it.
 */
import type { ParsedRequestOf, ResponseOf } from '../../shared/ipc/contract';
import { toWireOutcome } from '../../shared/ipc/outcome';
import { describeFindings } from '../../shared/probe/describe';
import type { ProbeStep } from '../../shared/probe/plan';
import { planFor, runProbe, stepNeedsConfirmation } from '../engine/probe';
import type { Transport } from '../engine/transport';

type ProbeResponse = ResponseOf<'device.probe'>;
type WireStep = ProbeResponse['steps'][number];

function wireStep(step: ProbeStep): Omit<WireStep, 'result' | 'note' | 'outcome'> {
  return {
    id: step.id,
    purpose: step.purpose,
    cdb: step.cdb,
    direction: step.direction,
    transferLength: step.transferLength,
    nonStandard: step.nonStandard,
  };
}

/** @param sessionDevice opens (or finds open) a device of the session */
export function probeHandler(
  sessionDevice: (id: string) => Promise<Transport>,
): (req: ParsedRequestOf<'device.probe'>) => Promise<ProbeResponse> {
  return async (req) => {
    const t = await sessionDevice(req.device);
    const device = t.describe();
    const plan = planFor(device, { allFamilies: req.allFamilies });
    const base = { device: device.id, vendorId: plan.vendorId ?? null, leftOut: [...plan.leftOut] };
    if (device.kind === 'usb' && !req.confirmed) {
      const vendor = plan.steps.filter((s) => stepNeedsConfirmation(device, s));
      return {
        ...base,
        ran: false,
        confirmation: `The probe sends ${plan.steps.length} read-only commands to ${device.id}${vendor.length > 0 ? `, ${vendor.length} of them vendor-specific opcodes (${vendor.map((s) => s.id).join(', ')}) that a bridge of another family may take for something else` : ''}. Run it?`,
        steps: plan.steps.map((s) => ({
          ...wireStep(s),
          result: 'planned' as const,
          note: 'planned',
          outcome: null,
        })),
        findings: [],
      };
    }
    const run = await runProbe(t, plan, { confirm: () => Promise.resolve(req.confirmed) });
    return {
      ...base,
      ran: true,
      steps: run.steps.map((r) => ({
        ...wireStep(r.step),
        result: r.result,
        note: r.note,
        outcome: r.outcome ? toWireOutcome(r.outcome) : null,
      })),
      findings: describeFindings(run.facts, run.steps, plan.vendorId),
    };
  };
}
