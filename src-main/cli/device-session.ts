/**
 * Running commands against a device from the CLI: open it from --device,
 * absorb the power-on unit attention (as the Linux kernel's scan does), send,
 * and explain any failure through the doctor.
 */
import { diagnose } from '../../shared/doctor/doctor';
import { lintCdb } from '../../shared/lint/lint';
import { formatHex } from '../../shared/scsi/hex';
import { decodeSense, explainSense } from '../../shared/scsi/sense';
import { appendFileSync } from 'node:fs';
import { openDevice } from '../engine/device-string';
import { settle } from '../engine/settle';
import { RecordingTransport } from '../engine/recorder';
import type { CommandOutcome, CommandRequest, Transport } from '../engine/transport';
import { findByName } from '../../shared/scsi/catalog';
import { buildCdb } from '../../shared/scsi/cdb/build';
import { flag, option, type ParsedArgs } from './args';
import { numericOptions } from './commands/shared-options';
import { EXIT, exitCodeForSense, type ExitCode } from './exit-codes';
import { toJson, type CliIo } from './io';
import { renderDoctor } from './render/doctor';
import { renderLint } from './render/lint';

export const DEFAULT_DEVICE = 'emu:';
export { settle };
export const DEFAULT_TIMEOUT_MS = 20_000;

/** The options every device command takes, for their usage texts. */
export const DEVICE_OPTIONS = `  --device DEV  emu: (default), emu:PROFILE, emu:PROFILE?image=FILE, usb:VID:PID[#N], replay:FILE
  --record FILE append every exchange to FILE (JSON lines; replay it with --device replay:FILE)
  --capture F   write the USB traffic (emu:, usb:) to F as a usbmon pcap for Wireshark/tshark
  --lun N       logical unit (default 0)
  --json        {device, request, outcome}`;

/** Opens --device (default emu:); with --record FILE, every exchange is appended to FILE as a trace. */
export async function openFromArgs(args: ParsedArgs, io: CliIo): Promise<Transport | undefined> {
  const capture = option(args, 'capture');
  const r = await openDevice(
    option(args, 'device', 'd') ?? DEFAULT_DEVICE,
    capture !== undefined ? { capture } : {},
  );
  if (!r.ok) {
    io.err(r.error.message);
    return undefined;
  }
  const record = option(args, 'record');
  return record === undefined
    ? r.value
    : new RecordingTransport(r.value, (line) => appendFileSync(record, line + '\n'));
}

/** The exit status an outcome deserves (sg3_utils categories). */
export function exitCodeFor(o: CommandOutcome): ExitCode {
  if (o.transportError) return o.transportError.kind === 'timeout' ? EXIT.timeout : EXIT.other;
  if (o.status === 0) return EXIT.ok;
  const s = o.sense ? decodeSense(o.sense) : undefined;
  return s?.ok && s.value.asc !== undefined
    ? exitCodeForSense(s.value.senseKey, s.value.asc)
    : EXIT.otherSense;
}

