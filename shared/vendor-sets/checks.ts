/**
 * The guarantees of a vendor set, checked for every set (built-in or a
 * user's file, at load). Its command declarations go through the very check
 * the standard catalog's tests use (`catalogProblems`, shared/scsi/catalog/
 * problems.ts: opcode field at byte 0, every field inside the CDB, no
 * overlapping fields, unique keys, aliases and opcodes, length rules naming
 * real fields, C0h–FFh only); this module adds what only a vendor set has:
 * response layouts, emulated answers and sequences that name only what
 * exists.
 *
 * Each problem carries the path of the offending value in the in-memory
 * model (`['commands', 0, 'spec', 'fields', 2, 'byte']`), so format.ts can
 * name the line of the file it came from.
 */
import { catalogProblems } from '../scsi/catalog/problems';
import { widthText } from '../scsi/catalog/fields';
import { parseHex, t10Hex } from '../scsi/hex';
import { encodeLayout, layoutExtent } from './layout';
import {
  EMULATION_BEHAVIOURS,
  type AtaCommandDef,
  type Layout,
  type VendorCommandDef,
  type VendorSet,
} from './model';

export type ProblemPath = readonly (string | number)[];

export interface SpecProblem {
  /** Where the offending value is, from the checked value's root. */
  readonly path: ProblemPath;
  readonly message: string;
}

/**
 * A response layout's guarantees: keys unique within each layout and free of
 * dots (rows are named by dotted paths), bit ranges inside a byte, values
 * that fit their field, ATA strings of whole words, arrays whose count
 * field is an earlier number of the same layout and whose records do not
 * overlap.
 */
function checkLayout(layout: Layout, at: ProblemPath = []): SpecProblem[] {
  const out: SpecProblem[] = [];
  const earlier = new Map<string, string>();
  layout.forEach((f, j) => {
    const here = [...at, j];
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(f.key))
      out.push({ path: [...here, 'key'], message: 'must be letters, digits and _ (no dots)' });
    if (earlier.has(f.key))
      out.push({ path: [...here, 'key'], message: `"${f.key}" is used twice` });
    if (!Number.isSafeInteger(f.offset) || f.offset < 0)
      out.push({ path: [...here, 'offset'], message: 'must be a non-negative integer' });
    const valueMax =
      f.type === 'uint'
        ? 2n ** BigInt(f.size * 8) - 1n
        : f.type === 'bits'
          ? 2n ** BigInt(f.width) - 1n
          : 0n;
    if (f.type === 'uint' || f.type === 'bits')
      (f.values ?? []).forEach((v, k) => {
        if (BigInt(v.value) > valueMax)
          out.push({ path: [...here, 'values', k, 'value'], message: `must be 0–${valueMax}` });
      });
    if (f.type === 'bits' && f.bit + f.width > 8)
      out.push({
        path: [...here, 'width'],
        message: `bits ${f.bit}–${f.bit + f.width - 1} do not fit in one byte (bit + width must be at most 8)`,
      });
    if (f.type === 'ata-string' && f.length % 2 !== 0)
      out.push({
        path: [...here, 'length'],
        message: 'must be even: ATA strings are whole 16-bit words (ACS-4, IDENTIFY DEVICE)',
      });
    if (f.type === 'struct' || f.type === 'array') {
      if (f.layout.length === 0)
        out.push({ path: [...here, 'layout'], message: 'must declare at least one field' });
      out.push(...checkLayout(f.layout, [...here, 'layout']));
    }
    if (f.type === 'array') {
      if (typeof f.count !== 'number') {
        const type = earlier.get(f.count.field);
        if (type === undefined)
          out.push({
            path: [...here, 'count', 'field'],
            message: `must name an earlier field of the same layout ("${f.count.field}" is not one)`,
          });
        else if (type !== 'uint' && type !== 'bits')
          out.push({
            path: [...here, 'count', 'field'],
            message: `${f.count.field} is ${type}; a count must be a uint or bits field`,
          });
      }
      const extent = layoutExtent(f.layout);
      if (f.stride < extent)
        out.push({
          path: [...here, 'stride'],
          message: `must be at least ${extent}: records would overlap`,
        });
    }
    earlier.set(f.key, f.type);
  });
  return out;
}

