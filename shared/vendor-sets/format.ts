/**
 * The vendor-set file format, version 1: a JSON file a person writes (and
 * the built-in sets are written in), checked against a zod schema — the one
 * definition, published as docs/vendor-set.schema.json — and then against
 * every guarantee a catalog row keeps (checks.ts). Every error names the
 * file, the line and the field path:
 *
 *   acme.json line 14: commands.0.fields.2.byte: must be an integer 0–15
 *
 * The reference for every key is docs/vendor-sets.md.
 */
import { z } from 'zod';
import { controlFields, opcodeField } from '../scsi/catalog/common-fields';
import type { CommandSpec, FieldRole, FieldSpec, LengthRule } from '../scsi/catalog/types';
import { ONE_LINE_TEXT, firstUnprintable, printableText } from '../scsi/printable';
import { err, ok, problem, type Result } from '../scsi/result';
import { checkVendorSet, type ProblemPath } from './checks';
import { lineAt, nodeAt, readJsonPositions, type JsonNode } from './json-positions';
import {
  ATA_INPUT_REGISTERS,
  ATA_PROTOCOL_CLASSES,
  EMULATION_BEHAVIOURS,
  type AtaCommandDef,
  type AtaLayoutReference,
  type Emulation,
  type Layout,
  type LayoutField,
  type LayoutValues,
  type SequenceDef,
  type VendorCommandDef,
  type VendorSet,
} from './model';
import { SAT_ATA_ROWS, SAT_SET_FILE } from './sat-ata-rows';
import { asOpcode, asServiceAction } from '../scsi/brand';

/** Steps one sequence may have: enough for any multi-phase pass-through, and a bound on one action's time. */
export const MAX_SEQUENCE_STEPS = 64;

/** The value of `usbcdbVendorSet` this reader understands. */
export const VENDOR_SET_FORMAT_VERSION = 1;

/** Problems listed in one error message; the rest are counted. */
const MAX_LISTED = 20;

function intIn(min: number, max: number): z.ZodNumber {
  const m = `must be an integer ${min}–${max}`;
  return z.number({ error: m }).int({ error: m }).min(min, { error: m }).max(max, { error: m });
}
const count = (max = Number.MAX_SAFE_INTEGER): z.ZodNumber => intIn(0, max);
/**
 * Text shown on one line (a name, a sentence, a note): no control or bidirectional-override
 * characters (printable.ts), which would reach a terminal, or a generated source file, as they are.
 */
const line = (what: string): z.ZodString =>
  z.string({ error: `must be ${what}` }).regex(ONE_LINE_TEXT, {
    error: (issue) =>
      `must be one line of text without control or bidirectional-override characters (${typeof issue.input === 'string' ? firstUnprintable(issue.input) : ''})`,
  });
const text = (what: string): z.ZodString =>
  line(what).min(1, { error: `must not be empty (${what})` });
const KEY = z
  .string({ error: 'must be a key: letters, digits and _' })
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
    error: 'must be a key: letters, digits and _, not starting with a digit',
  });

/**
 * A code written as a number, or as hex text the way datasheets write it
 * (`C1h`, `0xC1`); `digits` hex digits at most.
 */
function code(max: number, digits: number): z.ZodUnion<[z.ZodNumber, z.ZodString]> {
  const m = `must be 0–${max} (0x${max.toString(16).toUpperCase()}), as a number or hex text such as "C1h" or "0xC1"`;
  return z.union(
    [
      intIn(0, max),
      z.string().regex(new RegExp(`^(?:0x[0-9a-fA-F]{1,${digits}}|[0-9a-fA-F]{1,${digits}}[hH])$`)),
    ],
    { error: m },
  );
}

/** `C1h`, `0xC1` or a number → the number. */
function codeValue(v: number | string): number {
  if (typeof v === 'number') return v;
  return parseInt(v.replace(/^0x/i, '').replace(/h$/i, ''), 16);
}

