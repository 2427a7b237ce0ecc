/**
 * The IPC handlers: one function per contract channel, the same for the
 * Electron adapter and the WebSocket bridge. Devices opened by the renderer
 * stay open in a session, so an emulated drive keeps its state (written
 * blocks, consumed unit attentions) from one command to the next.
 */
import { DEFAULT_TIMEOUT_MS } from '../../shared/exchange';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  MAX_CAPTURE_BYTES,
  type Channel,
  type ParsedRequestOf,
  type ResponseOf,
} from '../../shared/ipc/contract';
import { toWireOutcome } from '../../shared/ipc/outcome';
import { openDevice } from '../engine/device-string';
import { settle } from '../engine/settle';
import { confirmationFor, dataOutLengthOf } from '../engine/confirmation';
import type { Transport } from '../engine/transport';
import { listDevices } from '../engine/device-list';
import { watchUsb } from '../engine/usb';
import { DeviceChanges } from './device-changes';
import { ExportManager } from '../export/manager';
import { vendorPresetPacks } from '../presets/packs';
import { parsePresetsFile } from '../../shared/presets-file';
import type { PresetStore } from '../presets/store';
import { errorText } from '../../shared/error-text';
import { parseTrace } from '../../shared/trace';
import { appDeviceFiles, listImages } from './app-device-files';
import { readBoundedRegularFileSync } from '../files/bounded-read';
import { VendorSetStore } from './vendor-set-store';
import { knownVendorSets, vendorSetHandlers } from './vendor-set-handlers';
import { probeHandler } from './probe-handlers';

export class HandlerError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type Handlers = {
  readonly [C in Channel]: (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>>;
};

/** Devices one session may hold open at once (a person uses a few; each may hold an image file). */
export const MAX_OPEN_DEVICES = 32;
/** Traces one session may hold (each up to the contract's MAX_TRACE_TEXT). */
export const MAX_TRACES = 8;

/**
 * A session: the devices the renderer has used, open until `close`, and the
 * traces it uploaded. Image and trace names resolve through the app's
 * reading (app-device-files.ts): a name in the data folder, never a path.
 */
export class DeviceSessions {
  private readonly open = new Map<string, Transport>();
  /** Devices being opened and settled, so requests arriving meanwhile wait for the same one. */
  private readonly opening = new Map<string, Promise<Transport>>();
  /** Set once close begins: the session opens nothing more (a request in flight then is refused). */
  private closed = false;
  /** Uploaded traces by name, oldest first, each with its entry in the device list. */
  private readonly traces = new Map<
    string,
    { readonly text: string; readonly device: ResponseOf<'devices.list'>[number] }
  >();
  /** Where each emulated or USB device's traffic is captured (usbmon pcap), for History → Save capture. */
  private readonly captures = new Map<string, string>();
  private captureDir: string | undefined;
  /** The user's vendor sets (the data folder's vendor-sets/): emulated drives opened here speak them. */
  readonly vendorSets: VendorSetStore;

  /**
   * @param dataDir the user's data folder (images/ lives there)
   * @param opener how device strings are opened (the engine's by default)
   */
  constructor(
    private readonly dataDir: string,
    private readonly opener: typeof openDevice = openDevice,
  ) {
    this.vendorSets = new VendorSetStore(dataDir);
  }

  /**
   * Keeps an uploaded trace as `replay:NAME` (replacing one of that name,
   * closing it if open); the oldest goes when MAX_TRACES are held.
   */
  async loadTrace(name: string, text: string): Promise<string> {
    const parsed = parseTrace(text, name);
    if (!parsed.ok) throw new HandlerError('bad-request', parsed.error.message);
    const id = `replay:${name}`;
    await this.open.get(id)?.close();
    this.open.delete(id);
    this.traces.delete(name);
    const oldest = this.traces.keys().next().value;
    if (this.traces.size >= MAX_TRACES && oldest !== undefined) this.traces.delete(oldest);
    const d = parsed.value.header.device;
    this.traces.set(name, {
      text,
      device: {
        id,
        kind: 'replay',
        label: `${d.vendor} ${d.product}`.trim() || name,
        vidPid: '',
        detail: `a trace of ${parsed.value.exchanges.length} exchanges, played back`,
        maxLun: d.maxLun,
      },
    });
    return id;
  }

