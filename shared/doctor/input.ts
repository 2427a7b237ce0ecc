/**
 * What a person saw, as they typed it, turned into a DoctorInput: the one
 * parser behind `usbcdb doctor`'s options and the app's Diagnose panel, so
 * both accept the same spellings and refuse the same mistakes.
 *
 * Each field is text (absent or blank means "not seen"). Numbers are decimal,
 * `0x..` or `..h`, or for a status, a service response, a kern_return_t and
 * the two direction fields the constant's name; byte strings anything
 * `parseHex` reads; DriverKit values
 * `KEY=VALUE` pairs separated by commas, semicolons or white space, keyed by
 * SCSIType00OutParameters field names.
 */
import { err, ok, problem, type Problem, type Result } from '../scsi/result';
import { parseHex } from '../scsi/hex';
import { parseNumberText } from '../scsi/number-text';
import { bothDirectionsProblem } from '../lint/bot-pairing';
import { blockSizeProblem } from '../scsi/catalog';
import {
  DATA_TRANSFER_DIRECTIONS,
  driverKitTransfer,
  MEMORY_DIRECTIONS,
  OUT_PARAMETER_FIELDS,
  SCSI_STATUSES,
  SERVICE_DELIVERY_FAILURE,
  SERVICE_RESPONSES,
  TRANSPORT_STATUSES,
  type DriverKitParams,
  type OutParameterField,
} from './driverkit';
import { IO_RETURNS } from './io-return';
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
  'not-sent',
  'replay-mismatch',
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
  'usbVendorId',
  'senseValid',
] as const;
export type DoctorNumberField = (typeof DOCTOR_NUMBER_FIELDS)[number];

/**
 * The fields whose values are as wide as the thing they were read from: past that, what was
 * typed cannot be what was seen (a status of 100h would be diagnosed as a status no device sent).
 * The rest (lengths, LUNs) are the host's and may be anything, for the doctor to judge.
 */
const WIDTHS: Partial<Record<DoctorNumberField, { readonly max: number; readonly what: string }>> =
  {
    // fCompletionStatus is a SCSITaskStatus, an enum whose underlying type is unsigned int
    // (Apple's DriverKit SCSITaskStatus reference), not a byte; every value it defines is 0–FFh.
    status: {
      max: 0xff,
      what: '0–FFh (a SAM-5 status is one byte; fCompletionStatus, a SCSITaskStatus, has no value past FFh)',
    },
    cswStatus: { max: 0xff, what: 'one byte, 0–FFh (bCSWStatus, BOT 1.0 §5.2)' },
    residue: { max: 0xffff_ffff, what: '32 bits, 0–4294967295 (dCSWDataResidue, BOT 1.0 §5.2)' },
    senseValid: { max: 1, what: 'a bool, 0 or 1 (fSenseDataValid)' },
    usbVendorId: { max: 0xffff, what: '16 bits, 0–FFFFh (idVendor, USB 2.0 §9.6.1)' },
  };

/** Every field of the text form. */
export type DoctorTextField = 'cdb' | 'sense' | 'transport' | 'driverKit' | DoctorNumberField;

/** What was seen, each as typed; `driverKit` may come in several pieces (repeated `--dk`). */
export type DoctorText = Partial<Record<Exclude<DoctorTextField, 'driverKit'>, string>> & {
  readonly driverKit?: readonly string[];
};

/** How a front end names a field in its messages (`--data-in`, "Transfer length (data-in)"). */
export type FieldLabel = (field: DoctorTextField) => string;

/** A constant as Apple's headers (or SAM, for a status) spell it. */
interface Constant {
  readonly value: number;
  readonly name: string;
}

/** The fields that take constants by name besides numbers. */
export type ConstantField =
  'fDataTransferDirection' | 'fBufferDirection' | 'serviceResponse' | 'kernReturn' | 'status';

/**
 * The constants a field takes besides numbers: the names the doctor prints,
 * so what it says can be pasted back (`names`, listed when a value is
 * refused), and other spellings of them (`aliases`): a SCSI status by its
 * SCSITaskStatus name, kIOMemoryDirectionOutIn for InOut.
 */
const CONSTANTS: Readonly<
  Record<
    ConstantField,
    { readonly names: readonly Constant[]; readonly aliases?: readonly Constant[] }
  >
