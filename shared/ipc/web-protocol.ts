/**
 * How a browser page proves to the web bridge that it was opened from the
 * address the bridge printed: it offers two WebSocket subprotocols (RFC 6455
 * 4.1), the app's and one carrying the launch token. A subprotocol rides in
 * the upgrade request itself, so the bridge refuses a page without the token
 * before a connection exists. Both sides read the names from here.
 */
export const APP_PROTOCOL = 'usbcdb';
export const TOKEN_PROTOCOL_PREFIX = 'usbcdb-token.';

export function bridgeProtocols(token: string): string[] {
  return [APP_PROTOCOL, `${TOKEN_PROTOCOL_PREFIX}${token}`];
}
