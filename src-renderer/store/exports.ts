/**
 * The exports slice: emulated drives served to real kernels (QEMU usb-redir
 * or USB/IP) on loopback, started and stopped from the device picker.
 */
import type { StoreApi } from 'zustand';
import type { ResponseOf } from '../../shared/ipc/contract';
import type { IpcClient } from '../ipc/client';
import { guardWith } from './guard';

export type ExportInfo = ResponseOf<'exports.list'>[number];

export interface ExportsSlice {
  exports: readonly ExportInfo[];
  exportsError: string | undefined;
  loadExports(): Promise<void>;
  /** Serves a fresh drive of `profile` to real kernels (QEMU usb-redir or USB/IP) on loopback. */
  startExport(profile: string, transport: ExportInfo['transport']): Promise<void>;
  stopExport(id: string): Promise<void>;
}

export function exportsSlice<S extends ExportsSlice>(
  client: IpcClient,
  set: StoreApi<S>['setState'],
  get: StoreApi<S>['getState'],
): ExportsSlice {
  const put = (part: Partial<ExportsSlice>): void => set(part as Partial<S>);
  const guarded = guardWith((message) => put({ exportsError: message }));
  return {
    exports: [],
    exportsError: undefined,
    loadExports: guarded(async () =>
      put({ exports: await client.invoke('exports.list', {}), exportsError: undefined }),
    ),
    startExport: guarded(async (profile: string, transport: ExportInfo['transport']) => {
      const started = await client.invoke('exports.start', { profile, transport, port: 0 });
      put({ exports: [...get().exports, started], exportsError: undefined });
    }),
    stopExport: guarded(async (id: string) =>
      put({ exports: await client.invoke('exports.stop', { id }), exportsError: undefined }),
    ),
  };
}
