/** `usbcdb serve [--port N] [--host H]`: web mode — the app in a browser, devices on this machine. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBridge } from '../../ipc/ws-bridge';
import { option, type ParsedArgs } from '../args';
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
  summary:
    'Web mode: serve the app to a browser (loopback by default); devices stay on this machine',
  usage: `usbcdb serve [--port N] [--host ADDRESS]
  --port N        TCP port (default 8765; 0 picks a free one)
  --host ADDRESS  127.0.0.1 by default. Another address lets other machines drive this machine's devices.`,
  run: async (args: ParsedArgs, io: CliIo) => {
    const nums = numericOptions(args, ['port']);
    if (nums instanceof Error) {
      io.err(`serve: ${nums.message}`);
      return EXIT.syntax;
    }
    const dir = rendererDir();
    if (!existsSync(join(dir, 'index.html'))) {
      io.err(`serve: the renderer is not built (${dir}); run npm run build`);
      return EXIT.fileError;
    }
    const host = option(args, 'host') ?? '127.0.0.1';
    try {
      const bridge = await startBridge({
        host,
        port: nums.port ?? 8765,
        staticDir: dir,
        log: (l) => io.err(l),
      });
      io.out(`usbcdb web mode: open ${bridge.url.replace(/^ws/, 'http').replace(/\/ipc$/, '/')}`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await bridge.close();
      return EXIT.ok;
    } catch (e) {
      io.err(`serve: cannot listen on ${host}: ${errorText(e)}`);
      return EXIT.other;
    }
  },
};
