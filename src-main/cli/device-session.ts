/**
 * Running commands against a device from the CLI: open it from --device,
 * absorb the power-on unit attention (as the Linux kernel's scan does), send,
 * and explain any failure through the doctor.
 */
import { diagnose } from '../../shared/doctor/doctor';
import { lintCdb } from '../../shared/lint/lint';
import { formatHex } from '../../shared/scsi/hex';
import { explainSenseFor } from '../../shared/scsi/sense/for-command';
import { appendLineSync } from '../files/append-line';
import { unwritableTarget } from '../files/regular-file';
import { dashForFile } from './data-files';
import { openDevice } from '../engine/device-string';
import type { Problem } from '../../shared/scsi/result';
import { settle, type DeviceFacts } from '../engine/settle';
import { RecordingTransport } from '../engine/recorder';
import type { CommandOutcome, CommandRequest, Transport } from '../engine/transport';
import {
  DEFAULT_TIMEOUT_MS,
  dataStageText,
  refusedDataInNote,
  statusText,
} from '../../shared/exchange';
import { statusHasSense } from '../../shared/doctor/driverkit';
import { confirmationFor, dataOutLengthOf } from '../engine/confirmation';
import type { VendorSet } from '../../shared/vendor-sets/model';
import { findByName } from '../../shared/scsi/catalog';
import { buildCdb } from '../../shared/scsi/cdb/build';
import { flag, option, type OptionSpec, type ParsedArgs } from './args';
import { numericOptions } from './commands/shared-options';
import {
  EXIT,
  exitCodeForCheckCondition,
  exitCodeForStatus,
  exitCodeForTransport,
  type ExitCode,
} from './exit-codes';
import { toJson, type CliIo } from './io';
import { renderDoctor } from './render/doctor';
import { hexdump } from './render/hexdump';
import { renderLint } from './render/lint';
import { renderRows } from './render/rows';
import { decodeResponse } from '../../shared/scsi/parsers/for-command';
import { vendorSetRow, vendorSetsFromArgs } from './vendor-set-options';
import { optionRows, type OptionRow } from './usage';

export const DEFAULT_DEVICE = 'emu:';
export { settle };
export { DEFAULT_TIMEOUT_MS };

/** The options every device command takes but --vendor-set and --json. */
const DEVICE_OPTION_ROWS: readonly OptionRow[] = [
  [
    '--device DEV',
    '(or -d DEV) emu: (default), emu:PROFILE, emu:PROFILE?image=FILE, usb:VID:PID[#N], replay:FILE',
  ],
  [
    '--record FILE',
    'append every exchange to FILE (JSON lines; replay it with --device replay:FILE)',
  ],
  ['--capture F', 'write the USB traffic (emu:, usb:) to F as a usbmon pcap for Wireshark/tshark'],
  ['--lun N', 'logical unit (default 0)'],
  ['--timeout MS', 'how long a command may take: 1–3600000 ms (default 20000)'],
  [
    '--force',
    'send to a real device a command that can change data or firmware (WRITE, FORMAT',
    'UNIT, WRITE BUFFER, SANITIZE, vendor data-out); without it usbcdb refuses',
  ],
];

/** --json for the device commands that answer with one exchange. */
const DEVICE_JSON_ROW: OptionRow = ['--json', '{device, request, outcome}'];

/** What a device command's usage says beside the options every device command takes. */
interface DeviceUsage {
  /** Its own options, listed first. */
  readonly options?: readonly OptionRow[];
  /** What --vendor-set does for it, beyond naming commands. */
  readonly vendorSets?: string;
  /** Its --json, when not one exchange's. */
  readonly json?: OptionRow;
}

/**
 * A device command's usage text: its synopsis and text, then its own options, the device options,
 * --vendor-set and --json in one list.
 */
export function deviceUsage(head: string, usage: DeviceUsage = {}): string {
  const vendorSets =
    usage.vendorSets === undefined ? vendorSetRow() : vendorSetRow(usage.vendorSets);
  const rows = [...(usage.options ?? []), ...DEVICE_OPTION_ROWS, vendorSets];
  return `${head}\n${optionRows([...rows, usage.json ?? DEVICE_JSON_ROW])}`;
}

/** The options every device command takes, as deviceUsage lists them (`-d` is --device). */
export const DEVICE_OPTION_SPEC: OptionSpec = {
  device: 'value',
  d: { aliasOf: 'device' },
  record: 'value',
  capture: 'value',
  lun: 'value',
  timeout: 'value',
  force: 'flag',
  'vendor-set': 'values',
  json: 'flag',
};

/** Refusals of a device string that are typing errors (openDevice's codes); the rest could not be opened. */
const DEVICE_SYNTAX_CODES: ReadonlySet<string> = new Set(['device-spec', 'profile']);

