/**
 * An outcome's wire form, both ways: the engine's `CommandOutcome` (bytes as
 * Uint8Array, absent values undefined) ↔ the contract's `Outcome` (bytes as
 * Uint8Array too, absent values null). The `device.execute` and `sequence.run`
 * handlers send with `toWireOutcome`; the renderer reads back with
 * `fromWireOutcome` (a trace export), so neither maps fields by hand.
 */
import type { z } from 'zod';
import type { CommandOutcome, TransportError } from '../exchange';
import type { Outcome } from './contract';

export type WireOutcome = z.infer<typeof Outcome>;

/** Every transport error kind, for the contract's schema and a trace's; the record keeps it in step with the type. */
const KINDS: Readonly<Record<TransportError['kind'], true>> = {
  'phase-error': true,
  timeout: true,
  'bad-csw': true,
  'io-error': true,
  disconnected: true,
  'not-sent': true,
  'replay-mismatch': true,
};
export const TRANSPORT_ERROR_KINDS = Object.keys(KINDS) as [
  TransportError['kind'],
  ...TransportError['kind'][],
];

export function toWireOutcome(o: CommandOutcome): WireOutcome {
  return {
    status: o.status ?? null,
    transportError: o.transportError ?? null,
    dataIn: o.dataIn,
    sense: o.sense ?? null,
    residue: o.residue,
    cswStatus: o.cswStatus ?? null,
    durationMs: o.durationMs,
  };
}

/** The inverse of `toWireOutcome`, for an outcome the contract has validated. */
export function fromWireOutcome(w: WireOutcome): CommandOutcome {
  return {
    status: w.status ?? undefined,
    ...(w.transportError ? { transportError: w.transportError } : {}),
    dataIn: w.dataIn,
    ...(w.sense !== null ? { sense: w.sense } : {}),
    residue: w.residue,
    ...(w.cswStatus !== null ? { cswStatus: w.cswStatus } : {}),
    durationMs: w.durationMs,
  };
}
