/**
 * The devices slice: the devices the main process lists (kept current on
 * plug and unplug), the picked one, its LUN and, for an emulated drive, the
 * image in the data folder it keeps its blocks in.
 */
import type { StoreApi } from 'zustand';
import { MAX_TRACE_TEXT, type ResponseOf } from '../../shared/ipc/contract';
import { toDataName } from '../../shared/ipc/names';
import { IpcError, type IpcClient } from '../ipc/client';
import { guardWith } from './guard';

export type DeviceSummary = ResponseOf<'devices.list'>[number];
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
  /** Picks the device a device string names (with its image), as a history entry recorded it. */
  pickTarget(target: string): void;
  setLun(lun: number): void;
}

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

export function devicesSlice<S extends DevicesSlice>(
  client: IpcClient,
  set: StoreApi<S>['setState'],
  get: StoreApi<S>['getState'],
): DevicesSlice {
  const put = (part: Partial<DevicesSlice>): void => set(part as Partial<S>);
  const guarded = guardWith((message) => put({ devicesError: message }));
  return {
    devices: [],
    device: undefined,
    image: '',
    images: [],
    lun: 0,
    devicesError: undefined,
    setImage: (name) => put({ image: name.trim() }),
    loadImages: guarded(async () => put({ images: await client.invoke('images.list', {}) })),
    loadTrace: guarded(async (file) => {
      if (file.size > MAX_TRACE_TEXT) {
        put({
          devicesError: `${file.name} is ${file.size} bytes; a trace is at most ${MAX_TRACE_TEXT / 1048576} MiB. Nothing was loaded.`,
        });
        return;
      }
      const text = await file.text();
      const { device } = await client.invoke('traces.load', { name: toDataName(file.name), text });
      await get().loadDevices();
      get().pickDevice(device);
    }),
    target: () => targetOf(get().device, get().image),
    loadDevices: guarded(async () => {
      const devices = await client.invoke('devices.list', {});
      const current = get().device;
      const gone = current !== undefined && !devices.some((d) => d.id === current);
      put({
        devices,
        device: current === undefined || gone ? devices[0]?.id : current,
        devicesError: gone
          ? `${current} is no longer attached; pick another device (or plug it back in)`
          : undefined,
      });
    }),
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
              put({ devicesError: e.message });
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
    pickDevice: (id) => put({ device: id, image: '', lun: 0 }),
    pickTarget(target) {
      put(splitTarget(target));
    },
    setLun: (lun) => put({ lun }),
  };
}
