/**
 * The renderer's state, one zustand slice per concern: devices, editor,
 * results. Components render; these decide. SCSI knowledge comes from
 * shared/ directly (catalog, lint, sense); device access only through IPC.
 */
import { create } from 'zustand';
import type { ResponseOf } from '../../shared/ipc/contract';
import { lintCdb, type LintReport } from '../../shared/lint/lint';
import {
  dataPhaseOf,
  findByName,
  findCommand,
  layoutOf,
  type CommandSpec,
  type Direction,
} from '../../shared/scsi/catalog';
import { buildCdb } from '../../shared/scsi/cdb/build';
import { writeField } from '../../shared/scsi/catalog/fields';
import { formatHex, parseHex } from '../../shared/scsi/hex';
import { IpcError, type IpcClient } from '../ipc/client';
import type { TransportError } from '../../shared/exchange';
import { exchangeLine, headerLine } from '../../shared/trace';

export type DeviceSummary = ResponseOf<'devices.list'>[number];
export type Outcome = ResponseOf<'device.execute'>;

export interface DevicesSlice {
  devices: readonly DeviceSummary[];
  device: string | undefined;
  lun: number;
  devicesError: string | undefined;
  loadDevices(): Promise<void>;
  pickDevice(id: string): void;
  setLun(lun: number): void;
}

export interface EditorSlice {
  cdb: Uint8Array;
  /** The hex row as typed (may be mid-edit and invalid). */
  hexText: string;
  hexError: string | undefined;
  direction: Direction;
  transferLength: number;
  setHex(text: string): void;
  chooseCommand(name: string): void;
  setField(key: string, value: bigint): string | undefined;
  setTransfer(direction: Direction, length: number): void;
  applyCorrected(): void;
  lint(): LintReport;
  spec(): CommandSpec | undefined;
}

export interface ResultsSlice {
  running: boolean;
  outcome: Outcome | undefined;
  sentCdb: Uint8Array | undefined;
  sendError: string | undefined;
  /** A real device needs the user's yes before this destructive command is sent: why. */
  confirmation: string | undefined;
  /** Sends the command in the editor; `confirmed` answers a pending confirmation. */
  send(confirmed?: boolean): Promise<void>;
  cancelConfirmation(): void;
}

export type Preset = ResponseOf<'presets.list'>[number];
export type PresetPack = ResponseOf<'presets.packs'>[number];

export interface PresetsSlice {
  presets: readonly Preset[];
  packs: readonly PresetPack[];
  presetsError: string | undefined;
  loadPresets(): Promise<void>;
  savePreset(name: string, folder: string, notes: string): Promise<void>;
  deletePreset(id: string): Promise<void>;
  usePreset(p: Preset): void;
  exportPresets(): Promise<string | undefined>;
  importPresets(json: string): Promise<void>;
}

export interface HistoryEntry {
  readonly time: string;
  readonly device: string;
  readonly cdb: Uint8Array;
  readonly direction: Direction;
  readonly transferLength: number;
  readonly lun: number;
  readonly outcome: Outcome;
}

export interface HistorySlice {
  history: readonly HistoryEntry[];
  rerun(index: number): Promise<void>;
  /** The current device's part of the history as a JSON-lines trace (`replay:FILE` plays it back). */
  exportTrace(): string | undefined;
}

export type State = DevicesSlice & EditorSlice & ResultsSlice & PresetsSlice & HistorySlice;

function phaseOf(cdb: Uint8Array): { direction: Direction; length: number } {
  const spec = cdb.length > 0 ? findCommand(cdb) : undefined;
  if (!spec) return { direction: 'none', length: 0 };
  const l = layoutOf(spec);
  const p = dataPhaseOf(cdb, l.fields, l.length);
  const unit = p.rule?.unit === 'bytes' ? 1 : 512;
  return { direction: p.direction, length: (p.units ?? 0) * unit };
}

