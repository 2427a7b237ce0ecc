/** `usbcdb doctor --cdb HEX [what you saw…]` */
import { diagnose } from '../../../shared/doctor/doctor';
import {
  statusHasSense,
  OUT_PARAMETER_FIELDS,
  SERVICE_DELIVERY_FAILURE,
  TASK_COMPLETE,
} from '../../../shared/doctor/driverkit';
import {
  parseDoctorText,
  TRANSPORT_RESULTS,
  type DoctorText,
  type DoctorTextField,
} from '../../../shared/doctor/input';
import type { DoctorInput } from '../../../shared/doctor/types';
import { flag, isOneByteWord, option, type ParsedArgs } from '../args';
import type { CliCommand } from '../command';
import { EXIT, exitCodeForCheckCondition, exitCodeForStatus, type ExitCode } from '../exit-codes';
import { toJson, type CliIo } from '../io';
import { renderDoctor } from '../render/doctor';
import type { VendorSet } from '../../../shared/vendor-sets/model';
import { READER_OPTION_SPEC, vendorSetRow, vendorSetsFromArgs } from '../vendor-set-options';
import { optionRows } from '../usage';

/** The option each DoctorText field is read from (its name in `--help` and in messages). */
const OPTION_OF: Record<DoctorTextField, string> = {
  cdb: 'cdb',
  dataIn: 'data-in',
  dataOut: 'data-out',
  lun: 'lun',
  status: 'status',
  serviceResponse: 'service-response',
  transport: 'transport',
  cswStatus: 'csw-status',
  residue: 'residue',
  realized: 'realized',
  sense: 'sense',
  senseValid: 'sense-valid',
  kernReturn: 'kern-return',
  driverKit: 'dk',
  spcLevel: 'spc-level',
  blockSize: 'block-size',
  usbVendorId: 'usb-vendor-id',
};

export const doctorCommand: CliCommand = {
  name: 'doctor',
  positionals: Infinity,
  options: {
    ...READER_OPTION_SPEC,
    ...Object.fromEntries(Object.values(OPTION_OF).map((o) => [o, 'value' as const])),
    // DriverKit parameters may come in several --dk groups; --driverkit is its long spelling.
    dk: 'values',
    driverkit: { aliasOf: 'dk' },
  },
  summary:
    'Explain what went wrong with a command, from what you saw (CDB, status, sense, DriverKit parameters)',
  usage: `usbcdb doctor --cdb HEX [options]

What you saw:
${optionRows([
  ['--cdb HEX', 'the CDB you sent (required; or give it as the words after doctor)'],
  ['--data-in N', 'bytes your buffer expected from the device'],
  ['--data-out N', 'bytes you sent to the device'],
  ['--lun N', 'the LUN you addressed'],
  [
    '--status N',
    'SCSI status byte (0x00 GOOD, 0x02 CHECK CONDITION, …) or fCompletionStatus;',
    'a number or the name (GOOD, kSCSITaskStatus_CHECK_CONDITION, …)',
  ],
  [
    '--service-response N',
    'SCSIServiceResponse from IOKit/DriverKit (2 or kSCSIServiceResponse_TASK_COMPLETE)',
  ],
  ['--transport T', TRANSPORT_RESULTS.join(' | ')],
  ['--csw-status N', 'bCSWStatus (0 passed, 1 failed, 2 phase error)'],
  ['--residue N', 'dCSWDataResidue'],
  ['--realized N', 'bytes actually transferred (fRealizedByteCountOfTransfer)'],
  ['--sense HEX', 'the sense bytes you read'],
  ['--sense-valid 0|1', 'fSenseDataValid'],
  ['--kern-return N', 'what UserSendCDB returned (e.g. 0xe00002c1 or kIOReturnNotPrivileged)'],
  [
    '--dk KEY=VALUE',
    '(or --driverkit) a SCSIType00OutParameters value; repeat, or "k=v,k=v"',
    `keys: ${OUT_PARAMETER_FIELDS.join(', ')}`,
    'the two directions take numbers or names (kIOMemoryDirectionIn, kSCSIDataTransfer_…)',
  ],
  ['--spc-level N', "the device's SPC level if known (2 for SPC-2, 3 for SPC-3, …)"],
  ['--block-size N', 'logical block size (default 512)'],
  [
    '--usb-vendor-id N',
    "the device's USB vendor ID (0x174c): names the bridge family whose commands it speaks",
  ],
  vendorSetRow(),
  [
    '--json',
    'JSON output: {outcome:[string], diagnoses:[{id,severity,rank,title,detail,fix,byte}], lint:{findings,corrected}}',
  ],
])}
Exit status: for another status than GOOD, CHECK CONDITION and COMMAND TERMINATED its sg3_utils category (24
reservation conflict, 26 busy, 27 task set full, …); 33 timeout; for a CHECK CONDITION (or the obsolete
COMMAND TERMINATED), the category of its sense, as raw gives it (2 not ready, 5 illegal request, 6 unit
attention, 9 invalid opcode, 20 no sense, 21 recovered error, 22 LBA out of range, …; 98 for no sense
or sense that does not decode); else 0 when nothing of severity error was found; 5 when the CDB itself
has errors; 99 for other errors; 1 on bad input (sense bytes typed as words after --sense: quote
them); 31 for a data-in length with a data-out one, or a CDB given both with --cdb and as words.`,
  run: async (args: ParsedArgs, io: CliIo) => {
    const vendorSets = await vendorSetsFromArgs(args, io, 'doctor');
    return vendorSets ? runDoctor(args, io, vendorSets) : EXIT.fileError;
  },
};

