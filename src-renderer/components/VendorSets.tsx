/**
 * Vendor sets: the built-in ones and the user's (imported from JSON files,
 * kept in the data folder), each with its commands — a click puts one in the
 * editor — and its sequences, each run as one action. A set's JSON is edited
 * in place; a refused save says the line and field. Sets are exported as
 * files and the user's deleted.
 */
import { useEffect, type ChangeEvent } from 'react';
import { t10Hex } from '../../shared/scsi/hex';
import { download } from '../download';
import { takePickedFile } from '../picked-file';
import type { Use } from '../store/store';
import type { SequenceRun, VendorSetSummary } from '../store/vendor-sets';
import { StepResults } from './SequenceSteps';

function SetEntry({ use, s }: { use: Use; s: VendorSetSummary }) {
  const chooseCommand = use((st) => st.chooseCommand);
  const edit = use((st) => st.editVendorSet);
  const remove = use((st) => st.deleteVendorSet);
  const exportSet = use((st) => st.exportVendorSet);
  const runSequence = use((st) => st.runSequence);
  const device = use((st) => st.device);
  const running = use((st) => st.sequenceRun?.running ?? false);
  const save = async (): Promise<void> => {
    const text = await exportSet(s.name);
    if (text !== undefined) download(`${s.name}.json`, text, 'application/json');
  };
  /**
   * A button's accessible name: its visible words, then its set, so a list of the page's
   * buttons tells the nine sets' Export apart (WCAG 2.5.3: the name starts with the label).
   */
  const inSet = (text: string): string => `${text} (set ${s.name})`;
  const editText = s.source === 'user' ? 'Edit' : 'Copy to edit';
  return (
    <div
      className="vendor-set"
      role="group"
      aria-label={`vendor set ${s.name}`}
      data-testid={`vendor-set-${s.name}`}
    >
      <h3 title={s.description}>
        {s.name} <span className="detail">{s.vendor}</span>{' '}
        <span className={`source ${s.source}`}>{s.source}</span>
      </h3>
      {s.problem && (
        <div className="error" role="alert">
          {s.problem}
        </div>
      )}
      {s.commands.length > 0 && (
        <ul className="commands" aria-label={`commands of ${s.name}`}>
          {s.commands.map((c) => (
            <li key={c.alias}>
              <button
                type="button"
                title={`put ${c.alias} in the editor`}
                onClick={() => chooseCommand(c.alias)}
              >
                {t10Hex(c.opcode)} {c.name}
              </button>{' '}
              <code>{c.alias}</code>
            </li>
          ))}
        </ul>
      )}
      {s.sequences.length > 0 && (
        <div className="sequences">
          {s.sequences.map((q) => (
            <button
              key={q.alias}
              type="button"
              title={`send the steps of ${q.alias} to ${device ?? 'the picked device'}, stopping at the first that fails`}
              disabled={!device || running}
              aria-label={inSet(`Run ${q.name}`)}
              onClick={() => void runSequence(s.name, q.alias)}
            >
              Run {q.name}
            </button>
          ))}
        </div>
      )}
      <div className="io">
        <button type="button" aria-label={inSet(editText)} onClick={() => void edit(s.name)}>
          {editText}
        </button>{' '}
        <button type="button" aria-label={inSet('Export')} onClick={() => void save()}>
          Export
        </button>{' '}
        {s.source === 'user' && (
          <button type="button" aria-label={`delete ${s.name}`} onClick={() => void remove(s.name)}>
            Delete
          </button>
        )}
      </div>
    </div>
  );
}

function DraftEditor({ use }: { use: Use }) {
  const draft = use((s) => s.setDraft);
  const setText = use((s) => s.setDraftText);
  const save = use((s) => s.saveDraft);
  const cancel = use((s) => s.cancelDraft);
  if (!draft) return null;
  return (
    <div className="set-draft">
      <h3>{draft.of !== undefined ? `Editing ${draft.of}` : 'Imported set'}</h3>
      {draft.refusal && (
        <div className="error" role="alert" data-testid="vendor-set-refusal">
          {draft.refusal}
        </div>
      )}
      <textarea
        aria-label="vendor set json"
        spellCheck={false}
        rows={16}
        value={draft.text}
        onChange={(e) => setText(e.target.value)}
      />
      <div>
        <button type="button" onClick={() => void save()}>
          Save set
        </button>{' '}
        <button type="button" onClick={cancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

function SequenceOutcome({ use, run }: { use: Use; run: SequenceRun }) {
  const runSequence = use((s) => s.runSequence);
  const vendorSets = use((s) => s.vendorSets);
  return (
    <div className="sequence-run" role="group" data-testid="sequence-run" aria-label="sequence run">
      <div role="status">
        <h3>
          {run.sequence}
          {run.running
            ? ': running…'
            : run.result
              ? run.result.completed
                ? ': every step GOOD'
                : `: stopped at step ${run.result.steps.length + (run.result.problem ? 1 : 0)}`
              : ''}
        </h3>
      </div>
      {run.error && (
        <div className="error" role="alert">
          {run.error}
        </div>
      )}
      {run.confirmation && (
        <div className="confirm" role="alertdialog" aria-label="confirm destructive sequence">
          <p>{run.confirmation}</p>
          <button type="button" onClick={() => void runSequence(run.set, run.sequence, true)}>
            Run anyway
          </button>
        </div>
      )}
      {run.result?.problem && (
        <div className="error" role="alert">
          {run.result.problem}
        </div>
      )}
      {run.result && <StepResults steps={run.result.steps} vendorSets={vendorSets} />}
    </div>
  );
}

export function VendorSets({ use }: { use: Use }) {
  const list = use((s) => s.vendorSetList);
  const error = use((s) => s.vendorSetsError);
  const importSet = use((s) => s.importVendorSet);
  const run = use((s) => s.sequenceRun);
  const load = use((s) => s.loadVendorSets);
  useEffect(() => {
    void load();
  }, [load]);
  const onFile = (e: ChangeEvent<HTMLInputElement>): void => {
    const file = takePickedFile(e.target);
    if (file) void importSet(file);
  };
  return (
    <section className="panel vendor-sets" aria-label="vendor sets">
      <h2>Vendor sets</h2>
      {error && (
        <div className="error" role="alert">
          {error}
        </div>
      )}
      <label>
        Import set…{' '}
        <input
          type="file"
          aria-label="import vendor set"
          accept="application/json,.json"
          onChange={onFile}
        />
      </label>
      <DraftEditor use={use} />
      {run && <SequenceOutcome use={use} run={run} />}
      {list.map((s) => (
        <SetEntry key={`${s.source}:${s.name}`} use={use} s={s} />
      ))}
    </section>
  );
}