const BEHAVIOUR_NEEDS: Readonly<
  Record<(typeof EMULATION_BEHAVIOURS)[number], { fields: string[]; direction?: 'in' | 'out' }>
> = {
  'event-log': { fields: [], direction: 'in' },
  'led-get': { fields: [], direction: 'in' },
  'led-set': { fields: ['state'] },
  'firmware-revision': { fields: [], direction: 'in' },
  'microcode-download': { fields: ['offset', 'activate'], direction: 'out' },
  'nvme-asmedia': { fields: ['command', 'numdl', 'cdw12', 'cdw13'], direction: 'in' },
  'nvme-realtek': {
    fields: ['command', 'transferLengthLsb', 'transferLengthMsb'],
    direction: 'in',
  },
};

function checkCommand(set: VendorSet, c: VendorCommandDef, i: number, out: SpecProblem[]): void {
  const at = ['commands', i];
  const keys = new Set(c.spec.fields.map((f) => f.key));
  c.spec.aliases.forEach((a, k) => {
    if (!a.startsWith(set.name + '.') || a.length === set.name.length + 1)
      out.push({
        path: [...at, 'spec', 'aliases', k],
        message: `must start with the set's name and a dot ("${set.name}.…") so it cannot clash with a standard command`,
      });
  });
  if (c.response) out.push(...checkLayout(c.response, [...at, 'response']));
  const e = c.emulation;
  if (!e) return;
  const directions = new Set(c.spec.length.map((r) => r.direction));
  (e.senseWhen ?? []).forEach((rule, k) => {
    rule.when.forEach((w, m) => {
      const f = c.spec.fields.find((x) => x.key === w.field);
      if (!f)
        out.push({
          path: [...at, 'emulation', 'senseWhen', k, 'when', m, 'field'],
          message: `names no field of the CDB ("${w.field}")`,
        });
      else if (w.equals >= 2 ** f.width)
        out.push({
          path: [...at, 'emulation', 'senseWhen', k, 'when', m, 'equals'],
          message: `does not fit in ${f.key} (${f.width} bits)`,
        });
    });
    if (rule.sense.field !== undefined && !keys.has(rule.sense.field))
      out.push({
        path: [...at, 'emulation', 'senseWhen', k, 'sense', 'field'],
        message: `names no field of the CDB ("${rule.sense.field}")`,
      });
  });
  if (e.data && e.behaviour !== undefined)
    out.push({
      path: [...at, 'emulation'],
      message: 'gives both data and behaviour; an answer comes from one of them',
    });
  if (e.data && !directions.has('in'))
    out.push({
      path: [...at, 'emulation', 'data'],
      message: 'the command has no data-in length rule, so it cannot return data',
    });
  if (e.data && 'hex' in e.data) {
    const bytes = parseHex(e.data.hex, 'hex');
    if (!bytes.ok)
      out.push({ path: [...at, 'emulation', 'data', 'hex'], message: bytes.error.message });
  } else if (e.data) {
    if (!c.response)
      out.push({
        path: [...at, 'emulation', 'data', 'values'],
        message: 'values need a response layout to be encoded into',
      });
    else {
      const encoded = encodeLayout(c.response, e.data.values, e.data.length);
      if (!encoded.ok)
        out.push({ path: [...at, 'emulation', 'data', 'values'], message: encoded.error.message });
    }
  }
  if (e.behaviour !== undefined) {
    const needs = BEHAVIOUR_NEEDS[e.behaviour as keyof typeof BEHAVIOUR_NEEDS] as
      (typeof BEHAVIOUR_NEEDS)[keyof typeof BEHAVIOUR_NEEDS] | undefined;
    if (!needs)
      out.push({
        path: [...at, 'emulation', 'behaviour'],
        message: `must be one of ${EMULATION_BEHAVIOURS.join(', ')}`,
      });
    else {
      const missing = needs.fields.filter((k) => !keys.has(k));
      if (missing.length > 0)
        out.push({
          path: [...at, 'emulation', 'behaviour'],
          message: `${e.behaviour} reads CDB field${missing.length === 1 ? '' : 's'} ${missing.join(', ')}, which the command does not declare`,
        });
      if (needs.direction && !directions.has(needs.direction))
        out.push({
          path: [...at, 'emulation', 'behaviour'],
          message: `${e.behaviour} needs a data-${needs.direction} length rule`,
        });
    }
  }
}

