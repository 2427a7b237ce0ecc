/** probe's yes/no question on a terminal: answers, and Ctrl+C, which raw mode hands to readline. */
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { askOn } from '../../../src-main/cli/terminal-ask';

/** A terminal's two ends: what the person types, and where the question appears. */
function terminal() {
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => input });
  const output = new PassThrough();
  let shown = '';
  output.on('data', (c: Buffer) => (shown += c.toString()));
  return { input, output, shown: () => shown };
}

describe('askOn', () => {
  it('asks with [y/N] and takes y or yes, any case, as yes and anything else as no', async () => {
    for (const [typed, yes] of [
      ['y', true],
      ['YES', true],
      ['n', false],
      ['', false],
      ['yeah', false],
    ] as const) {
      const t = terminal();
      const answer = askOn(t.input, t.output, () => undefined)('Send C1h?');
      t.input.write(`${typed}\r`);
      expect(await answer).toBe(yes);
      expect(t.shown()).toContain('Send C1h? [y/N] ');
    }
  });

  it('answers no to Ctrl+C and interrupts, instead of leaving the question open', async () => {
    const t = terminal();
    const interrupt = vi.fn();
    const answer = askOn(t.input, t.output, interrupt)('Send C1h?');
    t.input.write('\u0003');
    expect(await answer).toBe(false);
    expect(interrupt).toHaveBeenCalledTimes(1);
  });
});