/**
 * Opens --device (default emu:), an emulated drive speaking `vendorSets`
 * besides its profile's; with --record FILE, every exchange is
 * appended to FILE as a trace, each line whole or not at all. Whatever stops
 * a capture or a recording early is said at once and kept in `problems`, so
 * the command does not report success over a file with a hole in it. On
 * failure it prints why and returns the exit status: EXIT.syntax for a
 * device string that names nothing, EXIT.fileError for a device or file that
 * cannot be opened, as sg3_utils does for a device node it cannot open.
 */
async function openFromArgs(
  args: ParsedArgs,
  io: CliIo,
  vendorSets: readonly VendorSet[] = [],
): Promise<{ transport: Transport; problems: () => readonly string[] } | ExitCode> {
  const problems: string[] = [];
  // Led by the command's name, as every other message of the command is.
  const command = args.command ?? 'usbcdb';
  const note = (p: Problem): void => {
    io.err(`${command}: ${p.message}`);
    problems.push(p.message);
  };
  const capture = option(args, 'capture');
  const record = option(args, 'record');
  // A capture or trace file that could never be written is named before the device is opened.
  for (const [name, path] of [
    ['--capture', capture],
    ['--record', record],
  ] as const) {
    const refused = path === undefined ? undefined : (dashForFile(path) ?? unwritableTarget(path));
    if (refused) {
      io.err(`${command}: ${name}: ${refused.message}; nothing was sent`);
      return EXIT.fileError;
    }
  }
  const r = await openDevice(option(args, 'device') ?? DEFAULT_DEVICE, {
    ...(capture !== undefined ? { capture, onCaptureFailure: note } : {}),
    ...(vendorSets.length > 0 ? { vendorSets } : {}),
  });
  if (!r.ok) {
    io.err(`${command}: --device: ${r.error.message}`);
    return DEVICE_SYNTAX_CODES.has(r.error.code) ? EXIT.syntax : EXIT.fileError;
  }
  if (record === undefined) return { transport: r.value, problems: () => problems };
  const recording = new RecordingTransport(r.value, {
    append: (line) => {
      const written = appendLineSync(record, line);
      if (!written.ok) note(written.error);
      return written;
    },
  });
  return { transport: recording, problems: () => problems };
}

/** --lun and --timeout as a command sends them (0 and DEFAULT_TIMEOUT_MS unless given), or why not. */
export function requestOptions(args: ParsedArgs): { lun: number; timeoutMs: number } | Error {
  const nums = numericOptions(args, ['lun', 'timeout']);
  if (nums instanceof Error) return nums;
  return { lun: nums.lun ?? 0, timeoutMs: nums.timeout ?? DEFAULT_TIMEOUT_MS };
}

/** "the device took only 500 of 512 bytes (residue 12)": the one wording for a data-out the device took part of. */
export function dataOutShortfall(sent: number, residue: number): string {
  return `the device took only ${sent - residue} of ${sent} bytes (residue ${residue})`;
}

/**
 * A request and its outcome for --json where the data went to or came from a
 * file (read, write, write-buffer): the data phases as their lengths, so a
 * 1 GiB read prints a number, not the gigabyte as hex.
 */
export function exchangeJson(
  req: CommandRequest,
  o: CommandOutcome,
): { request: object; outcome: object } {
  const { dataOut, ...request } = req;
  const { dataIn, ...outcome } = o;
  return {
    request: { ...request, dataOutLength: dataOut?.length ?? 0 },
    outcome: { ...outcome, dataInLength: dataIn.length },
  };
}

/** The exit status an outcome deserves (sg3_utils categories). */
export function exitCodeFor(o: CommandOutcome): ExitCode {
  if (o.transportError) return exitCodeForTransport(o.transportError.kind);
  if (o.status === 0) return EXIT.ok;
  if (o.status !== undefined && !statusHasSense(o.status)) return exitCodeForStatus(o.status);
  return exitCodeForCheckCondition(o.sense);
}

/**
 * Status, sense and residue in words; on failure, the doctor's diagnosis
 * (knowing what settle learnt of the device and `vendorSets`' commands).
 */
