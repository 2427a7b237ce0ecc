/**
 * The probe slice: the last probe of the picked device (shared/probe, run
 * by the main process over `device.probe`). On a real device the first
 * request answers the plan unsent with a question; `runProbe(true)` answers it.
 */
import type { StoreApi } from 'zustand';
import type { ResponseOf } from '../../shared/ipc/contract';
import { errorText } from '../../shared/error-text';
import type { IpcClient } from '../ipc/client';

export type ProbeResult = ResponseOf<'device.probe'>;

export interface ProbeState {
  readonly running: boolean;
  readonly allFamilies: boolean;
  readonly result: ProbeResult | undefined;
  /** The device and family choice `result` is for: a yes to its question answers only that. */
  readonly resultFor: { readonly device: string; readonly allFamilies: boolean } | undefined;
  readonly error: string | undefined;
}

export interface ProbeSlice {
  probe: ProbeState;
  setProbeAllFamilies(all: boolean): void;
  /** Probes the picked device; `confirmed` answers the question a real device's plan asks. */
  runProbe(confirmed?: boolean): Promise<void>;
  /** Drops a plan waiting for a yes. */
  cancelProbe(): void;
}

interface Host {
  target(): string | undefined;
}

/** Said when a yes, or the question itself, comes for another device or family choice; nothing is sent. */
const PROBE_CHANGED =
  'The device or the families to try changed after you were asked, so nothing was sent. Probe again to be asked about this one.';

const IDLE: ProbeState = {
  running: false,
  allFamilies: false,
  result: undefined,
  resultFor: undefined,
  error: undefined,
};

export function probeSlice<S extends ProbeSlice & Host>(
  client: IpcClient,
  set: StoreApi<S>['setState'],
  get: StoreApi<S>['getState'],
): ProbeSlice {
  const put = (part: Partial<ProbeState>): void =>
    set({ probe: { ...get().probe, ...part } } as Partial<S>);
  return {
    probe: IDLE,
    setProbeAllFamilies: (all) => put({ allFamilies: all, result: undefined }),
    async runProbe(confirmed = false) {
      const device = get().target();
      if (!device) {
        put({ error: 'Pick a device to probe.' });
        return;
      }
      const { allFamilies, result: asked, resultFor } = get().probe;
      if (
        confirmed &&
        (asked?.confirmation === undefined ||
          resultFor?.device !== device ||
          resultFor.allFamilies !== allFamilies)
      ) {
        put({ result: undefined, error: PROBE_CHANGED });
        return;
      }
      put({ running: true, error: undefined });
      try {
        const result = await client.invoke('device.probe', { device, allFamilies, confirmed });
        // A question about a device no longer picked would stand over another one.
        if (result.confirmation !== undefined && get().target() !== device)
          put({ running: false, result: undefined, error: PROBE_CHANGED });
        else put({ running: false, result, resultFor: { device, allFamilies } });
      } catch (e) {
        put({ running: false, error: errorText(e) });
      }
    },
    cancelProbe: () => put({ result: undefined, resultFor: undefined }),
  };
}
