/**
 * The presets file format ({ usbcdbPresets: 1, presets: [...] }): what the
 * app's store writes, what export and import exchange, and what the editor's
 * "export as JSON preset" produces, so one command can be imported elsewhere.
 *
 * Reading is lenient where a person writing the file by hand would expect
 * it: hex in any case and spacing ("12 00 00 00 24 00", "0x12,0x00", "12h 00h")
 * is stored in the canonical form, and a preset without an id gets one made
 * from its CDB and name (so importing the same file twice replaces rather
 * than duplicates). Everything else is checked, and a problem is named in
 * words: which preset, which field, what is wrong.
 */
import { z } from 'zod';
import { fnv1a32Hex } from './fnv1a';
import { Preset } from './ipc/contract';
import { MAX_PRESETS_FILE } from './ipc/limits';
import { err, ok, problem, type Problem, type Result } from './scsi/result';
import { errorText } from './error-text';
import { formatHex, parseHex, toCanonicalHex } from './scsi/hex';

export type PresetData = z.infer<typeof Preset>;

/**
 * A preset as a file may hold it: any hex form, id optional. The hex is
 * bounded once read, by the bytes it holds: each preset is then checked
 * against the contract's Preset, so the file keeps exactly what
 * presets.save accepts (a variable-length CDB of up to MAX_CDB_BYTES).
 */
const FilePreset = z
  .object({
    id: z.string().min(1).max(100).optional(),
    name: z.string().min(1).max(200),
    folder: z.string().max(200).default(''),
    cdb: z.string(),
    direction: z.enum(['none', 'in', 'out']),
    transferLength: z.number().int().min(0).max(0xffffffff),
    dataOut: z.string().optional(),
    lun: z.number().int().min(0).max(15).default(0),
    notes: z.string().max(10_000).default(''),
  })
  .strict();
const FileSchema = z.object({ usbcdbPresets: z.literal(1), presets: z.array(FilePreset) });

const FIELD_WORDS: Readonly<Record<string, string>> = {
  cdb: 'the CDB (cdb)',
  dataOut: 'the data-out (dataOut)',
  transferLength: 'the transfer length (transferLength)',
  direction: 'the direction (direction)',
  lun: 'the LUN (lun)',
};

/** "preset 2 ("READ 10"), the CDB (cdb)": where in the file a problem is, for a person. */
function placeOf(path: readonly PropertyKey[], data: unknown): string {
  if (path.length === 0) return 'the file';
  if (path[0] === 'usbcdbPresets') return 'the file';
  if (path[0] !== 'presets') return `field ${path.map(String).join('.')}`;
  if (path.length === 1) return '"presets"';
  const i = Number(path[1]);
  const entry =
    typeof data === 'object' && data !== null && 'presets' in data && Array.isArray(data.presets)
      ? (data.presets[i] as unknown)
      : undefined;
  const name =
    typeof entry === 'object' && entry !== null && 'name' in entry && typeof entry.name === 'string'
      ? ` ("${entry.name.slice(0, 60)}")`
      : '';
  const field = path[2] === undefined ? '' : `, ${FIELD_WORDS[String(path[2])] ?? String(path[2])}`;
  return `preset ${i + 1}${name}${field}`;
}

/** One schema problem as a sentence. */
function issueWords(issue: z.core.$ZodIssue, data: unknown): string {
  const place = placeOf(issue.path, data);
  if (
    issue.path[0] === 'usbcdbPresets' ||
    (issue.path.length === 0 && issue.code === 'invalid_type')
  )
    return 'is not a usbcdb presets file: it needs "usbcdbPresets": 1 and a "presets" list';
  switch (issue.code) {
    case 'invalid_type':
      return /received undefined/.test(issue.message)
        ? `${place} is missing`
        : `${place} should be ${issue.expected === 'string' ? 'text' : `a ${issue.expected}`}`;
    case 'too_small':
      return issue.origin === 'string'
        ? `${place} is empty`
        : `${place} is below ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `${place} is longer than ${String(issue.maximum)} characters`
        : `${place} is above ${String(issue.maximum)}`;
    case 'invalid_value':
      return `${place} should be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `${place} has a field usbcdb does not know: ${issue.keys.join(', ')}`;
    default:
      return `${place}: ${issue.message}`;
  }
}

