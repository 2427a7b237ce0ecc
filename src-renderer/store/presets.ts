/**
 * The presets slice: the user's saved commands (kept by the main process in
 * the data folder) and the vendor packs; saving the editor's command, using
 * one, deleting one or saving over one of the same name and folder, export
 * and import (with a sentence saying what an import added or replaced); what
 * a delete, save or import took away can be brought back until the next
 * change that takes presets away.
 */
import type { StoreApi } from 'zustand';
import type { ResponseOf } from '../../shared/ipc/contract';
import { parsePresetsFile, presetsFileSizeProblem } from '../../shared/presets-file';
import { formatHex, parseHex } from '../../shared/scsi/hex';
import type { IpcClient } from '../ipc/client';
import type { DevicesSlice } from './devices';
import type { EditorSlice } from './editor';
import { guardWith } from './guard';

export type Preset = ResponseOf<'presets.list'>[number];
export type PresetPack = ResponseOf<'presets.packs'>[number];

export interface PresetsSlice {
  presets: readonly Preset[];
  packs: readonly PresetPack[];
  presetsError: string | undefined;
  /** What the last save over a preset, import or delete did, in words. */
  presetsNote: string | undefined;
  /**
   * The presets the last delete removed, save replaced or import replaced, as
   * they were, until they are restored or another change takes presets away;
   * a change that takes none (a save under a new name, an import of new ones)
   * keeps them.
   */
  undoable: Undoable | undefined;
  loadPresets(): Promise<void>;
  savePreset(name: string, folder: string, notes: string): Promise<void>;
  deletePreset(id: string): Promise<void>;
  /** Saves the last deleted or replaced presets back, ids and all. */
  undo(): Promise<void>;
  usePreset(p: Preset): void;
  /** The presets file's bytes, or undefined when the export failed (presetsError says why). */
  exportPresets(): Promise<Uint8Array | undefined>;
  /** Imports a presets file the user picked; one over the file bound is refused before it is read in. */
  importPresets(file: Blob): Promise<void>;
}

export interface Undoable {
  readonly presets: readonly Preset[];
  readonly by: 'delete' | 'replace' | 'import';
}

type Host = Pick<EditorSlice, 'cdb' | 'direction' | 'transferLength' | 'dataOut' | 'loadCommand'> &
  Pick<DevicesSlice, 'lun' | 'setLun'>;

/** "2 presets (READ 10, INQUIRY)": names listed up to five. */
function namesText(names: readonly string[]): string {
  const shown = names.slice(0, 5).join(', ');
  const more = names.length > 5 ? ` and ${names.length - 5} more` : '';
  return `${names.length} preset${names.length === 1 ? '' : 's'} (${shown}${more})`;
}

/** What importing `imported` into a list that held `before` did, in one sentence. */
export function importSummary(before: readonly Preset[], imported: readonly Preset[]): string {
  const had = new Set(before.map((p) => p.id));
  const replaced = imported.filter((p) => had.has(p.id)).map((p) => p.name);
  const added = imported.filter((p) => !had.has(p.id)).map((p) => p.name);
  if (imported.length === 0) return 'The file holds no presets; nothing was imported.';
  return [
    added.length > 0 ? `Imported ${namesText(added)}` : undefined,
    replaced.length > 0
      ? `${added.length > 0 ? 'replaced' : 'Replaced'} ${namesText(replaced)} of the same id`
      : undefined,
  ]
    .filter((x) => x !== undefined)
    .join('; ')
    .concat('.');
}

/** The undo button's words: "Undo delete of ready?", "Bring back the 3 replaced presets". */
export function undoText(u: Undoable): string {
  const [one] = u.presets;
  if (u.presets.length === 1 && one)
    return u.by === 'delete' ? `Undo delete of ${one.name}` : `Bring back the replaced ${one.name}`;
  return `Bring back the ${u.presets.length} replaced presets`;
}

