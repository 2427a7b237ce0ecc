/**
 * Sense and unit attentions per I_T nexus (SPC-5, unit attention condition):
 * each host connection — a Bulk-Only device instance — is an initiator with
 * its own pending sense and queue of unit attentions, and whatever state a
 * command keeps between CDBs for that host (`NexusKey`: a multi-phase
 * pass-through's). A nexus seen for the first time starts with the power-on
 * unit attention.
 */
import type { encodeFixedSense } from '../../shared/scsi/sense';
import { POWER_ON_RESET, type CheckResult } from './responses';

export type SenseFields = Parameters<typeof encodeFixedSense>[0];

/**
 * Names one kind of per-nexus state and makes its initial value: the module
 * that owns the state holds the key, so no other module can reach it.
 */
export class NexusKey<T> {
  /**
   * @param name what the state is, for a person reading a debugger
   * @param initial the state of a nexus that has not used it yet, or that a reset cleared
   */
  constructor(
    readonly name: string,
    readonly initial: () => T,
  ) {}
}

interface NexusState {
  sense: CheckResult | undefined;
  attentions: CheckResult[];
  locals: Map<NexusKey<unknown>, unknown>;
}

export class Nexuses {
  private readonly byInitiator = new Map<string, NexusState>();
  private current: NexusState = this.of('host');

  private of(initiator: string): NexusState {
    let n = this.byInitiator.get(initiator);
    if (!n) {
      n = { sense: undefined, attentions: [POWER_ON_RESET], locals: new Map() };
      this.byInitiator.set(initiator, n);
    }
    return n;
  }

  /** The initiator the next command comes from. */
  select(initiator: string): void {
    this.current = this.of(initiator);
  }

  /** The current nexus's state under `key`, made by `key.initial` on first use. */
  local<T>(key: NexusKey<T>): T {
    const locals = this.current.locals;
    if (!locals.has(key)) locals.set(key, key.initial());
    return locals.get(key) as T;
  }

  /** The current nexus's oldest unit attention, left pending. */
  pendingAttention(): CheckResult | undefined {
    return this.current.attentions[0];
  }

  /** Sense for REQUEST SENSE after a CHECK CONDITION on the current nexus. */
  keepSense(sense: CheckResult): void {
    this.current.sense = sense;
  }

  takeSense(): SenseFields | undefined {
    const s = this.current.sense;
    this.current.sense = undefined;
    return s && senseFields(s);
  }

  takeUnitAttention(): CheckResult | undefined {
    return this.current.attentions.shift();
  }

  /** Queues a unit attention for every nexus, or every nexus but the current one. */
  attention(ua: CheckResult, exceptCurrent: boolean): void {
    for (const n of this.byInitiator.values())
      if (!(exceptCurrent && n === this.current)) n.attentions.push(ua);
  }

  /**
   * A power-on or bus reset: every nexus loses its sense and its commands'
   * state between CDBs, and gets only the power-on unit attention.
   */
  reset(): void {
    for (const n of this.byInitiator.values()) {
      n.attentions = [POWER_ON_RESET];
      n.sense = undefined;
      n.locals.clear();
    }
  }
}

export function senseFields(s: CheckResult): SenseFields {
  return {
    key: s.key,
    asc: s.asc,
    ascq: s.ascq,
    ...(s.senseKeySpecific ? { senseKeySpecific: s.senseKeySpecific } : {}),
    ...(s.information !== undefined ? { information: s.information } : {}),
    ...(s.ata ? { ata: s.ata } : {}),
  };
}
