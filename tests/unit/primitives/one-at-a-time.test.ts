import { describe, expect, it } from 'vitest';
import { OneAtATime } from '../../../src-main/engine/one-at-a-time';

/** A promise and its resolve, to finish an operation when the test says. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

describe('OneAtATime', () => {
  it('starts an operation at once when idle, and a later one only after the earlier finished', async () => {
    const line = new OneAtATime();
    const log: string[] = [];
    const first = gate();
    const a = line.run(async () => {
      log.push('a starts');
      await first.promise;
      log.push('a ends');
      return 'a';
    });
    // Started synchronously: no hop through a resolved promise when nothing runs.
    expect(log).toEqual(['a starts']);
    const b = line.run(() => {
      log.push('b starts');
      return Promise.resolve('b');
    });
    await Promise.resolve();
    expect(log).toEqual(['a starts']);
    first.open();
    expect(await Promise.all([a, b])).toEqual(['a', 'b']);
    expect(log).toEqual(['a starts', 'a ends', 'b starts']);
  });

  it('goes on after a failure, which reaches only its own caller, and idle waits for the last', async () => {
    const line = new OneAtATime();
    const failing = line.run(() => Promise.reject(new Error('stalled')));
    const next = line.run(() => Promise.resolve(2));
    await expect(failing).rejects.toThrow('stalled');
    expect(await next).toBe(2);
    let finished = false;
    const slow = gate();
    void line.run(async () => {
      await slow.promise;
      finished = true;
    });
    const idle = line.idle();
    slow.open();
    await idle;
    expect(finished).toBe(true);
  });

  it('turns a synchronous throw into a rejection, queued or not', async () => {
    const line = new OneAtATime();
    const boom = (): Promise<never> => {
      throw new Error('boom');
    };
    await expect(line.run(boom)).rejects.toThrow('boom');
    const slow = gate();
    const first = line.run(() => slow.promise);
    const queued = line.run(boom);
    slow.open();
    await first;
    await expect(queued).rejects.toThrow('boom');
  });
});
