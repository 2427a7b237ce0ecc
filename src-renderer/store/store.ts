/**
 * The renderer's state, one zustand slice per concern: devices, editor,
 * results. Components render; these decide. SCSI knowledge comes from
 * shared/ directly (catalog, lint, sense); device access only through IPC.
 */
import { create } from 'zustand';
import { MAX_TRACE_TEXT, type ResponseOf } from '../../shared/ipc/contract';
import { lintCdb, type LintReport } from '../../shared/lint/lint';
import {
  dataTransferOf,
  layoutOf,
  type CommandSpec,
  type Direction,
} from '../../shared/scsi/catalog';
import { buildCdb } from '../../shared/scsi/cdb/build';
import { writeField } from '../../shared/scsi/catalog/fields';
import { formatHex, parseHex } from '../../shared/scsi/hex';
import { decodeSense } from '../../shared/scsi/sense';
import { wireBytes } from '../wire-bytes';
import { IpcError, type IpcClient } from '../ipc/client';
import { fromWireOutcome } from '../../shared/ipc/outcome';
import type { VendorSet } from '../../shared/vendor-sets/model';
import { exchangeLine, headerLine } from '../../shared/trace';
import { errorText } from '../../shared/error-text';
import { toDataName } from '../../shared/ipc/names';
import { resolveByName, resolveCommand } from '../../shared/scsi/catalog/resolve';
import { vendorSetsSlice, type VendorSetsSlice } from './vendor-sets';
import { probeSlice, type ProbeSlice } from './probe';

export type DeviceSummary = ResponseOf<'devices.list'>[number];
export type Outcome = ResponseOf<'device.execute'>;

export type ImageInfo = ResponseOf<'images.list'>[number];

export interface DevicesSlice {
  devices: readonly DeviceSummary[];
  device: string | undefined;
  /**
   * For an emulated drive: the name of its image in the data folder's
   * images/ (created on first use); empty for a drive in memory.
   */
  image: string;
  images: readonly ImageInfo[];
  lun: number;
  devicesError: string | undefined;
  setImage(name: string): void;
  loadImages(): Promise<void>;
  /** Uploads a trace file's text; it becomes `replay:NAME` in the picker, and is picked. */
  loadTrace(file: Pick<File, 'name' | 'size' | 'text'>): Promise<void>;
  /** The device string commands go to: the picked device, with its image when it has one. */
  target(): string | undefined;
  loadDevices(): Promise<void>;
  /** Keeps the list current as devices are plugged and unplugged; returns the function that stops it. */
  watchDevices(): () => void;
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
  /** Data-out loaded from a file or typed as hex; without it a data-out command sends zeros. */
  dataOut: Uint8Array | undefined;
  /** Where the data-out came from ("typed hex" or a file name), for the editor to say. */
  dataOutSource: string | undefined;
  setHex(text: string): void;
  /** Sets data-out from hex text; the error names the offending character. */
  setDataOutHex(text: string): string | undefined;
  /** Sets data-out from a file's bytes: direction becomes out, the transfer length its size. */
  loadDataOut(bytes: Uint8Array, source: string): void;
  clearDataOut(): void;
  chooseCommand(name: string): void;
  /** Writes one field of the CDB (of the `standard`'s layout when given, e.g. SPC-2); the error says its range. */
  setField(key: string, value: bigint, standard?: string): string | undefined;
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
  /**
   * The CDB byte the last answer's sense points at (SPC-5 sense key specific
   * field pointer with C/D set), while the editor still holds the CDB that was sent.
   */
  pointedByte(): number | undefined;
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
  readonly dataOut: Uint8Array | undefined;
  readonly lun: number;
  readonly outcome: Outcome;
}

export interface HistorySlice {
  history: readonly HistoryEntry[];
  /** Up to two history entries picked for comparison, oldest pick first. */
  compare: readonly number[];
  toggleCompare(index: number): void;
  rerun(index: number): Promise<void>;
  /** The current device's part of the history as a JSON-lines trace (`replay:FILE` plays it back). */
  exportTrace(): string | undefined;
  /** The current device's USB traffic this session, as usbmon pcap bytes (Wireshark); undefined with the reason in sendError. */
  captureBytes(): Promise<Uint8Array | undefined>;
}