function runDoctor(args: ParsedArgs, io: CliIo, vendorSets: readonly VendorSet[]): number {
  const text: { -readonly [K in keyof DoctorText]: DoctorText[K] } = {};
  for (const [field, name] of Object.entries(OPTION_OF) as [DoctorTextField, string][]) {
    if (field !== 'driverKit') text[field] = option(args, name);
  }
  // `--sense 70 00 05 …`: the option took the first byte, the rest came as words, which would
  // otherwise be read as the CDB.
  const senseWords = unquotedRest(args, text.sense, 'sense');
  if (senseWords) {
    io.err(
      `doctor: --sense took only "${text.sense}", and "${senseWords}" came as separate words: quote the sense bytes (--sense "${text.sense} ${senseWords}")`,
    );
    return EXIT.syntax;
  }
  // The CDB may be given as words instead of --cdb; given both ways, which was meant is a guess.
  if (text.cdb !== undefined && args.positionals.length > 0) {
    const words = args.positionals.join(' ');
    // `--cdb 12 00 00 24 00 00`: the option took the first byte, the rest came as words.
    const cdbWords = unquotedRest(args, text.cdb, 'cdb');
    io.err(
      cdbWords
        ? `doctor: --cdb took only "${text.cdb}", and "${cdbWords}" came as separate words: quote the CDB (--cdb "${text.cdb} ${cdbWords}"), or give its bytes as words without --cdb`
        : `doctor: the CDB is given twice, with --cdb and as "${words}"; give it once`,
    );
    return EXIT.contradict;
  }
  if (text.cdb === undefined && args.positionals.length > 0) text.cdb = args.positionals.join(' ');
  const dk = args.options.get('dk');
  if (dk) text.driverKit = dk;
  const parsed = parseDoctorText(text, (field) => `--${OPTION_OF[field]}`);
  if (!parsed.ok) {
    io.err(`doctor: ${parsed.error.message}`);
    // A data-in and a data-out length exclude each other, as raw's --in and --out do.
    return parsed.error.code === 'both-directions' ? EXIT.contradict : EXIT.syntax;
  }
  const input: DoctorInput = { ...parsed.value, vendorSets };
  const report = diagnose(input);
  io.out(flag(args, 'json') ? toJson(report) : renderDoctor(report));
  return doctorExitCode(input, report);
}

/**
 * The one-byte words that came right after option `name`'s one-byte `value`: the rest of its hex
 * typed unquoted. Undefined when there are none, or when either is not a byte alone.
 */
function unquotedRest(
  args: ParsedArgs,
  value: string | undefined,
  name: string,
): string | undefined {
  const rest = args.following?.get(name) ?? [];
  return value !== undefined && isOneByteWord(value) && rest.length > 0 && rest.every(isOneByteWord)
    ? rest.join(' ')
    : undefined;
}

function doctorExitCode(input: DoctorInput, report: ReturnType<typeof diagnose>): ExitCode {
  // A SCSI status other than GOOD and CHECK CONDITION (BUSY, RESERVATION CONFLICT…) is the
  // outcome itself, whatever the diagnosis ranks it; with a service delivery failure the field
  // holds a transport code instead.
  const scsiStatus = input.serviceResponse === undefined || input.serviceResponse === TASK_COMPLETE;
  if (
    scsiStatus &&
    input.status !== undefined &&
    input.status !== 0 &&
    !statusHasSense(input.status)
  )
    return exitCodeForStatus(input.status);
  // kSCSITaskStatus_TaskTimeoutOccurred and _ProtocolTimeoutOccurred (1, 2) with a service delivery failure.
  const appleTimeout =
    input.serviceResponse === SERVICE_DELIVERY_FAILURE &&
    (input.status === 0x01 || input.status === 0x02);
  if (input.transport === 'timeout' || appleTimeout) return EXIT.timeout;
  // A CHECK CONDITION exits with the category of its sense, as `raw` does for the same exchange,
  // whatever the findings' severities: RECOVERED ERROR and NO SENSE are findings of severity
  // info, yet their categories are 21 and 20 (sg3_utils).
  // Sense bytes that do not decode, or none given, exit as raw's do: another sense (98).
  if (scsiStatus && statusHasSense(input.status)) return exitCodeForCheckCondition(input.sense);
  if (!report.diagnoses.some((d) => d.severity === 'error')) return EXIT.ok;
  if (report.lint.findings.some((f) => f.severity === 'error')) return EXIT.illegalRequest;
  return EXIT.other;
}
