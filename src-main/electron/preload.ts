/**
 * The preload: exposes exactly one function to the renderer, which sends a
 * contract envelope to the main process. Nothing else of Electron or Node
 * crosses into the page (contextIsolation).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { IPC_CHANNEL } from '../ipc/electron-channel';

contextBridge.exposeInMainWorld('usbcdb', {
  invoke: (envelope: unknown): Promise<unknown> => ipcRenderer.invoke(IPC_CHANNEL, envelope),
});
