import { describe, expect, it } from 'vitest';
import { findVendorSet } from '../../../shared/vendor-sets/registry';
import { notCatalogued } from '../../../src-main/cli/not-catalogued';
import { runUsbcdb as run } from '../../cli-run';

describe('notCatalogued: why a name resolves to nothing, and what to do', () => {
  it('suggests the nearest name or alias for a typo', () => {
    expect(notCatalogued('catalog', 'inquiy', [])).toBe(
      'catalog: "inquiy" is not in the catalog; did you mean inquiry? (usbcdb catalog lists the commands)',
    );
    expect(notCatalogued('build', 'zzzzzz', [])).toBe(
      'build: "zzzzzz" is not in the catalog (usbcdb catalog lists the commands)',
    );
  });

  it('knows the given vendor sets’ names too', () => {
    const example = findVendorSet('example') ?? expect.fail('no example set');
    const name = example.commands[0]?.spec.name.toLowerCase() ?? expect.fail('no command');
    expect(notCatalogued('build', `${name}x`, [example])).toBe(
      `build: "${name}x" is not in the catalog or vendor set example; did you mean ${name}? (usbcdb catalog lists the commands)`,
    );
  });

  it('says what an operation code is when no row answers it', () => {
    expect(notCatalogued('catalog', '02h', [])).toBe(
      'catalog: "02h" is not in the catalog — 02h is in group 0 (00h–1Fh): 6-byte CDBs, but usbcdb has no row for it: send it as hex with usbcdb raw',
    );
    expect(notCatalogued('catalog', '100h', [])).toBe(
      'catalog: "100h" is not in the catalog — an operation code is one byte, 00h–FFh, and 100h is not',
    );
    expect(notCatalogued('catalog', '0xc5', [])).toMatch(
      /C0h–FFh are vendor specific: .*the shipped set example declares C5h: --vendor-set example\)$/,
    );
    expect(notCatalogued('catalog', 'e0', [])).toMatch(
      /— C0h–FFh are vendor specific: only the vendor documents them \(declare them with --vendor-set FILE\)$/,
    );
    // Letters that happen to be hex digits are a name, not an opcode.
    expect(notCatalogued('catalog', 'face', [])).not.toMatch(/operation code|group/);
  });

  it('takes the set a name’s prefix names, as build and catalog read it', async () => {
    const r = await run(['build', 'cypress.identify-device']);
    expect(r.err).toBe(
      'build: "cypress.identify-device" is not in the catalog or vendor set cypress; did you mean cypress.identify? (usbcdb catalog lists the commands)\n',
    );
  });

  it('is what catalog and build print, exiting 1', async () => {
    for (const cmd of ['catalog', 'build']) {
      const r = await run([cmd, 'inquiy']);
      expect(r.code).toBe(1);
      expect(r.err).toBe(`${notCatalogued(cmd, 'inquiy', [])}\n`);
    }
  });
});
