/**
 * A small argv parser: `command positional… --key value --flag --key=value`.
 * Only options declared `values` may repeat: any other value given twice is refused by name,
 * since which one was meant is a guess (`write --lba 8 --lba 0` must not pick for the user).
 * Every command declares the options it takes and which
 * of them take a value (`OptionSpec`): a flag never swallows the next word,
 * and an option the command does not take is refused by name, as sg3_utils
 * refuses one, rather than ignored (a mistyped --device would otherwise send
 * the command to the default device). `build` and `vendor` also take catalog
 * fields as options (`--alloc 36`) and check those names themselves. A lone
 * `-` is a positional (stdin).
 */
import { parseBigNumberText, parseNumberText } from '../../shared/scsi/number-text';

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly options: ReadonlyMap<string, readonly string[]>;
  /**
   * The words (also in `positionals`) that came right after an option's value, by option:
   * `--sense 70 00 05` leaves "00 05" after sense. Hex typed unquoted, one byte a word as sg_raw
   * takes it, arrives this way, and only where the words came says which option they continue.
   */
  readonly following?: ReadonlyMap<string, readonly string[]>;
  /** The command they were given to (set by the dispatcher), for messages that lead with it. */
  readonly command?: string;
}

/**
 * How an option is given: alone (`--json`), with a value given once (`--lun 1`, `--lun=1`), or
 * with a value that may be given again to add another (`--vendor-set A --vendor-set B`).
 */
export type OptionKind = 'flag' | 'value' | 'values' | { readonly aliasOf: string };
/** The options a command takes, by name without dashes. */
export type OptionSpec = Readonly<Record<string, OptionKind>>;

export interface ArgSpec {
  readonly options: OptionSpec;
  /** Other `--name value` options are catalog fields, which the command checks itself. */
  readonly fieldOptions?: boolean;
  /**
   * How many words besides options it takes (a CDB's hex, a name): none unless given; `Infinity`
   * for a list. A word past them is refused by name, as sg3_utils refuses an "unexpected extra
   * argument" (SG_LIB_SYNTAX_ERROR): `read 100 --file x` must not read LBA 0.
   */
  readonly positionals?: number;
}

/** Every command takes these. */
const HELP: OptionSpec = { help: 'flag', h: { aliasOf: 'help' } };

/** An option word: `--name`, `-n`, `--name=value`; names may start with a digit (`--16`). */
const OPTION_WORD = /^--?([A-Za-z0-9][\w-]*)(?:=(.*))?$/;

/**
 * The option a mistyped `name` probably meant: the only one it begins (--dev for --device), else
 * the closest by edit distance when that is close enough to suggest.
 */
export function nearest(name: string, names: readonly string[]): string | undefined {
  const extended = names.filter((n) => n.startsWith(name));
  if (extended.length === 1) return extended[0];
  let best: { n: string; d: number } | undefined;
  for (const n of names) {
    const d = editDistance(name, n);
    if (!best || d < best.d) best = { n, d };
  }
  return best && best.d <= Math.max(1, Math.floor(name.length / 3)) ? best.n : undefined;
}

/** Edit distance counting an insertion, a deletion, a substitution or a swap of neighbours as one (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => d[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      row[j] = Math.min(
        at(i - 1, j) + 1,
        at(i, j - 1) + 1,
        at(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(at(i, j), at(i - 2, j - 2) + 1);
    }
  return at(a.length, b.length);
}

/**
 * Options that cannot all hold: one given twice (or beside its alias), or two that exclude each
 * other. sg3_utils exits with its own category for these (SG_LIB_CONTRADICT, 31; sg_raw for a
 * second --infile), apart from other syntax errors.
 */
export class ContradictingOptions extends Error {}

/** `argv` read by `spec`; an Error naming the option when one is unknown, lacks its value (or is given an empty one) or is a flag given one. */
export function parseArgs(argv: readonly string[], spec: ArgSpec): ParsedArgs | Error {
  const known: OptionSpec = { ...HELP, ...spec.options };
  const positionals: string[] = [];
  const options = new Map<string, string[]>();
  const following = new Map<string, string[]>();
  const add = (k: string, v: string): void => {
    options.set(k, [...(options.get(k) ?? []), v]);
  };
  // The option whose value the words now being read follow, if they follow one.
  let after: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    const m = OPTION_WORD.exec(a);
    if (!m) {
      positionals.push(a);
      if (after !== undefined) following.set(after, [...(following.get(after) ?? []), a]);
      continue;
    }
    after = undefined;
    const typed = m[1] as string;
    const word = `${a.startsWith('--') ? '--' : '-'}${typed}`;
    const declared = known[typed] ?? (spec.fieldOptions ? 'value' : undefined);
    if (declared === undefined) {
      const guess = nearest(typed, Object.keys(spec.options));
      return new Error(`unknown option ${word}${guess ? `; did you mean --${guess}?` : ''}`);
    }
    // A short alias (-d) is kept under its long name, so giving both counts as giving it twice.
    const key = typeof declared === 'string' ? typed : declared.aliasOf;
    const kind = typeof declared === 'string' ? declared : known[key];
    if (kind === undefined || typeof kind !== 'string')
      throw new Error(`option ${word} is an alias of --${key}, which is not a plain option`);
    if (kind === 'flag') {
      if (m[2] !== undefined) return new Error(`${word} takes no value`);
      add(key, 'true');
      continue;
    }
    let value = m[2];
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (OPTION_WORD.test(next) && !/^-\d/.test(next)))
        return new Error(`${word} needs a value`);
      value = next;
      i++;
    }
    // An empty word is a value left out (`--file "$OUT"` with OUT unset), not a name: a file
    // called "" cannot be opened, and the command would run before saying so.
    if (value === '') return new Error(`${word} needs a value, and was given an empty one`);
    const before = options.get(key)?.[0];
    if (kind === 'value' && before !== undefined)
      return new ContradictingOptions(
        `${typed === key ? `${word} is given twice` : `${word} repeats --${key}`} ("${before}", then "${value}"); give it once`,
      );
    add(key, value);
    after = key;
  }
  const extra = extraArgument(positionals, spec.positionals ?? 0);
  return extra ?? { positionals, options, following };
}

/** The refusal of the first of `words` past the `takes` a command takes, or undefined when none is. */
export function extraArgument(words: readonly string[], takes: number): Error | undefined {
  const extra = words[takes];
  if (extra === undefined) return undefined;
  return new Error(
    takes > 0
      ? `unexpected extra argument "${extra}" after "${words[takes - 1] ?? ''}" (it takes ${takes === 1 ? 'one' : takes})`
      : `unexpected argument "${extra}": it takes only options`,
  );
}

/** The value of option `name` (an alias's under its long name); the last of a `values` option. */
export function option(args: ParsedArgs, name: string): string | undefined {
  return args.options.get(name)?.at(-1);
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.options.get(name)?.at(-1) === 'true';
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
  const n = parseBigNumberText(text, what);
  return n.ok ? n.value : new Error(n.error.message);
}

/** One byte written alone, as parseHex reads it: `12`, `0x12`, `12h`, or `0x12,` from a pasted C array. */
const ONE_BYTE = /^(?:0x)?[0-9a-f]{1,2}h?[,;:]?$/i;

/**
 * Whether `word` is a single hex byte: a CDB typed unquoted arrives as such words, one per byte
 * (sg_raw takes its CDB that way), and no command is one byte long.
 */
export function isOneByteWord(word: string): boolean {
  return ONE_BYTE.test(word.trim());
}
