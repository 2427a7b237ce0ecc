/**
 * The Electron main process: one window, the renderer bundle, and the IPC
 * contract over ipcMain. Kept thin on purpose — everything it does is in
 * the shared handlers and dispatch, which the WebSocket bridge serves too.
 * contextIsolation is on and nodeIntegration off (the renderer reaches the
 * main process only through the preload's `usbcdb.invoke`).
 */
import { app, BrowserWindow, ipcMain } from 'electron';
import { join } from 'node:path';
import { watchUsb } from '../engine/usb';
import { ExportManager } from '../export/manager';
import { DeviceChanges } from '../ipc/device-changes';
import { registerElectronIpc } from '../ipc/electron-adapter';
import { DeviceSessions, makeHandlers } from '../ipc/handlers';
import { PresetStore } from '../presets/store';

const sessions = new DeviceSessions();
const changes = new DeviceChanges(watchUsb);
const exportsManager = new ExportManager();
// Presets live in the user data directory (Electron's per-user application folder).
const handlers = makeHandlers(
  sessions,
  new PresetStore(join(app.getPath('userData'), 'presets.json')),
  changes,
  exportsManager,
);

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    title: 'usbcdb',
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
    },
  });
  void win.loadFile(join(__dirname, '..', 'renderer', 'index.html'));
}

registerElectronIpc(ipcMain, handlers);

app.whenReady().then(createWindow, (e: unknown) => {
  process.stderr.write(`usbcdb: the window could not open: ${String(e)}\n`);
  app.exit(1);
});

app.on('window-all-closed', () => {
  // Give real devices back to the OS before quitting, whatever happens.
  changes.stop();
  void Promise.all([sessions.close(), exportsManager.stopAll()]).finally(() => app.quit());
});
