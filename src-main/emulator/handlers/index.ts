/**
 * The implemented commands, by catalog name: adding a command to the
 * emulator is adding a row here (docs/style.md lesson 1). The table's type is
 * keyed by the catalog's names, so a name the catalog does not declare
 * fails to compile.
 */
import { COMMANDS, type CommandSpec } from '../../../shared/scsi/catalog';
import type { CommandName } from '../../../shared/scsi/catalog/commands';
import { jmicronDataPhase, jmicronPassThrough, speaksJmicron } from '../nvme/jmicron';
import type { Profile } from '../profile';
import {
  read,
  readCapacity10,
  readCapacity16,
  readFormatCapacities,
  synchronizeCache,
  unmap,
  verify,
  writeAndVerify,
  write,
  writeSame,
} from './block';
import { ataPassThrough } from './ata-pass-through';
import { readBufferHandler, writeBufferHandler } from './buffers';
import type { Handler, HandlerTable } from './context';
import { inquiry } from './inquiry';
import { logSense } from './log';
import { supportedOperationCodes } from './maintenance';
import { modeSelect, modeSense } from './mode';
import { getLbaStatus } from './provisioning';
import {
  preventAllow,
  reportLuns,
  requestSense,
  sendDiagnostic,
  startStop,
  testUnitReady,
} from './unit';

export const HANDLERS: HandlerTable = {
  'TEST UNIT READY': testUnitReady,
  'REQUEST SENSE': requestSense,
  INQUIRY: inquiry,
  'READ(6)': read,
  'READ(10)': read,
  'READ(12)': read,
  'READ(16)': read,
  'WRITE(6)': write,
  'WRITE(10)': write,
  'WRITE(12)': write,
  'WRITE(16)': write,
  'WRITE AND VERIFY(10)': writeAndVerify,
  'WRITE AND VERIFY(12)': writeAndVerify,
  'WRITE AND VERIFY(16)': writeAndVerify,
  'VERIFY(10)': verify,
  'VERIFY(12)': verify,
  'VERIFY(16)': verify,
  'READ CAPACITY(10)': readCapacity10,
  'READ CAPACITY(16)': readCapacity16,
  'MODE SENSE(6)': modeSense(false),
  'MODE SENSE(10)': modeSense(true),
  'START STOP UNIT': startStop,
  'PREVENT ALLOW MEDIUM REMOVAL': preventAllow,
  'SYNCHRONIZE CACHE(10)': synchronizeCache,
  'SYNCHRONIZE CACHE(16)': synchronizeCache,
  'REPORT LUNS': reportLuns,
  'READ FORMAT CAPACITIES': readFormatCapacities,
  'REPORT SUPPORTED OPERATION CODES': supportedOperationCodes((lu) => implementedBy(lu.profile)),
  'WRITE BUFFER': writeBufferHandler,
  UNMAP: unmap,
  'WRITE SAME(10)': writeSame,
  'WRITE SAME(16)': writeSame,
  'GET LBA STATUS(16)': getLbaStatus,
  'SEND DIAGNOSTIC': sendDiagnostic,
  'MODE SELECT(6)': modeSelect(false),
  'MODE SELECT(10)': modeSelect(true),
  'READ BUFFER(10)': readBufferHandler,
  'LOG SENSE': logSense,
  'ATA PASS-THROUGH(16)': ataPassThrough,
  // A1h is also JMicron's NVMe pass-through; the profile says which (nvme/jmicron.ts).
  'ATA PASS-THROUGH(12)': (lu, ctx) =>
    speaksJmicron(lu) ? jmicronPassThrough(lu, ctx) : ataPassThrough(lu, ctx),
};

/**
 * Commands only some drives answer, and what a profile needs for them: only a
 * drive with an ATA device behind its bridge translates ATA PASS-THROUGH (SAT-4),
 * and only one with log pages answers LOG SENSE; any other answers 05/20/00 and
 * does not list it in REPORT SUPPORTED OPERATION CODES.
 */
const NEEDS: { readonly [N in CommandName]?: (profile: Profile) => boolean } = {
  'LOG SENSE': (p) => p.logPages !== undefined,
  'ATA PASS-THROUGH(16)': (p) => p.ata !== undefined,
  'ATA PASS-THROUGH(12)': (p) => p.ata !== undefined || speaksJmicron({ profile: p }),
};

/** The handler for a catalog row, if a drive of this profile implements it. */
export function handlerFor(spec: CommandSpec, profile: Profile): Handler | undefined {
  const needs = (NEEDS as Readonly<Partial<Record<string, (p: Profile) => boolean>>>)[spec.name];
  if (needs && !needs(profile)) return undefined;
  return (HANDLERS as Readonly<Partial<Record<string, Handler>>>)[spec.name];
}

/**
 * The data phase of a command whose own layout the catalog does not hold,
 * for the drives that speak it: JMicron's A1h (parameter length in bytes
 * 3–5, direction from PROTOCOL). Undefined: the catalog's length rule applies.
 */
export function ownDataPhase(
  spec: CommandSpec,
  profile: Profile,
  cdb: Uint8Array,
): ReturnType<typeof jmicronDataPhase> {
  return spec.name === 'ATA PASS-THROUGH(12)' && speaksJmicron({ profile })
    ? jmicronDataPhase(cdb)
    : undefined;
}

/** The catalog rows a drive of this profile implements, in catalog order. */
export function implementedBy(profile: Profile): readonly CommandSpec[] {
  return COMMANDS.filter((c) => handlerFor(c, profile) !== undefined);
}