const ROLES = [
  'opcode',
  'serviceAction',
  'allocationLength',
  'transferLength',
  'parameterListLength',
  'lba',
  'control',
  'legacyLun',
] as const satisfies readonly FieldRole[];
// Every catalog role is listed: a role added to the catalog fails to compile here until it is.
const rolesComplete: Exclude<FieldRole, (typeof ROLES)[number]> extends never ? true : never = true;
void rolesComplete;

const FieldValueJson = z.strictObject({
  value: count(),
  name: text('the value’s name'),
  note: line('a note').optional(),
});

const FieldJson = z.strictObject({
  key: KEY,
  name: text('the datasheet’s field name'),
  byte: intIn(0, 15),
  bit: intIn(0, 7),
  width: intIn(1, 64),
  meaning: text('a sentence saying what the field means'),
  values: z.array(FieldValueJson).optional(),
  min: count().optional(),
  max: count().optional(),
  default: count().optional(),
  role: z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }).optional(),
  obsolete: z.boolean().optional(),
});

const ConditionJson = z.strictObject({ field: KEY, equals: count() });

const LengthRuleJson = z.strictObject({
  field: KEY.optional(),
  fixedUnits: count().optional(),
  kind: z.enum(['allocation', 'transfer', 'parameterList']),
  unit: z.enum(['bytes', 'blocks', 'blocks512']),
  direction: z.enum(['in', 'out']),
  when: z.array(ConditionJson).optional(),
  zeroMeans: count().optional(),
  // Each count of `field` moves this many units (LengthRule.times): COMPARE AND WRITE's 2.
  times: intIn(1, 255).optional(),
  note: line('a note').optional(),
});

/** The JSON form of a layout field: the model's, with `endian` optional (big-endian, as SCSI). */
type LayoutFieldJson =
  | (Exclude<LayoutField, { type: 'uint' | 'int' | 'struct' | 'array' }> & {
      readonly meaning?: string;
    })
  | (Omit<Extract<LayoutField, { type: 'uint' }>, 'endian'> & { readonly endian?: 'be' | 'le' })
  | (Omit<Extract<LayoutField, { type: 'int' }>, 'endian'> & { readonly endian?: 'be' | 'le' })
  | (Omit<Extract<LayoutField, { type: 'struct' }>, 'layout'> & {
      readonly layout: readonly LayoutFieldJson[];
    })
  | (Omit<Extract<LayoutField, { type: 'array' }>, 'layout'> & {
      readonly layout: readonly LayoutFieldJson[];
    });

const MAX_OFFSET = 1 << 24;
const layoutBase = {
  key: KEY,
  name: text('the datasheet’s field name'),
  offset: count(MAX_OFFSET),
  meaning: line('a sentence saying what the field means').optional(),
};
const SIZE = z.union([z.literal(1), z.literal(2), z.literal(4), z.literal(8)], {
  error: 'must be 1, 2, 4 or 8 (bytes)',
});
const ENDIAN = z.enum(['be', 'le'], { error: 'must be "be" or "le"' }).optional();

const LayoutJson: z.ZodType<readonly LayoutFieldJson[]> = z.lazy(() =>
  z.array(
    z.discriminatedUnion(
      'type',
      [
        z.strictObject({
          ...layoutBase,
          type: z.literal('uint'),
          size: SIZE,
          endian: ENDIAN,
          values: z.array(FieldValueJson).optional(),
        }),
        z.strictObject({ ...layoutBase, type: z.literal('int'), size: SIZE, endian: ENDIAN }),
        z.strictObject({
          ...layoutBase,
          type: z.literal('bits'),
          bit: intIn(0, 7),
          width: intIn(1, 8),
          values: z.array(FieldValueJson).optional(),
        }),
        z.strictObject({ ...layoutBase, type: z.literal('flag'), bit: intIn(0, 7) }),
        z.strictObject({ ...layoutBase, type: z.literal('ascii'), length: intIn(1, MAX_OFFSET) }),
        z.strictObject({
          ...layoutBase,
          type: z.literal('ata-string'),
          length: intIn(1, MAX_OFFSET),
        }),
        z.strictObject({ ...layoutBase, type: z.literal('bytes'), length: intIn(1, MAX_OFFSET) }),
        z.strictObject({ ...layoutBase, type: z.literal('struct'), layout: LayoutJson }),
        z.strictObject({
          ...layoutBase,
          type: z.literal('array'),
          count: z.union([count(MAX_OFFSET), z.strictObject({ field: KEY })], {
            error: 'must be a number of records or {"field": KEY} naming an earlier field',
          }),
          stride: intIn(1, MAX_OFFSET),
          layout: LayoutJson,
        }),
      ],
      {
        error: 'type must be one of uint, int, bits, flag, ascii, ata-string, bytes, struct, array',
      },
    ),
  ),
);

