/**
 * The IPC handlers: one function per contract channel, the same for the
 * Electron adapter and the WebSocket bridge. Devices opened by the renderer
 * stay open in a session, so an emulated drive keeps its state (written
 * blocks, consumed unit attentions) from one command to the next.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Channel, ParsedRequestOf, ResponseOf } from '../../shared/ipc/contract';
import { lintCdb } from '../../shared/lint/lint';
import { formatHex, parseHex } from '../../shared/scsi/hex';
import { openDevice } from '../engine/device-string';
import { settle } from '../engine/settle';
import type { Transport } from '../engine/transport';
import { listDevices } from '../engine/device-list';
import { watchUsb } from '../engine/usb';
import { DeviceChanges } from './device-changes';
import { ExportManager } from '../export/manager';
import { vendorPresetPacks } from '../presets/packs';
import { parsePresetsJson, presetsJson } from '../../shared/presets-file';
import type { PresetStore } from '../presets/store';
import { errorText } from '../../shared/error-text';

export class HandlerError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function bytes(text: string, what: string): Uint8Array {
  const r = parseHex(text, what);
  if (!r.ok) throw new HandlerError('bad-request', r.error.message);
  return r.value;
}

export type Handlers = {
  readonly [C in Channel]: (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>>;
};

/** A session: the devices the renderer has used, open until `close`. */
export class DeviceSessions {
  private readonly open = new Map<string, Transport>();
  /** Where each emulated or USB device's traffic is captured (usbmon pcap), for History → Save capture. */
  private readonly captures = new Map<string, string>();
  private captureDir: string | undefined;

  /** @param opener how device strings are opened (the engine's by default) */
  constructor(private readonly opener: typeof openDevice = openDevice) {}

  private captureFile(id: string): string | undefined {
    if (!/^(emu|usb):/.test(id)) return undefined;
    this.captureDir ??= mkdtempSync(join(tmpdir(), 'usbcdb-captures-'));
    return join(this.captureDir, `${id.replace(/[^\w.-]+/g, '_')}.pcap`);
  }

  async get(id: string): Promise<Transport> {
    const existing = this.open.get(id);
    if (existing) return existing;
    const capture = this.captureFile(id);
    const r = await this.opener(id, capture !== undefined ? { capture } : {});
    if (!r.ok) throw new HandlerError('device', r.error.message);
    if (capture !== undefined) this.captures.set(id, capture);
    this.open.set(id, r.value);
    // Like the OS before anyone sees a disk: absorb the power-on unit attention.
    if (r.value.describe().kind !== 'replay') await settle(r.value, 0);
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
    return readFileSync(file);
  }

  /** Ids of the devices a session holds open now. */
  openIds(): ReadonlySet<string> {
    return new Set(this.open.keys());
  }

  async close(): Promise<void> {
    for (const t of this.open.values()) await t.close();
    this.open.clear();
    if (this.captureDir) rmSync(this.captureDir, { recursive: true, force: true });
    this.captureDir = undefined;
    this.captures.clear();
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
      return { pcapBase64: Buffer.from(sessions.capture(req.device)).toString('base64') };
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
    'devices.list': () => listDevices(sessions.openIds()),
    'devices.watch': (req) => changes.wait(req.generation, req.waitMs),
    'device.execute': async (req) => {
      const cdb = bytes(req.cdb, 'CDB');
      const dataOut = req.dataOut !== undefined ? bytes(req.dataOut, 'data-out') : undefined;
      const t = await sessions.get(req.device);
      if (t.describe().kind === 'usb' && !req.confirmed) {
        const d = lintCdb({ cdb, ...(dataOut ? { dataOut: dataOut.length } : {}) }).findings.find(
          (f) => f.id === 'destructive',
        );
        if (d)
          throw new HandlerError(
            'needs-confirmation',
            `${d.message} Confirm to send it to ${t.describe().id}.`,
          );
      }
      const o = await t.execute({
        cdb,
        lun: req.lun,
        direction: req.direction,
        transferLength: req.transferLength,
        ...(dataOut ? { dataOut } : {}),
        timeoutMs: req.timeoutMs,
      });
      return {
        status: o.status ?? null,
        transportError: o.transportError ?? null,
        dataIn: formatHex(o.dataIn),
        sense: o.sense ? formatHex(o.sense) : null,
        residue: o.residue,
        cswStatus: o.cswStatus ?? null,
        durationMs: o.durationMs,
      };
    },
    'device.reset': async (req) => {
      await (await sessions.get(req.device)).reset();
      return { done: true as const };
    },
    'presets.list': () => Promise.resolve(presetsOrThrow(presets.load())),
    'presets.save': (req) => Promise.resolve(presetsOrThrow(presets.save(req))),
    'presets.delete': (req) => Promise.resolve(presetsOrThrow(presets.remove(req.id))),
    'presets.export': () => Promise.resolve({ json: presetsJson(presetsOrThrow(presets.load())) }),
    'presets.import': (req) =>
      Promise.resolve(
        presetsOrThrow(
          presets.import(presetsOrThrow(parsePresetsJson(req.json, 'the imported file'))),
        ),
      ),
    'presets.packs': () => Promise.resolve(vendorPresetPacks()),
  };
}
