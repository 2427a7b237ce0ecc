/**
 * The vendor-sets slice: the sets the app knows (built-in ones and the
 * user's, kept in the data folder by the main process), the set being
 * edited as JSON with the reason its last save was refused, and the last
 * sequence run. The editor, the command lookup and the decoded view read
 * `vendorSets`, the parsed sets, so a user's set is used like a built-in one.
 */
import { DEFAULT_TIMEOUT_MS } from '../../shared/exchange';
import type { StoreApi } from 'zustand';
import { MAX_VENDOR_SET_TEXT, type ResponseOf } from '../../shared/ipc/contract';
import { errorText } from '../../shared/error-text';
import { parseVendorSet } from '../../shared/vendor-sets/format';
import { BUILT_IN_SETS } from '../../shared/vendor-sets/registry';
import type { VendorSet } from '../../shared/vendor-sets/model';
import { IpcError, type IpcClient } from '../ipc/client';
import { guardWith } from './guard';

export type VendorSetSummary = ResponseOf<'vendorSets.list'>[number];
export type SequenceResult = ResponseOf<'sequence.run'>;

/** The JSON of a set being edited (or imported and refused), and why its last save was refused. */
export interface SetDraft {
  readonly text: string;
  /** The set's name when editing a saved one, for the panel's heading. */
  readonly of: string | undefined;
  readonly refusal: string | undefined;
}

export interface SequenceRun {
  readonly set: string;
  readonly sequence: string;
  readonly running: boolean;
  readonly result: SequenceResult | undefined;
  readonly error: string | undefined;
  /** A real device needs the user's yes before a step that can change data or firmware: why. */
  readonly confirmation: string | undefined;
  /** The device, LUN and set text the run is for: a yes to its question answers only those. */
  readonly device: string;
  readonly lun: number;
  readonly setText: string | undefined;
}

export interface VendorSetsSlice {
  vendorSetList: readonly VendorSetSummary[];
  /** The sets commands are looked up, built and decoded with: built-in, then the user's that parse. */
  vendorSets: readonly VendorSet[];
  vendorSetsError: string | undefined;
  setDraft: SetDraft | undefined;
  sequenceRun: SequenceRun | undefined;
  loadVendorSets(): Promise<void>;
  /** Imports a set from a JSON file; when refused, the text opens in the editor with the reason. */
  importVendorSet(file: Pick<File, 'name' | 'size' | 'text'>): Promise<void>;
  /** Opens a set's JSON in the editor (a built-in one too: saved under another name, it becomes the user's). */
  editVendorSet(name: string): Promise<void>;
  setDraftText(text: string): void;
  /** Saves the draft; on refusal the draft stays open with the reason (line and field). */
  saveDraft(): Promise<void>;
  cancelDraft(): void;
  deleteVendorSet(name: string): Promise<void>;
  /** A set's JSON text, to download; undefined with the reason in vendorSetsError. */
  exportVendorSet(name: string): Promise<string | undefined>;
  /** Runs a set's sequence on the picked device as one action; `confirmed` answers a pending confirmation. */
  runSequence(set: string, sequence: string, confirmed?: boolean): Promise<void>;
}

/** What the slice needs of the rest of the store: the device commands go to, and the LUN. */
interface Host {
  target(): string | undefined;
  lun: number;
}

/** Said when a yes, or the question itself, comes for another device, LUN or set; nothing is sent. */
const SEQUENCE_CHANGED =
  'The device, the LUN or the vendor set changed after you were asked, so nothing was sent. Run the sequence again to be asked about this one.';

/** The sets a list describes: the built-in ones, then each user set whose text parses. */
function setsOf(list: readonly VendorSetSummary[]): VendorSet[] {
  const user = list.flatMap((s) => {
    if (s.source !== 'user' || s.text === undefined || s.problem !== undefined) return [];
    const r = parseVendorSet(s.text, `${s.name}.json`);
    return r.ok ? [r.value] : [];
  });
  return [...BUILT_IN_SETS, ...user];
}

