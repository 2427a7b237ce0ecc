/** `usbcdb doctor --cdb HEX [what you saw…]` */
import { diagnose } from '../../../shared/doctor/doctor';
import {
  OUT_PARAMETER_FIELDS,
  type DriverKitParams,
  type OutParameterField,
} from '../../../shared/doctor/driverkit';
import type { DoctorInput, TransportResult } from '../../../shared/doctor/types';
import { parseHex } from '../../../shared/scsi/hex';
import { decodeSense } from '../../../shared/scsi/sense';
import { flag, option, parseNumber, type ParsedArgs } from '../args';
import type { CliCommand } from '../command';
import { EXIT, exitCodeForSense, exitCodeForStatus, type ExitCode } from '../exit-codes';
import { toJson, type CliIo } from '../io';
import { renderDoctor } from '../render/doctor';
import { numericOptions } from './shared-options';
import type { VendorSet } from '../../../shared/vendor-sets/model';
import { VENDOR_SET_OPTION, vendorSetsFromArgs } from '../vendor-set-options';

const TRANSPORTS: readonly TransportResult[] = [
  'ok',
  'timeout',
  'stall',
  'phase-error',
  'bad-csw',
  'disconnected',
  'io-error',
  'not-privileged',
];

export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary:
    'Explain what went wrong with a command, from what you saw (CDB, status, sense, DriverKit parameters)',
  usage: `usbcdb doctor --cdb HEX [options]

What you saw:
  --cdb HEX               the CDB you sent (required)
  --data-in N             bytes your buffer expected from the device
  --data-out N            bytes you sent to the device
  --lun N                 the LUN you addressed
  --status N              SCSI status byte (0x00 GOOD, 0x02 CHECK CONDITION, …) or fCompletionStatus
  --service-response N    SCSIServiceResponse from IOKit/DriverKit (2 = TASK_COMPLETE)
  --transport T           ${TRANSPORTS.join(' | ')}
  --csw-status N          bCSWStatus (0 passed, 1 failed, 2 phase error)
  --residue N             dCSWDataResidue
  --realized N            bytes actually transferred (fRealizedByteCountOfTransfer)
  --sense HEX             the sense bytes you read
  --sense-valid 0|1       fSenseDataValid
  --kern-return N         what UserSendCDB returned (e.g. 0xe00002c1)
  --dk KEY=VALUE          a SCSIType00OutParameters value; repeat, or give several as "k=v,k=v"
                          keys: ${OUT_PARAMETER_FIELDS.join(', ')}
  --spc-level N           the device's SPC level if known (2 for SPC-2, 3 for SPC-3, …)
  --block-size N          logical block size (default 512)
${VENDOR_SET_OPTION}
  --json                  JSON output: {outcome:[string], diagnoses:[{id,severity,rank,title,detail,fix,byte}], lint:{findings,corrected}}
Exit status: 0 when nothing of severity error was found; for a CHECK CONDITION, the sg3_utils category of its
sense (2 not ready, 5 illegal request, 6 unit attention, 9 invalid opcode, …); 33 timeout; 5 when the CDB
itself has errors; 99 for other errors; 1 on bad input.`,
  run: async (args: ParsedArgs, io: CliIo) => {
    const vendorSets = await vendorSetsFromArgs(args, io, 'doctor');
    return vendorSets ? runDoctor(args, io, vendorSets) : EXIT.fileError;
  },
};

function parseDriverKit(values: readonly string[]): DriverKitParams | Error {
  const out: DriverKitParams = {};
  for (const pair of values.flatMap((v) => v.split(/[,;\s]+/)).filter((p) => p.length > 0)) {
    const m = /^(\w+)=(.+)$/.exec(pair);
    if (!m) return new Error(`--dk takes KEY=VALUE, got "${pair}"`);
    const key = OUT_PARAMETER_FIELDS.find(
      (k) => k.toLowerCase() === (m[1] as string).toLowerCase(),
    );
    if (!key)
      return new Error(
        `--dk: "${m[1]}" is not a SCSIType00OutParameters field (${OUT_PARAMETER_FIELDS.join(', ')})`,
      );
    const n = parseNumber(m[2], key);
    if (n instanceof Error) return n;
    if (n !== undefined) out[key as OutParameterField] = n;
  }
  return out;
}

