/** The draft and history kept across a reload: what is kept, what is cut, and the bound. */
import { describe, expect, it } from 'vitest';
import { formatHex } from '../../../shared/scsi/hex';
import { createStore } from '../../../src-renderer/store/store';
import {
  MAX_KEPT_ENTRY_DATA,
  MAX_SESSION_TEXT,
  restoreSession,
  SESSION_KEY,
  sessionText,
  type SessionStorageLike,
} from '../../../src-renderer/store/session';
import { selectSendBlock } from '../../../src-renderer/store/selectors';
import { inProcessClient } from './in-process-client';

function memoryStorage(): SessionStorageLike & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (k) => items.get(k) ?? null,
    setItem: (k, v) => void items.set(k, v),
  };
}

describe('the session across a reload', () => {
  it('brings back the draft as typed and the history with its outcomes', async () => {
    const storage = memoryStorage();
    const first = createStore(inProcessClient(), { session: storage });
    await first.getState().loadDevices();
    first.getState().pickDevice('emu:spc2-bridge');
    first.getState().chooseCommand('inquiry');
    await first.getState().send();
    first.getState().setHex('12 00 00 00 2g');
    first.getState().setTransfer('in', 40);
    const reloaded = createStore(inProcessClient(), { session: storage });
    const s = reloaded.getState();
    expect(s.hexText).toBe('12 00 00 00 2g');
    expect(s.hexError).toBeDefined();
    expect([s.direction, s.transferLength, s.device]).toEqual(['in', 40, 'emu:spc2-bridge']);
    expect(s.history).toHaveLength(1);
    expect(formatHex(s.history[0]?.cdb ?? new Uint8Array())).toBe('12 00 00 00 24 00');
    expect(s.history[0]?.outcome.status).toBe(0);
    expect(s.history[0]?.kept).toBeUndefined();
  });

  it('keeps only the first bytes of a large data-in and says so; a large data-out is not kept and not re-run', async () => {
    const storage = memoryStorage();
    const first = createStore(inProcessClient(), { session: storage });
    await first.getState().loadDevices();
    first.getState().chooseCommand('read10');
    first.getState().setField('transferLength', 4n);
    await first.getState().send();
    first.getState().chooseCommand('write10');
    first.getState().loadDataOut(new Uint8Array(512).fill(0xa5), 'big.bin');
    await first.getState().send();
    const text = storage.items.get(SESSION_KEY) ?? '';
    const restored = restoreSession(text);
    const [read, write] = restored?.history ?? [];
    expect(read?.kept).toBe(`data-in: first ${MAX_KEPT_ENTRY_DATA} of 2048 bytes kept`);
    expect(write?.dataOut?.length).toBe(512);
    const reloaded = createStore(inProcessClient(), { session: storage });
    expect(reloaded.getState().history[0]?.kept).toMatch(/first 512 of 2048/);
  });

  it('refuses to re-run an entry whose data-out was cut, rather than send zeros', async () => {
    const storage = memoryStorage();
    const first = createStore(inProcessClient(), { session: storage });
    await first.getState().loadDevices();
    first.getState().chooseCommand('write10');
    first.getState().setField('transferLength', 2n);
    first.getState().loadDataOut(new Uint8Array(1024).fill(1), 'two-blocks.bin');
    await first.getState().send();
    const reloaded = createStore(inProcessClient(), { session: storage });
    await reloaded.getState().loadDevices();
    expect(reloaded.getState().history[0]?.kept).toMatch(/data-out of 1024 bytes not kept/);
    await reloaded.getState().rerun(0);
    expect(reloaded.getState().historyError).toMatch(
      /#1's data-out was not kept.*Nothing was sent/,
    );
    expect(reloaded.getState().history).toHaveLength(1);
  });

  it('a draft’s data-out too large to keep blocks Send until it is loaded again', () => {
    const storage = memoryStorage();
    const first = createStore(inProcessClient(), { session: storage });
    first.getState().loadDataOut(new Uint8Array(64 * 1024), 'firmware.bin');
    const reloaded = createStore(inProcessClient(), { session: storage });
    reloaded.setState({ device: 'emu:flash-stick' });
    expect(reloaded.getState().dataOut).toBeUndefined();
    expect(selectSendBlock(reloaded.getState())).toMatch(
      /data-out \(firmware\.bin, 65536 bytes\) was not kept across the reload/,
    );
    reloaded.getState().clearDataOut();
    expect(selectSendBlock(reloaded.getState())).toBeUndefined();
  });

  it('stays within MAX_SESSION_TEXT by dropping the oldest entries', () => {
    const store = createStore(inProcessClient());
    const outcome = {
      status: 0,
      transportError: null,
      dataIn: new Uint8Array(MAX_KEPT_ENTRY_DATA),
      sense: null,
      residue: 0,
      cswStatus: 0,
      durationMs: 1,
    };
    for (let i = 0; i < 2000; i++)
      store.getState().record({
        time: new Date(i).toISOString(),
        device: 'emu:flash-stick',
        cdb: Uint8Array.from([0x28, 0, 0, 0, 0, i & 0xff, 0, 0, 1, 0]),
        direction: 'in',
        transferLength: 512,
        dataOut: undefined,
        lun: 0,
        outcome: outcome as never,
      });
    const text = sessionText(store.getState());
    expect(text.length).toBeLessThanOrEqual(MAX_SESSION_TEXT);
    const restored = restoreSession(text);
    expect(restored?.history.length).toBeGreaterThan(10);
    expect(restored?.history.at(-1)?.time).toBe(new Date(1999).toISOString());
  });

  it('ignores text that is not a session', () => {
    expect(restoreSession(null)).toBeUndefined();
    expect(restoreSession('{')).toBeUndefined();
    expect(restoreSession('{"usbcdbSession":2}')).toBeUndefined();
  });
});
