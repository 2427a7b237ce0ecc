#!/usr/bin/env node
// Launcher for the bundled CLI (built by `npm run build` into dist/cli/).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { nodeProblem } from '../scripts/node-support.mjs';

const tooOld = nodeProblem(process.version);
if (tooOld !== undefined) {
  process.stderr.write(`${tooOld}\n`);
  process.exit(1);
}
const bundle = fileURLToPath(new URL('../dist/cli/usbcdb.js', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write(
    'usbcdb is not built yet: run `npm run build` (or `npm start`) in the project folder.\n',
  );
  process.exit(1);
}
const { runCli } = await import(pathToFileURL(bundle).href);
process.exitCode = await runCli(process.argv.slice(2));