/** Status, sense and residue in words; on failure, the doctor's diagnosis. */
export function renderOutcome(req: CommandRequest, o: CommandOutcome, spcLevel?: number): string {
  const lines = [
    `${formatHex(req.cdb)}: ${o.transportError ? `transport ${o.transportError.kind}: ${o.transportError.message}` : o.status === 0 ? 'GOOD' : 'CHECK CONDITION'}`,
  ];
  lines.push(
    `  ${o.dataIn.length} byte${o.dataIn.length === 1 ? '' : 's'} in, residue ${o.residue}, ${o.durationMs.toFixed(2)} ms`,
  );
  if (o.sense) {
    const s = decodeSense(o.sense);
    lines.push(
      `  sense ${formatHex(o.sense.subarray(0, 18))}${s.ok ? ` — ${explainSense(s.value).headline}` : ''}`,
    );
  }
  if (o.status !== 0) {
    const report = diagnose({
      cdb: req.cdb,
      ...(req.direction === 'in' ? { dataIn: req.transferLength } : {}),
      ...(req.direction === 'out' ? { dataOut: req.dataOut?.length ?? 0 } : {}),
      ...(o.status !== undefined ? { status: o.status } : {}),
      ...(o.sense ? { sense: o.sense } : {}),
      ...(o.transportError ? { transport: o.transportError.kind } : {}),
      ...(o.cswStatus !== undefined ? { cswStatus: o.cswStatus } : {}),
      residue: o.residue,
      lun: req.lun,
      ...(spcLevel !== undefined ? { spcLevel } : {}),
    });
    lines.push('', renderDoctor(report));
  } else {
    const lint = lintCdb({
      cdb: req.cdb,
      lun: req.lun,
      ...(spcLevel !== undefined ? { spcLevel } : {}),
      ...(req.direction === 'in'
        ? { dataIn: req.transferLength }
        : req.direction === 'out'
          ? { dataOut: req.dataOut?.length ?? 0 }
          : {}),
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
 * The brief's rule: nothing destructive (WRITE, FORMAT UNIT, WRITE BUFFER,
 * SANITIZE, unknown vendor opcodes with data-out…) reaches a real device
 * without --force. Lint decides what is destructive; emulated drives need no
 * confirmation. Returns the refusal message, or undefined to go ahead.
 */
export function refuseDestructive(
  t: Transport,
  args: ParsedArgs,
  cdb: Uint8Array,
  dataOut: number,
): string | undefined {
  if (t.describe().kind !== 'usb' || flag(args, 'force')) return undefined;
  const d = lintCdb({ cdb, ...(dataOut > 0 ? { dataOut } : {}) }).findings.find(
    (f) => f.id === 'destructive',
  );
  return d
    ? `${d.message} It was not sent to ${t.describe().id}: add --force to send it.`
    : undefined;
}

/** A catalog command built from fields — device commands never hand-assemble CDB bytes. */
export function catalogCdb(
  name: string,
  values: Readonly<Record<string, number | bigint>> = {},
): Uint8Array {
  const spec = findByName(name);
  if (!spec) throw new Error(`catalog has no ${name}`);
  const built = buildCdb(spec, values);
  if (!built.ok) throw new Error(built.error.message);
  return built.value;
}

/**
 * The common shape of the device commands: open, settle, send one catalog
 * command, and on success render its data; on failure print the doctor's
 * explanation. Returns the exit status.
 */
export async function sendAndShow(
  args: ParsedArgs,
  io: CliIo,
  request: Omit<CommandRequest, 'lun' | 'timeoutMs'>,
  render: (data: Uint8Array) => string | Error,
): Promise<number> {
  const nums = numericOptions(args, ['lun', 'timeout']);
  if (nums instanceof Error) {
    io.err(nums.message);
    return EXIT.syntax;
  }
  const t = await openFromArgs(args, io);
  if (!t) return EXIT.syntax;
  const refusal = refuseDestructive(t, args, request.cdb, request.dataOut?.length ?? 0);
  if (refusal) {
    io.err(refusal);
    await t.close();
    return EXIT.syntax;
  }
  const lun = nums.lun ?? 0;
  const { spcLevel } = await settle(t, lun);
  const req: CommandRequest = { ...request, lun, timeoutMs: nums.timeout ?? DEFAULT_TIMEOUT_MS };
  const outcome = await t.execute(req);
  await t.close();
  if (flag(args, 'json')) {
    io.out(toJson({ device: t.describe(), request: req, outcome }));
    return exitCodeFor(outcome);
  }
  if (outcome.status !== 0) {
    io.out(renderOutcome(req, outcome, spcLevel));
    return exitCodeFor(outcome);
  }
  const text = render(outcome.dataIn);
  if (text instanceof Error) {
    io.err(text.message);
    return EXIT.malformed;
  }
  io.out(text);
  return EXIT.ok;
}
