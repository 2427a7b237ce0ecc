import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { vendorPresetPacks } from '../../src-main/presets/packs';
import { defaultDataDir, presetsFileIn } from '../../src-main/presets/location';
import { PresetStore } from '../../src-main/presets/store';
import { testTempDir } from '../temp-dir';
import {
  parsePresetsFile,
  parsePresetsJson,
  presetsJson,
  type PresetData,
} from '../../shared/presets-file';
import { MAX_CDB_BYTES, MAX_PRESET_DATA_BYTES, MAX_PRESETS_FILE } from '../../shared/ipc/limits';
import { formatHex } from '../../shared/scsi/hex';

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

/** A variable-length CDB (opcode 7Fh, SPC-5 4.2.3) of `n` bytes. */
function cdb(n: number): Uint8Array {
  const bytes = new Uint8Array(n);
  bytes[0] = 0x7f;
  return bytes;
}

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

  it('exports the file as the bytes it writes, and reads a file only as UTF-8 within its bound', () => {
    const s = store();
    const quoted = { ...inquiry, notes: '"quoted" \\ text' };
    expect(s.save(quoted).ok).toBe(true);
    const exported = s.exported();
    expect(exported.ok && Buffer.from(exported.value).equals(readFileSync(s.file))).toBe(true);
    expect(exported.ok && parsePresetsFile(exported.value, 'x.json')).toEqual({
      ok: true,
      value: [quoted],
    });
    // Not UTF-8 (a lone continuation byte in a name): refused, not read as U+FFFD and saved so.
    const latin1 = Buffer.from(presetsJson([{ ...inquiry, name: 'caf\u00e9' }]), 'latin1');
    expect(parsePresetsFile(latin1, 'x.json')).toEqual({
      ok: false,
      error: { code: 'presets', message: 'x.json is not UTF-8 text (a presets file is JSON text)' },
    });
    writeFileSync(s.file, latin1);
    expect(s.load()).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/is not UTF-8 text.*leaves the file as it is/) },
    });
    expect(s.exported().ok).toBe(false);
    expect(readFileSync(s.file).equals(latin1)).toBe(true);
    expect(parsePresetsFile(new Uint8Array(MAX_PRESETS_FILE + 1), 'big.json')).toEqual({
      ok: false,
      error: {
        code: 'file-too-large',
        message: `big.json is ${MAX_PRESETS_FILE + 1} bytes, over the ${MAX_PRESETS_FILE} bytes of the largest presets file usbcdb writes or reads`,
      },
    });
  });

  it('keeps a variable-length CDB of up to 260 bytes, and one written before reads', () => {
    const s = store();
    s.save(inquiry);
    // A 68-byte 7Fh CDB is 203 characters of hex: a file holding one is read back, and deletes.
    const long = { ...inquiry, id: 'v', name: 'variable-length', cdb: formatHex(cdb(68)) };
    const longest = { ...long, id: 'w', cdb: formatHex(cdb(MAX_CDB_BYTES)) };
    expect(s.save(long).ok).toBe(true);
    expect(s.save(longest).ok).toBe(true);
    expect(new PresetStore(s.file).load()).toEqual({ ok: true, value: [inquiry, long, longest] });
    expect(s.remove('v')).toEqual({ ok: true, value: [inquiry, longest] });
  });

  it('refuses, before writing, a preset its reader would refuse, naming the preset and field', () => {
    const s = store();
    s.save(inquiry);
    const before = readFileSync(s.file);
    const tooLong = {
      ...inquiry,
      id: 'x',
      name: 'too long',
      cdb: formatHex(cdb(MAX_CDB_BYTES + 1)),
    };
    expect(s.save(tooLong)).toEqual({
      ok: false,
      error: {
        code: 'presets',
        message: `cannot save ${s.file}: preset 2 ("too long"), the CDB (cdb): 261 bytes, over the 260 bytes this field carries; the file is unchanged`,
      },
    });
    expect(readFileSync(s.file)).toEqual(before);
    expect(s.load()).toEqual({ ok: true, value: [inquiry] });
  });

  it('names what is wrong in a file it cannot read, and how to get the presets back', () => {
    const s = store();
    const text = presetsJson([inquiry, { ...inquiry, id: 'p2', name: 'bad', cdb: '12 zz' }]);
    mkdirSync(join(s.file, '..'), { recursive: true });
    writeFileSync(s.file, text);
    const refused = {
      ok: false,
      error: {
        code: 'presets',
        message: `${s.file}: preset 2 ("bad"): CDB: "zz" is not hexadecimal: "z" at byte 1; write bytes as "12 00 00", "120000" or "0x12,0x00". usbcdb leaves the file as it is and saves no preset until it reads: correct what is named (the file is JSON text), or move the file aside to start a new one`,
      },
    };
    expect(s.load()).toEqual(refused);
    expect(s.save({ ...inquiry, id: 'p3' })).toEqual(refused);
    expect(s.remove('p2')).toEqual(refused);
    expect(readFileSync(s.file, 'utf8')).toBe(text);
  });

  it('refuses, before writing, a save that would take the file over the 64 MiB it reads back', () => {
    const s = store();
    const big = (id: string): PresetData => ({
      ...inquiry,
      id,
      name: id,
      cdb: '3b 02 00 00 00 00 00 00 00 00',
      direction: 'out',
      transferLength: MAX_PRESET_DATA_BYTES,
      // Built as text: formatting 16 MiB byte by byte is slow, and the store only moves the text.
      dataOut: `${'00 '.repeat(MAX_PRESET_DATA_BYTES - 1)}00`,
    });
    s.save(inquiry);
    expect(s.save(big('big1')).ok).toBe(true);
    const before = readFileSync(s.file);
    const refused = s.save(big('big2'));
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'file-too-large',
        message: expect.stringMatching(
          new RegExp(
            `^cannot save ${s.file}: the presets would make it \\d+ bytes, over the limit of ${MAX_PRESETS_FILE} bytes the app reads back; the file is unchanged\\. To make room, delete presets`,
          ),
        ),
      },
    });
    expect(readFileSync(s.file).equals(before)).toBe(true);
    const after = s.load();
    expect(after.ok && after.value.map((p) => p.id)).toEqual(['p1', 'big1']);
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
