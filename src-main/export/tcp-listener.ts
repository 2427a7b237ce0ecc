/**
 * The TCP side every exporter shares: listen on host:port (0 picks a free
 * port), hand each connection over with Nagle off (every message is a small
 * request waiting for its answer), and on close drop every connection.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface ExportServer {
  readonly host: string;
  readonly port: number;
  readonly server: Server;
  close(): Promise<void>;
}

/** What an exporter's serve function takes. */
export interface ServeOptions<Drive, Capture> {
  readonly drive: Drive;
  readonly host?: string;
  readonly port?: number;
  readonly capture?: Capture;
  readonly log?: (line: string) => void;
}

export function listenTcp(
  host: string,
  port: number,
  onConnection: (socket: Socket) => void,
): Promise<ExportServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const bound = (server.address() as AddressInfo).port;
      resolve({
        host,
        port: bound,
        server,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