function checkSequences(set: VendorSet, out: SpecProblem[]): void {
  const seen = new Set<string>();
  const commandAliases = new Set(set.commands.flatMap((c) => c.spec.aliases));
  set.sequences.forEach((s, i) => {
    const at = ['sequences', i];
    if (!s.alias.startsWith(set.name + '.'))
      out.push({
        path: [...at, 'alias'],
        message: `must start with the set's name and a dot ("${set.name}.…")`,
      });
    if (seen.has(s.alias) || commandAliases.has(s.alias))
      out.push({ path: [...at, 'alias'], message: `"${s.alias}" is already used in this set` });
    seen.add(s.alias);
    if (s.steps.length === 0) out.push({ path: [...at, 'steps'], message: 'needs a step' });
    s.steps.forEach((step, k) => {
      const here = [...at, 'steps', k];
      const command = set.commands.find((c) => c.spec.aliases.includes(step.command));
      if (!command) {
        out.push({
          path: [...here, 'command'],
          message: `names no command of the set ("${step.command}"); its commands are ${[...commandAliases].join(', ')}`,
        });
        return;
      }
      for (const [key, v] of Object.entries(step.fields ?? {})) {
        const f = command.spec.fields.find((x) => x.key === key);
        if (!f || f.role === 'opcode') {
          out.push({
            path: [...here, 'fields', key],
            message: `${command.spec.name} has no field "${key}" to set`,
          });
          continue;
        }
        // The selector says which command the step sends; buildCdb keeps it at the command's own.
        if (
          command.spec.serviceAction !== undefined &&
          (f.role === 'serviceAction' || f.key === command.spec.serviceActionField)
        ) {
          out.push({
            path: [...here, 'fields', key],
            message: `${f.name} selects the command (${command.spec.name} is service action ${t10Hex(command.spec.serviceAction)}); a step cannot set it: name the command it should send instead`,
          });
          continue;
        }
        if (typeof v === 'number') {
          if (!Number.isSafeInteger(v) || v < 0 || v >= 2 ** f.width)
            out.push({
              path: [...here, 'fields', key],
              message: `${f.name} is ${widthText(f.width)}: 0–${2 ** f.width - 1}`,
            });
          continue;
        }
        if (v.step >= k)
          out.push({
            path: [...here, 'fields', key, 'step'],
            message: `must name an earlier step (0–${k - 1})`,
          });
        else {
          const source = set.commands.find((c) =>
            c.spec.aliases.includes(s.steps[v.step]?.command ?? ''),
          );
          const top = v.field.split('.')[0];
          const layout = s.steps[v.step]?.response ?? source?.response;
          if (!layout?.some((x) => x.key === top))
            out.push({
              path: [...here, 'fields', key, 'field'],
              message: `step ${v.step} (${s.steps[v.step]?.command ?? '?'}) has no response field "${v.field}"`,
            });
        }
      }
      if (step.response) {
        out.push(...checkLayout(step.response, [...here, 'response']));
        if (!command.spec.length.some((r) => r.direction === 'in'))
          out.push({
            path: [...here, 'response'],
            message: `${command.spec.name} has no data-in length rule, so there is nothing to decode`,
          });
      }
      if (step.dataOut && 'step' in step.dataOut && step.dataOut.step >= k)
        out.push({
          path: [...here, 'dataOut', 'step'],
          message: `must name an earlier step (0–${k - 1})`,
        });
      if (step.dataOut && 'hex' in step.dataOut) {
        const bytes = parseHex(step.dataOut.hex, 'hex');
        if (!bytes.ok)
          out.push({ path: [...here, 'dataOut', 'hex'], message: bytes.error.message });
      }
    });
  });
}

