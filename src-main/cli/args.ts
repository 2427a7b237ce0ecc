/**
 * A small argv parser: `command positional… --key value --flag --key=value`.
 * Options may repeat; unknown options are kept so commands like `build`
 * can take catalog field names. A lone `-` is a positional (stdin).
 */
import { parseNumberText } from '../../shared/scsi/number-text';

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly options: ReadonlyMap<string, readonly string[]>;
}

/** Options that never take a value. */
const FLAGS = new Set([
  'json',
  'help',
  'h',
  'all',
  'rules',
  'spc2',
  'quiet',
  'q',
  'verbose',
  'v',
  '16',
  'desc',
  'new-token',
]);

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string[]>();
  const add = (k: string, v: string): void => {
    options.set(k, [...(options.get(k) ?? []), v]);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    const m = /^--?([A-Za-z][\w-]*)(?:=(.*))?$/.exec(a);
    if (!m || a === '-') {
      positionals.push(a);
      continue;
    }
    const key = m[1] as string;
    if (m[2] !== undefined) add(key, m[2]);
    else if (FLAGS.has(key)) add(key, 'true');
    else {
      const next = argv[i + 1];
      if (next === undefined || (/^--?[A-Za-z]/.test(next) && next !== '-')) add(key, 'true');
      else {
        add(key, next);
        i++;
      }
    }
  }
  return { positionals, options };
}

export function option(args: ParsedArgs, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = args.options.get(n);
    if (v && v.length > 0) return v[v.length - 1];
  }
  return undefined;
}

export function flag(args: ParsedArgs, ...names: string[]): boolean {
  return names.some((n) => args.options.get(n)?.at(-1) === 'true');
}

/**
 * A number from the command line: decimal, `0x..` hex, or `..h` hex.
 * Returns undefined for absent, an Error message for malformed.
 */
export function parseNumber(text: string | undefined, what: string): number | undefined | Error {
  if (text === undefined) return undefined;
  const n = parseNumberText(text, what);
  return n.ok ? n.value : new Error(n.error.message);
}

/** Like parseNumber, as a bigint (for 64-bit LBAs). */
export function parseBigNumber(text: string, what: string): bigint | Error {
  const t = text.trim();
  const m = /^(?:0x([0-9a-f]+)|([0-9a-f]+)h|(\d+))$/i.exec(t);
  if (!m) return new Error(`${what} must be a number (decimal, 0x.. or ..h), got "${text}"`);
  return m[1] ? BigInt('0x' + m[1]) : m[2] ? BigInt('0x' + m[2]) : BigInt(m[3] as string);
}
