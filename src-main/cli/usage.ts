/**
 * The option lists of usage texts, laid out in one place: each option's
 * description starts in the same column as its neighbours', as in sg3_utils'
 * and GNU tools' help, however the list was put together (a command's own
 * options, the device options every device command shares, --vendor-set).
 */

/** One row of an option list: the option with its argument (`--lun N`), then its text's lines. */
export type OptionRow = readonly [option: string, ...text: string[]];

/** Two spaces before the option, at least two between the longest option and its text. */
const INDENT = '  ';
const GAP = 2;

/**
 * The rows as usage lines: the text of every row starts in the column after
 * the longest option, and a row's further lines start there too (a line that
 * begins with spaces keeps them, for an example set in deeper).
 */
export function optionRows(rows: readonly OptionRow[]): string {
  const width = Math.max(0, ...rows.map(([option]) => option.length)) + GAP;
  const hanging = ' '.repeat(INDENT.length + width);
  return rows
    .flatMap(([option, first, ...more]) => [
      first === undefined ? INDENT + option : INDENT + option.padEnd(width) + first,
      ...more.map((line) => hanging + line),
    ])
    .join('\n');
}
