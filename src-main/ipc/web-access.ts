/**
 * Who may drive web mode. Browsers let any page open a WebSocket to any
 * address and send its own Origin (the same-origin policy does not cover
 * WebSockets), and a page on a hostile name can rebind that name to
 * 127.0.0.1 (DNS rebinding). So the bridge admits a connection only when all
 * of these hold:
 * - the HTTP `Host` header names the address the bridge listens on (a
 *   rebound name is refused before any byte of the app is served);
 * - the `Origin` is the page's own address: scheme http, and the very host and
 *   port the `Host` header names (RFC 6454 §5: an origin is scheme, host and
 *   port). Being one of the names the bridge answers to is not enough: on a
 *   wildcard address any IP literal is one, so a page that another machine
 *   serves on the same port would pass;
 * - the connection offers the per-launch token, a 256-bit random secret that
 *   only the URL printed to the person who started the bridge carries (in
 *   its fragment, which browsers never send to a server or in a Referer).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { printableText } from '../../shared/scsi/printable';
import { err, ok, type Result } from '../../shared/scsi/result';
import { isLoopback, urlHost } from '../net/address';
import { TOKEN_PROTOCOL_PREFIX } from '../../shared/ipc/web-protocol';

/** 32 random bytes as base64url: 256 bits, and only characters a subprotocol name may hold (RFC 6455 4.1). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}

export interface WebAccess {
  readonly token: string;
  /** Whether a Host header names this bridge. */
  hostAllowed(hostHeader: string | undefined): boolean;
  /** Whether an upgrade request may become a connection; the error says which check failed. */
  admit(headers: {
    host?: string | undefined;
    origin?: string | undefined;
    protocols?: string | undefined;
  }): Result<void>;
}

/**
 * The checks for a bridge listening on `host`:`port`. On a loopback address
 * the loopback names are accepted too (127.0.0.1, localhost, [::1]); on a
 * wildcard address (0.0.0.0, ::) any IP literal is, since a rebinding attack
 * needs a DNS name; otherwise exactly the address listened on.
 */
export function webAccess(host: string, port: number, token: string = newToken()): WebAccess {
  const names = isLoopback(host)
    ? [...new Set([urlHost(host), ...LOOPBACK_NAMES])]
    : [urlHost(host)];
  const exact = new Set(names.map((n) => `${n}:${port}`));
  const hostAllowed = (header: string | undefined): boolean => {
    if (header === undefined) return false;
    const h = header.toLowerCase();
    if (exact.has(h)) return true;
    if (!isWildcard(host) || !h.endsWith(`:${port}`)) return false;
    const name = h.slice(0, -`:${port}`.length).replace(/^\[(.*)\]$/, '$1');
    return isIP(name) !== 0;
  };
  const expected = Buffer.from(`${TOKEN_PROTOCOL_PREFIX}${token}`);
  const tokenOffered = (protocols: string | undefined): boolean =>
    (protocols ?? '')
      .split(',')
      .map((p) => Buffer.from(p.trim()))
      .some((p) => p.length === expected.length && timingSafeEqual(p, expected));
  return {
    token,
    hostAllowed,
    // The refusals quote the headers for the log: whoever connects chose them, and HTTP lets a
    // header hold bytes 80h–FFh (obs-text, RFC 9110), U+009B among them, CSI to some terminals.
    admit({ host: hostHeader, origin, protocols }) {
      if (!hostAllowed(hostHeader))
        return err({
          code: 'host',
          message: `Host "${printableText(hostHeader ?? '')}" is not this bridge's address (a DNS-rebinding page, or a proxy in the way)`,
        });
      // hostHeader passed hostAllowed above, so an Origin naming the same host:port is this bridge.
      const from = originHost(origin ?? '');
      if (from === undefined || from.toLowerCase() !== hostHeader?.toLowerCase())
        return err({
          code: 'origin',
          message: `Origin "${origin === undefined ? '(none)' : printableText(origin)}" is not this bridge's page (http:// and the address connected to, ${printableText(hostHeader ?? '')}); only the page the bridge serves may connect`,
        });
      if (!tokenOffered(protocols))
        return err({
          code: 'token',
          message:
            'the connection did not offer this launch token; open the address usbcdb serve printed, with its #token=… part',
        });
      return ok(undefined);
    },
  };
}

/** The host:port of an `http://` origin, or undefined for any other scheme or a malformed one. */
function originHost(origin: string): string | undefined {
  const m = /^http:\/\/([^/?#]+)$/i.exec(origin);
  return m?.[1];
}