function runDoctor(args: ParsedArgs, io: CliIo, vendorSets: readonly VendorSet[]): number {
  const fail = (msg: string): number => {
    io.err(`doctor: ${msg}`);
    return EXIT.syntax;
  };
  const cdbText =
    option(args, 'cdb') ?? (args.positionals.length > 0 ? args.positionals.join(' ') : undefined);
  if (cdbText === undefined)
    return fail('give the CDB you sent with --cdb, e.g. --cdb "12 00 00 24 00 00"');
  const cdb = parseHex(cdbText, 'CDB');
  if (!cdb.ok) return fail(cdb.error.message);
  const nums = numericOptions(args, [
    'data-in',
    'data-out',
    'lun',
    'status',
    'service-response',
    'csw-status',
    'residue',
    'realized',
    'kern-return',
    'spc-level',
    'block-size',
    'sense-valid',
  ]);
  if (nums instanceof Error) return fail(nums.message);
  const senseText = option(args, 'sense');
  const sense = senseText !== undefined ? parseHex(senseText, 'sense') : undefined;
  if (sense && !sense.ok) return fail(sense.error.message);
  const transport = option(args, 'transport');
  if (transport !== undefined && !TRANSPORTS.includes(transport as TransportResult)) {
    return fail(`--transport must be one of ${TRANSPORTS.join(', ')}, got "${transport}"`);
  }
  const dkValues = args.options.get('dk') ?? args.options.get('driverkit');
  const dk = dkValues ? parseDriverKit(dkValues) : undefined;
  if (dk instanceof Error) return fail(dk.message);

  const input: DoctorInput = {
    cdb: cdb.value,
    ...(nums['data-in'] !== undefined ? { dataIn: nums['data-in'] } : {}),
    ...(nums['data-out'] !== undefined ? { dataOut: nums['data-out'] } : {}),
    ...(nums.lun !== undefined ? { lun: nums.lun } : {}),
    ...(nums.status !== undefined ? { status: nums.status } : {}),
    ...(nums['service-response'] !== undefined
      ? { serviceResponse: nums['service-response'] }
      : {}),
    ...(transport !== undefined ? { transport: transport as TransportResult } : {}),
    ...(nums['csw-status'] !== undefined ? { cswStatus: nums['csw-status'] } : {}),
    ...(nums.residue !== undefined ? { residue: nums.residue } : {}),
    ...(nums.realized !== undefined ? { realized: nums.realized } : {}),
    ...(sense?.ok ? { sense: sense.value } : {}),
    ...(nums['sense-valid'] !== undefined ? { senseValid: nums['sense-valid'] !== 0 } : {}),
    ...(nums['kern-return'] !== undefined ? { kernReturn: nums['kern-return'] } : {}),
    ...(dk ? { driverKit: dk } : {}),
    ...(nums['spc-level'] !== undefined ? { spcLevel: nums['spc-level'] } : {}),
    ...(nums['block-size'] !== undefined ? { blockSize: nums['block-size'] } : {}),
    vendorSets,
  };
  const report = diagnose(input);
  io.out(flag(args, 'json') ? toJson(report) : renderDoctor(report));
  return doctorExitCode(input, report);
}

function doctorExitCode(input: DoctorInput, report: ReturnType<typeof diagnose>): ExitCode {
  const errors = report.diagnoses.filter((d) => d.severity === 'error');
  if (errors.length === 0) return EXIT.ok;
  if (input.transport === 'timeout') return EXIT.timeout;
  const sense = input.status === 0x02 && input.sense ? decodeSense(input.sense) : undefined;
  if (sense?.ok && sense.value.asc !== undefined)
    return exitCodeForSense(sense.value.senseKey, sense.value.asc);
  if (input.status !== undefined && input.status !== 0 && input.status !== 0x02)
    return exitCodeForStatus(input.status);
  if (report.lint.findings.some((f) => f.severity === 'error')) return EXIT.illegalRequest;
  return EXIT.other;
}
