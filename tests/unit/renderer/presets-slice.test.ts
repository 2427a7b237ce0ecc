/** Presets from the store: undoable delete, an import that says what it did, schema errors in words. */
import { describe, expect, it } from 'vitest';
import { createStore } from '../../../src-renderer/store/store';
import { importSummary, undoText, type Preset } from '../../../src-renderer/store/presets';
import { inProcessClient } from './in-process-client';
import { MAX_PRESETS_FILE } from '../../../shared/ipc/limits';

/** A file as the page's file picker hands it over. */
const picked = (text: string): Blob => new Blob([text], { type: 'application/json' });

const preset = (id: string, name: string): Preset => ({
  id,
  name,
  folder: '',
  cdb: '00 00 00 00 00 00',
  direction: 'none',
  transferLength: 0,
  lun: 0,
  notes: '',
});

describe('presets in the store', () => {
  it('undoes a delete, putting the same preset back', async () => {
    const store = createStore(inProcessClient());
    await store.getState().savePreset('ready?', 'basics', 'TUR');
    const saved = store.getState().presets[0];
    await store.getState().deletePreset(saved?.id ?? '');
    expect(store.getState().presets).toEqual([]);
    expect(store.getState().presetsNote).toBe('Deleted "ready?".');
    await store.getState().undo();
    expect(store.getState().presets).toEqual([saved]);
    expect(store.getState().presetsNote).toBe('Restored "ready?".');
    expect(store.getState().undoable).toBeUndefined();
  });

  it('saves over a preset of the same name and folder, undoably, instead of listing two', async () => {
    const store = createStore(inProcessClient());
    await store.getState().savePreset('probe', 'lab', 'first');
    const first = store.getState().presets[0];
    store.getState().loadCommand({
      cdb: Uint8Array.of(0x12, 0, 0, 0, 0x24, 0),
      direction: 'in',
      transferLength: 36,
      dataOut: undefined,
      dataOutSource: undefined,
    });
    await store.getState().savePreset('probe', 'lab', 'second');
    expect(store.getState().presets.map((p) => [p.id, p.name, p.cdb, p.notes])).toEqual([
      [first?.id, 'probe', '12 00 00 00 24 00', 'second'],
    ]);
    expect(store.getState().presetsNote).toBe('Replaced "probe" in lab.');
    expect(store.getState().undoable).toEqual({ presets: [first], by: 'replace' });
    await store.getState().undo();
    expect(store.getState().presets).toEqual([first]);
    // The same name in another folder is another preset.
    await store.getState().savePreset('probe', 'other', '');
    expect(store.getState().presets).toHaveLength(2);
    expect(store.getState().undoable).toBeUndefined();
  });

  it('keeps the undo of a delete through a save under a new name and an import of new presets', async () => {
    const store = createStore(inProcessClient());
    await store.getState().savePreset('alpha', '', '');
    await store.getState().savePreset('beta', '', '');
    const alpha = store.getState().presets.find((p) => p.name === 'alpha');
    await store.getState().deletePreset(alpha?.id ?? '');
    await store.getState().savePreset('gamma', '', '');
    await store.getState().importPresets(
      picked(
        JSON.stringify({
          usbcdbPresets: 1,
          presets: [
            { name: 'delta', cdb: '00 00 00 00 00 00', direction: 'none', transferLength: 0 },
          ],
        }),
      ),
    );
    expect(store.getState().undoable).toEqual({ presets: [alpha], by: 'delete' });
    expect(store.getState().presetsNote).toBe('Imported 1 preset (delta).');
    await store.getState().undo();
    expect(
      store
        .getState()
        .presets.map((p) => p.name)
        .sort(),
    ).toEqual(['alpha', 'beta', 'delta', 'gamma']);
    // A second delete takes the place of the first: only the latest change is undone.
    const beta = store.getState().presets.find((p) => p.name === 'beta');
    const gamma = store.getState().presets.find((p) => p.name === 'gamma');
    await store.getState().deletePreset(beta?.id ?? '');
    await store.getState().deletePreset(gamma?.id ?? '');
    expect(store.getState().undoable).toEqual({ presets: [gamma], by: 'delete' });
  });

  it('forgets the undo of a delete once a preset of that name and folder is saved or imported again', async () => {
    const store = createStore(inProcessClient());
    await store.getState().savePreset('ready', 'lab', 'old');
    await store.getState().deletePreset(store.getState().presets[0]?.id ?? '');
    await store.getState().savePreset('ready', 'lab', 'new');
    expect(store.getState().undoable).toBeUndefined();
    expect(store.getState().presets.map((p) => [p.name, p.notes])).toEqual([['ready', 'new']]);
    // An import of that name and folder ends it too.
    await store.getState().savePreset('set', 'lab', '');
    await store
      .getState()
      .deletePreset(store.getState().presets.find((p) => p.name === 'set')?.id ?? '');
    await store.getState().importPresets(
      picked(
        JSON.stringify({
          usbcdbPresets: 1,
          presets: [
            {
              name: 'set',
              folder: 'lab',
              cdb: '00 00 00 00 00 00',
              direction: 'none',
              transferLength: 0,
            },
          ],
        }),
      ),
    );
    expect(store.getState().undoable).toBeUndefined();
  });

  it('brings back the presets an import replaced, as they were', async () => {
    const store = createStore(inProcessClient());
    const file = (notes: string): string =>
      JSON.stringify({
        usbcdbPresets: 1,
        presets: ['one', 'two'].map((name) => ({
          name,
          cdb: '00 00 00 00 00 00',
          direction: 'none',
          transferLength: 0,
          notes,
        })),
      });
    await store.getState().importPresets(picked(file('mine')));
    const mine = store.getState().presets;
    await store.getState().importPresets(picked(file('theirs')));
    expect(store.getState().presets.map((p) => p.notes)).toEqual(['theirs', 'theirs']);
    expect(store.getState().undoable).toEqual({ presets: mine, by: 'import' });
    await store.getState().undo();
    expect(store.getState().presets).toEqual(mine);
    expect(store.getState().presetsNote).toBe('Restored 2 presets (one, two).');
  });

  it('undoText words the undo button by what was taken', () => {
    const a = preset('a', 'A');
    expect(undoText({ presets: [a], by: 'delete' })).toBe('Undo delete of A');
    expect(undoText({ presets: [a], by: 'replace' })).toBe('Bring back the replaced A');
    expect(undoText({ presets: [a], by: 'import' })).toBe('Bring back the replaced A');
    expect(undoText({ presets: [a, preset('b', 'B')], by: 'import' })).toBe(
      'Bring back the 2 replaced presets',
    );
  });

  it('imports upper-case hex and presets without ids, and says what it imported', async () => {
    const store = createStore(inProcessClient());
    const file = JSON.stringify({
      usbcdbPresets: 1,
      presets: [
        {
          name: 'INQUIRY 36',
          cdb: '12 00 00 00 24 00'.toUpperCase(),
          direction: 'in',
          transferLength: 36,
        },
        { name: 'READ 1', cdb: '0x28,0x00,0,0,0,0,0,0,1,0', direction: 'in', transferLength: 512 },
      ],
    });
    await store.getState().importPresets(picked(file));
    expect(store.getState().presetsError).toBeUndefined();
    expect(store.getState().presets.map((p) => [p.name, p.cdb])).toEqual([
      ['INQUIRY 36', '12 00 00 00 24 00'],
      ['READ 1', '28 00 00 00 00 00 00 00 01 00'],
    ]);
    expect(store.getState().presetsNote).toBe('Imported 2 presets (INQUIRY 36, READ 1).');
    // The same file again replaces rather than duplicates: the ids come from CDB and name.
    await store.getState().importPresets(picked(file));
    expect(store.getState().presets).toHaveLength(2);
    expect(store.getState().presetsNote).toBe(
      'Replaced 2 presets (INQUIRY 36, READ 1) of the same id.',
    );
  });

  it('says in words what is wrong with a file it refuses', async () => {
    const store = createStore(inProcessClient());
    await store.getState().importPresets(
      picked(
        JSON.stringify({
          usbcdbPresets: 1,
          presets: [{ name: 'x', cdb: '12', direction: 'sideways' }],
        }),
      ),
    );
    expect(store.getState().presetsError).toBe(
      'the imported file: preset 1 ("x"), the direction (direction) should be one of "none", "in", "out"; preset 1 ("x"), the transfer length (transferLength) is missing',
    );
    await store.getState().importPresets(picked('{"presets": []}'));
    expect(store.getState().presetsError).toMatch(
      /is not a usbcdb presets file: it needs "usbcdbPresets": 1/,
    );
  });

  it('refuses a picked file over the presets file bound before reading it in', async () => {
    const store = createStore(inProcessClient());
    let read = false;
    const huge = {
      size: MAX_PRESETS_FILE + 1,
      arrayBuffer: () => {
        read = true;
        return Promise.resolve(new ArrayBuffer(0));
      },
    } as unknown as Blob;
    await store.getState().importPresets(huge);
    expect(read).toBe(false);
    expect(store.getState().presetsError).toBe(
      `the imported file is ${MAX_PRESETS_FILE + 1} bytes, over the ${MAX_PRESETS_FILE} bytes of the largest presets file usbcdb writes or reads`,
    );
  });

  it('exports the presets file as bytes that import back as the same presets', async () => {
    const store = createStore(inProcessClient());
    await store.getState().savePreset('say "ready"', 'lab', 'notes with "quotes" and \\');
    const file = await store.getState().exportPresets();
    expect(file).toBeInstanceOf(Uint8Array);
    const kept = store.getState().presets;
    await store.getState().deletePreset(kept[0]?.id ?? '');
    await store.getState().importPresets(new Blob([new Uint8Array(file ?? [])]));
    expect(store.getState().presetsError).toBeUndefined();
    expect(store.getState().presets).toEqual(kept);
  });

  it('importSummary counts what was added and what replaced an existing preset', () => {
    const a = preset('a', 'A');
    const b = preset('b', 'B');
    expect(importSummary([a], [a, b])).toBe(
      'Imported 1 preset (B); replaced 1 preset (A) of the same id.',
    );
    expect(importSummary([], [])).toBe('The file holds no presets; nothing was imported.');
    const many = Array.from({ length: 7 }, (_, i) => preset(`p${i}`, `P${i}`));
    expect(importSummary([], many)).toBe('Imported 7 presets (P0, P1, P2, P3, P4 and 2 more).');
  });
});
