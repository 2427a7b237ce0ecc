import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { vendorSetJsonSchema } from '../../../shared/vendor-sets/format';

const published = join(__dirname, '..', '..', '..', 'docs', 'vendor-set.schema.json');

describe('docs/vendor-set.schema.json', () => {
  it('is what the zod schema generates (run node scripts/gen-vendor-schema.mjs after a change)', () => {
    expect(JSON.parse(readFileSync(published, 'utf8'))).toEqual(vendorSetJsonSchema());
  });

  it('describes format 1 with the keys of docs/vendor-sets.md', () => {
    const schema = vendorSetJsonSchema() as {
      required: string[];
      properties: Record<string, unknown>;
    };
    expect(schema.required).toEqual([
      'usbcdbVendorSet',
      'name',
      'vendor',
      'description',
      'commands',
    ]);
    expect(schema.properties.usbcdbVendorSet).toMatchObject({ const: 1 });
  });
});
