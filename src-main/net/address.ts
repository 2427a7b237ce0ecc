/**
 * Listening addresses, as the servers (web mode, the exporters) and their
 * warnings see them.
 */
import { isIP } from 'node:net';

/** Whether only this machine can reach an address (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** An address as it stands in a URL or a Host header (IPv6 in brackets). */
export function urlHost(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}
