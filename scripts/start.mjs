// `npm start`: the app. The Electron window where an Electron binary and a
// display exist; otherwise web mode (`usbcdb serve`), the same app in a
// browser, with the reason said. `npm start -- --web [--port N]` asks for web mode.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { displayProblem, electronBinary } from './electron-binary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const wantWeb = args.includes('--web');
const serveArgs = args.filter((a) => a !== '--web');

const found = electronBinary(root);
const problem = wantWeb
  ? 'web mode was asked for'
  : 'reason' in found
    ? found.reason
    : displayProblem();

const child =
  problem === undefined && 'path' in found
    ? spawn(found.path, [join(root, 'dist', 'main', 'main.cjs')], { stdio: 'inherit' })
    : (() => {
        process.stdout.write(
          `usbcdb: starting web mode (${problem}). The emulated drives are in the device picker; Ctrl+C stops.\n`,
        );
        return spawn(process.execPath, [join(root, 'bin', 'usbcdb.js'), 'serve', ...serveArgs], {
          stdio: 'inherit',
        });
      })();
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
child.on('error', (e) => {
  process.stderr.write(`usbcdb: could not start: ${e.message}\n`);
  process.exit(1);
});
