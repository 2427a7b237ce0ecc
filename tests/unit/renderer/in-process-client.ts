/**
 * An IPC client for renderer tests that calls the real handlers in-process
 * through the same dispatch and response validation the adapters use.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { parseResponse, type Reply } from '../../../shared/ipc/contract';
import { DeviceChanges } from '../../../src-main/ipc/device-changes';
import { dispatch } from '../../../src-main/ipc/dispatch';
import { DeviceSessions, makeHandlers } from '../../../src-main/ipc/handlers';
import { PresetStore } from '../../../src-main/presets/store';
import { IpcError, type IpcClient } from '../../../src-renderer/ipc/client';

/**
 * @param changes plug/unplug events; by default a watcher that never fires,
 *   so tests do not turn on libusb hotplug
 */
export function inProcessClient(
  changes: DeviceChanges = new DeviceChanges(() => () => undefined),
): IpcClient {
  const dataDir = mkdtempSync(join(tmpdir(), 'usbcdb-store-'));
  const sessions = new DeviceSessions(dataDir);
  // The client lives for the test that made it: its devices, captures and data go with it.
  onTestFinished(async () => {
    await sessions.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const handlers = makeHandlers(sessions, new PresetStore(join(dataDir, 'p.json')), changes);
  let id = 0;
  return {
    async invoke(channel, request) {
      const reply: Reply = await dispatch(handlers, { id: ++id, channel, payload: request });
      if (!reply.ok) throw new IpcError(reply.error.code, reply.error.message);
      const r = parseResponse(channel, reply.value);
      if (!r.ok) throw new Error(r.message);
      return r.value;
    },
  };
}