/** A command's response given as an ATA command's layout, by name (model.ts `AtaLayoutReference`). */
const AtaLayoutReferenceJson = z.strictObject({
  ataCommand: text('the name of an ATA command (ataCommands, or the built-in sat set’s)'),
});

const EmulationJson = z.strictObject({
  senseWhen: z
    .array(
      z.strictObject({
        when: z.array(ConditionJson).min(1, { error: 'needs at least one condition' }),
        sense: z.strictObject({
          key: code(15, 1),
          asc: code(255, 2),
          ascq: code(255, 2),
          field: KEY.optional(),
        }),
      }),
    )
    .optional(),
  data: z
    .union(
      [
        z.strictObject({ hex: z.string() }),
        z.strictObject({
          values: z.record(KEY, z.json()),
          length: count(1 << 20),
        }),
      ],
      { error: 'must be {"hex": "…"} or {"values": {…}, "length": N}' },
    )
    .optional(),
  behaviour: z
    .enum(EMULATION_BEHAVIOURS, {
      error: `must be one of ${EMULATION_BEHAVIOURS.join(', ')}`,
    })
    .optional(),
});

const EFFECT = z.enum(['reads', 'changes-state', 'changes-data', 'firmware'], {
  error: 'must be one of reads, changes-state, changes-data, firmware',
});

const CommandJson = z.strictObject({
  opcode: code(0xff, 2),
  serviceAction: code(0xffffff, 6).optional(),
  serviceActionField: KEY.optional(),
  standardRangeOpcode: text(
    'a sentence saying why the bridge reuses this standard opcode (00h–BFh)',
  ).optional(),
  name: text('the datasheet’s command name'),
  aliases: z.array(text('an alias such as "acme.read-log"')).min(1, { error: 'needs an alias' }),
  cdbLength: intIn(1, 16),
  summary: text('one sentence saying what the command does'),
  effect: EFFECT,
  support: z.enum(['mandatory', 'optional', 'obsolete']).optional(),
  controlByte: intIn(1, 15).optional(),
  fields: z.array(FieldJson),
  length: z.array(LengthRuleJson).optional(),
  response: z
    .union([LayoutJson, AtaLayoutReferenceJson], {
      error: 'must be a layout (an array of fields) or {"ataCommand": NAME}',
    })
    .optional(),
  emulation: EmulationJson.optional(),
});

/** One ATA command a pass-through carries (model.ts `AtaCommandDef`). */
const AtaCommandJson = z.strictObject({
  code: code(0xff, 2),
  features: code(0xff, 2).optional(),
  name: text('the ACS command name'),
  summary: text('one sentence saying what the command does'),
  protocol: z.enum(ATA_PROTOCOL_CLASSES, {
    error: `must be one of ${ATA_PROTOCOL_CLASSES.join(', ')}`,
  }),
  blocks: z.union([count(0xffff), z.literal('count')], {
    error: 'must be a number of 512-byte blocks (0–65535) or "count" (COUNT’s value)',
  }),
  effect: EFFECT,
  ext: z.boolean().optional(),
  answerInRegisters: text('what the returned registers say').optional(),
  response: LayoutJson.optional(),
  responseWhen: z
    .array(
      z.strictObject({
        register: z.enum(ATA_INPUT_REGISTERS, {
          error: `must be one of ${ATA_INPUT_REGISTERS.join(', ')}`,
        }),
        equals: code(0xff, 2),
      }),
    )
    .min(1, { error: 'needs at least one condition' })
    .optional(),
});

