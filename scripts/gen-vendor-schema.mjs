// Writes docs/vendor-set.schema.json, the published JSON Schema of the vendor-set file format,
// from its one definition: the zod schema in shared/vendor-sets/format.ts (z.toJSONSchema).
// Run `node scripts/gen-vendor-schema.mjs` after changing the format;
// tests/unit/vendor-sets/schema.test.ts fails while the committed file differs.
// The TypeScript module is bundled with esbuild (already a dependency of the build) into a
// temporary folder, removed at once.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import * as prettier from 'prettier';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'docs', 'vendor-set.schema.json');

// CommonJS, since jsonc-parser's UMD build requires its own modules at run time.
const dir = mkdtempSync(join(tmpdir(), 'usbcdb-schema-'));
let vendorSetJsonSchema;
try {
  const outfile = join(dir, 'format.cjs');
  await build({
    entryPoints: [join(root, 'shared', 'vendor-sets', 'format.ts')],
    bundle: true,
    outfile,
    format: 'cjs',
    platform: 'node',
    logLevel: 'error',
  });
  ({ vendorSetJsonSchema } = createRequire(import.meta.url)(outfile));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const options = (await prettier.resolveConfig(target)) ?? {};
const text = await prettier.format(JSON.stringify(vendorSetJsonSchema()), {
  ...options,
  parser: 'json',
});
writeFileSync(target, text);
console.log(`wrote ${target}`);
