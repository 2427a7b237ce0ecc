/** Plain-text layout helpers for the CLI's reports. */

/** Wraps `text` to `width` columns, indenting continuation lines by `indent` spaces. */
export function wrap(text: string, width: number, indent: number): string {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line.length > 0 && line.length + 1 + w.length > width - indent) {
      lines.push(line);
      line = w;
    } else line = line.length > 0 ? `${line} ${w}` : w;
  }
  if (line.length > 0) lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : ' '.repeat(indent) + l)).join('\n');
}

export const WIDTH = 100;