const StepJson = z.strictObject({
  command: text('the alias of a command of this set'),
  fields: z
    .record(
      KEY,
      z.union([count(), z.strictObject({ step: count(), field: text('a response field key') })], {
        error: 'must be a number or {"step": N, "field": KEY}',
      }),
    )
    .optional(),
  dataOut: z
    .union([z.strictObject({ hex: z.string() }), z.strictObject({ step: count() })], {
      error: 'must be {"hex": "…"} or {"step": N}',
    })
    .optional(),
  response: LayoutJson.optional(),
});

const SequenceJson = z.strictObject({
  alias: text('an alias such as "acme.check"'),
  name: text('a name'),
  summary: text('one sentence'),
  steps: z
    .array(StepJson)
    .min(1, { error: 'needs at least one step' })
    .max(MAX_SEQUENCE_STEPS, { error: `at most ${MAX_SEQUENCE_STEPS} steps` }),
});

/** The whole file. */
export const VendorSetFileSchema = z.strictObject({
  $schema: z.string().optional(),
  usbcdbVendorSet: z.literal(VENDOR_SET_FORMAT_VERSION, {
    error: `must be ${VENDOR_SET_FORMAT_VERSION} (the only version of the format)`,
  }),
  name: z.string().regex(/^[a-z][a-z0-9-]*$/, {
    error: 'must be lowercase letters, digits and dashes, starting with a letter',
  }),
  vendor: text('the vendor’s name'),
  description: text('a sentence'),
  // At least one command or ATA command: checks.ts says so with the path.
  commands: z.array(CommandJson),
  sequences: z.array(SequenceJson).optional(),
  ataCommands: z.array(AtaCommandJson).optional(),
});
export type VendorSetFile = z.input<typeof VendorSetFileSchema>;

/** The published JSON Schema (docs/vendor-set.schema.json is this, written by scripts/gen-vendor-schema.mjs). */
export function vendorSetJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(VendorSetFileSchema, { io: 'input', target: 'draft-2020-12' }),
    title: 'usbcdb vendor command set, format 1',
    description: 'See docs/vendor-sets.md for every key.',
  };
}

// ---------------------------------------------------------------------------
// JSON → model, remembering where each model field came from in the file.

type FileCommand = z.output<typeof CommandJson>;

/** Where model field j of a command came from: a JSON field index, the opcode shorthand, or controlByte. */
type FieldOrigin = number | 'opcode' | 'controlByte';

function toLayout(fields: readonly LayoutFieldJson[]): Layout {
  return fields.map((f): LayoutField => {
    switch (f.type) {
      case 'uint':
      case 'int':
        return { ...f, endian: f.endian ?? 'be' };
      case 'struct':
        return { ...f, layout: toLayout(f.layout) };
      case 'array':
        return { ...f, layout: toLayout(f.layout) };
      default:
        return f;
    }
  });
}

function toField(f: z.output<typeof FieldJson>): FieldSpec {
  return { ...f };
}

function toCommand(
  c: FileCommand,
  setName: string,
  response: ResolvedResponse,
): { def: VendorCommandDef; origins: FieldOrigin[] } {
  const fields: FieldSpec[] = [];
  const origins: FieldOrigin[] = [];
  // The opcode field is the same in every CDB (SPC-5): written for the author when not declared.
  if (!c.fields.some((f) => f.role === 'opcode')) {
    fields.push(opcodeField());
    origins.push('opcode');
  }
  c.fields.forEach((f, j) => {
    fields.push(toField(f));
    origins.push(j);
  });
  if (c.controlByte !== undefined)
    for (const f of controlFields(c.controlByte)) {
      fields.push(f);
      origins.push('controlByte');
    }
  const spec: CommandSpec = {
    opcode: asOpcode(codeValue(c.opcode)),
    ...(c.serviceAction !== undefined
      ? { serviceAction: asServiceAction(codeValue(c.serviceAction)) }
      : {}),
    ...(c.serviceActionField !== undefined ? { serviceActionField: c.serviceActionField } : {}),
    ...(c.standardRangeOpcode !== undefined ? { standardRangeOpcode: c.standardRangeOpcode } : {}),
    name: c.name,
    aliases: c.aliases,
    cdbLength: c.cdbLength,
    standard: `${setName} vendor set`,
    summary: c.summary,
    fields,
    length: (c.length ?? []) as LengthRule[],
    effect: c.effect,
    ...(c.support !== undefined ? { support: c.support } : {}),
  };
  const emulation: Emulation | undefined = c.emulation
    ? {
        ...(c.emulation.senseWhen
          ? {
              senseWhen: c.emulation.senseWhen.map((r) => ({
                when: r.when,
                sense: {
                  key: codeValue(r.sense.key),
                  asc: codeValue(r.sense.asc),
                  ascq: codeValue(r.sense.ascq),
                  ...(r.sense.field !== undefined ? { field: r.sense.field } : {}),
                },
              })),
            }
          : {}),
        ...(c.emulation.data
          ? {
              data:
                'hex' in c.emulation.data
                  ? { hex: c.emulation.data.hex }
                  : {
                      values: c.emulation.data.values as LayoutValues,
                      length: c.emulation.data.length,
                    },
            }
          : {}),
        ...(c.emulation.behaviour !== undefined ? { behaviour: c.emulation.behaviour } : {}),
      }
    : undefined;
  return {
    def: {
      spec,
      ...response,
      ...(emulation ? { emulation } : {}),
    },
    origins,
  };
}