export function renderOutcome(
  req: CommandRequest,
  o: CommandOutcome,
  device: DeviceFacts = {},
  vendorSets: readonly VendorSet[] = [],
): string {
  const { spcLevel, maxLun } = device;
  const lines = [
    `${formatHex(req.cdb)}: ${o.transportError ? `transport ${o.transportError.kind}: ${o.transportError.message}` : statusText(o.status)}`,
  ];
  lines.push(
    `  ${dataStageText(req.direction, req.dataOut?.length ?? 0, o.dataIn.length)}, residue ${o.residue}, ${o.durationMs.toFixed(2)} ms`,
  );
  const padding = refusedDataInNote(o.status, o.sense, o.dataIn.length);
  if (padding) lines.push(`  ${padding}`);
  if (o.sense) {
    const s = explainSenseFor(o.sense, { cdb: req.cdb, vendorSets });
    lines.push(`  sense ${formatHex(o.sense)}${s.ok ? ` — ${s.value.explanation.headline}` : ''}`);
  }
  if (o.status !== 0) {
    const report = diagnose({
      cdb: req.cdb,
      ...(req.direction === 'in' ? { dataIn: req.transferLength } : {}),
      ...(req.direction === 'out' ? { dataOut: req.dataOut?.length ?? 0 } : {}),
      ...(req.direction === 'none' ? { noDataPhase: true } : {}),
      ...(o.status !== undefined ? { status: o.status } : {}),
      ...(o.sense ? { sense: o.sense } : {}),
      ...(o.transportError ? { transport: o.transportError.kind } : {}),
      ...(o.cswStatus !== undefined ? { cswStatus: o.cswStatus } : {}),
      residue: o.residue,
      lun: req.lun,
      ...(maxLun !== undefined ? { maxLun } : {}),
      ...(spcLevel !== undefined ? { spcLevel } : {}),
      vendorSets,
    });
    lines.push('', renderDoctor(report));
  } else {
    const lint = lintCdb({
      cdb: req.cdb,
      lun: req.lun,
      ...(spcLevel !== undefined ? { spcLevel } : {}),
      vendorSets,
      ...(req.direction === 'in'
        ? { dataIn: req.transferLength }
        : req.direction === 'out'
          ? { dataOut: req.dataOut?.length ?? 0 }
          : { noDataPhase: true }),
    });
    const notable = lint.findings.filter((f) => f.severity !== 'info');
    if (notable.length > 0)
      lines.push(
        '',
        'The command succeeded here, but the CDB has problems another device may not forgive:',
        renderLint(req.cdb, 'lint', {
          findings: notable,
          ...(lint.corrected ? { corrected: lint.corrected } : {}),
        }),
      );
  }
  return lines.join('\n');
}

/**
 * The --force gate: a CDB the confirmation policy (shared/scsi/confirm-policy.ts,
 * through the engine's confirmationFor) gates is not sent to a real device
 * without --force. Emulated drives and replays need no confirmation. Returns
 * the refusal message, or undefined to go ahead.
 */
export function refuseWithoutForce(
  t: Transport,
  args: ParsedArgs,
  cdb: Uint8Array,
  dataOutLength: number,
  vendorSets: readonly VendorSet[] = [],
): string | undefined {
  if (flag(args, 'force')) return undefined;
  const c = confirmationFor(t.describe(), cdb, { dataOutLength, vendorSets });
  return c.needed
    ? `${c.reason} It was not sent to ${t.describe().id}: add --force to send it.`
    : undefined;
}

/** Vendor sets a device command knows besides reading --vendor-set itself. */
export interface KnownSets {
  /** The --vendor-set files, when the command has already read them. */
  readonly files?: readonly VendorSet[];
  /**
   * Sets the command brings for the lookup only (`usbcdb vendor`'s built-in
   * set: its declared effect decides the gate); an emulated drive is not
   * given them, it speaks its profile's sets.
   */
  readonly extra?: readonly VendorSet[];
}

/**
 * Reads the --vendor-set files (unless `known.files` has them), opens
 * --device speaking them, runs `fn` with the device and every set the
 * command knows (the files, then `known.extra`), and closes the device on every path —
 * `fn` returning, refusing or throwing — so a `usb:` device always gets its
 * interface released and its OS driver back. Returns `fn`'s exit status,
 * EXIT.fileError when a vendor-set file cannot be used, or openFromArgs'
 * status when the device cannot be opened (the reason is printed).
 */
export async function withTransport(
  args: ParsedArgs,
  io: CliIo,
  fn: (t: Transport, vendorSets: readonly VendorSet[]) => Promise<ExitCode | number>,
  known: KnownSets = {},
): Promise<number> {
  const files = known.files ?? (await vendorSetsFromArgs(args, io, 'device'));
  if (!files) return EXIT.fileError;
  const vendorSets = [...files, ...(known.extra ?? [])];
  const opened = await openFromArgs(args, io, files);
  if (typeof opened === 'number') return opened;
  let code: number;
  try {
    code = await fn(opened.transport, vendorSets);
  } finally {
    await opened.transport.close();
  }
  // A capture or trace that stopped early is a failed file, whatever the device answered.
  return code === EXIT.ok && opened.problems().length > 0 ? EXIT.fileError : code;
}

/**
 * A catalog command built from fields, some of them the user's (--vpd, --page, --lba…): an
 * Error naming the field a value does not fit, for the command to report as bad input.
 */
