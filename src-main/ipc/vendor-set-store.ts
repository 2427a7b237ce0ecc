/**
 * The user's vendor sets on disk: one JSON file per set in the data folder's
 * vendor-sets/, named after the set (`vendor-sets/NAME.json`). A request
 * carries a set's text or its name, never a path: the name is checked
 * (shared/ipc/names.ts) before it becomes a file name, files are read only
 * when regular and bounded (files/bounded-read.ts), and written atomically
 * (files/atomic-write.ts), so a crash mid-save leaves the old set.
 */
import { lstatSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_VENDOR_SET_TEXT } from '../../shared/ipc/contract';
import { mib } from '../../shared/ipc/frame';
import { checkDataName } from '../../shared/ipc/names';
import { printableText } from '../../shared/scsi/printable';
import { errorText } from '../../shared/error-text';
import { err, ok, problem, type Result } from '../../shared/scsi/result';
import { parseVendorSet } from '../../shared/vendor-sets/format';
import { BUILT_IN_SETS } from '../../shared/vendor-sets/registry';
import type { VendorSet } from '../../shared/vendor-sets/model';
import { writeFileAtomic } from '../files/atomic-write';
import { readBoundedRegularFileSync } from '../files/bounded-read';

/** A person keeps a handful of sets; the bound keeps one listing's reading finite (each file ≤ 4 MiB). */
export const MAX_USER_SETS = 32;

/**
 * The most the user sets' texts take in vendorSets.list's answer, which carries each as a JSON
 * string (escaped: a line break is two bytes there). MAX_USER_SETS files of 4 MiB would be 128 MiB
 * and more, over the web bridge's reply bound (MAX_REPLY_BYTES, 65 MiB), and the list, and with it
 * every save and delete, which answer it, could not be carried. The sets' summaries are shorter than
 * their texts, so texts, summaries and the built-in sets stay within the bound.
 */
export const MAX_USER_SETS_TEXT = 24 * 1024 * 1024;

/** What a set's text takes in the list's answer: its JSON string's UTF-8 bytes. */
function listedBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text));
}

const SUFFIX = '.json';

/** One file of the folder: its set when it parses, or why it is not used. */
export interface UserSetFile {
  readonly name: string;
  readonly text: string;
  readonly set?: VendorSet;
  readonly problem?: string;
}

function vendorSetsDir(dataDir: string): string {
  return join(dataDir, 'vendor-sets');
}

/** The built-in set a name would shadow, compared without case (macOS and Windows file names ignore it). */
function builtInNamed(name: string): VendorSet | undefined {
  const n = name.toLowerCase();
  return BUILT_IN_SETS.find((s) => s.name.toLowerCase() === n);
}

export class VendorSetStore {
  readonly dir: string;
  /**
   * Each file as last read, under its stamp (`stamp`). The sets are asked for on every command
   * (the confirmation gate, a drive being opened): read and parsed each time, MAX_USER_SETS files
   * of 4 MiB held the event loop for most of a second per command. A file is read again only when
   * its stamp changed (edited, replaced, or saved by the app, whose atomic rename makes a new inode).
   */
  private readonly cache = new Map<
    string,
    { readonly stamp: string; readonly file: UserSetFile; readonly bytes: number }
  >();

  constructor(dataDir: string) {
    this.dir = vendorSetsDir(dataDir);
  }

  /**
   * The folder's `NAME.json` files, sorted, in one pass: the NAMEs that can be sets (data names),
   * and the files whose NAME cannot (one made by hand, or one usbcdb has since refused, as AUX on
   * Windows), listed with why instead of vanishing from the list.
   */
  private scan(): { readonly names: string[]; readonly misnamed: UserSetFile[] } {
    let entries: string[];
    try {
      entries = readdirSync(this.dir);
    } catch {
      return { names: [], misnamed: [] }; // no folder yet: no user sets
    }
    const names: string[] = [];
    const misnamed: UserSetFile[] = [];
    for (const stem of entries
      .filter((f) => f.endsWith(SUFFIX))
      .map((f) => f.slice(0, -SUFFIX.length))
      .sort()) {
      const checked = checkDataName(stem, 'set');
      if (checked.ok) names.push(stem);
      else
        misnamed.push({
          name: printableText(stem),
          text: '',
          problem: `${checked.error.message}: this file is not used; rename it in the data folder's vendor-sets/ and import it again`,
        });
    }
    return { names: names.slice(0, MAX_USER_SETS), misnamed: misnamed.slice(0, MAX_USER_SETS) };
  }

  /** The file names of the folder that can be sets (`NAME.json` with NAME a data name), sorted. */
  private names(): string[] {
    return this.scan().names;
  }

  private path(name: string): string {
    return join(this.dir, `${name}${SUFFIX}`);
  }

  /** Reads one set's file, bounded and regular-only (a FIFO or a huge file put there must not hang the app). */
  private read(name: string): Result<string> {
    const bytes = readBoundedRegularFileSync(this.path(name), MAX_VENDOR_SET_TEXT);
    return bytes.ok ? ok(new TextDecoder().decode(bytes.value)) : bytes;
  }

  /** What identifies a regular file's contents without reading it; undefined for anything else. */
  private stamp(name: string): string | undefined {
    const st = statSync(this.path(name), { bigint: true, throwIfNoEntry: false });
    return st?.isFile() ? `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}` : undefined;
  }

  /** One file, parsed, with what its text takes in the list (from the cache while unchanged). */
  private entry(name: string): { readonly file: UserSetFile; readonly bytes: number } {
    const stamp = this.stamp(name);
    const kept = this.cache.get(name);
    if (stamp !== undefined && kept?.stamp === stamp) return kept;
    const file = this.load(name);
    const read = { file, bytes: listedBytes(file.text) };
    if (stamp !== undefined) this.cache.set(name, { stamp, ...read });
    else this.cache.delete(name);
    return read;
  }