  /** The uploaded traces as devices for the picker. */
  traceDevices(): ResponseOf<'devices.list'> {
    return [...this.traces.values()].map((t) => t.device);
  }

  private captureFile(id: string): string | undefined {
    if (!/^(emu|usb):/.test(id)) return undefined;
    this.captureDir ??= mkdtempSync(join(tmpdir(), 'usbcdb-captures-'));
    return join(this.captureDir, `${id.replace(/[^\w.-]+/g, '_')}.pcap`);
  }

  /**
   * The session's transport for `id`, opened (and settled) on first use. Requests that
   * arrive together for a device not yet open share one opening: two would open it twice,
   * and the one kept would not have the other's writes (nor would the other ever be closed).
   */
  get(id: string): Promise<Transport> {
    if (this.closed)
      return Promise.reject(
        new HandlerError('device', 'this window is closing; nothing more is opened'),
      );
    const existing = this.open.get(id);
    if (existing) return Promise.resolve(existing);
    const opening = this.opening.get(id);
    if (opening) return opening;
    if (this.open.size + this.opening.size >= MAX_OPEN_DEVICES)
      return Promise.reject(
        new HandlerError(
          'device',
          `this window has ${MAX_OPEN_DEVICES} devices open; reload it to close them`,
        ),
      );
    const first = this.openNow(id).finally(() => this.opening.delete(id));
    this.opening.set(id, first);
    return first;
  }

  private async openNow(id: string): Promise<Transport> {
    const capture = this.captureFile(id);
    const files = appDeviceFiles(this.dataDir, (name: string) => this.traces.get(name)?.text);
    const vendorSets = this.vendorSets.sets();
    const r = await this.opener(
      id,
      capture !== undefined ? { capture, files, vendorSets } : { files, vendorSets },
    );
    if (!r.ok) throw new HandlerError('device', r.error.message);
    if (capture !== undefined) this.captures.set(id, capture);
    // Like the OS before anyone sees a disk: absorb the power-on unit attention. Only then
    // is the device handed out, so no request's command lands between settle's.
    try {
      if (r.value.describe().kind !== 'replay')
        await settle(r.value, { lun: 0, timeoutMs: DEFAULT_TIMEOUT_MS });
    } catch (e) {
      await r.value.close();
      throw e;
    }
    this.open.set(id, r.value);
    return r.value;
  }

  /** The capture of a device this session opened, as pcap bytes so far. */
  capture(id: string): Uint8Array {
    const file = this.captures.get(id);
    if (!file || !existsSync(file))
      throw new HandlerError(
        'device',
        `${id} has no USB traffic to capture: a replay: device plays a recorded trace back`,
      );
    const r = readBoundedRegularFileSync(file, MAX_CAPTURE_BYTES);
    if (r.ok) return r.value;
    throw new HandlerError(
      'device',
      r.error.code === 'file-too-large'
        ? `the capture of ${id} is over the ${MAX_CAPTURE_BYTES / 1048576} MiB the app hands over; to capture large transfers, use the command line with --capture FILE`
        : r.error.message,
    );
  }

  /** The images in the data folder. */
  images(): ResponseOf<'images.list'> {
    return listImages(this.dataDir);
  }

  /**
   * Closes the emulated drives this session holds, after the user's vendor
   * sets changed: the next command opens each again, speaking the sets as
   * they are now (a drive kept in an image keeps its blocks; one in memory
   * starts afresh, as after a power cycle).
   */
  async closeEmulated(): Promise<void> {
    await this.openingsSettled();
    for (const [id, t] of [...this.open])
      if (t.describe().kind === 'emu') {
        this.open.delete(id);
        await t.close();
      }
  }

  /** Resolves once no device is being opened, including openings begun while it waited. */
  private async openingsSettled(): Promise<void> {
    while (this.opening.size > 0) await Promise.allSettled([...this.opening.values()]);
  }

