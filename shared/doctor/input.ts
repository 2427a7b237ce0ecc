/**
 * What a person saw, as they typed it, turned into a DoctorInput: the one
 * parser behind `usbcdb doctor`'s options and the app's Diagnose panel, so
 * both accept the same spellings and refuse the same mistakes.
 *
 * Each field is text (absent or blank means "not seen"). Numbers are decimal,
 * `0x..` or `..h`; byte strings anything `parseHex` reads; DriverKit values
 * `KEY=VALUE` pairs separated by commas, semicolons or white space, keyed by
 * SCSIType00OutParameters field names.
 */
import { err, ok, problem, type Problem, type Result } from '../scsi/result';
import { parseHex } from '../scsi/hex';
import { parseNumberText } from '../scsi/number-text';
import { OUT_PARAMETER_FIELDS, type DriverKitParams, type OutParameterField } from './driverkit';
import type { DoctorInput, TransportResult } from './types';

/** Every TransportResult, in the order help texts list them. */
export const TRANSPORT_RESULTS: readonly TransportResult[] = [
  'ok',
  'timeout',
  'stall',
  'phase-error',
  'bad-csw',
  'disconnected',
  'io-error',
  'not-privileged',
];

/** The numeric things a person may have seen, by their DoctorInput name. */
export const DOCTOR_NUMBER_FIELDS = [
  'dataIn',
  'dataOut',
  'lun',
  'status',
  'serviceResponse',
  'cswStatus',
  'residue',
  'realized',
  'kernReturn',
  'spcLevel',
  'blockSize',
  'senseValid',
] as const;
export type DoctorNumberField = (typeof DOCTOR_NUMBER_FIELDS)[number];

/** Every field of the text form. */
export type DoctorTextField = 'cdb' | 'sense' | 'transport' | 'driverKit' | DoctorNumberField;

/** What was seen, each as typed; `driverKit` may come in several pieces (repeated `--dk`). */
export type DoctorText = Partial<Record<Exclude<DoctorTextField, 'driverKit'>, string>> & {
  readonly driverKit?: readonly string[];
};

/** How a front end names a field in its messages (`--data-in`, "Transfer length (data-in)"). */
export type FieldLabel = (field: DoctorTextField) => string;

/** `fRequestedByteCountOfTransfer=512, fBufferDirection=1` → DriverKitParams. */
export function parseDriverKitText(
  pieces: readonly string[],
  what: string,
): Result<DriverKitParams> {
  const out: { -readonly [K in OutParameterField]?: number } = {};
  const pairs = pieces.flatMap((v) => v.split(/[,;\s]+/)).filter((p) => p.length > 0);
  for (const pair of pairs) {
    const m = /^(\w+)=(.+)$/.exec(pair);
    if (!m) return err(problem('bad-driverkit', `${what} takes KEY=VALUE, got "${pair}"`));
    const name = m[1] as string;
    const key = OUT_PARAMETER_FIELDS.find((k) => k.toLowerCase() === name.toLowerCase());
    if (!key)
      return err(
        problem(
          'bad-driverkit',
          `${what}: "${name}" is not a SCSIType00OutParameters field (${OUT_PARAMETER_FIELDS.join(', ')})`,
        ),
      );
    const n = parseNumberText(m[2] as string, key);
    if (!n.ok) return n;
    out[key] = n.value;
  }
  return ok(out);
}

const given = (text: string | undefined): string | undefined =>
  text !== undefined && text.trim().length > 0 ? text : undefined;

/**
 * The DoctorInput for what was typed (without vendor sets, which come from
 * elsewhere), or the first field that cannot be read, named with `label`.
 */
export function parseDoctorText(
  text: DoctorText,
  label: FieldLabel,
): Result<Omit<DoctorInput, 'vendorSets'>, Problem & { readonly field: DoctorTextField }> {
  const fail = (field: DoctorTextField, p: Problem) => err({ ...p, field });
  const cdbText = given(text.cdb);
  if (cdbText === undefined)
    return fail(
      'cdb',
      problem(
        'missing-cdb',
        `give the CDB you sent with ${label('cdb')}, e.g. "12 00 00 24 00 00"`,
      ),
    );
  const cdb = parseHex(cdbText, 'CDB');
  if (!cdb.ok) return fail('cdb', cdb.error);
  const numbers: Partial<Record<DoctorNumberField, number>> = {};
  for (const field of DOCTOR_NUMBER_FIELDS) {
    const t = given(text[field]);
    if (t === undefined) continue;
    const n = parseNumberText(t, label(field));
    if (!n.ok) return fail(field, n.error);
    numbers[field] = n.value;
  }
  const senseText = given(text.sense);
  const sense = senseText !== undefined ? parseHex(senseText, 'sense') : undefined;
  if (sense && !sense.ok) return fail('sense', sense.error);
  const transport = given(text.transport)?.trim();
  if (transport !== undefined && !TRANSPORT_RESULTS.includes(transport as TransportResult))
    return fail(
      'transport',
      problem(
        'bad-transport',
        `${label('transport')} must be one of ${TRANSPORT_RESULTS.join(', ')}, got "${transport}"`,
      ),
    );
  const dkPieces = (text.driverKit ?? []).filter((p) => given(p) !== undefined);
  const dk = dkPieces.length > 0 ? parseDriverKitText(dkPieces, label('driverKit')) : undefined;
  if (dk && !dk.ok) return fail('driverKit', dk.error);
  const { senseValid, ...plain } = numbers;
  return ok({
    cdb: cdb.value,
    ...plain,
    ...(transport !== undefined ? { transport: transport as TransportResult } : {}),
    ...(sense?.ok ? { sense: sense.value } : {}),
    ...(senseValid !== undefined ? { senseValid: senseValid !== 0 } : {}),
    ...(dk?.ok ? { driverKit: dk.value } : {}),
  });
}
