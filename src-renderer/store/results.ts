/**
 * The results slice: sending the editor's command and what came back. It
 * keeps the command exactly as sent, so selectors can tell when the result
 * no longer matches the editor or the device (stale), diagnose a failure and
 * spot a residue the device misreported.
 */
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

export interface ResultsSlice {
  running: boolean;
  outcome: Outcome | undefined;
  /** The command `outcome` answers. */
  sent: SentCommand | undefined;
  sendError: string | undefined;
  /** A real device needs the user's yes before this destructive command is sent: why. */
  confirmation: string | undefined;
  /**
   * Sends the command in the editor; `confirmed` answers a pending
   * confirmation. A command that cannot be sent (see selectSendBlock) is
   * refused with the reason in `sendError`, nothing sent.
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
      const { cdb, lun, direction, transferLength, dataOut } = get();
      const sent: SentCommand = {
        target,
        cdb,
        direction,
        transferLength: direction === 'none' ? 0 : transferLength,
        lun,
        dataOut: direction === 'out' ? (dataOut ?? new Uint8Array(transferLength)) : undefined,
      };
      put({ running: true, sendError: undefined, confirmation: undefined });
      try {
        const outcome = await client.invoke('device.execute', {
          device: target,
          cdb: sent.cdb,
          lun,
          direction,
          transferLength: sent.transferLength,
          ...(sent.dataOut ? { dataOut: sent.dataOut } : {}),
          timeoutMs: 20_000,
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
        if (e instanceof IpcError && e.code === 'needs-confirmation')
          put({ running: false, confirmation: e.message });
        else put({ running: false, sendError: errorText(e) });
      }
    },
  };
}
