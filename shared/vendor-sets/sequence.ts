/**
 * Planning one step of a sequence (model.ts, `SequenceDef`): which command,
 * the CDB built from the step's field values (numbers, or response fields
 * of earlier steps), and the data phase the CDB asks for. Nothing is sent
 * here (docs/style.md lesson 8): src-main/engine/sequence.ts sends.
 */
import { dataPhaseOf, type CommandSpec, type Direction } from '../scsi/catalog';
import { buildCdb } from '../scsi/cdb/build';
import { parseHex } from '../scsi/hex';
import { err, ok, problem, type Result } from '../scsi/result';
import { findRow, type DecodedRow } from './layout';
import type { Layout, SequenceDef, VendorCommandDef, VendorSet } from './model';

/** What an earlier step left for later ones: its data-in and that data decoded. */
export interface StepResult {
  readonly dataIn: Uint8Array;
  readonly decoded: readonly DecodedRow[];
}

/** A step ready to send. */
export interface PlannedStep {
  readonly command: VendorCommandDef;
  readonly spec: CommandSpec;
  readonly cdb: Uint8Array;
  readonly direction: Direction;
  /** Bytes of the data phase (data-in: what the host accepts; data-out: `dataOut.length`). */
  readonly transferLength: number;
  readonly dataOut?: Uint8Array;
  /** The layout the step's data-in decodes with: the step's own `response`, else the command's. */
  readonly response?: Layout;
}

/** The command a sequence step names, by alias. */
function stepCommand(set: VendorSet, alias: string): VendorCommandDef | undefined {
  return set.commands.find((c) => c.spec.aliases.includes(alias));
}

export interface PlanOptions {
  /**
   * Planning before the run, to ask about each step before anything is sent:
   * a field taken from a step that has not run keeps its default, and a
   * data-out taken from one is counted at the length the CDB asks for.
   */
  readonly ahead?: boolean;
}

/**
 * Plans step `stepIndex` of `sequence` given the results of the steps
 * before it (`previous[i]` for step i). Field values given as references
 * read the earlier step's decoded row (a number, or a flag as 0/1); a
 * data-out given as `{ step }` is that step's data-in. When the step has
 * data-out and does not set the data-out length field, the field is set to
 * the data-out's length. Every error names the step and the field.
 */
export function stepCdb(
  set: VendorSet,
  sequence: SequenceDef,
  stepIndex: number,
  previous: readonly StepResult[],
  options: PlanOptions = {},
): Result<PlannedStep> {
  const step = sequence.steps[stepIndex];
  const at = `${sequence.alias} step ${stepIndex}`;
  const fail = (code: string, message: string): Result<PlannedStep> =>
    err(problem(code, `${at}: ${message}`));
  if (!step) return fail('sequence-step', `the sequence has ${sequence.steps.length} steps`);
  const command = stepCommand(set, step.command);
  if (!command) return fail('sequence-step', `the set ${set.name} has no command ${step.command}`);
  const spec = command.spec;
  const where = `${at} (${step.command})`;

  const values: Record<string, number | bigint> = {};
  for (const [key, v] of Object.entries(step.fields ?? {})) {
    if (typeof v === 'number') {
      values[key] = v;
      continue;
    }
    const earlier = v.step < stepIndex ? previous[v.step] : undefined;
    if (!earlier && options.ahead && v.step < stepIndex) continue;
    if (!earlier)
      return err(
        problem(
          'sequence-reference',
          `${where}: field ${key} takes ${v.field} from step ${v.step}, which has not run before this step`,
        ),
      );
    const row = findRow(earlier.decoded, v.field);
    if (!row)
      return err(
        problem(
          'sequence-reference',
          `${where}: field ${key} takes ${v.field} from step ${v.step}, whose answer has no such field`,
        ),
      );
    if (row.absent)
      return err(
        problem(
          'sequence-reference',
          `${where}: field ${key} takes ${v.field} from step ${v.step}, but that answer (${earlier.dataIn.length} bytes) ended before it`,
        ),
      );
    const raw = row.raw;
    if (typeof raw === 'boolean') values[key] = raw ? 1 : 0;
    else if (typeof raw === 'number' || typeof raw === 'bigint') {
      if (raw < 0)
        return err(
          problem(
            'sequence-reference',
            `${where}: field ${key} takes ${v.field} from step ${v.step}, which is negative (${raw}); a CDB field holds 0 or more`,
          ),
        );
      values[key] = raw;
    } else
      return err(
        problem(
          'sequence-reference',
          `${where}: field ${key} takes ${v.field} from step ${v.step}, which is not a number (${row.value})`,
        ),
      );
  }

  let dataOut: Uint8Array | undefined;
  let dataOutLater = false;
  if (step.dataOut && 'hex' in step.dataOut) {
    const bytes = parseHex(step.dataOut.hex, `${where} dataOut`);
    if (!bytes.ok) return bytes;
    dataOut = bytes.value;
  } else if (step.dataOut) {
    const earlier = step.dataOut.step < stepIndex ? previous[step.dataOut.step] : undefined;
    dataOutLater = !earlier && options.ahead === true && step.dataOut.step < stepIndex;
    if (!earlier && !dataOutLater)
      return err(
        problem(
          'sequence-reference',
          `${where}: dataOut takes the data-in of step ${step.dataOut.step}, which has not run before this step`,
        ),
      );
    dataOut = earlier?.dataIn;
  }

  // The data-out length field follows the data unless the step sets it.
  const outRule = spec.length.find((r) => r.direction === 'out' && r.field !== undefined);
  if (dataOut && outRule?.field !== undefined && values[outRule.field] === undefined)
    values[outRule.field] = dataOut.length;

  const built = buildCdb(spec, values);
  if (!built.ok) return err(problem(built.error.code, `${where}: ${built.error.message}`));
  const cdb = built.value;
  const response = step.response ?? command.response;
  const decodeWith = response ? { response } : {};
  const phase = dataPhaseOf(cdb, spec.fields, spec.length);
  if (phase.direction !== 'none' && phase.rule?.unit !== 'bytes')
    return err(
      problem(
        'sequence-length',
        `${where}: the data phase is counted in ${phase.rule?.unit ?? 'unknown units'}; a sequence step needs a length in bytes`,
      ),
    );
  const units = phase.units ?? 0;
  if (phase.direction === 'out') {
    if (!dataOut && dataOutLater)
      return ok({ command, spec, cdb, direction: 'out', transferLength: units, ...decodeWith });
    if (!dataOut)
      return err(
        problem(
          'sequence-data-out',
          `${where}: the CDB asks for ${units} bytes of data-out; give the step a dataOut`,
        ),
      );
    if (phase.units !== undefined && dataOut.length !== units)
      return err(
        problem(
          'sequence-data-out',
          `${where}: the CDB asks for ${units} bytes of data-out, but dataOut holds ${dataOut.length}`,
        ),
      );
    return ok({
      command,
      spec,
      cdb,
      direction: 'out',
      transferLength: dataOut.length,
      dataOut,
      ...decodeWith,
    });
  }
  if (dataOut && dataOut.length > 0)
    return err(
      problem(
        'sequence-data-out',
        `${where}: dataOut is given, but the CDB has ${phase.direction === 'in' ? 'a data-in phase' : 'no data phase'}`,
      ),
    );
  return ok({
    command,
    spec,
    cdb,
    direction: phase.direction,
    transferLength: units,
    ...decodeWith,
  });
}
