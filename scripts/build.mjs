// Bundles the Node entry points with esbuild. The renderer bundle joins in a later issue.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

await build({
  entryPoints: {
    'cli/usbcdb': join(root, 'src-main/cli/usbcdb.ts'),
    'bench/bench': join(root, 'bench/bench.ts'),
  },
  outdir: join(root, 'dist'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  logLevel: 'warning',
  // Native and Electron modules stay external.
  external: ['usb', 'electron'],
});
