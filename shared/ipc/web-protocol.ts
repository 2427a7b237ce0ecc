/**
 * How a browser page proves to the web bridge that it was opened from the
 * address the bridge printed: it offers two WebSocket subprotocols (RFC 6455
 * 4.1), the app's and one carrying the launch token. A subprotocol rides in
 * the upgrade request itself, so the bridge refuses a page without the token
 * before a connection exists. Both sides read the names from here.
 */
import { MAX_DATA_BYTES } from './limits';
export const APP_PROTOCOL = 'usbcdb';
export const TOKEN_PROTOCOL_PREFIX = 'usbcdb-token.';

/**
 * The largest message each way, in the framing of frame.ts. A request is at
 * most a 64 MiB data-out (or a trace's text) and its envelope; an answer is
 * at most a 64 MiB data-in (or the presets of a file of MAX_PRESETS_FILE) and
 * its envelope. The bridge refuses a longer
 * request before buffering it; the page refuses a longer answer.
 */
export const MAX_REQUEST_BYTES = MAX_DATA_BYTES + 1024 * 1024;
export const MAX_REPLY_BYTES = MAX_DATA_BYTES + 1024 * 1024;

export function bridgeProtocols(token: string): string[] {
  return [APP_PROTOCOL, `${TOKEN_PROTOCOL_PREFIX}${token}`];
}