export function vendorSetsSlice<S extends VendorSetsSlice & Host>(
  client: IpcClient,
  set: StoreApi<S>['setState'],
  get: StoreApi<S>['getState'],
): VendorSetsSlice {
  const put = (part: Partial<VendorSetsSlice>): void => set(part as Partial<S>);
  const guarded = guardWith((message) => put({ vendorSetsError: message }));
  const listed = (list: readonly VendorSetSummary[]): Partial<VendorSetsSlice> => ({
    vendorSetList: list,
    vendorSets: setsOf(list),
    vendorSetsError: undefined,
  });
  const save = async (text: string, of: string | undefined): Promise<void> => {
    try {
      put({ ...listed(await client.invoke('vendorSets.save', { text })), setDraft: undefined });
    } catch (e) {
      put({ setDraft: { text, of, refusal: errorText(e) } });
    }
  };
  return {
    vendorSetList: [],
    vendorSets: BUILT_IN_SETS,
    vendorSetsError: undefined,
    setDraft: undefined,
    sequenceRun: undefined,
    loadVendorSets: guarded(async () => put(listed(await client.invoke('vendorSets.list', {})))),
    importVendorSet: guarded(async (file: Pick<File, 'name' | 'size' | 'text'>) => {
      if (file.size > MAX_VENDOR_SET_TEXT) {
        put({
          vendorSetsError: `${file.name} is ${file.size} bytes; a vendor set is at most ${MAX_VENDOR_SET_TEXT / 1048576} MiB. Nothing was imported.`,
        });
        return;
      }
      await save(await file.text(), undefined);
    }),
    editVendorSet: guarded(async (name: string) => {
      const { text } = await client.invoke('vendorSets.export', { name });
      put({ setDraft: { text, of: name, refusal: undefined } });
    }),
    setDraftText(text) {
      const draft = get().setDraft;
      put({ setDraft: { text, of: draft?.of, refusal: draft?.refusal } });
    },
    async saveDraft() {
      const draft = get().setDraft;
      if (draft) await save(draft.text, draft.of);
    },
    cancelDraft: () => put({ setDraft: undefined }),
    deleteVendorSet: guarded(async (name: string) =>
      put(listed(await client.invoke('vendorSets.delete', { name }))),
    ),
    exportVendorSet: guarded(
      async (name: string) => (await client.invoke('vendorSets.export', { name })).text,
    ),
    async runSequence(setName, sequence, confirmed = false) {
      const device = get().target();
      if (!device) return;
      const { lun, sequenceRun: asked } = get();
      const setText = get().vendorSetList.find((x) => x.name === setName)?.text;
      const run = (part: Partial<SequenceRun>): SequenceRun => ({
        set: setName,
        sequence,
        running: false,
        result: undefined,
        error: undefined,
        confirmation: undefined,
        device,
        lun,
        setText,
        ...part,
      });
      if (
        confirmed &&
        (asked?.confirmation === undefined ||
          asked.set !== setName ||
          asked.sequence !== sequence ||
          asked.device !== device ||
          asked.lun !== lun ||
          asked.setText !== setText)
      ) {
        put({
          sequenceRun: run({ error: SEQUENCE_CHANGED }),
        });
        return;
      }
      put({ sequenceRun: run({ running: true }) });
      try {
        const result = await client.invoke('sequence.run', {
          device,
          set: setName,
          sequence,
          lun,
          timeoutMs: DEFAULT_TIMEOUT_MS,
          confirmed,
        });
        put({ sequenceRun: run({ result }) });
      } catch (e) {
        put({
          sequenceRun:
            e instanceof IpcError && e.code === 'needs-confirmation'
              ? // A question about a device or LUN no longer picked would stand over another one.
                get().target() === device && get().lun === lun
                ? run({ confirmation: e.message })
                : run({ error: SEQUENCE_CHANGED })
              : run({ error: errorText(e) }),
        });
      }
    },
  };
}
