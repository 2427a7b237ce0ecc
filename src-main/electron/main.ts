/**
 * The Electron main process: one window, the renderer bundle, and the IPC
 * contract over ipcMain. Kept thin on purpose — everything it does is in
 * the shared handlers and dispatch, which the WebSocket bridge serves too.
 * contextIsolation is on and nodeIntegration off (the renderer reaches the
 * main process only through the preload's `usbcdb.invoke`).
 */
import { app, BrowserWindow, ipcMain, session } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { watchUsb } from '../engine/usb';
import { ExportManager } from '../export/manager';
import { DeviceChanges } from '../ipc/device-changes';
import { fromPage, registerElectronIpc } from '../ipc/electron-adapter';
import { DeviceSessions, makeHandlers } from '../ipc/handlers';
import { PresetStore } from '../presets/store';
import { presetsFileIn } from '../presets/location';

// Presets and drive images live in the user data directory (Electron's per-user application folder).
const dataDir = app.getPath('userData');
const sessions = new DeviceSessions(dataDir);
const changes = new DeviceChanges(watchUsb);
const exportsManager = new ExportManager();
const handlers = makeHandlers(
  sessions,
  new PresetStore(presetsFileIn(dataDir)),
  changes,
  exportsManager,
);

const PAGE = join(__dirname, '..', 'renderer', 'index.html');

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
  void win.loadFile(PAGE);
}

registerElectronIpc(ipcMain, handlers, fromPage(pathToFileURL(PAGE).href));

// The window shows the app and nothing else: no navigation away, no new
// windows, no webviews (Electron's security checklist: limit navigation and
// the creation of new windows).
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (e) => e.preventDefault());
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

function denyPermissions(): void {
  // The app needs no camera, microphone, notifications, USB-from-the-page or
  // anything else a page may ask for: every request is refused.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, answer) =>
    answer(false),
  );
  session.defaultSession.setPermissionCheckHandler(() => false);
}

app.whenReady().then(
  () => {
    denyPermissions();
    createWindow();
  },
  (e: unknown) => {
    process.stderr.write(`usbcdb: the window could not open: ${String(e)}\n`);
    app.exit(1);
  },
);

app.on('window-all-closed', () => {
  // Give real devices back to the OS before quitting, whatever happens.
  changes.stop();
  void Promise.all([sessions.close(), exportsManager.stopAll()]).finally(() => app.quit());
});
