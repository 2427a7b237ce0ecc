/** Presets: save the command in the editor, load saved ones and the vendor packs, import and export. */
import { useEffect, useState } from 'react';
import { download } from '../download';
import { takePickedFile } from '../picked-file';
import { undoText } from '../store/presets';
import type { Preset, Use } from '../store/store';

function groups(presets: readonly Preset[]): [string, Preset[]][] {
  const m = new Map<string, Preset[]>();
  for (const p of presets) m.set(p.folder, [...(m.get(p.folder) ?? []), p]);
  return [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
}

export function Presets({ use }: { use: Use }) {
  const presets = use((s) => s.presets);
  const packs = use((s) => s.packs);
  const error = use((s) => s.presetsError);
  const load = use((s) => s.loadPresets);
  const save = use((s) => s.savePreset);
  const remove = use((s) => s.deletePreset);
  const usePreset = use((s) => s.usePreset);
  const exportPresets = use((s) => s.exportPresets);
  const importPresets = use((s) => s.importPresets);
  const note = use((s) => s.presetsNote);
  const undoable = use((s) => s.undoable);
  const undo = use((s) => s.undo);
  /** A CDB box that does not read as hex: saving would keep the last CDB that did, unseen. */
  const hexError = use((s) => s.hexError);
  const [name, setName] = useState('');
  const [folder, setFolder] = useState('');
  const [notes, setNotes] = useState('');
  /** Save was pressed without a name: said beside the box until one is typed. */
  const [nameNeeded, setNameNeeded] = useState(false);
  useEffect(() => {
    void load();
  }, [load]);
  const saveAll = async (): Promise<void> => {
    const file = await exportPresets();
    if (file !== undefined) download('usbcdb-presets.json', file, 'application/json');
  };
  return (
    <section className="panel presets" aria-label="presets">
      <h2>Presets</h2>
      {error && (
        <div className="error" role="alert">
          {error}
        </div>
      )}
      {note && (
        <div className="note" role="status" data-testid="presets-note">
          {note}
          {undoable && (
            <button type="button" className="undo" onClick={() => void undo()}>
              {undoText(undoable)}
            </button>
          )}
        </div>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (hexError !== undefined) return;
          if (name.trim() === '') {
            setNameNeeded(true);
            return;
          }
          void save(name.trim(), folder.trim(), notes);
          // The next preset starts without this one's name and notes (the folder often stays).
          setName('');
          setNotes('');
        }}
      >
        <input
          aria-label="preset name"
          placeholder="name"
          value={name}
          aria-invalid={nameNeeded || undefined}
          aria-describedby={nameNeeded ? 'preset-name-why' : undefined}
          onChange={(e) => {
            setName(e.target.value);
            setNameNeeded(false);
          }}
        />
        <input
          aria-label="preset folder"
          placeholder="folder"
          value={folder}
          onChange={(e) => setFolder(e.target.value)}
        />
        <input
          aria-label="preset notes"
          placeholder="notes"
          value={notes}
          onChange={(e) => setNotes(e.target.value)}
        />
        <button
          type="submit"
          disabled={hexError !== undefined}
          aria-describedby={hexError !== undefined ? 'preset-why' : undefined}
        >
          Save preset
        </button>
        {nameNeeded && (
          <span id="preset-name-why" className="error" role="alert">
            Name the preset to save it: the name is how you find it in the list.
          </span>
        )}
        {hexError !== undefined && (
          <span id="preset-why" className="why">
            Not while the CDB box does not read as hex: fix it first.
          </span>
        )}
      </form>
      {groups(presets).map(([f, list]) => (
        <div key={f} className="folder" role="group" aria-label={`presets in ${f || 'unfiled'}`}>
          <h3>{f || 'unfiled'}</h3>
          {list.map((p) => (
            <div key={p.id} className="preset" data-testid={`preset-${p.name}`}>
              <button type="button" onClick={() => usePreset(p)} title={p.notes}>
                {p.name}
              </button>{' '}
              <code>{p.cdb}</code>{' '}
              <button
                type="button"
                aria-label={`delete ${p.name}`}
                onClick={() => void remove(p.id)}
              >
                ×
              </button>
            </div>
          ))}
        </div>
      ))}
      {packs.map((pack) => (
        <div key={pack.name} className="folder" role="group" aria-label={`pack ${pack.name}`}>
          <h3 title={pack.description}>{pack.name}</h3>
          {pack.presets.map((p) => (
            <div key={p.id} className="preset" data-testid={`pack-${p.name}`}>
              <button type="button" onClick={() => usePreset(p)} title={p.notes}>
                {p.name}
              </button>{' '}
              <code>{p.cdb}</code>
            </div>
          ))}
        </div>
      ))}
      <div className="io">
        <button type="button" onClick={() => void saveAll()}>
          Export presets
        </button>{' '}
        <label>
          Import{' '}
          <input
            aria-label="import presets"
            type="file"
            accept="application/json"
            onChange={(e) => {
              const file = takePickedFile(e.target);
              if (file) void importPresets(file);
            }}
          />
        </label>
      </div>
    </section>
  );
}
