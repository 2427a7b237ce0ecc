// `npm start`: the app. The Electron window where an Electron binary and a
// display exist; otherwise web mode (`usbcdb serve`), the same app in a
// browser, with the reason said. `npm start -- --web [--port N]` asks for web mode.
// scripts/setup.mjs (npm's prestart) has already tried to download the binary.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { displayProblem, electronBinary } from './electron-binary.mjs';
import { webModeNotice } from './electron-setup.mjs';
import { nodeProblem } from './node-support.mjs';

const tooOld = nodeProblem(process.version);
if (tooOld !== undefined) {
  process.stderr.write(`${tooOld}\n`);
  process.exit(1);
}

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
        const hint = !wantWeb && 'hint' in found ? found.hint : undefined;
        process.stdout.write(`${webModeNotice(problem ?? 'no window', hint)}\n`);
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