function toAtaCommand(a: z.output<typeof AtaCommandJson>): AtaCommandDef {
  return {
    code: codeValue(a.code),
    ...(a.features !== undefined ? { features: codeValue(a.features) } : {}),
    name: a.name,
    summary: a.summary,
    protocol: a.protocol,
    blocks: a.blocks,
    effect: a.effect,
    ...(a.ext !== undefined ? { ext: a.ext } : {}),
    ...(a.answerInRegisters !== undefined ? { answerInRegisters: a.answerInRegisters } : {}),
    ...(a.response ? { response: toLayout(a.response) } : {}),
    ...(a.responseWhen
      ? {
          responseWhen: a.responseWhen.map((w) => ({
            register: w.register,
            equals: codeValue(w.equals),
          })),
        }
      : {}),
  };
}

/** A command's `response` in the model: its own layout, or a referenced one and the reference. */
type ResolvedResponse = Pick<VendorCommandDef, 'response' | 'responseFrom'>;

let satAtaRows: readonly AtaCommandDef[] | undefined;

/** The built-in sat set's ATA rows, parsed on first use (its full checks run in registry.ts). */
function builtInAtaRows(): readonly AtaCommandDef[] {
  if (!satAtaRows) {
    const parsed = z.array(AtaCommandJson).safeParse(SAT_ATA_ROWS);
    if (!parsed.success) throw new Error(`${SAT_SET_FILE}: ataCommands is broken`);
    satAtaRows = parsed.data.map(toAtaCommand);
  }
  return satAtaRows;
}

/**
 * A command's file `response` → the model's: a layout as written, or the
 * layout of the ATA command a reference names, looked up in `own` (the same
 * file's rows), then in the built-in sat set's. A string is the problem with
 * the reference.
 */
function resolveResponse(
  response: FileCommand['response'],
  own: readonly AtaCommandDef[],
): ResolvedResponse | string {
  if (response === undefined) return {};
  if (Array.isArray(response)) return { response: toLayout(response) };
  const { ataCommand } = response as AtaLayoutReference;
  const ownRow = own.find((a) => a.name === ataCommand);
  const row = ownRow ?? builtInAtaRows().find((a) => a.name === ataCommand);
  if (!row) return `names no ATA command of this set or of the built-in sat set ("${ataCommand}")`;
  if (!row.response)
    return `ATA command "${ataCommand}" (${ownRow ? 'this set' : 'the built-in sat set'}) declares no response layout`;
  return { response: row.response, responseFrom: { ataCommand } };
}