export function userCdb(
  name: string,
  values: Readonly<Record<string, number | bigint>>,
): Uint8Array | Error {
  const spec = findByName(name);
  if (!spec) throw new Error(`catalog has no ${name}`);
  const built = buildCdb(spec, values);
  return built.ok ? built.value : new Error(built.error.message);
}

/**
 * Data-in as usbcdb reads it for this CDB (shared/scsi/parsers/for-command.ts:
 * a standard parser or a vendor set's response layout), or an Error naming
 * what is malformed; undefined when nothing knows how to read it.
 */
export function renderResponse(
  cdb: Uint8Array,
  data: Uint8Array,
  vendorSets: readonly VendorSet[],
): string | Error | undefined {
  const decoded = decodeResponse(cdb, data, vendorSets);
  if (!decoded) return undefined;
  if (!decoded.rows.ok) return new Error(decoded.rows.error.message);
  return `${decoded.notes.map((n) => `note: ${n}\n`).join('')}${renderRows(decoded.rows.value)}`;
}

/** What showing one exchange needs besides the request: where to print, and how to read data. */
export interface ShowContext {
  readonly args: ParsedArgs;
  readonly io: CliIo;
  readonly device: DeviceFacts;
  readonly vendorSets: readonly VendorSet[];
  readonly render?:
    ((data: Uint8Array, vendorSets: readonly VendorSet[]) => string | Error) | undefined;
}

/**
 * Sends one request on an open, settled transport and shows it as every device command does:
 * JSON with --json; the doctor's explanation of a failure; a data-out the device did not take
 * whole as an error; the data read (by `render`, else as `renderResponse` reads it). Returns the
 * exit status.
 */
export async function sendOne(
  t: Transport,
  req: CommandRequest,
  c: ShowContext,
): Promise<ExitCode> {
  return showOutcome(t, req, await t.execute(req), c);
}

/** Shows an exchange that has happened, as `sendOne` does; returns the exit status. */
export function showOutcome(
  t: Transport,
  req: CommandRequest,
  outcome: CommandOutcome,
  c: ShowContext,
): ExitCode {
  const { args, io, device, vendorSets, render } = c;
  if (flag(args, 'json')) {
    io.out(toJson({ device: t.describe(), request: req, outcome }));
    return exitCodeFor(outcome);
  }
  if (outcome.status !== 0) {
    io.out(renderOutcome(req, outcome, device, vendorSets));
    return exitCodeFor(outcome);
  }
  // Data-out is done only when the device took every byte (nothing partial reported as success).
  if (req.direction === 'out' && outcome.residue !== 0) {
    io.err(
      `${args.command ?? 'usbcdb'}: ${dataOutShortfall(req.dataOut?.length ?? 0, outcome.residue)}`,
    );
    return EXIT.other;
  }
  // An answer of no bytes (no data phase, data-out, or an allocation length of 0) is said, not printed as nothing.
  if (outcome.dataIn.length === 0) {
    io.out(
      `GOOD (${req.direction === 'out' ? dataStageText('out', req.dataOut?.length ?? 0, 0) : 'no data'})`,
    );
    return EXIT.ok;
  }
  const text = render
    ? render(outcome.dataIn, vendorSets)
    : (renderResponse(req.cdb, outcome.dataIn, vendorSets) ?? hexdump(outcome.dataIn));
  if (text instanceof Error) {
    io.err(`${args.command ?? 'usbcdb'}: ${text.message}`);
    return EXIT.malformed;
  }
  io.out(text);
  return EXIT.ok;
}

/**
 * The common shape of the device commands: read --vendor-set files, open,
 * refuse what needs --force, settle, send one command, and on success render
 * its data (by default as `renderResponse` reads it); on failure print the
 * doctor's explanation. A vendor command's declared effect decides the
 * gate. Returns the exit status.
 */
export async function sendAndShow(
  args: ParsedArgs,
  io: CliIo,
  request: Omit<CommandRequest, 'lun' | 'timeoutMs'>,
  render?: (data: Uint8Array, vendorSets: readonly VendorSet[]) => string | Error,
  known: KnownSets = {},
): Promise<number> {
  const given = requestOptions(args);
  if (given instanceof Error) {
    io.err(`${args.command ?? 'usbcdb'}: ${given.message}`);
    return EXIT.syntax;
  }
  return withTransport(
    args,
    io,
    async (t, vendorSets) => {
      const refusal = refuseWithoutForce(
        t,
        args,
        request.cdb,
        dataOutLengthOf(request),
        vendorSets,
      );
      if (refusal) {
        io.err(`${args.command ?? 'usbcdb'}: ${refusal}`);
        return EXIT.syntax;
      }
      const device = await settle(t, given);
      return sendOne(t, { ...request, ...given }, { args, io, device, vendorSets, render });
    },
    known,
  );
}
