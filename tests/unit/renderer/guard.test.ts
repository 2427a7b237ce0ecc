/** The one wrapper for slices' async actions: a failure becomes the slice's error, never a rejection. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { guardWith } from '../../../src-renderer/store/guard';
import { IpcError, type IpcClient } from '../../../src-renderer/ipc/client';
import { createStore } from '../../../src-renderer/store/store';
import { inProcessClient } from './in-process-client';

/** Unhandled rejections seen while a test runs. */
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
beforeEach(() => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});

/** The real handlers, except that `failing` channels reject the way a dead main process does. */
function clientFailing(...failing: string[]): IpcClient {
  const real = inProcessClient();
  return {
    invoke(channel, request) {
      if (failing.includes(channel))
        return Promise.reject(new IpcError('disconnected', `${channel}: the main process is gone`));
      return real.invoke(channel, request);
    },
  };
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 20));

describe('guardWith', () => {
  it('passes a result through and resolves undefined with the message on a failure', async () => {
    const errors: string[] = [];
    const guarded = guardWith((m) => errors.push(m));
    expect(await guarded((x: number) => Promise.resolve(x * 2))(21)).toBe(42);
    expect(await guarded(() => Promise.reject(new Error('boom')))()).toBeUndefined();
    const throwsAtOnce = (): Promise<number> => {
      throw new Error('thrown before any await');
    };
    expect(await guarded(throwsAtOnce)()).toBeUndefined();
    expect(errors).toEqual(['boom', 'thrown before any await']);
  });
});

describe('a failing IPC call ends in its slice’s error', () => {
  it('a preset delete the main process refuses is the presets error, not an unhandled rejection', async () => {
    const store = createStore(clientFailing('presets.delete'));
    await store.getState().savePreset('ready?', '', '');
    const id = store.getState().presets[0]?.id ?? '';
    // Fire and forget, as the × button does.
    void store.getState().deletePreset(id);
    await settle();
    expect(store.getState().presetsError).toMatch(/presets\.delete: the main process is gone/);
    expect(store.getState().presets).toHaveLength(1);
    expect(unhandled).toEqual([]);
  });

  it('each slice keeps its own error: devices, exports, history, vendor sets', async () => {
    const store = createStore(
      clientFailing('images.list', 'exports.list', 'device.capture', 'vendorSets.list'),
    );
    await store.getState().loadDevices();
    void store.getState().loadImages();
    void store.getState().loadExports();
    void store.getState().captureBytes();
    void store.getState().loadVendorSets();
    await settle();
    expect(store.getState().devicesError).toMatch(/images\.list/);
    expect(store.getState().exportsError).toMatch(/exports\.list/);
    expect(store.getState().historyError).toMatch(/device\.capture/);
    expect(store.getState().vendorSetsError).toMatch(/vendorSets\.list/);
    expect(store.getState().presetsError).toBeUndefined();
    expect(unhandled).toEqual([]);
  });
});
