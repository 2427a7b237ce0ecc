// Bundles with esbuild: the CLI and benchmark (Node, ESM), the Electron main
// process and preload (CommonJS, electron external) and the renderer (browser).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist');

await build({
  entryPoints: {
    'cli/usbcdb': join(root, 'src-main/cli/usbcdb.ts'),
    'bench/bench': join(root, 'bench/bench.ts'),
    'bench/guest': join(root, 'bench/guest.ts'),
    'bench/app': join(root, 'bench/app.ts'),
  },
  outdir: out,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  logLevel: 'warning',
  // Native and Electron modules stay external.
  external: ['usb', 'electron', 'ws', 'playwright-core'],
});

await build({
  entryPoints: {
    'main/main': join(root, 'src-main/electron/main.ts'),
    'main/preload': join(root, 'src-main/electron/preload.ts'),
  },
  outdir: out,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  external: ['usb', 'electron', 'ws'],
});

await build({
  entryPoints: {
    'renderer/app': join(root, 'src-renderer/main.tsx'),
    // Web mode's connection worker (src-renderer/ipc/link.ts), loaded by the page beside app.js.
    'renderer/ipc-worker': join(root, 'src-renderer/ipc/link-worker.ts'),
  },
  outdir: out,
  bundle: true,
  platform: 'browser',
  target: 'chrome120',
  format: 'iife',
  jsx: 'automatic',
  sourcemap: true,
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
});
mkdirSync(join(out, 'renderer'), { recursive: true });
for (const f of ['index.html', 'app.css'])
  copyFileSync(join(root, 'src-renderer', f), join(out, 'renderer', f));
// The page's icon is the app's (a browser asks for one; without it web mode logs a 404).
copyFileSync(join(root, 'assets', 'icon.png'), join(out, 'renderer', 'icon.png'));
