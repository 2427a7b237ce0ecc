/** What a command's outcome is called in the views: the heading of a result or of a sequence step. */
import type { ResponseOf } from '../shared/ipc/contract';
import { statusText } from '../shared/exchange';

export function statusWord(outcome: ResponseOf<'device.execute'>): string {
  if (outcome.transportError) return `Transport: ${outcome.transportError.kind}`;
  return statusText(outcome.status ?? undefined);
}
