/**
 * Every built-in vendor set, listed explicitly (docs/style.md lesson 9): each is a
 * format-1 JSON file in its own folder, read through the same parser and
 * checks as a user's file, so the shipped sets cannot use anything a user
 * cannot. A built-in file that fails its checks is a programmer error and
 * throws when this module loads (tests/unit/vendor-sets/sets.test.ts pins
 * that every one parses).
 */
import asmediaFile from './asmedia/asmedia.json';
import cypressFile from './cypress/cypress.json';
import exampleFile from './example/example.json';
import { formatVendorSet, parseVendorSet } from './format';
import jmicronAtaFile from './jmicron-ata/jmicron-ata.json';
import jmicronNvmeFile from './jmicron-nvme/jmicron-nvme.json';
import type { VendorSet } from './model';
import prolificFile from './prolific/prolific.json';
import realtekFile from './realtek/realtek.json';
import satFile from './sat/sat.json';
import sunplusFile from './sunplus/sunplus.json';

/**
 * A built-in file (its imported JSON), parsed; throws, naming `file`, when
 * it breaks any check — a programmer error the tests catch.
 */
export function parseBuiltInSet(json: unknown, file: string): { set: VendorSet; text: string } {
  const text = JSON.stringify(json, null, 2) + '\n';
  const parsed = parseVendorSet(text, file);
  if (!parsed.ok)
    throw new Error(`built-in vendor set ${file} is broken:\n${parsed.error.message}`);
  return { set: parsed.value, text };
}

const FILES = [
  parseBuiltInSet(exampleFile, 'shared/vendor-sets/example/example.json'),
  parseBuiltInSet(asmediaFile, 'shared/vendor-sets/asmedia/asmedia.json'),
  parseBuiltInSet(realtekFile, 'shared/vendor-sets/realtek/realtek.json'),
  parseBuiltInSet(jmicronAtaFile, 'shared/vendor-sets/jmicron-ata/jmicron-ata.json'),
  parseBuiltInSet(prolificFile, 'shared/vendor-sets/prolific/prolific.json'),
  parseBuiltInSet(sunplusFile, 'shared/vendor-sets/sunplus/sunplus.json'),
  parseBuiltInSet(satFile, 'shared/vendor-sets/sat/sat.json'),
  parseBuiltInSet(cypressFile, 'shared/vendor-sets/cypress/cypress.json'),
  parseBuiltInSet(jmicronNvmeFile, 'shared/vendor-sets/jmicron-nvme/jmicron-nvme.json'),
];

/** Every built-in set, in the order lookups try them. */
export const BUILT_IN_SETS: readonly VendorSet[] = FILES.map((f) => f.set);

/**
 * The set named `name` (case-insensitive): a built-in set first — a user's
 * file cannot stand in for a shipped set — then one of `extra` (a user's
 * sets, in the order given).
 */
export function findVendorSet(
  name: string,
  extra: readonly VendorSet[] = [],
): VendorSet | undefined {
  const n = name.toLowerCase();
  return [...BUILT_IN_SETS, ...extra].find((s) => s.name.toLowerCase() === n);
}

/** A set's file text: a built-in set's own file, any other set written out by `formatVendorSet`. */
export function vendorSetText(set: VendorSet): string {
  const i = BUILT_IN_SETS.indexOf(set);
  return i >= 0 ? (FILES[i] as { text: string }).text : formatVendorSet(set);
}
