/**
 * The renderer's state, one zustand slice per concern, each in its own file
 * and writing only its own fields: devices, editor, results, presets,
 * history, exports, vendor sets, probe, diagnose. Derived values are selectors
 * (selectors.ts); async failures end in the failing slice's error (guard.ts).
 * Components render; these decide. SCSI knowledge comes from shared/
 * directly; device access only through IPC.
 */
import { create } from 'zustand';
import type { IpcClient } from '../ipc/client';
import { devicesSlice, type DevicesSlice } from './devices';
import { diagnoseSlice, type DiagnoseSlice } from './diagnose';
import { editorSlice, type EditorSlice } from './editor';
import { exportsSlice, type ExportsSlice } from './exports';
import { historySlice, type HistorySlice } from './history';
import { presetsSlice, type PresetsSlice } from './presets';
import { probeSlice, type ProbeSlice } from './probe';
import { resultsSlice, type ResultsSlice } from './results';
import {
  restoreSession,
  sessionText,
  SESSION_KEY,
  type SessionState,
  type SessionStorageLike,
} from './session';
import { vendorSetsSlice, type VendorSetsSlice } from './vendor-sets';

export type { DeviceSummary, ImageInfo } from './devices';
export { splitTarget, targetOf } from './devices';
export type { EditorCommand } from './editor';
export type { ExportInfo } from './exports';
export type { HistoryEntry } from './history';
export type { Preset, PresetPack } from './presets';
export type { Outcome, SentCommand } from './results';
export type {
  DevicesSlice,
  DiagnoseSlice,
  EditorSlice,
  ExportsSlice,
  HistorySlice,
  PresetsSlice,
  ProbeSlice,
  ResultsSlice,
  VendorSetsSlice,
};

export type State = DevicesSlice &
  EditorSlice &
  ResultsSlice &
  PresetsSlice &
  HistorySlice &
  ExportsSlice &
  VendorSetsSlice &
  ProbeSlice &
  DiagnoseSlice;

/** How a component reads the store: a selector in, the selected value out (the zustand hook). */
export type Use = <T>(pick: (s: State) => T) => T;

export interface StoreOptions {
  /** Keeps the draft and history across a reload here (session.ts); none by default. */
  readonly session?: SessionStorageLike;
}

/** Whether two lists of state parts hold the very same values, part by part. */
const sameParts = (a: readonly unknown[], b: readonly unknown[]): boolean =>
  a.every((x, i) => Object.is(x, b[i]));

/** The parts of the state a session keeps: saved again only when one of them changes. */
const sessionParts = (s: State): readonly unknown[] => [
  s.hexText,
  s.direction,
  s.transferLength,
  s.dataOut,
  s.dataOutSource,
  s.dataOutLost,
  s.device,
  s.image,
  s.lun,
  s.history,
];

/**
 * What each pending question (a destructive command, a probe, a sequence waiting for the user's
 * yes) was asked about: when one of those changes, that question is dropped, and the slices refuse
 * a yes that comes for another command (results.ts, probe.ts, vendor-sets.ts).
 */
const QUESTIONS: readonly {
  readonly about: (s: State) => readonly unknown[];
  readonly pending: (s: State) => boolean;
  readonly drop: (s: State) => Partial<State>;
}[] = [
  {
    about: (s) => [s.cdb, s.direction, s.transferLength, s.dataOut, s.device, s.image, s.lun],
    pending: (s) => s.confirmation !== undefined,
    drop: () => ({ confirmation: undefined }),
  },
  {
    about: (s) => [s.device, s.image, s.probe.allFamilies],
    pending: (s) => s.probe.result?.confirmation !== undefined,
    drop: (s) => ({ probe: { ...s.probe, result: undefined, resultFor: undefined } }),
  },
  {
    about: (s) => [s.device, s.image, s.lun],
    pending: (s) => s.sequenceRun?.confirmation !== undefined,
    drop: (s) =>
      s.sequenceRun ? { sequenceRun: { ...s.sequenceRun, confirmation: undefined } } : {},
  },
];

/** The questions whose subject changed from `prev` to `s`, dropped. */
function withoutChangedQuestions(s: State, prev: State): Partial<State> {
  return Object.assign(
    {},
    ...QUESTIONS.filter((q) => q.pending(s) && !sameParts(q.about(s), q.about(prev))).map((q) =>
      q.drop(s),
    ),
  ) as Partial<State>;
}

export function createStore(client: IpcClient, options: StoreOptions = {}) {
  const store = create<State>((set, get) => ({
    ...devicesSlice<State>(client, set, get),
    ...editorSlice<State>(set, get),
    ...resultsSlice<State>(client, set, get),
    ...presetsSlice<State>(client, set, get),
    ...historySlice<State>(client, set, get),
    ...exportsSlice<State>(client, set, get),
    ...vendorSetsSlice<State>(client, set, get),
    ...probeSlice<State>(client, set, get),
    ...diagnoseSlice<State>(set, get),
  }));
  store.subscribe((s, prev) => {
    const drop = withoutChangedQuestions(s, prev);
    if (Object.keys(drop).length > 0) store.setState(drop);
  });
  const storage = options.session;
  if (storage) {
    const restored = restoreSession(storage.getItem(SESSION_KEY));
    if (restored) {
      const d = restored.draft;
      store.getState().setHex(d.hexText);
      store.setState({
        direction: d.direction,
        transferLength: d.transferLength,
        dataOut: d.dataOut,
        dataOutSource: d.dataOutSource,
        dataOutLost: d.dataOutLost,
        device: d.device,
        image: d.image,
        lun: d.lun,
        history: restored.history,
      });
    }
    let last = sessionParts(store.getState());
    store.subscribe((s) => {
      const now = sessionParts(s);
      if (sameParts(now, last)) return;
      last = now;
      try {
        storage.setItem(SESSION_KEY, sessionText(s satisfies SessionState, s.dataOutLost));
      } catch {
        // A full or refused storage keeps the previous session; the app works on without it.
      }
    });
  }
  return store;
}