> = {
  fDataTransferDirection: { names: DATA_TRANSFER_DIRECTIONS },
  fBufferDirection: {
    names: MEMORY_DIRECTIONS,
    aliases: [{ value: 3, name: 'kIOMemoryDirectionOutIn' }],
  },
  serviceResponse: { names: SERVICE_RESPONSES },
  kernReturn: { names: IO_RETURNS, aliases: [{ value: 0, name: 'kIOReturnSuccess' }] },
  status: {
    names: [...SCSI_STATUSES, ...TRANSPORT_STATUSES],
    // Only the statuses DriverKit's SCSITaskStatus has a constant for (SCSIControllerDriverKit
    // SCSIDefinitions.h; Apple's DriverKit SCSITaskStatus reference): it defines no
    // kSCSITaskStatus_TASK_ABORTED or kSCSITaskStatus_COMMAND_TERMINATED.
    aliases: SCSI_STATUSES.filter((s) => s.noTaskStatusConstant !== true).map((s) => ({
      value: s.value,
      name: `kSCSITaskStatus_${s.name.replace(/[ -]/g, '_')}`,
    })),
  },
};

const isConstantField = (field: string): field is ConstantField => field in CONSTANTS;

/** The name the doctor gives a field's value (kIOMemoryDirectionIn for fBufferDirection 1), if it has one. */
export function constantName(field: ConstantField, value: number): string | undefined {
  return CONSTANTS[field].names.find((c) => c.value === value >>> 0)?.name;
}

/** Case, spaces, hyphens and underscores do not tell constants apart: "check condition" is CHECK_CONDITION. */
const squash = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** A number, or one of the field's constants by name; the refusal lists the names. */
function parseValue(text: string, what: string, field: string): Result<number> {
  const n = parseNumberText(text, what);
  if (n.ok || !isConstantField(field)) return n;
  const { names, aliases = [] } = CONSTANTS[field];
  const hit = [...names, ...aliases].find((c) => squash(c.name) === squash(text));
  if (hit) return ok(hit.value);
  return err(
    problem(
      'bad-number',
      `${what} must be a number (decimal, 0x.. or ..h) or one of ${names.map((c) => c.name).join(', ')}; got "${text.trim()}"`,
    ),
  );
}

/** `fRequestedByteCountOfTransfer=512, fBufferDirection=kIOMemoryDirectionIn` → DriverKitParams. */
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
    const n = parseValue(m[2] as string, key, key);
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
    const n = parseValue(t, label(field), field);
    if (!n.ok) return fail(field, n.error);
    const width = WIDTHS[field];
    if (width && n.value > width.max)
      return fail(
        field,
        problem('bad-number', `${label(field)} is ${width.what}; ${n.value} does not fit`),
      );
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
  // A transport code shares its values with SAM statuses (4 is both DeviceNotPresent and CONDITION
  // MET): by name it is meant as one, which only a service delivery failure reports.
  const statusText = given(text.status);
  if (
    statusText !== undefined &&
    TRANSPORT_STATUSES.some((t) => squash(t.name) === squash(statusText)) &&
    numbers.serviceResponse !== SERVICE_DELIVERY_FAILURE
  )
    return fail(
      'status',
      problem(
        'transport-status',
        `${statusText.trim()} is a transport code, reported only with service response 1 (kSCSIServiceResponse_SERVICE_DELIVERY_OR_TARGET_FAILURE): give ${label('serviceResponse')} 1 with it`,
      ),
    );
  const badBlockSize =
    numbers.blockSize !== undefined
      ? blockSizeProblem(numbers.blockSize, label('blockSize'))
      : undefined;
  if (badBlockSize) return fail('blockSize', problem('bad-number', badBlockSize));
  // DriverKit's transfer counts too: fDataTransferDirection says which way fRequestedByteCountOfTransfer goes.
  const dkv = dk?.ok ? dk.value : undefined;
  const both = bothDirectionsProblem(
    numbers.dataIn ?? driverKitTransfer(dkv, 'in'),
    numbers.dataOut ?? driverKitTransfer(dkv, 'out'),
    numbers.dataIn !== undefined ? label('dataIn') : 'a data-in fRequestedByteCountOfTransfer',
    numbers.dataOut !== undefined ? label('dataOut') : 'a data-out fRequestedByteCountOfTransfer',
  );
  if (both) return fail('dataOut', problem('both-directions', both));
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
