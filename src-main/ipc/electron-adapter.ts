/**
 * The Electron adapter of the IPC contract: one ipcMain handler on one
 * channel, in front of the same dispatch the WebSocket bridge uses. Typed
 * against the small part of ipcMain it needs so tests can drive it without
 * an Electron binary.
 */
import type { Reply } from '../../shared/ipc/contract';
import { dispatch } from './dispatch';
import { IPC_CHANNEL } from './electron-channel';
import type { Handlers } from './handlers';

export interface IpcMainLike {
  handle(channel: string, listener: (event: unknown, ...args: unknown[]) => Promise<Reply>): void;
}

export function registerElectronIpc(ipc: IpcMainLike, handlers: Handlers): void {
  // Whatever the page sends — one argument, none, several — only the first is the envelope.
  ipc.handle(IPC_CHANNEL, (_event, envelope) => dispatch(handlers, envelope));
}
