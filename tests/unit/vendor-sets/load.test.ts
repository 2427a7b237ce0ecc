import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatVendorSet } from '../../../shared/vendor-sets/format';
import { BUILT_IN_SETS } from '../../../shared/vendor-sets/registry';
import type { VendorSet } from '../../../shared/vendor-sets/model';
import { loadVendorSetFile, MAX_VENDOR_SET_BYTES } from '../../../src-main/vendor-sets/load';
import { testTempDir } from '../../temp-dir';

const example = BUILT_IN_SETS[0] as VendorSet;

describe('loadVendorSetFile', () => {
  it('reads and parses a vendor-set file', async () => {
    const file = join(testTempDir('vendor-load'), 'mine.json');
    writeFileSync(file, formatVendorSet(example));
    const r = await loadVendorSetFile(file);
    expect(r.ok && r.value).toEqual(example);
  });

  it('names the file name and line of a problem in it', async () => {
    const file = join(testTempDir('vendor-load'), 'broken.json');
    writeFileSync(file, '{\n  "usbcdbVendorSet": 1,\n  "name": "Bad Name"\n}');
    const r = await loadVendorSetFile(file);
    expect(!r.ok && r.error.message.split('\n')[0]).toBe(
      'broken.json line 3: name: must be lowercase letters, digits and dashes, starting with a letter',
    );
  });

  it('refuses a directory, a missing file, a file over the limit and text that is not UTF-8', async () => {
    const dir = testTempDir('vendor-load');
    mkdirSync(join(dir, 'sub'));
    const big = join(dir, 'big.json');
    writeFileSync(big, Buffer.alloc(MAX_VENDOR_SET_BYTES + 1, 0x20));
    const latin1 = join(dir, 'latin1.json');
    writeFileSync(latin1, Uint8Array.of(0x22, 0xe9, 0x22));
    const code = async (path: string): Promise<string> => {
      const r = await loadVendorSetFile(path);
      return r.ok ? 'ok' : r.error.code;
    };
    expect(await code(join(dir, 'sub'))).not.toBe('ok');
    expect(await code(join(dir, 'missing.json'))).toBe('file-open');
    expect(await code(big)).toBe('file-too-large');
    expect(await code(latin1)).toBe('vendor-set-encoding');
  });
});
