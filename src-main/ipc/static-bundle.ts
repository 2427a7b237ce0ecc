/**
 * The renderer bundle served in web mode. The files are listed once, when
 * the bridge starts, and a request is answered only when its path is one of
 * them, byte for byte: no path from a peer ever reaches the file system, so
 * traversal, NUL bytes and odd encodings have nothing to act on. Headers keep
 * the page from being framed, sniffed or cached, and limit what it may load.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.png': 'image/png',
};

/** A renderer bundle is a handful of files; more than this is not one. */
const MAX_FILES = 64;
/** The bundle with its source map is under 8 MiB today. */
const MAX_BUNDLE_BYTES = 64 * 1024 * 1024;

export interface BundleFile {
  readonly body: Buffer;
  readonly type: string;
}

/** Reads the bundle's files (top level of `dir`, known types only) into memory, keyed by URL path. */
export function loadBundle(dir: string): ReadonlyMap<string, BundleFile> {
  const files = new Map<string, BundleFile>();
  let total = 0;
  for (const name of readdirSync(dir)) {
    const type = CONTENT_TYPES[extname(name)];
    const path = join(dir, name);
    if (type === undefined || !statSync(path).isFile()) continue;
    const body = readFileSync(path);
    total += body.length;
    if (files.size >= MAX_FILES || total > MAX_BUNDLE_BYTES)
      throw new Error(`${dir} is not a renderer bundle: over ${MAX_FILES} files or 64 MiB`);
    files.set(`/${name}`, { body, type });
  }
  const index = files.get('/index.html');
  if (index) files.set('/', index);
  return files;
}

/**
 * The page's policy: its own scripts and styles only, WebSockets only back
 * to the address it came from, never inside a frame (clickjacking). The
 * connection worker (ipc-worker.js) is one of the bundle's scripts; a
 * worker's script gets these headers too, so its WebSocket is held to the
 * same connect-src.
 */
function securityHeaders(wsOrigin: string): Record<string, string> {
  return {
    'content-security-policy': `default-src 'self'; connect-src 'self' ${wsOrigin}; worker-src 'self'; style-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'`,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  };
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(text);
}

/**
 * Answers one HTTP request. `hostAllowed` guards against DNS rebinding: a
 * page on another name that resolves here gets 421 and nothing of the app.
 */
export function serveBundle(
  bundle: ReadonlyMap<string, BundleFile> | undefined,
  hostAllowed: (host: string | undefined) => boolean,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  if (!hostAllowed(req.headers.host))
    return plain(res, 421, 'usbcdb: this address is not the one the bridge listens on\n');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return plain(res, 405, 'usbcdb: only GET and HEAD\n');
  }
  if (!bundle) return plain(res, 404, 'usbcdb web bridge: connect with a WebSocket to /ipc\n');
  const path = (req.url ?? '/').split(/[?#]/, 1)[0] ?? '/';
  const file = bundle.get(path);
  if (!file) return plain(res, 404, 'usbcdb: not found\n');
  res.writeHead(200, {
    'content-type': file.type,
    'content-length': String(file.body.length),
    ...securityHeaders(`ws://${req.headers.host ?? ''}`),
  });
  res.end(req.method === 'HEAD' ? undefined : file.body);
}
