/**
 * What a command's outcome is called in the views: the heading of a result or of a sequence
 * step, and what to make of data-in that came before a failure.
 */
import type { ResponseOf } from '../shared/ipc/contract';
import { statusText } from '../shared/exchange';
import type { SenseData } from '../shared/scsi/sense';

export function statusWord(outcome: ResponseOf<'device.execute'>): string {
  if (outcome.transportError) return `Transport: ${outcome.transportError.kind}`;
  return statusText(outcome.status ?? undefined);
}

/** MEDIUM ERROR (SPC-5 sense keys). */
const MEDIUM_ERROR = 0x3;

/**
 * The note on data-in bytes that came before a CHECK CONDITION: a device may fill the data stage
 * before it reports the failure (BOT 1.0 §6.7.2). A read that ended in MEDIUM ERROR names the
 * first block it could not read in INFORMATION (SBC-4), so the blocks before it may be good.
 */
export function dataBeforeFailureText(bytes: number, sense: SenseData | undefined): string {
  const [these, them] = bytes === 1 ? ['This byte', 'it'] : [`These ${bytes} bytes`, 'them'];
  const first = `${these} came in before the command failed. A device may fill the data stage before it reports the failure (BOT 1.0 §6.7.2), so do not take ${them} for its answer.`;
  if (sense?.senseKey !== MEDIUM_ERROR || sense.information === undefined) return first;
  return `${first} With MEDIUM ERROR, INFORMATION names block ${sense.information} as the first the device could not read (SBC-4): blocks before it may have arrived whole, but read them again before trusting them.`;
}
