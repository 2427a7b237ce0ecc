/**
 * The results slice: sending the editor's command and what came back. It
 * keeps the command exactly as sent, so selectors can tell when the result
 * no longer matches the editor or the device (stale), diagnose a failure and
 * spot a residue the device misreported.
 */
import { DEFAULT_TIMEOUT_MS } from '../../shared/exchange';
import type { StoreApi } from 'zustand';
import type { ResponseOf } from '../../shared/ipc/contract';
import type { Direction } from '../../shared/scsi/catalog';
import { errorText } from '../../shared/error-text';
import { IpcError, type IpcClient } from '../ipc/client';
import type { EditorSlice } from './editor';
import type { HistoryEntry } from './history';
import { selectSendBlock, type SendBlockSource } from './selectors';

export type Outcome = ResponseOf<'device.execute'>;

/** A command as it went to the device. */
export interface SentCommand {
  readonly target: string;
  readonly cdb: Uint8Array;
  readonly direction: Direction;
  /** 0 when the direction is none. */
  readonly transferLength: number;
  readonly lun: number;
  readonly dataOut: Uint8Array | undefined;
}

/** A destructive command held for the user's yes, and exactly the command that was asked about. */
export interface PendingConfirmation {
  /** Why a real device needs the yes, as the main process said it. */
  readonly reason: string;
  readonly command: SentCommand;
}

const sameBytes = (x: Uint8Array, y: Uint8Array): boolean =>
  x === y || (x.length === y.length && x.every((v, i) => v === y[i]));

/**
 * Whether the editor, with `target` picked, still holds command `c`: device, LUN, CDB, data
 * phase and data-out bytes (none loaded stands for the zeros `c` was sent with). Allocates
 * nothing, whatever length the editor holds now.
 */
function editorHolds(s: Host, target: string | undefined, c: SentCommand): boolean {
  const length = s.direction === 'none' ? 0 : s.transferLength;
  if (target !== c.target || s.lun !== c.lun || s.direction !== c.direction) return false;
  if (length !== c.transferLength || !sameBytes(s.cdb, c.cdb)) return false;
  if (c.dataOut === undefined) return true;
  return s.dataOut ? sameBytes(s.dataOut, c.dataOut) : c.dataOut.every((b) => b === 0);
}

/** Said when a yes, or the question itself, comes for a command other than the editor's; nothing is sent. */
export const CHANGED_SINCE_ASKED =
  'The command, its data or the device changed after it was sent to be asked about, so nothing was sent. Send it again to be asked about this one.';

/** The editor's command as it would go to `target`. */
function commandIn(s: Host, target: string): SentCommand {
  const { cdb, lun, direction, transferLength, dataOut } = s;
  return {
    target,
    cdb,
    direction,
    transferLength: direction === 'none' ? 0 : transferLength,
    lun,
    dataOut: direction === 'out' ? (dataOut ?? new Uint8Array(transferLength)) : undefined,
  };
}

export interface ResultsSlice {
  running: boolean;
  outcome: Outcome | undefined;
  /** The command `outcome` answers. */
  sent: SentCommand | undefined;
  sendError: string | undefined;
  /** A real device needs the user's yes before this destructive command is sent: why, and which command. */
  confirmation: PendingConfirmation | undefined;
  /**
   * Sends the command in the editor; `confirmed` answers the pending
   * confirmation, and sends only when the editor and device still hold the
   * command it asked about (else CHANGED_SINCE_ASKED, nothing sent). A
   * command that cannot be sent (see selectSendBlock) is refused with the
   * reason in `sendError`, nothing sent.
   */
  send(confirmed?: boolean): Promise<void>;
  cancelConfirmation(): void;
}

/** What the slice reads of the rest of the store, and the history it appends to. */
type Host = SendBlockSource &
  Pick<EditorSlice, 'dataOut'> & {
    target(): string | undefined;
    record(entry: HistoryEntry): void;
  };

export function resultsSlice<S extends ResultsSlice & Host>(
  client: IpcClient,
  set: StoreApi<S>['setState'],
  get: StoreApi<S>['getState'],
): ResultsSlice {
  const put = (part: Partial<ResultsSlice>): void => set(part as Partial<S>);
  return {
    running: false,
    outcome: undefined,
    sent: undefined,
    sendError: undefined,
    confirmation: undefined,
    cancelConfirmation: () => put({ confirmation: undefined }),
    async send(confirmed = false) {
      const blocked = selectSendBlock(get());
      const target = get().target();
      if (blocked !== undefined || target === undefined) {
        put({ sendError: `${blocked ?? 'Pick a device first.'} Nothing was sent.` });
        return;
      }
      const asked = get().confirmation;
      if (confirmed && (asked === undefined || !editorHolds(get(), target, asked.command))) {
        put({ confirmation: undefined, sendError: CHANGED_SINCE_ASKED });
        return;
      }
      // A yes sends the very command it was asked about.
      const sent = confirmed && asked ? asked.command : commandIn(get(), target);
      const { lun, direction } = sent;
      put({ running: true, sendError: undefined, confirmation: undefined });
      try {
        const outcome = await client.invoke('device.execute', {
          device: target,
          cdb: sent.cdb,
          lun,
          direction,
          transferLength: sent.transferLength,
          ...(sent.dataOut ? { dataOut: sent.dataOut } : {}),
          timeoutMs: DEFAULT_TIMEOUT_MS,
          confirmed,
        });
        put({ outcome, sent, running: false });
        get().record({
          time: new Date().toISOString(),
          device: target,
          cdb: sent.cdb,
          direction,
          transferLength: sent.transferLength,
          dataOut: sent.dataOut,
          lun,
          outcome,
        });
      } catch (e) {
        if (e instanceof IpcError && e.code === 'needs-confirmation') {
          // Asked about the command as sent: if the editor or the device moved on meanwhile, the
          // question would stand over another command.
          const still = editorHolds(get(), get().target(), sent);
          put(
            still
              ? { running: false, confirmation: { reason: e.message, command: sent } }
              : { running: false, sendError: CHANGED_SINCE_ASKED },
          );
        } else put({ running: false, sendError: errorText(e) });
      }
    },
  };
}
