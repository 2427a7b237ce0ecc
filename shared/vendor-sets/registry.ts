/**
 * Every vendor command set, listed explicitly (style.md lesson 9).
 *
 * Two generations live here while consumers move over: the data-driven sets
 * (`BUILT_IN_SETS`, `vendorSetText`, from sets.ts, whose `findVendorSet`
 * takes a user's sets too) and the old code-driven API below (`VENDOR_SETS`
 * and its look-ups), which goes once nothing imports it.
 */
export { BUILT_IN_SETS, vendorSetText } from './sets';
import { opcodeGroup, type CommandSpec } from '../scsi/catalog';
import { EXAMPLE_SET } from './example';
import type { VendorCommand, VendorCommandSet } from './types';

export const VENDOR_SETS: readonly VendorCommandSet[] = [EXAMPLE_SET];

export function findVendorSet(name: string): VendorCommandSet | undefined {
  return VENDOR_SETS.find((s) => s.name === name);
}

/** The vendor command a CDB selects among the named sets (opcodes C0h–FFh only). */
export function findVendorCommand(
  sets: readonly string[],
  cdb: Uint8Array,
): VendorCommand | undefined {
  return findVendorCommandIn(
    sets.flatMap((name) => findVendorSet(name) ?? []),
    cdb,
  );
}

/** The vendor command a CDB selects among these sets, the first set declaring its opcode winning (C0h–FFh only). */
export function findVendorCommandIn(
  sets: readonly VendorCommandSet[],
  cdb: Uint8Array,
): VendorCommand | undefined {
  const op = cdb[0];
  if (op === undefined || !opcodeGroup(op).vendorSpecific) return undefined;
  for (const set of sets) {
    const c = set.commands.find((x) => x.spec.opcode === op);
    if (c) return c;
  }
  return undefined;
}

/** By alias, e.g. `example.read-log`. */
export function findVendorCommandByName(
  name: string,
): { readonly set: VendorCommandSet; readonly command: VendorCommand } | undefined {
  for (const set of VENDOR_SETS) {
    const command = set.commands.find((c) => c.spec.aliases.includes(name));
    if (command) return { set, command };
  }
  return undefined;
}

export function vendorSpecs(): readonly { readonly set: string; readonly spec: CommandSpec }[] {
  return VENDOR_SETS.flatMap((s) => s.commands.map((c) => ({ set: s.name, spec: c.spec })));
}
