/**
 * What a command's outcome is called in the views: the heading of a result or of a sequence
 * step, and what to make of data-in that came before a failure.
 */
import type { ResponseOf } from '../shared/ipc/contract';
import { statusText } from '../shared/exchange';
import { findCommand } from '../shared/scsi/catalog';
import { readField } from '../shared/scsi/catalog/fields';
import type { SenseData } from '../shared/scsi/sense';

export function statusWord(outcome: ResponseOf<'device.execute'>): string {
  if (outcome.transportError) return `Transport: ${outcome.transportError.kind}`;
  return statusText(outcome.status ?? undefined);
}

/** MEDIUM ERROR (SPC-5 sense keys). */
const MEDIUM_ERROR = 0x3;

/**
 * Whether `block` lies in the blocks the read `cdb` asked for (the catalog's LBA and TRANSFER
 * LENGTH fields; a length of 0 counted as one block).
 */
function readsBlock(cdb: Uint8Array, block: bigint): boolean {
  const spec = findCommand(cdb);
  const field = (key: string) => spec?.fields.find((f) => f.key === key);
  const lbaField = spec?.effect === 'reads' ? field('lba') : undefined;
  if (lbaField === undefined) return false;
  // As bigints: a 64-bit LBA is exact only so (SBC-4, READ(16)).
  const lba = readField(cdb, lbaField);
  const lengthField = field('transferLength');
  const count = lengthField ? readField(cdb, lengthField) : 1n;
  return block >= lba && block < lba + (count > 0n ? count : 1n);
}

/**
 * The note on data-in bytes that came before a CHECK CONDITION: a device may fill the data stage
 * before it reports the failure (BOT 1.0 §6.7.2). A read that ended in a current MEDIUM ERROR
 * names in INFORMATION the first of its blocks it could not read (SBC-4), so the blocks before it
 * may be good.
 */
export function dataBeforeFailureText(
  bytes: number,
  sense: SenseData | undefined,
  cdb: Uint8Array,
): string {
  const [these, them] = bytes === 1 ? ['This byte', 'it'] : [`These ${bytes} bytes`, 'them'];
  const first = `${these} came in before the command failed. A device may fill the data stage before it reports the failure (BOT 1.0 §6.7.2), so do not take ${them} for its answer.`;
  const block = sense?.information;
  if (sense?.senseKey !== MEDIUM_ERROR || sense.deferred || block === undefined) return first;
  if (!readsBlock(cdb, block)) return first;
  return `${first} With MEDIUM ERROR, INFORMATION names block ${block} as the first the device could not read (SBC-4): blocks before it may have arrived whole, but read them again before trusting them.`;
}
