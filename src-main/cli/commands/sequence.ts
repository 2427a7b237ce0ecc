/**
 * `usbcdb sequence [NAME] [--vendor-set FILE]` lists the sequences of the
 * vendor sets, or runs one: its steps in order, each answer decoded with
 * its command's response layout, stopping at the first failure.
 */
import { dataOutLengthOf } from '../../engine/confirmation';
import { runSequence, type SequenceResult } from '../../engine/sequence';
import { formatHex } from '../../../shared/scsi/hex';
import type { DecodedRow } from '../../../shared/vendor-sets/layout';
import type { SequenceDef, VendorSet } from '../../../shared/vendor-sets/model';
import type { DeviceFacts } from '../../engine/settle';
import { BUILT_IN_SETS } from '../../../shared/vendor-sets/registry';
import { flag, type ParsedArgs } from '../args';
import type { CliCommand } from '../command';
import {
  requestOptions,
  DEVICE_OPTION_SPEC,
  deviceUsage,
  exitCodeFor,
  refuseWithoutForce,
  renderOutcome,
  settle,
  withTransport,
} from '../device-session';
import { EXIT } from '../exit-codes';
import { toJson, type CliIo } from '../io';
import { vendorSetsFromArgs } from '../vendor-set-options';

function renderRows(rows: readonly DecodedRow[], indent: string): string[] {
  return rows.flatMap((r) => [
    `${indent}${r.name} (${r.key}): ${r.value}`,
    ...renderRows(r.children ?? [], indent + '  '),
  ]);
}

/**
 * Each step: its CDB and status; decoded rows on success, the doctor's words on failure. The
 * doctor reads a failed step's CDB as a command of `set`, the set being run: its opcode may be
 * another command in the catalog or in another set (Cypress's 16-byte 24h is a 10-byte group-1
 * opcode to SPC), and the step was built as this set's command.
 */
function renderSequence(
  set: VendorSet,
  sequence: SequenceDef,
  run: SequenceResult,
  device: DeviceFacts = {},
): string {
  const lines = [`${sequence.alias}: ${sequence.name}`];
  run.steps.forEach((s, i) => {
    const good = s.outcome.transportError === undefined && s.outcome.status === 0;
    if (!good) {
      lines.push(`step ${i} ${s.command}:`, renderOutcome(s.request, s.outcome, device, [set]));
      return;
    }
    const n = s.outcome.dataIn.length;
    lines.push(
      `step ${i} ${s.command}: ${formatHex(s.cdb)}: GOOD${n > 0 ? `, ${n} byte${n === 1 ? '' : 's'} in` : ''}`,
      ...renderRows(s.rows, '  '),
    );
  });
  lines.push(
    run.completed
      ? `completed: ${run.steps.length} of ${sequence.steps.length} steps GOOD`
      : `stopped after ${run.steps.length} of ${sequence.steps.length} steps`,
  );
  return lines.join('\n');
}

export const sequenceCommand: CliCommand = {
  name: 'sequence',
  options: DEVICE_OPTION_SPEC,
  positionals: 1,
  summary: 'Run a sequence of vendor commands (usbcdb sequence lists them)',
  usage: `${deviceUsage(
    `usbcdb sequence [--vendor-set FILE…]           list the sequences
usbcdb sequence NAME [--vendor-set FILE…] [--force] [options]

Runs the steps of sequence NAME (e.g. example.set-led-and-check) in order, each CDB built
from the step's fields and earlier steps' answers, and stops at the first step that fails.`,
    {
      vendorSets:
        "(the sequences of the --vendor-set files are listed and run beside the built-in sets')",
      json: [
        '--json',
        '{device, sequence, steps: [{command, cdb, request, outcome, rows}], completed, problem};',
        'the list (no NAME): [{set, alias, name, summary, steps}]',
      ],
    },
  )}
Exit status: 0 when every step completed GOOD, else the sg3_utils category of the failed
step; 1 on bad input or a step that cannot be built; 15 when FILE cannot be read.`,
  run: async (args: ParsedArgs, io: CliIo) => {
    const files = await vendorSetsFromArgs(args, io, 'sequence');
    if (!files) return EXIT.fileError;
    // A shipped set named by --vendor-set is already among the built-in ones; a file may not take
    // a built-in set's name, which would make its sequences' names ambiguous.
    const added = files.filter((s) => !BUILT_IN_SETS.includes(s));
    const clash = added.find((s) => BUILT_IN_SETS.some((b) => b.name === s.name));
    if (clash) {
      io.err(`sequence: a --vendor-set file declares set "${clash.name}", a built-in set's name`);
      return EXIT.syntax;
    }
    const sets = [...BUILT_IN_SETS, ...added];
    const all = sets.flatMap((set) => set.sequences.map((sequence) => ({ set, sequence })));
    const name = args.positionals[0];
    if (name === undefined) {
      if (flag(args, 'json'))
        io.out(
          toJson(
            all.map(({ set, sequence }) => ({
              set: set.name,
              alias: sequence.alias,
              name: sequence.name,
              summary: sequence.summary,
              steps: sequence.steps.map((s) => s.command),
            })),
          ),
        );
      else
        for (const { sequence } of all)
          io.out(`${sequence.alias.padEnd(32)} ${sequence.name}: ${sequence.summary}`);
      return EXIT.ok;
    }
    const found = all.find((x) => x.sequence.alias === name);
    if (!found) {
      io.err(`sequence: no sequence "${name}"; usbcdb sequence lists them`);
      return EXIT.syntax;
    }
    const given = requestOptions(args);
    if (given instanceof Error) {
      io.err(`sequence: ${given.message}`);
      return EXIT.syntax;
    }
    const { set, sequence } = found;
    return withTransport(
      args,
      io,
      async (t, vendorSets) => {
        const device = await settle(t, given);
        // --force answers every step's question, so none is asked.
        const run = await runSequence(
          t,
          set,
          sequence,
          given.lun,
          given.timeoutMs,
          flag(args, 'force')
            ? {}
            : {
                refuse: (request) =>
                  refuseWithoutForce(t, args, request.cdb, dataOutLengthOf(request), vendorSets),
              },
        );
        if (flag(args, 'json'))
          io.out(
            toJson({
              device: t.describe(),
              sequence: sequence.alias,
              steps: run.steps,
              completed: run.completed,
              ...(run.problem ? { problem: run.problem } : {}),
            }),
          );
        else io.out(renderSequence(set, sequence, run, device));
        const last = run.steps.at(-1);
        // Why the run stopped short (a step refused without --force, one that cannot be built) is
        // a refusal like raw's, for stderr: the report above holds only what the device answered.
        if (run.problem) {
          io.err(`sequence: ${run.problem.message}`);
          return EXIT.syntax;
        }
        return run.completed || !last ? EXIT.ok : exitCodeFor(last.outcome);
      },
      { files },
    );
  },
};
