/** The renderer's IPC client: deadlines and the launch token. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { REPLY_MARGIN_MS, replyDeadlineMs } from '../../../shared/ipc/deadline';
import { electronClient, launchToken } from '../../../src-renderer/ipc/client';
import { MAX_SEQUENCE_STEPS } from '../../../shared/vendor-sets/format';

afterEach(() => vi.useRealTimers());

describe('replyDeadlineMs', () => {
  it('gives a command its own timeout and a long poll its wait, plus the margin', () => {
    expect(
      replyDeadlineMs('device.execute', {
        device: 'emu:',
        cdb: new Uint8Array(6),
        lun: 0,
        direction: 'none',
        transferLength: 0,
        timeoutMs: 60_000,
      }),
    ).toBe(60_000 + REPLY_MARGIN_MS);
    expect(replyDeadlineMs('devices.watch', { generation: 0, waitMs: 1000 })).toBe(
      1000 + REPLY_MARGIN_MS,
    );
    expect(replyDeadlineMs('presets.list', {})).toBe(REPLY_MARGIN_MS);
    expect(
      replyDeadlineMs('sequence.run', {
        device: 'emu:',
        set: 'example',
        sequence: 'example.set-led-and-check',
        lun: 0,
        timeoutMs: 1000,
      }),
    ).toBe(1000 * MAX_SEQUENCE_STEPS + REPLY_MARGIN_MS);
  });
});

describe('a request that gets no reply', () => {
  it('fails with "timeout" and a sentence once its deadline passes', async () => {
    vi.useFakeTimers();
    const client = electronClient({ invoke: () => new Promise(() => undefined) });
    const pending = client.invoke('presets.list', {});
    const seen = expect(pending).rejects.toMatchObject({
      code: 'timeout',
      message: expect.stringMatching(/did not answer presets\.list within 15 s/),
    });
    await vi.advanceTimersByTimeAsync(REPLY_MARGIN_MS + 1);
    await seen;
  });
});

describe('launchToken', () => {
  function storage(): Storage {
    const m = new Map<string, string>();
    return {
      getItem: (k) => m.get(k) ?? null,
      setItem: (k, v) => void m.set(k, v),
      removeItem: (k) => void m.delete(k),
      clear: () => m.clear(),
      key: () => null,
      get length() {
        return m.size;
      },
    };
  }

  it('takes the token from the fragment, removes it from the address, and finds it again after a reload', () => {
    const store = storage();
    const replaced: string[] = [];
    const hist = {
      replaceState: (_d: unknown, _t: string, url?: string | URL | null) =>
        void replaced.push(String(url)),
    };
    expect(launchToken({ hash: '#token=abc_-1', pathname: '/', search: '' }, store, hist)).toBe(
      'abc_-1',
    );
    expect(replaced).toEqual(['/']);
    expect(launchToken({ hash: '', pathname: '/', search: '' }, store, hist)).toBe('abc_-1');
  });

  it('is empty when the page was opened without one', () => {
    expect(
      launchToken({ hash: '', pathname: '/', search: '' }, storage(), {
        replaceState: () => undefined,
      }),
    ).toBe('');
  });
});