  /**
   * Every user set file, each parsed; a file that does not parse is listed with its problem, and
   * so is one whose text would take the list past MAX_USER_SETS_TEXT or whose name cannot be a
   * set's (neither is used).
   */
  files(): UserSetFile[] {
    const { names, misnamed } = this.scan();
    for (const gone of [...this.cache.keys()]) if (!names.includes(gone)) this.cache.delete(gone);
    let taken = 0;
    const used = names.map((name) => {
      const { file, bytes } = this.entry(name);
      if (taken + bytes > MAX_USER_SETS_TEXT)
        return {
          name,
          text: '',
          problem: `${name}${SUFFIX} is left out: the sets before it take ${mib(taken)} MiB of the ${mib(MAX_USER_SETS_TEXT)} MiB the sets may take together, and it takes ${mib(bytes)} MiB; delete a set you do not use`,
        };
      taken += bytes;
      return file;
    });
    return [...used, ...misnamed];
  }

  /** One file read and parsed. */
  private load(name: string): UserSetFile {
    const text = this.read(name);
    if (!text.ok) return { name, text: '', problem: text.error.message };
    const parsed = parseVendorSet(text.value, `${name}${SUFFIX}`);
    if (!parsed.ok) return { name, text: text.value, problem: parsed.error.message };
    if (parsed.value.name !== name)
      return {
        name,
        text: text.value,
        problem: `${name}${SUFFIX} declares the set "${parsed.value.name}"; a set's file is named after it — import it again to save it as ${parsed.value.name}${SUFFIX}`,
      };
    if (builtInNamed(name))
      return {
        name,
        text: text.value,
        problem: `${name}${SUFFIX} has the name of a built-in set, which wins; rename the set and import it again`,
      };
    return { name, text: text.value, set: parsed.value };
  }

  /** The user sets that parse, for devices, the confirmation gate and decoding. */
  sets(): VendorSet[] {
    return this.files().flatMap((f) => (f.set ? [f.set] : []));
  }

  /**
   * Saves a set from its JSON text as `NAME.json`, replacing a user set of
   * that name. Refused: a text that does not parse (the error names line and
   * field), a name that is not a data name, a built-in set's name, and a new
   * set past MAX_USER_SETS.
   */
  save(text: string, source: string): Result<VendorSet> {
    if (text.length > MAX_VENDOR_SET_TEXT)
      return err(
        problem(
          'vendor-set',
          `${source} is ${text.length} characters; a vendor set is at most ${MAX_VENDOR_SET_TEXT / 1048576} MiB of JSON`,
        ),
      );
    const parsed = parseVendorSet(text, source);
    if (!parsed.ok) return parsed;
    const set = parsed.value;
    const named = checkDataName(set.name, `the set name in ${source}`);
    if (!named.ok) return named;
    const builtIn = builtInNamed(set.name);
    if (builtIn)
      return err(
        problem(
          'vendor-set',
          `"${set.name}" is the name of a built-in set, which cannot be overwritten; give your set another "name" (e.g. "${set.name}-mine")`,
        ),
      );
    const existing = this.names();
    const sameButCase = existing.find(
      (n) => n !== set.name && n.toLowerCase() === set.name.toLowerCase(),
    );
    if (sameButCase !== undefined)
      return err(
        problem(
          'vendor-set',
          `a set "${sameButCase}" exists already; "${set.name}" differs only in case, which some file systems do not tell apart — delete "${sameButCase}" first or pick another name`,
        ),
      );
    if (!existing.includes(set.name) && existing.length >= MAX_USER_SETS)
      return err(
        problem(
          'vendor-set',
          `the data folder holds ${MAX_USER_SETS} vendor sets, the most usbcdb keeps; delete one first`,
        ),
      );
    const others = existing
      .filter((n) => n !== set.name)
      .reduce((sum, n) => sum + this.entry(n).bytes, 0);
    const bytes = listedBytes(text);
    if (others + bytes > MAX_USER_SETS_TEXT)
      return err(
        problem(
          'vendor-set',
          `the other vendor sets take ${mib(others)} MiB and this one ${mib(bytes)} MiB, over the ${mib(MAX_USER_SETS_TEXT)} MiB the sets may take together; delete one you do not use first`,
        ),
      );
    // The folder owner-only, like the presets': the user's own declarations.
    const written = writeFileAtomic(this.path(set.name), text, { createFolder: true });
    return written.ok ? ok(set) : written;
  }

  /** Deletes a user set's file; built-in sets cannot be deleted. */
  remove(name: string): Result<void> {
    const named = checkDataName(name, 'the vendor set name');
    if (!named.ok) return named;
    if (builtInNamed(name))
      return err(problem('vendor-set', `"${name}" is a built-in set; it cannot be deleted`));
    const path = this.path(name);
    const st = lstatSync(path, { throwIfNoEntry: false });
    if (!st) return err(problem('vendor-set', `there is no user vendor set "${name}"`));
    try {
      unlinkSync(path);
      return ok(undefined);
    } catch (e) {
      return err(problem('file-write', `cannot delete ${path}: ${errorText(e)}`));
    }
  }

  /** A user set's text as saved. */
  text(name: string): Result<string> {
    const named = checkDataName(name, 'the vendor set name');
    if (!named.ok) return named;
    if (!this.names().includes(name))
      return err(problem('vendor-set', `there is no vendor set "${name}"`));
    return this.read(name);
  }
}
