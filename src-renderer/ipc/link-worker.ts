/**
 * The web page's connection worker (built as ipc-worker.js beside app.js):
 * the bridge's WebSocket lives here, off the page's main thread (link.ts
 * says why).
 */
import { serveLinks, type WorkerScope } from './link';

serveLinks(globalThis as unknown as WorkerScope);
