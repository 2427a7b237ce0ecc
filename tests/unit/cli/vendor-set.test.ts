/**
 * `--vendor-set FILE` on every command that resolves a command: a vendor
 * opcode from a user's JSON file usbcdb has never seen (D1h ACME READ STATUS,
 * D0h ACME QUICK ERASE in tests/fixtures/vendor-sets/acme.json).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runUsbcdb as run } from '../../cli-run';
import { testTempDir } from '../../temp-dir';
import { ACME_FILE } from '../lookup/acme';

const SET = ['--vendor-set', ACME_FILE];
const STATUS = 'd1 00 00 00 00 00 00 00 08 00';

describe('usbcdb with --vendor-set', () => {
  it('catalog lists and shows the vendor commands', async () => {
    const list = await run(['catalog', ...SET]);
    expect(list.out).toMatch(/D1h +ACME READ STATUS +10 bytes +data in +\(vendor set acme\)/);
    expect(list.out).toMatch(/D0h +ACME QUICK ERASE .*DESTRUCTIVE \(vendor set acme\)/);
    const one = await run(['catalog', 'd1h', ...SET]);
    expect(one.code).toBe(0);
    expect(one.out).toMatch(
      /ACME READ STATUS — opcode D1h, 10 bytes, vendor set acme \(Acme Storage\)/,
    );
    expect((await run(['catalog', 'd1h'])).code).toBe(1);
  });

  it('build makes the CDB from the declared fields', async () => {
    const r = await run(['build', 'acme.status', '--alloc', '8', '--quiet', ...SET]);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe(STATUS);
    expect((await run(['build', 'acme.status'])).err).toMatch(/not in the catalog/);
  });

  it('lint checks the vendor length field against the buffer', async () => {
    const r = await run(['lint', STATUS, '--data-in', '512', ...SET]);
    expect(r.out).toMatch(/ACME READ STATUS/);
    expect(r.out).toMatch(/length-vs-buffer/);
    expect((await run(['lint', STATUS, '--data-in', '512'])).out).not.toMatch(/length-vs-buffer/);
  });

  it('doctor names the vendor command', async () => {
    const r = await run(['doctor', '--cdb', STATUS, '--status', '0', ...SET]);
    expect(r.out).toMatch(/ACME READ STATUS \(vendor set acme, Acme Storage\)/);
  });

  it('parse --cdb reads the answer by the response layout', async () => {
    const r = await run(['parse', '--cdb', STATUS, '00 2a 01 00 41 43 30 31', ...SET]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/TEMPERATURE +42 \(0x002a\)/);
    expect(r.out).toMatch(/SERIAL +AC01/);
    const unknown = await run(['parse', '--cdb', STATUS, '00 2a']);
    expect(unknown.err).toMatch(/no parser for the answer to d1 00/);
  });

  it('vendor lists the built-in sets and the file, and sends a file command to an emulated drive', async () => {
    const list = await run(['vendor', ...SET]);
    expect(list.out).toMatch(/D1h +acme\.status +ACME READ STATUS \(acme\)/);
    expect(list.out).toMatch(/C1h +example\.read-log/);
    const r = await run(['vendor', 'acme.status', ...SET]);
    expect(r.code, r.err + r.out).toBe(0);
    expect(r.out).toMatch(/TEMPERATURE +42/);
    expect(r.out).toMatch(/LOCKED +yes/);
  });

  it('raw decodes the answer of an emulated drive speaking the set', async () => {
    const r = await run(['raw', STATUS, '--in', '8', ...SET]);
    expect(r.code, r.err + r.out).toBe(0);
    expect(r.out).toMatch(/decoded:\n.*TEMPERATURE +42/);
  });

  it('knows a shipped set by name, and a shipped command by its qualified name without --vendor-set', async () => {
    const byName = await run(['catalog', 'e6', '--vendor-set', 'asmedia']);
    expect(byName.code, byName.err).toBe(0);
    expect(byName.out).toMatch(/ASMEDIA NVME IDENTIFY CONTROLLER/);
    // Without the set, the hint names the shipped sets that declare the opcode.
    const hint = await run(['catalog', 'e6']);
    expect(hint.code).toBe(1);
    expect(hint.err).toMatch(/the shipped set asmedia declares E6h: --vendor-set asmedia/);
    const built = await run(['build', 'example.get-led', '--quiet']);
    expect(built.code, built.err).toBe(0);
    expect(built.out.trim()).toMatch(/^c2 /);
    expect((await run(['catalog', 'example.get-led'])).out).toMatch(/EXAMPLE GET LED/);
    // A name that is neither a file nor a shipped set says so by the option, with the name meant.
    expect(await run(['catalog', '--vendor-set', 'asmedai'])).toEqual({
      code: 15,
      out: '',
      err: expect.stringMatching(
        /^catalog: --vendor-set asmedai: no such file, nor a shipped set of that name \(.*asmedia.*\); did you mean asmedia\?\n$/,
      ),
    });
    expect((await run(['catalog', '--vendor-set', 'no-such-set'])).code).toBe(15);
  });

  it('names a file it cannot use', async () => {
    const dir = testTempDir('vendor-set-cli');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "usbcdbVendorSet": 1, "name": "bad" }');
    const r = await run(['lint', STATUS, '--vendor-set', bad]);
    expect(r.code).toBe(15);
    expect(r.err).toMatch(/^lint: --vendor-set: /);
    expect((await run(['catalog', '--vendor-set', join(dir, 'missing.json')])).code).toBe(15);
  });
});