export function createStore(client: IpcClient) {
  return create<State>((set, get) => ({
    devices: [],
    device: undefined,
    lun: 0,
    devicesError: undefined,
    async loadDevices() {
      try {
        const devices = await client.invoke('devices.list', {});
        set({ devices, device: get().device ?? devices[0]?.id, devicesError: undefined });
      } catch (e) {
        set({ devicesError: e instanceof Error ? e.message : String(e) });
      }
    },
    pickDevice: (id) => set({ device: id, lun: 0, outcome: undefined }),
    setLun: (lun) => set({ lun }),

    cdb: Uint8Array.from([0x12, 0, 0, 0, 36, 0]),
    hexText: '12 00 00 00 24 00',
    hexError: undefined,
    direction: 'in',
    transferLength: 36,
    setHex(text) {
      const r = parseHex(text, 'CDB');
      if (!r.ok) {
        set({ hexText: text, hexError: r.error.message });
        return;
      }
      set({ hexText: text, hexError: undefined, cdb: r.value });
    },
    chooseCommand(name) {
      const spec = findByName(name);
      if (!spec) return;
      const built = buildCdb(spec, {});
      if (!built.ok) return;
      const p = phaseOf(built.value);
      set({
        cdb: built.value,
        hexText: formatHex(built.value),
        hexError: undefined,
        direction: p.direction,
        transferLength: p.length,
      });
    },
    setField(key, value) {
      const { cdb } = get();
      const spec = findCommand(cdb);
      if (!spec) return 'no catalog command for this opcode';
      const field = layoutOf(spec).fields.find((f) => f.key === key);
      if (!field) return `no field ${key}`;
      const max = (1n << BigInt(field.width)) - 1n;
      if (value < 0n || value > max) return `${field.name} holds 0–${max}`;
      // Only this field changes; every other bit of the CDB, reserved ones included, stays as typed.
      const next = new Uint8Array(Math.max(cdb.length, spec.cdbLength));
      next.set(cdb);
      writeField(next, field, value);
      set({ cdb: next, hexText: formatHex(next), hexError: undefined });
      return undefined;
    },
    setTransfer: (direction, length) => set({ direction, transferLength: length }),
    applyCorrected() {
      const report = get().lint();
      const c = report.corrected;
      if (!c) return;
      const p =
        c.transferLength !== undefined
          ? { direction: c.direction ?? get().direction, length: c.transferLength }
          : { direction: get().direction, length: get().transferLength };
      set({
        cdb: c.cdb,
        hexText: formatHex(c.cdb),
        hexError: undefined,
        direction: p.direction,
        transferLength: p.length,
      });
    },
    lint() {
      const { cdb, direction, transferLength, lun } = get();
      return lintCdb({
        cdb,
        lun,
        ...(direction === 'in'
          ? { dataIn: transferLength }
          : direction === 'out'
            ? { dataOut: transferLength }
            : {}),
      });
    },
    spec: () => {
      const cdb = get().cdb;
      return cdb.length > 0 ? findCommand(cdb) : undefined;
    },

    running: false,
    outcome: undefined,
    sentCdb: undefined,
    sendError: undefined,
    confirmation: undefined,
    cancelConfirmation: () => set({ confirmation: undefined }),
    async send(confirmed = false) {
      const { device, cdb, lun, direction, transferLength, hexError } = get();
      if (!device || hexError || cdb.length === 0) return;
      set({ running: true, sendError: undefined, confirmation: undefined });
      try {
        const outcome = await client.invoke('device.execute', {
          device,
          cdb: formatHex(cdb),
          lun,
          direction,
          transferLength: direction === 'none' ? 0 : transferLength,
          ...(direction === 'out' ? { dataOut: formatHex(new Uint8Array(transferLength)) } : {}),
          timeoutMs: 20_000,
          confirmed,
        });
        const entry: HistoryEntry = {
          time: new Date().toISOString(),
          device,
          cdb,
          direction,
          transferLength,
          lun,
          outcome,
        };
        set({ outcome, sentCdb: cdb, running: false, history: [...get().history, entry] });
      } catch (e) {
        if (e instanceof IpcError && e.code === 'needs-confirmation')
          set({ running: false, confirmation: e.message });
        else set({ running: false, sendError: e instanceof IpcError ? e.message : String(e) });
      }
    },

    presets: [],
    packs: [],
    presetsError: undefined,
    async loadPresets() {
      try {
        const [presets, packs] = await Promise.all([
          client.invoke('presets.list', {}),
          client.invoke('presets.packs', {}),
        ]);
        set({ presets, packs, presetsError: undefined });
      } catch (e) {
        set({ presetsError: e instanceof Error ? e.message : String(e) });
      }
    },
    async savePreset(name, folder, notes) {
      const { cdb, direction, transferLength, lun } = get();
      const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
      try {
        const presets = await client.invoke('presets.save', {
          id,
          name,
          folder,
          notes,
          cdb: formatHex(cdb),
          direction,
          transferLength,
          lun,
        });
        set({ presets, presetsError: undefined });
      } catch (e) {
        set({ presetsError: e instanceof Error ? e.message : String(e) });
      }
    },
    async deletePreset(id) {
      set({ presets: await client.invoke('presets.delete', { id }) });
    },
    usePreset(p) {
      const r = parseHex(p.cdb);
      if (!r.ok) return;
      set({
        cdb: r.value,
        hexText: p.cdb,
        hexError: undefined,
        direction: p.direction,
        transferLength: p.transferLength,
        lun: p.lun,
      });
    },
    async exportPresets() {
      try {
        return (await client.invoke('presets.export', {})).json;
      } catch (e) {
        set({ presetsError: e instanceof Error ? e.message : String(e) });
        return undefined;
      }
    },
    async importPresets(json) {
      try {
        set({ presets: await client.invoke('presets.import', { json }), presetsError: undefined });
      } catch (e) {
        set({ presetsError: e instanceof Error ? e.message : String(e) });
      }
    },

    history: [],
    async rerun(index) {
      const h = get().history[index];
      if (!h) return;
      set({
        device: h.device,
        cdb: h.cdb,
        hexText: formatHex(h.cdb),
        hexError: undefined,
        direction: h.direction,
        transferLength: h.transferLength,
        lun: h.lun,
      });
      await get().send();
    },
    exportTrace() {
      const { history, device, devices } = get();
      const d = devices.find((x) => x.id === device);
      const entries = history.filter((h) => h.device === device);
      if (!d || entries.length === 0) return undefined;
      const bytes = (hex: string | null): Uint8Array => {
        const r = parseHex(hex ?? '');
        return r.ok ? r.value : new Uint8Array();
      };
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
        const o = h.outcome;
        lines.push(
          exchangeLine(
            new Date(h.time),
            {
              cdb: h.cdb,
              lun: h.lun,
              direction: h.direction,
              transferLength: h.direction === 'none' ? 0 : h.transferLength,
              timeoutMs: 20_000,
              ...(h.direction === 'out' ? { dataOut: new Uint8Array(h.transferLength) } : {}),
            },
            {
              status: o.status ?? undefined,
              ...(o.transportError ? { transportError: o.transportError as TransportError } : {}),
              dataIn: bytes(o.dataIn),
              ...(o.sense ? { sense: bytes(o.sense) } : {}),
              residue: o.residue,
              ...(o.cswStatus !== null ? { cswStatus: o.cswStatus } : {}),
              durationMs: o.durationMs,
            },
          ),
        );
      }
      return lines.join('\n') + '\n';
    },
  }));
}