/** How long a preset id may be (Preset's schema). */
const MAX_ID = 100;
/** Hex digits of the CDB an id keeps when the whole CDB does not fit. */
const ID_CDB_DIGITS = 60;

/**
 * An id for a preset that came without one: from its CDB and name, stable across imports, so
 * importing the same command twice replaces it. `cdb-<hex>-<name>` while that fits the schema's
 * 100 characters; past that (a CDB of more than 47 bytes, or a long name) the start of the hex
 * and an FNV-1a hash of the whole CDB and name, so two long CDBs that differ only at their end
 * still get two ids.
 */
export function presetIdFor(cdb: Uint8Array, name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  const hex = formatHex(cdb, '');
  const whole = `cdb-${hex}-${slug}`;
  if (whole.length <= MAX_ID) return whole;
  const named = new TextEncoder().encode(name);
  const both = new Uint8Array(cdb.length + 1 + named.length);
  both.set(cdb);
  both.set(named, cdb.length + 1); // a zero byte between: CDB 12 + "a" is not CDB 12 61
  return `cdb-${hex.slice(0, ID_CDB_DIGITS)}-${fnv1a32Hex(both)}-${slug}`.slice(0, MAX_ID);
}

/** Parses a presets file; the error names the preset and the field in words. */
export function parsePresetsJson(text: string, source: string): Result<PresetData[]> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return err({ code: 'presets', message: `${source} is not JSON: ${errorText(e)}` });
  }
  const r = FileSchema.safeParse(data);
  if (!r.success) {
    const words = [...new Set(r.error.issues.map((i) => issueWords(i, data)))];
    return err({ code: 'presets', message: `${source}: ${words.slice(0, 5).join('; ')}` });
  }
  const out: PresetData[] = [];
  const problems: string[] = [];
  r.data.presets.forEach((p, i) => {
    const place = `preset ${i + 1} ("${p.name.slice(0, 60)}")`;
    const cdb = parseHex(p.cdb, 'CDB');
    if (!cdb.ok) return problems.push(`${place}: ${cdb.error.message}`);
    const dataOut = p.dataOut === undefined ? undefined : toCanonicalHex(p.dataOut, 'data-out');
    if (dataOut && !dataOut.ok) return problems.push(`${place}: ${dataOut.error.message}`);
    const canonical = Preset.safeParse({
      ...p,
      id: p.id ?? presetIdFor(cdb.value, p.name),
      cdb: formatHex(cdb.value),
      ...(dataOut?.ok ? { dataOut: dataOut.value } : {}),
    });
    if (!canonical.success)
      return problems.push(
        canonical.error.issues
          .map((x) => issueWords({ ...x, path: ['presets', i, ...x.path] }, data))
          .join('; '),
      );
    return out.push(canonical.data);
  });
  if (problems.length > 0)
    return err({ code: 'presets', message: `${source}: ${problems.slice(0, 5).join('; ')}` });
  return ok(out);
}

export function presetsJson(presets: readonly PresetData[]): string {
  return JSON.stringify({ usbcdbPresets: 1, presets }, null, 2) + '\n';
}

/** The file's bytes: what the store writes and presets.export hands over. */
export function presetsFile(presets: readonly PresetData[]): Uint8Array {
  return new TextEncoder().encode(presetsJson(presets));
}

/**
 * Why a presets file of `length` bytes is not read: over MAX_PRESETS_FILE, the
 * most the app writes (a page checks a file's size with it before reading it in).
 */
export function presetsFileSizeProblem(length: number, source: string): Problem | undefined {
  if (length <= MAX_PRESETS_FILE) return undefined;
  return problem(
    'file-too-large',
    `${source} is ${length} bytes, over the ${MAX_PRESETS_FILE} bytes of the largest presets file usbcdb writes or reads`,
  );
}

/**
 * Parses a presets file from its bytes (store, import): bounded, and UTF-8 as
 * the app writes it (RFC 8259 §8.1), so no byte is silently turned into U+FFFD
 * and written back that way.
 */
export function parsePresetsFile(bytes: Uint8Array, source: string): Result<PresetData[]> {
  const large = presetsFileSizeProblem(bytes.length, source);
  if (large) return err(large);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return err(problem('presets', `${source} is not UTF-8 text (a presets file is JSON text)`));
  }
  return parsePresetsJson(text, source);
}
