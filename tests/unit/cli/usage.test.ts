/** Option lists of usage texts: one column for every option's text, however the list was assembled. */
import { describe, expect, it } from 'vitest';
import { optionRows } from '../../../src-main/cli/usage';
import { COMMANDS } from '../../../src-main/cli/usbcdb';
import { runUsbcdb } from '../../cli-run';

describe('optionRows', () => {
  it('starts every text two columns after the longest option, further lines under the first', () => {
    expect(
      optionRows([
        ['--lun N', 'logical unit'],
        ['--vendor-set FILE', 'a set', 'or a name'],
        ['--json', '{device}'],
      ]).split('\n'),
    ).toEqual([
      '  --lun N            logical unit',
      '  --vendor-set FILE  a set',
      '                     or a name',
      '  --json             {device}',
    ]);
  });

  it('keeps the leading spaces of a further line (an example set in deeper) and lists a bare option alone', () => {
    expect(optionRows([['--usbredir H:P', 'listen:', 'qemu …', '  -device x'], ['--force']])).toBe(
      [
        '  --usbredir H:P  listen:',
        '                  qemu …',
        '                    -device x',
        '  --force',
      ].join('\n'),
    );
  });

  it('gives nothing for no rows', () => {
    expect(optionRows([])).toBe('');
  });
});

/** An option row: two spaces, the option and at most one argument word, two or more spaces, its text. */
const OPTION_ROW = /^ {2}(-{1,2}[\w-]+(?: \S+)?) {2,}(?=\S)/;

describe('every command’s usage', () => {
  it('lists each option on a row of its own, its text in the same column as the other options’', () => {
    for (const c of COMMANDS) {
      const lines = c.usage.split('\n').filter((l) => l.startsWith('  -'));
      const malformed = lines.filter((l) => !OPTION_ROW.test(l));
      const columns = new Set(lines.map((l) => OPTION_ROW.exec(l)?.[0].length));
      expect({ command: c.name, malformed, columns: columns.size }).toEqual({
        command: c.name,
        malformed: [],
        columns: lines.length === 0 ? 0 : 1,
      });
    }
  });
});

describe('the JSON a listing prints', () => {
  it('is given key for key in its command’s help', async () => {
    // Each printed a JSON list its help did not give: profiles and devices said nothing of
    // --json, vendor and sequence gave only the shape of a command they run.
    for (const argv of [['profiles'], ['devices'], ['vendor'], ['sequence']]) {
      const [first] = JSON.parse((await runUsbcdb([...argv, '--json'])).out) as Record<
        string,
        unknown
      >[];
      const help = (await runUsbcdb(['help', ...argv])).out.replace(/\s+/g, ' ');
      const json = help.slice(help.indexOf('--json'));
      const missing = Object.keys(first ?? {}).filter((k) => !new RegExp(`\\b${k}\\b`).test(json));
      expect({ command: argv[0], missing }).toEqual({ command: argv[0], missing: [] });
    }
  });
});
