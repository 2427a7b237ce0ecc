/**
 * `usbcdb probe`: what sits behind a USB bridge, found with read-only
 * commands only (shared/probe/plan.ts): prints the plan, runs it
 * (src-main/engine/probe.ts), prints the findings. On a real device each
 * vendor-specific opcode is asked about first unless --yes; a run without a
 * terminal to ask on leaves them unsent and says so.
 */
import { describeFindings, describePlan } from '../../../shared/probe/describe';
import { formatHex } from '../../../shared/scsi/hex';
import type { ProbeStep } from '../../../shared/probe/plan';
import { planFor, runProbe, stepNeedsConfirmation } from '../../engine/probe';
import { flag, type ParsedArgs } from '../args';
import type { CliCommand } from '../command';
import {
  exitCodeFor,
  requestOptions,
  DEVICE_OPTION_SPEC,
  deviceUsage,
  settle,
  withTransport,
} from '../device-session';
import { EXIT } from '../exit-codes';
import { toJson, type CliIo } from '../io';
import { terminalAsk } from '../terminal-ask';

export const probeCommand: CliCommand = {
  name: 'probe',
  options: { ...DEVICE_OPTION_SPEC, 'all-families': 'flag', yes: 'flag' },
  summary:
    'Find out what sits behind a USB bridge (SAT or not, ATA or NVMe, model, health), read-only',
  usage: `${deviceUsage(
    `usbcdb probe [--all-families] [--yes] [options]
  Sends, safest first: INQUIRY, VPD 00h/80h/83h, READ CAPACITY(16)/(10), SAT ATA PASS-THROUGH(16)
  IDENTIFY DEVICE and SMART RETURN STATUS, then the vendor pass-through families whose USB vendor
  ID fits the device (all of them with --all-families). Never a data-out command.`,
    {
      options: [
        [
          '--yes',
          'send vendor-specific opcodes to a real (usb:) device without asking; without a',
          'terminal to ask on, they are not sent unless --yes is given',
        ],
        ['--all-families', 'try every vendor family, not only those matching the USB vendor ID'],
      ],
      json: [
        '--json',
        '{device, vendorId, steps: [{id, family, purpose, cdb, direction, transferLength,',
        'nonStandard, result, note, outcome}], leftOut, facts, findings}',
      ],
    },
  )}
Exit status: 0 when the device answered the standard INQUIRY (what the later steps refuse is a
finding); else the sg3_utils category of that INQUIRY's failure, as sg_inq gives it.`,
  run: async (args: ParsedArgs, io: CliIo) => {
    const given = requestOptions(args);
    if (given instanceof Error) {
      io.err(`probe: ${given.message}`);
      return EXIT.syntax;
    }
    const json = flag(args, 'json');
    return withTransport(args, io, async (t) => {
      const device = t.describe();
      const plan = planFor(device, { allFamilies: flag(args, 'all-families') });
      if (!json) {
        io.out(
          `Probe plan for ${device.id} (${plan.vendorId === undefined ? 'USB vendor ID unknown' : `USB vendor ID ${plan.vendorId.toString(16).padStart(4, '0')}`}):`,
        );
        io.out(describePlan(plan).join('\n'));
        if (plan.leftOut.length > 0)
          io.out(`Left out:\n${plan.leftOut.map((l) => `  - ${l}`).join('\n')}`);
        io.out('');
      }
      const yes = flag(args, 'yes');
      const ask = yes ? undefined : terminalAsk();
      const pending = plan.steps.filter((s) => stepNeedsConfirmation(device, s));
      if (pending.length > 0 && !yes && !ask)
        io.err(
          `probe: not sending ${pending.length} vendor-specific opcode${pending.length === 1 ? '' : 's'} (${pending.map((s) => s.id).join(', ')}) to ${device.id} without a yes: this run has no terminal to ask on; add --yes to send them.`,
        );
      const confirm = async (step: ProbeStep): Promise<boolean> =>
        yes ||
        ((await ask?.(
          `Send vendor-specific ${formatHex(step.cdb)} (${step.purpose}) to ${device.id}?`,
        )) ??
          false);
      await settle(t, given);
      const run = await runProbe(t, plan, { ...given, confirm });
      const findings = describeFindings(run.facts, run.steps, plan.vendorId);
      // Every other step's answer is read beside INQUIRY's: without it the probe learnt nothing.
      const inquiry = run.steps.find((r) => r.step.id === 'inquiry')?.outcome;
      const code = inquiry ? exitCodeFor(inquiry) : EXIT.ok;
      if (json) {
        io.out(
          toJson({
            device,
            vendorId: plan.vendorId ?? null,
            steps: run.steps.map((r) => ({
              id: r.step.id,
              family: r.step.family,
              purpose: r.step.purpose,
              cdb: r.step.cdb,
              direction: r.step.direction,
              transferLength: r.step.transferLength,
              nonStandard: r.step.nonStandard,
              result: r.result,
              note: r.note,
              ...(r.outcome ? { outcome: r.outcome } : {}),
            })),
            leftOut: plan.leftOut,
            facts: run.facts,
            findings,
          }),
        );
        return code;
      }
      io.out('Steps:');
      for (const r of run.steps)
        io.out(`  ${r.step.id.padEnd(17)} ${r.result.padEnd(8)} ${r.note}`);
      io.out('');
      io.out('Findings:');
      io.out(findings.map((f) => `  - ${f}`).join('\n'));
      return code;
    });
  },
};
