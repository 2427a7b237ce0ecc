/** The built-in packs the pack tests read: a set by name, a command by alias; a missing one throws. */
import type { VendorCommandDef, VendorSet } from '../../../shared/vendor-sets/model';
import { findVendorSet } from '../../../shared/vendor-sets/registry';

export function pack(name: string): VendorSet {
  const set = findVendorSet(name);
  if (!set) throw new Error(`no built-in set ${name}`);
  return set;
}

export function command(set: VendorSet, alias: string): VendorCommandDef {
  const c = set.commands.find((x) => x.spec.aliases.includes(alias));
  if (!c) throw new Error(`${set.name} has no ${alias}`);
  return c;
}
