/**
 * The vendor-set channels: list, save (import or edit), delete and export
 * the sets in the data folder (vendor-set-store.ts), and run a set's
 * sequence on a device of the session. Built-in sets are listed and
 * exported like the user's but never overwritten or deleted.
 */
import type { ParsedRequestOf, ResponseOf } from '../../shared/ipc/contract';
import { BUILT_IN_SETS, vendorSetText } from '../../shared/vendor-sets/registry';
import type { VendorSet } from '../../shared/vendor-sets/model';
import type { DecodedRow } from '../../shared/vendor-sets/layout';
import type { DecodedRowWire } from '../../shared/ipc/contract';
import { runSequence, type StepRun } from '../engine/sequence';
import { confirmationFor, dataOutLengthOf } from '../engine/confirmation';
import type { CommandRequest, Transport } from '../engine/transport';
import { HandlerError, type Handlers } from './handlers';
import type { VendorSetStore } from './vendor-set-store';
import { toWireOutcome } from '../../shared/ipc/outcome';

type VendorSetSummary = ResponseOf<'vendorSets.list'>[number];

function summary(
  set: VendorSet,
  source: VendorSetSummary['source'],
): Omit<VendorSetSummary, 'text' | 'problem'> {
  return {
    name: set.name,
    vendor: set.vendor,
    description: set.description,
    source,
    commands: set.commands.map((c) => ({
      alias: c.spec.aliases[0] ?? c.spec.name,
      name: c.spec.name,
      opcode: c.spec.opcode,
    })),
    sequences: set.sequences.map((q) => ({ alias: q.alias, name: q.name })),
  };
}

/** Built-in sets, then the user's files: the ones that parse with their text, the others with their problem. */
function listVendorSets(store: VendorSetStore): VendorSetSummary[] {
  return [
    ...BUILT_IN_SETS.map((s) => summary(s, 'built-in')),
    ...store.files().map((f): VendorSetSummary =>
      f.set
        ? { ...summary(f.set, 'user'), text: f.text }
        : {
            name: f.name,
            vendor: '',
            description: '',
            source: 'user',
            commands: [],
            sequences: [],
            ...(f.problem !== undefined ? { problem: f.problem } : {}),
          },
    ),
  ];
}

/** Every set a device may speak: the built-in ones, then the user's that parse. */
export function knownVendorSets(store: VendorSetStore): VendorSet[] {
  return [...BUILT_IN_SETS, ...store.sets()];
}

/** What a run stopped for a confirmation had sent already (only steps needing none). */
function ranBefore(steps: number): string {
  return steps === 0
    ? 'Nothing was sent.'
    : `The ${steps === 1 ? 'step' : `${steps} steps`} before it ran, none needing confirmation.`;
}

function wireRows(rows: readonly DecodedRow[]): DecodedRowWire[] {
  return rows.map((r) => ({
    key: r.key,
    name: r.name,
    value: r.value,
    offset: r.offset,
    length: r.length,
    ...(r.absent ? { absent: true as const } : {}),
    ...(r.children ? { children: wireRows(r.children) } : {}),
  }));
}

function orThrow<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new HandlerError('vendor-set', r.error.message);
  return r.value;
}

type VendorSetChannels =
  | 'vendorSets.list'
  | 'vendorSets.save'
  | 'vendorSets.delete'
  | 'vendorSets.export'
  | 'sequence.run';

/**
 * @param sessionDevice opens (or finds open) a device of the session
 * @param changed told after a save or delete, so devices opened later speak the new sets
 */
export function vendorSetHandlers(
  store: VendorSetStore,
  sessionDevice: (id: string) => Promise<Transport>,
  changed: () => Promise<void>,
): Pick<Handlers, VendorSetChannels> {
  return {
    'vendorSets.list': () => Promise.resolve(listVendorSets(store)),
    'vendorSets.save': async (req: ParsedRequestOf<'vendorSets.save'>) => {
      orThrow(store.save(req.text, 'the vendor set JSON'));
      await changed();
      return listVendorSets(store);
    },
    'vendorSets.delete': async (req) => {
      orThrow(store.remove(req.name));
      await changed();
      return listVendorSets(store);
    },
    'vendorSets.export': (req) => {
      const builtIn = BUILT_IN_SETS.find((s) => s.name === req.name);
      return Promise.resolve({
        text: builtIn ? vendorSetText(builtIn) : orThrow(store.text(req.name)),
      });
    },
    'sequence.run': async (req) => {
      const sets = knownVendorSets(store);
      const set = sets.find((s) => s.name === req.set);
      if (!set) throw new HandlerError('vendor-set', `there is no vendor set "${req.set}"`);
      const sequence = set.sequences.find(
        (q) => q.alias === req.sequence || q.name === req.sequence,
      );
      if (!sequence)
        throw new HandlerError(
          'vendor-set',
          `the set ${set.name} has no sequence "${req.sequence}"${set.sequences.length > 0 ? `; it has ${set.sequences.map((q) => q.alias).join(', ')}` : ''}`,
        );
      const t = await sessionDevice(req.device);
      const device = t.describe();
      // Each step as it will be sent, asked about with every set the app knows (as
      // device.execute is): another set may declare its opcode destructive, and a value
      // from an earlier answer may change how that set reads the CDB.
      const refuse = (request: CommandRequest): string | undefined => {
        const c = confirmationFor(device, request.cdb, {
          dataOutLength: dataOutLengthOf(request),
          vendorSets: sets,
        });
        return c.needed ? c.reason : undefined;
      };
      // Unless confirmed, every step is asked about before anything is sent, and again as built
      // (runSequence).
      const run = await runSequence(
        t,
        set,
        sequence,
        req.lun,
        req.timeoutMs,
        req.confirmed ? {} : { refuse },
      );
      if (run.problem?.code === 'needs-confirmation')
        throw new HandlerError(
          'needs-confirmation',
          `${run.problem.message} ${ranBefore(run.steps.length)} Confirm to run the sequence from the start on ${device.id}.`,
        );
      return {
        steps: run.steps.map((s: StepRun) => ({
          command: s.command,
          cdb: s.cdb,
          outcome: toWireOutcome(s.outcome),
          rows: wireRows(s.rows),
        })),
        completed: run.completed,
        ...(run.problem ? { problem: run.problem.message } : {}),
      };
    },
  };
}
