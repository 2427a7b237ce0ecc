/**
 * The implemented commands, by catalog name: adding a command to the
 * emulator is adding a row here (style.md lesson 1). The table's type is
 * keyed by the catalog's names, so a name the catalog does not declare
 * fails to compile.
 */
import { COMMANDS, type CommandSpec } from '../../../shared/scsi/catalog';
import {
  read,
  readCapacity10,
  readCapacity16,
  readFormatCapacities,
  synchronizeCache,
  unmap,
  verify,
  write,
} from './block';
import { readBufferHandler, writeBufferHandler } from './buffers';
import type { Handler, HandlerTable } from './context';
import { inquiry } from './inquiry';
import { supportedOperationCodes } from './maintenance';
import { modeSelect, modeSense } from './mode';
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
  'VERIFY(10)': verify,
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
  'REPORT SUPPORTED OPERATION CODES': supportedOperationCodes(() => IMPLEMENTED),
  'WRITE BUFFER': writeBufferHandler,
  UNMAP: unmap,
  'SEND DIAGNOSTIC': sendDiagnostic,
  'MODE SELECT(6)': modeSelect(false),
  'MODE SELECT(10)': modeSelect(true),
  'READ BUFFER(10)': readBufferHandler,
};

/** The handler for a catalog row, if the emulator implements it. */
export function handlerFor(spec: CommandSpec): Handler | undefined {
  return (HANDLERS as Readonly<Partial<Record<string, Handler>>>)[spec.name];
}

/** The catalog rows the emulator implements, in catalog order. */
export const IMPLEMENTED: readonly CommandSpec[] = COMMANDS.filter(
  (c) => handlerFor(c) !== undefined,
);
