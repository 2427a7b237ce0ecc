/**
 * The IPC handlers: one function per contract channel, the same for the
 * Electron adapter and the WebSocket bridge. Devices opened by the renderer
 * stay open in a session, so an emulated drive keeps its state (written
 * blocks, consumed unit attentions) from one command to the next.
 */
import type { Channel, ParsedRequestOf, ResponseOf } from '../../shared/ipc/contract';
import { lintCdb } from '../../shared/lint/lint';
import { formatHex, parseHex } from '../../shared/scsi/hex';
import { openDevice } from '../engine/device-string';
import { settle } from '../engine/settle';
import type { Transport } from '../engine/transport';
import { listDevices } from '../engine/device-list';
import { watchUsb } from '../engine/usb';
import { DeviceChanges } from './device-changes';
import { vendorPresetPacks } from '../presets/packs';
import { parsePresetsJson, presetsJson } from '../../shared/presets-file';
import type { PresetStore } from '../presets/store';

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

  /** @param opener how device strings are opened (the engine's by default) */
  constructor(private readonly opener: typeof openDevice = openDevice) {}

  async get(id: string): Promise<Transport> {
    const existing = this.open.get(id);
    if (existing) return existing;
    const r = await this.opener(id);
    if (!r.ok) throw new HandlerError('device', r.error.message);
    this.open.set(id, r.value);
    // Like the OS before anyone sees a disk: absorb the power-on unit attention.
    if (r.value.describe().kind !== 'replay') await settle(r.value, 0);
    return r.value;
  }

  /** Ids of the devices a session holds open now. */
  openIds(): ReadonlySet<string> {
    return new Set(this.open.keys());
  }

  async close(): Promise<void> {
    for (const t of this.open.values()) await t.close();
    this.open.clear();
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
): Handlers {
  return {
    'devices.list': async () => [...(await listDevices(sessions.openIds()))],
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
