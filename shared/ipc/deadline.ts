/**
 * How long the renderer waits for a reply before it gives up with a clear
 * message: a command may take its own timeout, a long poll its wait; every
 * other request is answered from memory or a small file, so a fixed margin
 * covers it. The main process closes a connection it cannot answer on; this
 * covers the cases it cannot see (a stalled network, a wedged process).
 */
import type { Channel, RequestOf } from './contract';
import { MAX_SEQUENCE_STEPS } from '../vendor-sets/format';

/** Slack beyond a request's own time: opening a device, settling it, queueing behind another command. */
export const REPLY_MARGIN_MS = 15_000;

const OWN_TIME: { readonly [C in Channel]?: (request: RequestOf<C>) => number } = {
  'device.execute': (r) => r.timeoutMs,
  'devices.watch': (r) => r.waitMs ?? 25_000,
  // Each step may take its own timeout; the renderer does not know how many steps there are.
  'sequence.run': (r) => r.timeoutMs * MAX_SEQUENCE_STEPS,
};

export function replyDeadlineMs<C extends Channel>(channel: C, request: RequestOf<C>): number {
  const own = OWN_TIME[channel] as ((r: RequestOf<C>) => number) | undefined;
  return (own ? own(request) : 0) + REPLY_MARGIN_MS;
}
