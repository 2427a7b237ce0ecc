/**
 * Running commands against a device from the CLI: open it from --device,
 * absorb the power-on unit attention (as the Linux kernel's scan does), send,
 * and explain any failure through the doctor.
 */
import { diagnose } from '../../shared/doctor/doctor';
import { lintCdb } from '../../shared/lint/lint';
import { formatHex } from '../../shared/scsi/hex';
import { parseInquiry } from '../../shared/scsi/parsers';
import { decodeSense, explainSense } from '../../shared/scsi/sense';
import { openDevice } from '../engine/device-string';
import type { CommandOutcome, CommandRequest, Transport } from '../engine/transport';
import { option, type ParsedArgs } from './args';
import { EXIT, exitCodeForSense, type ExitCode } from './exit-codes';
import type { CliIo } from './io';
import { renderDoctor } from './render/doctor';
import { renderLint } from './render/lint';

export const DEFAULT_DEVICE = 'emu:';
export const DEFAULT_TIMEOUT_MS = 20_000;

export function openFromArgs(args: ParsedArgs, io: CliIo): Transport | undefined {
  const r = openDevice(option(args, 'device', 'd') ?? DEFAULT_DEVICE);
  if (!r.ok) {
    io.err(r.error.message);
    return undefined;
  }
  return r.value;
}

const TUR = Uint8Array.from([0, 0, 0, 0, 0, 0]);

const INQUIRY_36 = Uint8Array.from([0x12, 0, 0, 0, 36, 0]);

/**
 * Gets a device ready to be talked to: TEST UNIT READY until it stops
 * reporting UNIT ATTENTION (at most three tries), then a standard INQUIRY
 * for its SPC level, which tells the doctor how the device reads CDBs.
 */
export async function settle(
  t: Transport,
  lun: number,
): Promise<{ readonly spcLevel: number | undefined }> {
  for (let i = 0; i < 3; i++) {
    const o = await t.execute({
      cdb: TUR,
      lun,
      direction: 'none',
      transferLength: 0,
      timeoutMs: DEFAULT_TIMEOUT_MS,
    });
    const s = o.sense ? decodeSense(o.sense) : undefined;
    if (!(s?.ok && s.value.senseKey === 0x06)) break;
  }
  const inq = await t.execute({
    cdb: INQUIRY_36,
    lun,
    direction: 'in',
    transferLength: 36,
    timeoutMs: DEFAULT_TIMEOUT_MS,
  });
  const parsed = inq.status === 0 ? parseInquiry(inq.dataIn) : undefined;
  return { spcLevel: parsed?.ok ? parsed.value.spcLevel : undefined };
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
  lines.push(`  ${o.dataIn.length} bytes in, residue ${o.residue}, ${o.durationMs.toFixed(2)} ms`);
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