export type ExportInfo = ResponseOf<'exports.list'>[number];

export interface ExportsSlice {
  exports: readonly ExportInfo[];
  exportsError: string | undefined;
  loadExports(): Promise<void>;
  /** Serves a fresh drive of `profile` to real kernels (QEMU usb-redir or USB/IP) on loopback. */
  startExport(profile: string, transport: ExportInfo['transport']): Promise<void>;
  stopExport(id: string): Promise<void>;
}

export type State = DevicesSlice &
  EditorSlice &
  ResultsSlice &
  PresetsSlice &
  HistorySlice &
  ExportsSlice &
  VendorSetsSlice &
  ProbeSlice;

/** How a component reads the store: a selector in, the selected value out (the zustand hook). */
export type Use = <T>(pick: (s: State) => T) => T;

/** The device string for a picked device and image name (an image only applies to emulated drives). */
export function targetOf(device: string | undefined, image: string): string | undefined {
  return device !== undefined && image !== '' && device.startsWith('emu:')
    ? `${device}?image=${image}`
    : device;
}

/** The picked device and image a device string stands for (targetOf, backwards). */
export function splitTarget(target: string): { device: string; image: string } {
  const m = /^(emu:[^?]*)\?image=(.*)$/.exec(target);
  return m ? { device: m[1] ?? target, image: m[2] ?? '' } : { device: target, image: '' };
}

/**
 * The data phase a freshly chosen command asks for, in bytes (the catalog's
 * dataTransferOf; the editor does not know the device's block size, so
 * block lengths count DEFAULT_BLOCK_SIZE bytes).
 */
function phaseOf(
  cdb: Uint8Array,
  sets: readonly VendorSet[],
): { direction: Direction; length: number } {
  const spec = resolveCommand(cdb, sets)?.spec;
  if (!spec) return { direction: 'none', length: 0 };
  const t = dataTransferOf(cdb, layoutOf(spec));
  return { direction: t.direction, length: t.bytes ?? 0 };
}

