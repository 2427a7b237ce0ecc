/** `usbcdb serve [--port N] [--host H]`: web mode — the app in a browser, devices on this machine. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBridge } from '../../ipc/ws-bridge';
import { keptToken } from '../../ipc/web-token';
import { defaultDataDir } from '../../presets/location';
import { isLoopback } from '../../net/address';
import { flag, option, type ParsedArgs } from '../args';
import type { CliCommand } from '../command';
import { EXIT } from '../exit-codes';
import type { CliIo } from '../io';
import { numericOptions } from './shared-options';
import { errorText } from '../../../shared/error-text';

/** The renderer bundle sits beside the CLI bundle in dist/. */
function rendererDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', 'renderer');
}

export const serveCommand: CliCommand = {
  name: 'serve',
  options: { port: 'value', host: 'value', 'new-token': 'flag' },
  summary:
    'Web mode: serve the app to a browser (loopback by default); devices stay on this machine',
  usage: `usbcdb serve [--port N] [--host ADDRESS] [--new-token]
  --port N        TCP port (default: a free one, new at every launch). With a fixed port the
                  token is kept in the data folder (web-token), so restarting the bridge on
                  that port lets an open page reconnect by itself
  --new-token     with --port N: replace the kept token (pages opened before are refused)
  --host ADDRESS  127.0.0.1 by default. Another address lets other machines reach the bridge;
                  whoever has the printed address (it holds this launch's token) can then
                  use this machine's devices, presets and drive images.
Only the page opened from the printed address can connect: the bridge checks its token,
its Origin and the Host it asked for (docs/security.md).`,
  run: async (args: ParsedArgs, io: CliIo) => {
    const nums = numericOptions(args, ['port']);
    if (nums instanceof Error || (nums.port ?? 0) > 0xffff) {
      io.err(
        `serve: ${nums instanceof Error ? nums.message : `--port ${nums.port}: a TCP port is 0–65535 (0 picks a free one)`}`,
      );
      return EXIT.syntax;
    }
    const dir = rendererDir();
    if (!existsSync(join(dir, 'index.html'))) {
      io.err(`serve: the renderer is not built (${dir}); run npm run build`);
      return EXIT.fileError;
    }
    const host = option(args, 'host') ?? '127.0.0.1';
    if (!isLoopback(host)) io.err(exposureWarning(host));
    const port = nums.port ?? 0;
    const dataDir = defaultDataDir();
    let token: string | undefined;
    if (port !== 0) {
      const kept = keptToken(dataDir, flag(args, 'new-token'));
      if (!kept.ok) {
        io.err(`serve: ${kept.error.message}`);
        return EXIT.fileError;
      }
      token = kept.value;
    }
    try {
      const bridge = await startBridge({
        host,
        port,
        staticDir: dir,
        dataDir,
        ...(token !== undefined ? { token } : {}),
        log: (l) => io.err(l),
      });
      io.out(`usbcdb web mode: open ${bridge.pageUrl}`);
      io.out("  (the address holds this launch's token: only a browser opened with it gets in)");
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await bridge.close();
      return EXIT.ok;
    } catch (e) {
      io.err(`serve: ${errorText(e)}`);
      return EXIT.other;
    }
  },
};

/** What listening beyond loopback exposes, said before it happens. */
function exposureWarning(host: string): string {
  return `serve: warning: --host ${host} is not a loopback address. Every machine that can reach it can try to connect; whoever has the printed address (it holds this launch's token) can use this machine's USB devices — including writing to them once confirmed in the app — its presets and its drive images. Traffic is plain HTTP and WebSocket, not encrypted: use it only on a network you trust, or reach the bridge through an SSH tunnel to 127.0.0.1 instead.`;
}
