/**
 * `diagnose`: what a user saw — CDB, transfer, status, service response or
 * transport result, sense bytes, DriverKit parameters — in, a ranked
 * diagnosis out, most important first.
 */
import { dataPhaseOf, layoutOf } from '../scsi/catalog';
import { resolveCommand } from '../scsi/catalog/resolve';
import { formatHex, t10Hex } from '../scsi/hex';
import { lintCdb } from '../lint/lint';
import { constantName } from './input';
import {
  driverKitTransfer,
  SCSI_STATUSES,
  SERVICE_DELIVERY_FAILURE,
  SERVICE_RESPONSES,
  TASK_COMPLETE,
  TRANSPORT_STATUSES,
  nameOf,
} from './driverkit';
import { DOCTOR_RULES, type DoctorContext } from './rules';
import { senseFacts } from './sense-facts';
import type { DoctorInput, DoctorReport } from './types';

/** fCommandDescriptorBlock is a SCSICommandDescriptorBlock, UInt8[16] (kSCSICDBSize_Maximum; SCSITask.h). */
const DRIVERKIT_CDB_BUFFER = 16;

/** Host data-in length: given directly, or DriverKit's requested count when its direction says data-in. */
function hostDataIn(input: DoctorInput): number | undefined {
  return input.dataIn ?? driverKitTransfer(input.driverKit, 'in');
}

/** Host data-out length: given directly, or DriverKit's requested count when its direction says data-out and no data-in was given. */
function hostDataOut(input: DoctorInput, hostIn: number | undefined): number | undefined {
  return (
    input.dataOut ?? (hostIn === undefined ? driverKitTransfer(input.driverKit, 'out') : undefined)
  );
}

function outcomeLines(input: DoctorInput, ctx: DoctorContext): string[] {
  const lines: string[] = [];
  const spec = ctx.spec;
  const from =
    ctx.resolved?.source === 'vendor'
      ? `vendor set ${ctx.resolved.set.name}, ${ctx.resolved.set.vendor}`
      : spec?.standard;
  lines.push(
    `CDB ${formatHex(input.cdb)}: ${spec ? `${spec.name} (${from})` : `opcode ${t10Hex(input.cdb[0] ?? 0)}, not in the catalog${input.vendorSets?.length ? ' or the vendor sets in use' : ''}`}.`,
  );
  const host =
    ctx.hostIn !== undefined
      ? `${ctx.hostIn} bytes data-in`
      : ctx.hostOut !== undefined
        ? `${ctx.hostOut} bytes data-out`
        : input.noDataPhase
          ? 'none (no data phase, dCBWDataTransferLength 0)'
          : 'no data phase given';
  lines.push(`Host transfer: ${host}${input.lun !== undefined ? `, LUN ${input.lun}` : ''}.`);
  if (input.kernReturn !== undefined) {
    const name = constantName('kernReturn', input.kernReturn);
    lines.push(
      `Send call returned 0x${(input.kernReturn >>> 0).toString(16)}${name ? ` (${name})` : ''}.`,
    );
  }
  if (input.serviceResponse !== undefined) {
    const r = nameOf(SERVICE_RESPONSES, input.serviceResponse);
    lines.push(
      `Service response: ${input.serviceResponse}${r ? ` (${r.name})` : ' (undefined value)'}.`,
    );
  }
  if (input.status !== undefined) {
    const table =
      input.serviceResponse === SERVICE_DELIVERY_FAILURE ? TRANSPORT_STATUSES : SCSI_STATUSES;
    const s = nameOf(table, input.status);
    lines.push(`Status: ${t10Hex(input.status)}${s ? ` ${s.name}` : ''}.`);
  }
  if (input.transport !== undefined) lines.push(`Transport: ${input.transport}.`);
  if (input.cswStatus !== undefined)
    lines.push(
      `CSW status: ${input.cswStatus}${input.residue !== undefined ? `, residue ${input.residue}` : ''}.`,
    );
  if (input.realized !== undefined) lines.push(`Transferred: ${input.realized} bytes.`);
  if (input.sense) {
    lines.push(
      `Sense bytes: ${formatHex(input.sense)}${ctx.sense ? ` — ${ctx.sense.headline}` : ctx.senseError ? ` — not decodable: ${ctx.senseError}` : ''}.`,
    );
  }
  if (input.driverKit) {
    const dk = Object.entries(input.driverKit).map(([k, v]) => {
      const named =
        k === 'fDataTransferDirection' || k === 'fBufferDirection' ? constantName(k, v) : undefined;
      return `${k}=${v}${named ? ` (${named})` : ''}`;
    });
    lines.push(`DriverKit parameters: ${dk.join(', ')}.`);
  }
  return lines;
}

export function diagnose(input: DoctorInput): DoctorReport {
  const resolved = resolveCommand(input.cdb, input.vendorSets);
  const spec = resolved?.spec;
  const hostIn = hostDataIn(input);
  const hostOut = hostDataOut(input, hostIn);
  const lun = input.lun ?? input.driverKit?.fLogicalUnitNumber;
  const appleApi =
    input.serviceResponse !== undefined ||
    input.driverKit !== undefined ||
    input.kernReturn !== undefined;
  const lint = lintCdb({
    cdb: input.cdb,
    ...(hostIn !== undefined ? { dataIn: hostIn } : {}),
    ...(hostOut !== undefined ? { dataOut: hostOut } : {}),
    ...(input.noDataPhase && hostIn === undefined && hostOut === undefined
      ? { noDataPhase: true }
      : {}),
    ...(lun !== undefined ? { lun } : {}),
    ...(input.maxLun !== undefined ? { maxLun: input.maxLun } : {}),
    ...(input.spcLevel !== undefined ? { spcLevel: input.spcLevel } : {}),
    ...(input.blockSize !== undefined ? { blockSize: input.blockSize } : {}),
    ...(input.vendorSets ? { vendorSets: input.vendorSets } : {}),
    ...(appleApi ? { cdbBufferLength: DRIVERKIT_CDB_BUFFER } : {}),
  });
  const decoded = input.sense
    ? senseFacts(input.sense, input.cdb, input.spcLevel, input.vendorSets)
    : undefined;
  const layout = spec ? layoutOf(spec) : undefined;
  const ctx: DoctorContext = {
    input,
    resolved,
    spec,
    lint,
    sense: decoded?.ok ? decoded.value : undefined,
    // Without its closing period: the outcome and the findings quote it inside their own sentences.
    senseError: decoded && !decoded.ok ? decoded.error.message.replace(/\.$/, '') : undefined,
    appleApi,
    hostIn,
    hostOut,
    completed:
      input.status !== undefined &&
      (input.serviceResponse === undefined || input.serviceResponse === TASK_COMPLETE) &&
      (input.transport === undefined || input.transport === 'ok') &&
      (input.kernReturn === undefined || input.kernReturn === 0),
    cdbDirection: layout ? dataPhaseOf(input.cdb, layout.fields, layout.length).direction : 'none',
  };
  const diagnoses = DOCTOR_RULES.flatMap((r) => r.check(ctx))
    .map((d, i) => ({ d, i }))
    .sort((a, b) => b.d.rank - a.d.rank || a.i - b.i)
    .map(({ d }) => d);
  return { outcome: outcomeLines(input, ctx), diagnoses, lint };
}
