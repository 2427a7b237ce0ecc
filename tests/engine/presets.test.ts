import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { vendorPresetPacks } from '../../src-main/presets/packs';
import { defaultDataDir, presetsFileIn } from '../../src-main/presets/location';
import { PresetStore } from '../../src-main/presets/store';
import { testTempDir } from '../temp-dir';
import { parsePresetsJson, presetsJson, type PresetData } from '../../shared/presets-file';

const inquiry: PresetData = {
  id: 'p1',
  name: 'INQUIRY 36',
  folder: 'identify',
  cdb: '12 00 00 00 24 00',
  direction: 'in',
  transferLength: 36,
  lun: 0,
  notes: 'the classic',
};

function store(): PresetStore {
  return new PresetStore(join(testTempDir('presets'), 'sub', 'presets.json'));
}

describe('the preset store', () => {
  it('saves, replaces by id, deletes and survives a new store on the same file', () => {
    const s = store();
    expect(s.load()).toEqual({ ok: true, value: [] });
    s.save(inquiry);
    s.save({ ...inquiry, name: 'INQUIRY (36 bytes)' });
    expect(new PresetStore(s.file).load()).toEqual({
      ok: true,
      value: [{ ...inquiry, name: 'INQUIRY (36 bytes)' }],
    });
    s.remove('p1');
    expect(new PresetStore(s.file).load()).toEqual({ ok: true, value: [] });
  });

  it('writes atomically: no temporary file is left, and a stray one does not matter', () => {
    const s = store();
    s.save(inquiry);
    const dir = join(s.file, '..');
    expect(readdirSync(dir)).toEqual(['presets.json']);
    // A crash between writing the temporary file and renaming it leaves the old file intact.
    writeFileSync(`${s.file}.999.tmp`, '{"half":');
    expect(new PresetStore(s.file).load()).toEqual({ ok: true, value: [inquiry] });
  });

  it('imports exported JSON, and names the preset and field of a bad one', () => {
    const s = store();
    expect(s.import([inquiry]).ok).toBe(true);
    const text = presetsJson([inquiry]);
    expect(parsePresetsJson(text, 'x.json')).toEqual({ ok: true, value: [inquiry] });
    const bad = parsePresetsJson(
      JSON.stringify({ usbcdbPresets: 1, presets: [{ ...inquiry, cdb: '12 zz' }] }),
      'x.json',
    );
    expect(!bad.ok && bad.error.message).toMatch(
      /^x\.json: preset 1 \("INQUIRY[^"]*"\): .*"zz" is not hexadecimal/,
    );
    expect(parsePresetsJson('nope', 'y.json')).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/y\.json is not JSON/) },
    });
    writeFileSync(s.file, '{"usbcdbPresets":2,"presets":[]}');
    expect(s.load().ok).toBe(false);
    expect(existsSync(s.file)).toBe(true);
    expect(readFileSync(s.file, 'utf8')).toContain('"usbcdbPresets":2');
  });

  it('keeps web-mode presets in the XDG config directory', () => {
    expect(presetsFileIn(defaultDataDir({ XDG_CONFIG_HOME: '/x' }))).toBe('/x/usbcdb/presets.json');
    expect(presetsFileIn(defaultDataDir({ HOME: '/h' }))).toMatch(
      /\.config\/usbcdb\/presets\.json$/,
    );
  });
});

describe('vendor preset packs', () => {
  it('has one preset per command of each vendor set, built from its declaration', () => {
    const [example] = vendorPresetPacks();
    expect(example?.presets.map((p) => p.cdb.slice(0, 2))).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    expect(example?.presets[0]).toMatchObject({
      name: 'EXAMPLE READ DEVICE LOG',
      direction: 'in',
      transferLength: 512,
    });
  });
});
