import { describe, expect, it } from 'vitest';
import { singleFlight } from '../../src-main/export/tcp-listener';

describe('singleFlight', () => {
  it('runs once while a run is under way, and again once it has ended', async () => {
    let runs = 0;
    let release: () => void = () => undefined;
    const kick = singleFlight(() => {
      runs++;
      return new Promise<void>((r) => (release = r));
    });
    kick();
    kick();
    kick();
    expect(runs).toBe(1);
    release();
    await new Promise((r) => setTimeout(r, 0));
    kick();
    expect(runs).toBe(2);
  });
});
