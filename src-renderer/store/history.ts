/**
 * The history slice: every command sent in this session (kept across a
 * reload by session.ts, with large data cut), two entries picked for
 * comparison, re-running one, and the session as a trace or a capture.
 */
import { DEFAULT_TIMEOUT_MS } from '../../shared/exchange';
import type { StoreApi } from 'zustand';
import type { Direction } from '../../shared/scsi/catalog';
import { fromWireOutcome } from '../../shared/ipc/outcome';
import { exchangeLine, headerLine } from '../../shared/trace';
import type { IpcClient } from '../ipc/client';
import type { DevicesSlice } from './devices';
import type { EditorSlice } from './editor';
import { guardWith } from './guard';
import type { Outcome, ResultsSlice } from './results';

export interface HistoryEntry {
  readonly time: string;
  /** The device string it went to (with its image, for an emulated drive). */
  readonly device: string;
  readonly cdb: Uint8Array;
  readonly direction: Direction;
  readonly transferLength: number;
  /** The data-out sent; undefined for none, or when a reload did not keep it (see `kept`). */
  readonly dataOut: Uint8Array | undefined;
  readonly lun: number;
  readonly outcome: Outcome;
  /** Set on an entry restored after a reload whose data was cut: what was kept, in words. */
  readonly kept?: string;
}

export interface HistorySlice {
  history: readonly HistoryEntry[];
  /** Up to two history entries picked for comparison, oldest pick first. */
  compare: readonly number[];
  /** Why the last history action (re-run, capture) did not happen. */
  historyError: string | undefined;
  /** Appends a sent command and its outcome. */
  record(entry: HistoryEntry): void;
  toggleCompare(index: number): void;
  /** Puts an entry's command and device back in the editor and sends it. */
  rerun(index: number): Promise<void>;
  /**
   * The current device's part of the history as a JSON-lines trace (`replay:FILE` plays it
   * back); undefined with the reason in historyError.
   */
  exportTrace(): string | undefined;
  /** The current device's USB traffic this session, as usbmon pcap bytes (Wireshark); undefined with the reason in historyError. */
  captureBytes(): Promise<Uint8Array | undefined>;
}

type Host = Pick<DevicesSlice, 'devices' | 'device' | 'target' | 'pickTarget' | 'setLun'> &
  Pick<EditorSlice, 'loadCommand'> &
  Pick<ResultsSlice, 'send'>;

export function historySlice<S extends HistorySlice & Host>(
  client: IpcClient,
  set: StoreApi<S>['setState'],
  get: StoreApi<S>['getState'],
): HistorySlice {
  const put = (part: Partial<HistorySlice>): void => set(part as Partial<S>);
  const guarded = guardWith((message) => put({ historyError: message }));
  return {
    history: [],
    compare: [],
    historyError: undefined,
    record: (entry) => put({ history: [...get().history, entry] }),
    toggleCompare(index) {
      const c = get().compare;
      put({ compare: c.includes(index) ? c.filter((i) => i !== index) : [...c, index].slice(-2) });
    },
    rerun: guarded(async (index: number) => {
      const h = get().history[index];
      if (!h) return;
      if (h.direction === 'out' && h.transferLength > 0 && !h.dataOut) {
        put({
          historyError: `#${index + 1}'s data-out was not kept across the reload (${h.kept ?? 'too large'}); load it again in the editor. Nothing was sent.`,
        });
        return;
      }
      put({ historyError: undefined });
      get().pickTarget(h.device);
      get().setLun(h.lun);
      get().loadCommand({
        cdb: h.cdb,
        direction: h.direction,
        transferLength: h.transferLength,
        dataOut: h.dataOut,
        dataOutSource: `history entry ${index + 1}`,
      });
      await get().send();
    }),
    exportTrace() {
      const { history, device, devices } = get();
      const d = devices.find((x) => x.id === device);
      const target = get().target();
      const entries = history.filter((h) => h.device === target);
      if (!d || target === undefined) {
        put({ historyError: "Pick a device first: the trace is of one device's commands." });
        return undefined;
      }
      if (entries.length === 0) {
        put({
          historyError: `Nothing to export: ${target} has no commands in this session's history. Send one to it, or pick a device the history lists.`,
        });
        return undefined;
      }
      put({ historyError: undefined });
      const lines = [
        headerLine({
          id: d.id,
          kind: d.kind,
          vendor: d.vidPid.split(':')[0] ?? '',
          product: d.label,
          maxLun: d.maxLun,
        }),
      ];
      for (const h of entries) {
        lines.push(
          exchangeLine(
            new Date(h.time),
            {
              cdb: h.cdb,
              lun: h.lun,
              direction: h.direction,
              transferLength: h.direction === 'none' ? 0 : h.transferLength,
              timeoutMs: DEFAULT_TIMEOUT_MS,
              ...(h.dataOut ? { dataOut: h.dataOut } : {}),
            },
            fromWireOutcome(h.outcome),
          ),
        );
      }
      return lines.join('\n') + '\n';
    },
    captureBytes: guarded(async () => {
      const device = get().target();
      if (!device) return undefined;
      const { pcap } = await client.invoke('device.capture', { device });
      put({ historyError: undefined });
      return pcap;
    }),
  };
}