  /** Ids of the devices a session holds open now. */
  openIds(): ReadonlySet<string> {
    return new Set(this.open.keys());
  }

  /**
   * Closes every device (each one even if another fails) and removes the
   * captures' temporary folder on every path; rejects with the first failure.
   */
  async close(): Promise<void> {
    let failure: { reason: unknown } | undefined;
    this.closed = true;
    // A device still opening is closed once open (a failed opening holds nothing).
    await this.openingsSettled();
    for (const t of this.open.values())
      await t.close().catch((reason: unknown) => void (failure ??= { reason }));
    this.open.clear();
    if (this.captureDir) rmSync(this.captureDir, { recursive: true, force: true });
    this.captureDir = undefined;
    this.captures.clear();
    if (failure) throw failure.reason;
  }
}

function presetsOrThrow<T>(
  r: { ok: true; value: T } | { ok: false; error: { message: string } },
): T {
  if (!r.ok) throw new HandlerError('presets', r.error.message);
  return r.value;
}

export function makeHandlers(
  sessions: DeviceSessions,
  presets: PresetStore,
  changes: DeviceChanges = new DeviceChanges(watchUsb),
  exportsManager: ExportManager = new ExportManager(),
): Handlers {
  const attempt = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      throw new HandlerError('export', `${what}: ${errorText(e)}`);
    }
  };
  return {
    'device.capture': async (req) => {
      await sessions.get(req.device);
      return { pcap: sessions.capture(req.device) };
    },
    'exports.list': () => Promise.resolve(exportsManager.list()),
    'exports.start': (req) =>
      attempt(`exporting ${req.profile} over ${req.transport}`, () =>
        exportsManager.start(req.profile, req.transport, req.port),
      ),
    'exports.stop': async (req) => {
      if (!(await exportsManager.stop(req.id)))
        throw new HandlerError('export', `no export ${req.id} is running`);
      return exportsManager.list();
    },
    'devices.list': async () => [
      ...(await listDevices(sessions.openIds())),
      ...sessions.traceDevices(),
    ],
    'traces.load': async (req) => ({ device: await sessions.loadTrace(req.name, req.text) }),
    'images.list': () => Promise.resolve(sessions.images()),
    'devices.watch': (req) => changes.wait(req.generation, req.waitMs),
    'device.execute': async (req) => {
      const { cdb, dataOut } = req;
      const t = await sessions.get(req.device);
      const gate = confirmationFor(t.describe(), cdb, {
        dataOutLength: dataOutLengthOf({
          direction: req.direction,
          transferLength: req.transferLength,
          ...(dataOut ? { dataOut } : {}),
        }),
        vendorSets: knownVendorSets(sessions.vendorSets),
      });
      if (gate.needed && !req.confirmed)
        throw new HandlerError(
          'needs-confirmation',
          `${gate.reason} Confirm to send it to ${t.describe().id}.`,
        );
      const o = await t.execute({
        cdb,
        lun: req.lun,
        direction: req.direction,
        transferLength: req.transferLength,
        ...(dataOut ? { dataOut } : {}),
        timeoutMs: req.timeoutMs,
      });
      return toWireOutcome(o);
    },
    'device.probe': probeHandler((id) => sessions.get(id)),
    'device.reset': async (req) => {
      await (await sessions.get(req.device)).reset();
      return { done: true as const };
    },
    'presets.list': () => Promise.resolve(presetsOrThrow(presets.load())),
    'presets.save': (req) => Promise.resolve(presetsOrThrow(presets.save(req))),
    'presets.delete': (req) => Promise.resolve(presetsOrThrow(presets.remove(req.id))),
    'presets.export': () => Promise.resolve({ file: presetsOrThrow(presets.exported()) }),
    'presets.import': (req) =>
      Promise.resolve(
        presetsOrThrow(
          presets.import(presetsOrThrow(parsePresetsFile(req.file, 'the imported file'))),
        ),
      ),
    'presets.packs': () => Promise.resolve(vendorPresetPacks()),
    ...vendorSetHandlers(
      sessions.vendorSets,
      (id) => sessions.get(id),
      () => sessions.closeEmulated(),
    ),
  };
}
