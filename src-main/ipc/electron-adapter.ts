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

/**
 * Whether an IPC message comes from the app's own page: the top frame (not
 * an iframe inside it), showing the renderer file the main process loaded.
 * Anything else — a frame the page never meant to hold, a page navigated
 * elsewhere — gets a refusal, never a handler.
 */
export function fromPage(pageUrl: string): (event: unknown) => boolean {
  const bare = (u: string): string => u.replace(/#.*$/, '');
  return (event) => {
    const frame = (event as { senderFrame?: { url?: unknown; parent?: unknown } | null } | null)
      ?.senderFrame;
    return (
      frame !== null &&
      frame !== undefined &&
      frame.parent === null &&
      typeof frame.url === 'string' &&
      bare(frame.url) === bare(pageUrl)
    );
  };
}

export function registerElectronIpc(
  ipc: IpcMainLike,
  handlers: Handlers,
  trusted: (event: unknown) => boolean,
): void {
  // Whatever the page sends — one argument, none, several — only the first is the envelope.
  ipc.handle(IPC_CHANNEL, (event, envelope) =>
    trusted(event)
      ? dispatch(handlers, envelope)
      : Promise.resolve({
          id: null,
          ok: false,
          error: {
            code: 'forbidden',
            message: 'this frame is not the usbcdb window; only the app page may use its devices',
          },
        }),
  );
}