/** A model path (checks.ts) → the path of the same value in the file. */
function filePath(
  path: ProblemPath,
  origins: readonly FieldOrigin[][],
  referenced: ReadonlySet<number>,
): ProblemPath {
  // A referenced layout's problem is the reference's: the layout is not in this command.
  if (path[0] === 'commands' && path[2] === 'response' && referenced.has(path[1] as number))
    return ['commands', path[1] as number, 'response', 'ataCommand'];
  if (path[0] !== 'commands' || path[2] !== 'spec') return path;
  const i = path[1] as number;
  const rest = path.slice(3);
  if (rest[0] === 'fields' && typeof rest[1] === 'number') {
    const origin = origins[i]?.[rest[1]];
    if (origin === 'opcode') return ['commands', i];
    if (origin === 'controlByte') return ['commands', i, 'controlByte'];
    if (origin !== undefined) return ['commands', i, 'fields', origin, ...rest.slice(2)];
  }
  return ['commands', i, ...rest];
}

// ---------------------------------------------------------------------------
// Positions.

/** The line of the deepest node of `path` the file has (a missing key: its object's line). */
function lineOf(text: string, root: JsonNode, path: ProblemPath): number {
  for (let n = path.length; n >= 0; n--) {
    const node = nodeAt(root, path.slice(0, n));
    // A member's line is its key's, where an object or array value may open later.
    if (node) return lineAt(text, node.keyOffset ?? node.offset);
  }
  return 1;
}

/**
 * A union's issue, or, when the input has the shape of exactly one option
 * (every problem of that option lies inside the value, none at its root — a
 * layout array for a `response`, not the reference object), that option's
 * own issues, which name the field.
 */
function unionIssues(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union') return [issue];
  const shaped = issue.errors.filter((e) => e.length > 0 && e.every((i) => i.path.length > 0));
  const [only] = shaped;
  if (shaped.length !== 1 || !only) return [issue];
  return only.flatMap((i) => unionIssues({ ...i, path: [...issue.path, ...i.path] }));
}

function describeIssue(issue: z.core.$ZodIssue, present: boolean): string {
  if (!present && issue.code === 'invalid_type') return 'is required';
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    default:
      return issue.message;
  }
}

function located(source: string, line: number, path: ProblemPath, message: string): string {
  return `${source} line ${line}: ${path.length > 0 ? `${path.join('.')}: ` : ''}${message}`;
}

function failure(codeName: string, lines: readonly string[]): Result<VendorSet> {
  // A problem may quote the file (a key it does not know, one written twice), and is shown as is.
  const shown = lines.slice(0, MAX_LISTED).map(printableText);
  if (lines.length > MAX_LISTED) shown.push(`… and ${lines.length - MAX_LISTED} more problems`);
  return err(problem(codeName, shown.join('\n')));
}

/**
 * Parses and checks a vendor-set file. `source` names it in messages (a
 * file name). Strict JSON (no comments, no trailing commas, no duplicate
 * keys: json-positions.ts); then the schema; then each `{"ataCommand": NAME}`
 * response, replaced by the layout it names; then every guarantee of
 * checks.ts. Never throws: every problem comes back as one error value
 * listing each problem on its own line, with the line of the file and the
 * field path.
 */
export function parseVendorSet(input: string, source: string): Result<VendorSet> {
  // A byte order mark, as some editors write, is not part of the JSON (RFC 8259, 8.1).
  const text = input.replace(/^\uFEFF/, '');
  const positions = readJsonPositions(text);
  if (!positions.ok)
    return failure('vendor-set-syntax', [
      `${source} line ${lineAt(text, positions.error.offset)}: ${positions.error.message}`,
    ]);
  const root = positions.value;
  const parsed = VendorSetFileSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    return failure(
      'vendor-set-schema',
      parsed.error.issues.flatMap(unionIssues).map((issue) => {
        const path = issue.path.filter((p) => typeof p !== 'symbol');
        const present = nodeAt(root, path) !== undefined;
        return located(source, lineOf(text, root, path), path, describeIssue(issue, present));
      }),
    );
  const file = parsed.data;
  const ataCommands = file.ataCommands?.map(toAtaCommand);
  const responses = file.commands.map((c) => resolveResponse(c.response, ataCommands ?? []));
  const unresolved = responses.flatMap((r, i) => {
    if (typeof r !== 'string') return [];
    const path = ['commands', i, 'response', 'ataCommand'];
    return [located(source, lineOf(text, root, path), path, r)];
  });
  if (unresolved.length > 0) return failure('vendor-set-invalid', unresolved);
  const converted = file.commands.map((c, i) =>
    toCommand(c, file.name, responses[i] as ResolvedResponse),
  );
  const set: VendorSet = {
    name: file.name,
    vendor: file.vendor,
    description: file.description,
    commands: converted.map((c) => c.def),
    sequences: (file.sequences ?? []).map((s): SequenceDef => ({
      alias: s.alias,
      name: s.name,
      summary: s.summary,
      steps: s.steps.map(({ response, ...step }) =>
        response ? { ...step, response: toLayout(response) } : step,
      ),
    })),
    ...(ataCommands ? { ataCommands } : {}),
  };
  const problems = checkVendorSet(set);
  if (problems.length > 0) {
    const origins = converted.map((c) => c.origins);
    const referenced = new Set(converted.flatMap((c, i) => (c.def.responseFrom ? [i] : [])));
    return failure(
      'vendor-set-invalid',
      problems.map((p) => {
        const path = filePath(p.path, origins, referenced);
        return located(source, lineOf(text, root, path), path, p.message);
      }),
    );
  }
  return ok(set);
}