const hexByte = (n: number): string => `${n.toString(16).toUpperCase().padStart(2, '0')}h`;

/**
 * An ATA sub-catalog's guarantees: one row per COMMAND and FEATURES value,
 * unique names, a block count when (and only when) the protocol moves data,
 * no data-out command declared `reads`, and response layouts only on data-in
 * commands, each sound (`checkLayout`), with `responseWhen` only beside one.
 */
export function checkAtaCommands(
  rows: readonly AtaCommandDef[],
  at: ProblemPath = ['ataCommands'],
): SpecProblem[] {
  const out: SpecProblem[] = [];
  const byCode = new Map<string, number>();
  const byName = new Map<string, number>();
  rows.forEach((a, i) => {
    const here = [...at, i];
    const id = `${hexByte(a.code)}${a.features !== undefined ? `/${hexByte(a.features)}` : ''}`;
    const sameCode = byCode.get(id);
    if (sameCode !== undefined)
      out.push({
        path: [...here, a.features !== undefined ? 'features' : 'code'],
        message: `${id} is already declared by ${[...at, sameCode].join('.')}; one row per COMMAND and FEATURES`,
      });
    else byCode.set(id, i);
    const sameName = byName.get(a.name);
    if (sameName !== undefined)
      out.push({
        path: [...here, 'name'],
        message: `"${a.name}" is already the name of ${[...at, sameName].join('.')}`,
      });
    else byName.set(a.name, i);
    if (a.protocol === 'non-data' && a.blocks !== 0)
      out.push({
        path: [...here, 'blocks'],
        message: 'must be 0: a non-data command moves no data',
      });
    if (a.protocol !== 'non-data' && a.blocks === 0)
      out.push({
        path: [...here, 'blocks'],
        message: `must be more than 0 or "count": a ${a.protocol} command moves data`,
      });
    const sends = a.protocol === 'pio-out' || a.protocol === 'dma-out';
    if (sends && a.effect === 'reads')
      out.push({
        path: [...here, 'effect'],
        message: `cannot be reads: a ${a.protocol} command sends data to the drive`,
      });
    if (a.response && a.protocol !== 'pio-in' && a.protocol !== 'dma-in')
      out.push({
        path: [...here, 'response'],
        message: `a ${a.protocol} command returns no data for a response layout to read`,
      });
    if (a.response) out.push(...checkLayout(a.response, [...here, 'response']));
    if (a.responseWhen && !a.response)
      out.push({
        path: [...here, 'responseWhen'],
        message: 'says when the response layout applies, but the command declares none',
      });
  });
  return out;
}

/**
 * Every guarantee for a whole vendor set: `catalogProblems(…, { vendor: true })`
 * over its commands, aliases prefixed with the set's name, layouts (`checkLayout`),
 * emulated answers naming real fields and encoding cleanly, behaviours from
 * `EMULATION_BEHAVIOURS` whose fields the command declares, sequences
 * whose steps name commands, fields and earlier steps that exist, and the
 * ATA sub-catalog (`checkAtaCommands`).
 */
export function checkVendorSet(set: VendorSet): SpecProblem[] {
  const out: SpecProblem[] = catalogProblems(
    set.commands.map((c) => c.spec),
    { vendor: true },
  ).map((p) => ({
    path: ['commands', p.path[0] ?? 0, 'spec', ...p.path.slice(1)],
    message: p.message,
  }));
  if (set.commands.length === 0 && (set.ataCommands ?? []).length === 0)
    out.push({ path: ['commands'], message: 'needs at least one command or ATA command' });
  set.commands.forEach((c, i) => checkCommand(set, c, i, out));
  checkSequences(set, out);
  out.push(...checkAtaCommands(set.ataCommands ?? []));
  return out;
}