export function presetsSlice<S extends PresetsSlice & Host>(
  client: IpcClient,
  set: StoreApi<S>['setState'],
  get: StoreApi<S>['getState'],
): PresetsSlice {
  const put = (part: Partial<PresetsSlice>): void => set(part as Partial<S>);
  const guarded = guardWith((message) => put({ presetsError: message }));
  /**
   * The list after a change, what the change did, and what it took away: a
   * change that took nothing keeps what an earlier one took, and its note;
   * a restore (`undo-ends`), or a change listing a preset of the name and folder undoing would
   * bring back, forgets it.
   */
  const saved = (
    presets: readonly Preset[],
    note: string | undefined,
    took: Undoable | 'nothing' | 'undo-ends',
  ): void => {
    const pending = get().undoable;
    // A preset now listed under the name and folder of one the undo would bring back: undoing
    // would list two the same (a save or an import of that name ends the undo).
    const duplicated = pending?.presets.some((u) =>
      presets.some((p) => p.id !== u.id && p.name === u.name && p.folder === u.folder),
    );
    const undoable =
      took === 'undo-ends' || (took === 'nothing' && duplicated)
        ? undefined
        : took === 'nothing'
          ? pending
          : took;
    const kept = took === 'nothing' && undoable ? get().presetsNote : undefined;
    put({ presets, presetsError: undefined, presetsNote: note ?? kept, undoable });
  };
  return {
    presets: [],
    packs: [],
    presetsError: undefined,
    presetsNote: undefined,
    undoable: undefined,
    loadPresets: guarded(async () => {
      const [presets, packs] = await Promise.all([
        client.invoke('presets.list', {}),
        client.invoke('presets.packs', {}),
      ]);
      put({ presets, packs, presetsError: undefined });
    }),
    savePreset: guarded(async (name: string, folder: string, notes: string) => {
      const { cdb, direction, transferLength, lun, dataOut } = get();
      // A name is how a person finds a preset: saving one that a preset of the folder already
      // has replaces it (undoably) rather than listing two the same.
      const same = get().presets.find((p) => p.name === name && p.folder === folder);
      const id = same?.id ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
      saved(
        await client.invoke('presets.save', {
          id,
          name,
          folder,
          notes,
          cdb: formatHex(cdb),
          direction,
          transferLength,
          lun,
          ...(direction === 'out' && dataOut ? { dataOut: formatHex(dataOut) } : {}),
        }),
        same ? `Replaced "${name}"${folder ? ` in ${folder}` : ''}.` : undefined,
        same ? { presets: [same], by: 'replace' } : 'nothing',
      );
    }),
    deletePreset: guarded(async (id: string) => {
      const gone = get().presets.find((p) => p.id === id);
      saved(
        await client.invoke('presets.delete', { id }),
        gone ? `Deleted "${gone.name}".` : undefined,
        gone ? { presets: [gone], by: 'delete' } : 'nothing',
      );
    }),
    undo: guarded(async () => {
      const back = get().undoable?.presets ?? [];
      let list = get().presets;
      // One at a time, in order: the main process writes the presets file once per save.
      for (const p of back) list = await client.invoke('presets.save', p);
      if (back.length > 0)
        saved(
          list,
          `Restored ${back.length === 1 ? `"${back[0]?.name}"` : namesText(back.map((p) => p.name))}.`,
          'undo-ends',
        );
    }),
    usePreset(p) {
      const r = parseHex(p.cdb);
      if (!r.ok) return;
      const d = p.dataOut !== undefined ? parseHex(p.dataOut) : undefined;
      get().setLun(p.lun);
      get().loadCommand({
        cdb: r.value,
        direction: p.direction,
        transferLength: p.transferLength,
        dataOut: d?.ok ? d.value : undefined,
        dataOutSource: `preset "${p.name}"`,
      });
    },
    exportPresets: guarded(async () => (await client.invoke('presets.export', {})).file),
    importPresets: guarded(async (file: Blob) => {
      const large = presetsFileSizeProblem(file.size, 'the imported file');
      if (large) return put({ presetsError: large.message });
      const bytes = new Uint8Array(await file.arrayBuffer());
      // Read here too only to word the summary; the main process parses and keeps the file.
      const parsed = parsePresetsFile(bytes, 'the imported file');
      const before = get().presets;
      const after = await client.invoke('presets.import', { file: bytes });
      const ids = new Set(parsed.ok ? parsed.value.map((p) => p.id) : []);
      const replaced = before.filter((p) => ids.has(p.id));
      saved(
        after,
        parsed.ok ? importSummary(before, parsed.value) : undefined,
        replaced.length > 0 ? { presets: replaced, by: 'import' } : 'nothing',
      );
    }),
  };
}