export function createStore(client: IpcClient) {
  return create<State>((set, get) => ({
    devices: [],
    device: undefined,
    image: '',
    images: [],
    lun: 0,
    devicesError: undefined,
    setImage: (name) => set({ image: name.trim(), outcome: undefined }),
    async loadImages() {
      try {
        set({ images: await client.invoke('images.list', {}) });
      } catch (e) {
        set({ devicesError: errorText(e) });
      }
    },
    async loadTrace(file) {
      if (file.size > MAX_TRACE_TEXT) {
        set({
          devicesError: `${file.name} is ${file.size} bytes; a trace is at most ${MAX_TRACE_TEXT / 1048576} MiB. Nothing was loaded.`,
        });
        return;
      }
      try {
        const text = await file.text();
        const { device } = await client.invoke('traces.load', {
          name: toDataName(file.name),
          text,
        });
        await get().loadDevices();
        get().pickDevice(device);
      } catch (e) {
        set({ devicesError: errorText(e) });
      }
    },
    target: () => targetOf(get().device, get().image),
    async loadDevices() {
      try {
        const devices = await client.invoke('devices.list', {});
        const current = get().device;
        const gone = current !== undefined && !devices.some((d) => d.id === current);
        set({
          devices,
          device: current === undefined || gone ? devices[0]?.id : current,
          devicesError: gone
            ? `${current} is no longer attached; pick another device (or plug it back in)`
            : undefined,
        });
      } catch (e) {
        set({ devicesError: errorText(e) });
      }
    },
    watchDevices() {
      let stopped = false;
      let generation = 0;
      const loop = async (): Promise<void> => {
        while (!stopped) {
          try {
            const r = await client.invoke('devices.watch', { generation, waitMs: 25_000 });
            if (r.generation !== generation && !stopped) {
              generation = r.generation;
              await get().loadDevices();
            }
          } catch (e) {
            // Without the main process there is nothing to watch; say so once and stop.
            if (e instanceof IpcError && e.code === 'disconnected') {
              set({ devicesError: e.message });
              return;
            }
            await new Promise((r) => setTimeout(r, 5000));
          }
        }
      };
      void loop();
      return () => {
        stopped = true;
      };
    },
    pickDevice: (id) => set({ device: id, image: '', lun: 0, outcome: undefined }),
    setLun: (lun) => set({ lun }),

    cdb: Uint8Array.from([0x12, 0, 0, 0, 36, 0]),
    hexText: '12 00 00 00 24 00',
    hexError: undefined,
    direction: 'in',
    transferLength: 36,
    dataOut: undefined,
    dataOutSource: undefined,
    setDataOutHex(text) {
      const r = parseHex(text, 'data-out');
      if (!r.ok) return r.error.message;
      get().loadDataOut(r.value, 'typed hex');
      return undefined;
    },
    loadDataOut: (bytes, source) =>
      set({
        dataOut: bytes,
        dataOutSource: source,
        direction: 'out',
        transferLength: bytes.length,
      }),
    clearDataOut: () => set({ dataOut: undefined, dataOutSource: undefined }),
    setHex(text) {
      const r = parseHex(text, 'CDB');
      if (!r.ok) {
        set({ hexText: text, hexError: r.error.message });
        return;
      }
      set({ hexText: text, hexError: undefined, cdb: r.value });
    },
    chooseCommand(name) {
      const spec = resolveByName(name, get().vendorSets)?.spec;
      if (!spec) return;
      const built = buildCdb(spec, {});
      if (!built.ok) return;
      const p = phaseOf(built.value, get().vendorSets);
      set({
        cdb: built.value,
        hexText: formatHex(built.value),
        hexError: undefined,
        direction: p.direction,
        transferLength: p.length,
      });
    },
    setField(key, value, standard) {
      const { cdb } = get();
      const spec = get().spec();
      if (!spec) return 'no catalog or vendor-set command for this opcode';
      const field = layoutOf(spec, standard).fields.find((f) => f.key === key);
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
      const { cdb, direction, transferLength, lun, vendorSets } = get();
      return lintCdb({
        cdb,
        lun,
        vendorSets,
        ...(direction === 'in'
          ? { dataIn: transferLength }
          : direction === 'out'
            ? { dataOut: transferLength }
            : {}),
      });
    },
    spec: () => resolveCommand(get().cdb, get().vendorSets)?.spec,

    running: false,
    outcome: undefined,
    sentCdb: undefined,
    sendError: undefined,
    confirmation: undefined,
    cancelConfirmation: () => set({ confirmation: undefined }),
    pointedByte() {
      const { outcome, sentCdb, cdb } = get();
      if (!outcome?.sense || !sentCdb || formatHex(sentCdb) !== formatHex(cdb)) return undefined;
      const sense = decodeSense(wireBytes(outcome.sense));
      const sks = sense.ok ? sense.value.senseKeySpecific : undefined;
      return sks?.kind === 'field-pointer' && sks.inCdb ? sks.fieldPointer : undefined;
    },
    async send(confirmed = false) {
      const { cdb, lun, direction, transferLength, hexError, dataOut } = get();
      const device = get().target();
      if (!device || hexError || cdb.length === 0) return;
      if (direction === 'out' && dataOut && dataOut.length !== transferLength) {
        set({
          sendError: `The data-out (${get().dataOutSource ?? 'loaded'}) holds ${dataOut.length} bytes but the transfer length is ${transferLength}; make them match (or clear the data-out to send ${transferLength} zero bytes). Nothing was sent.`,
        });
        return;
      }
      const out = direction === 'out' ? (dataOut ?? new Uint8Array(transferLength)) : undefined;
      set({ running: true, sendError: undefined, confirmation: undefined });
      try {
        const outcome = await client.invoke('device.execute', {
          device,
          cdb: formatHex(cdb),
          lun,
          direction,
          transferLength: direction === 'none' ? 0 : transferLength,
          ...(out ? { dataOut: formatHex(out) } : {}),
          timeoutMs: 20_000,
          confirmed,
        });
        const entry: HistoryEntry = {
          time: new Date().toISOString(),
          device,
          cdb,
          direction,
          transferLength,
          dataOut: out,
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
        set({ presetsError: errorText(e) });
      }
    },
    async savePreset(name, folder, notes) {
      const { cdb, direction, transferLength, lun, dataOut } = get();
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
          ...(direction === 'out' && dataOut ? { dataOut: formatHex(dataOut) } : {}),
        });
        set({ presets, presetsError: undefined });
      } catch (e) {
        set({ presetsError: errorText(e) });
      }
    },
    async deletePreset(id) {
      set({ presets: await client.invoke('presets.delete', { id }) });
    },
    usePreset(p) {
      const r = parseHex(p.cdb);
      if (!r.ok) return;
      const d = p.dataOut !== undefined ? parseHex(p.dataOut) : undefined;
      set({
        dataOut: d?.ok ? d.value : undefined,
        dataOutSource: d?.ok ? `preset "${p.name}"` : undefined,
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
        set({ presetsError: errorText(e) });
        return undefined;
      }
    },
    async importPresets(json) {
      try {
        set({ presets: await client.invoke('presets.import', { json }), presetsError: undefined });
      } catch (e) {
        set({ presetsError: errorText(e) });
      }
    },

    exports: [],
    exportsError: undefined,
    async loadExports() {
      try {
        set({ exports: await client.invoke('exports.list', {}), exportsError: undefined });
      } catch (e) {
        set({ exportsError: errorText(e) });
      }
    },
    async startExport(profile, transport) {
      try {
        const started = await client.invoke('exports.start', { profile, transport, port: 0 });
        set({ exports: [...get().exports, started], exportsError: undefined });
      } catch (e) {
        set({ exportsError: errorText(e) });
      }
    },
    async stopExport(id) {
      try {
        set({ exports: await client.invoke('exports.stop', { id }), exportsError: undefined });
      } catch (e) {
        set({ exportsError: errorText(e) });
      }
    },

    async captureBytes() {
      const device = get().target();
      if (!device) return undefined;
      try {
        const { pcapBase64 } = await client.invoke('device.capture', { device });
        return Uint8Array.from(atob(pcapBase64), (c) => c.charCodeAt(0));
      } catch (e) {
        set({ sendError: errorText(e) });
        return undefined;
      }
    },

    ...vendorSetsSlice<State>(client, set, get),
    ...probeSlice<State>(client, set, get),

    history: [],
    compare: [],
    toggleCompare(index) {
      const c = get().compare;
      set({
        compare: c.includes(index) ? c.filter((i) => i !== index) : [...c, index].slice(-2),
      });
    },
    async rerun(index) {
      const h = get().history[index];
      if (!h) return;
      set({
        ...splitTarget(h.device),
        cdb: h.cdb,
        hexText: formatHex(h.cdb),
        hexError: undefined,
        direction: h.direction,
        transferLength: h.transferLength,
        dataOut: h.dataOut,
        dataOutSource: h.dataOut ? `history entry ${index + 1}` : undefined,
        lun: h.lun,
      });
      await get().send();
    },
    exportTrace() {
      const { history, device, devices } = get();
      const d = devices.find((x) => x.id === device);
      const target = get().target();
      const entries = history.filter((h) => h.device === target);
      if (!d || entries.length === 0) return undefined;
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
              timeoutMs: 20_000,
              ...(h.dataOut ? { dataOut: h.dataOut } : {}),
            },
            fromWireOutcome(h.outcome),
          ),
        );
      }
      return lines.join('\n') + '\n';
    },
  }));
}