/** A one-byte code the way datasheets write it: `C1h`. */
function hexCode(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0') + 'h';
}

/**
 * A set as a format-1 file: the inverse of `parseVendorSet` (parsing the
 * text gives an equal set). Fields the parser adds for the author (the
 * opcode field, the CONTROL byte's fields) are written out explicitly;
 * opcodes are written the way datasheets write them (`C1h`); a response
 * read from an `{"ataCommand": NAME}` reference is written as that reference.
 */
export function formatVendorSet(set: VendorSet): string {
  const file: VendorSetFile = {
    usbcdbVendorSet: VENDOR_SET_FORMAT_VERSION,
    name: set.name,
    vendor: set.vendor,
    description: set.description,
    commands: set.commands.map((c) => ({
      opcode: hexCode(c.spec.opcode),
      ...(c.spec.serviceAction !== undefined ? { serviceAction: c.spec.serviceAction } : {}),
      ...(c.spec.serviceActionField !== undefined
        ? { serviceActionField: c.spec.serviceActionField }
        : {}),
      ...(c.spec.standardRangeOpcode !== undefined
        ? { standardRangeOpcode: c.spec.standardRangeOpcode }
        : {}),
      name: c.spec.name,
      aliases: [...c.spec.aliases],
      cdbLength: c.spec.cdbLength,
      summary: c.spec.summary,
      effect: c.spec.effect,
      ...(c.spec.support !== undefined ? { support: c.spec.support } : {}),
      fields: c.spec.fields.map((f) => ({ ...f, values: f.values?.map((v) => ({ ...v })) })),
      ...(c.spec.length.length > 0
        ? { length: c.spec.length.map((r) => ({ ...r, when: r.when?.map((w) => ({ ...w })) })) }
        : {}),
      ...(c.responseFrom
        ? { response: { ataCommand: c.responseFrom.ataCommand } }
        : c.response
          ? { response: c.response as readonly LayoutFieldJson[] }
          : {}),
      ...(c.emulation ? { emulation: c.emulation as FileCommand['emulation'] } : {}),
    })) as VendorSetFile['commands'],
    ...(set.sequences.length > 0 ? { sequences: set.sequences as VendorSetFile['sequences'] } : {}),
    ...(set.ataCommands
      ? {
          ataCommands: set.ataCommands.map(({ response, responseWhen, ...a }) => ({
            ...a,
            code: hexCode(a.code),
            ...(a.features !== undefined ? { features: hexCode(a.features) } : {}),
            ...(response ? { response: response as readonly LayoutFieldJson[] } : {}),
            ...(responseWhen
              ? { responseWhen: responseWhen.map((w) => ({ ...w, equals: hexCode(w.equals) })) }
              : {}),
          })) as VendorSetFile['ataCommands'],
        }
      : {}),
  };
  // 64-bit layout values may be bigints in code; the file holds them as decimal text.
  return (
    JSON.stringify(file, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2) + '\n'
  );
}
