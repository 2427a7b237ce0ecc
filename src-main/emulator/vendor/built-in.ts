/**
 * The built-in vendor sets a profile names (`vendorSets: ["example"]`), as
 * `VendorSet` data the emulation reads. The example set's declarations come
 * from shared/vendor-sets; a command that declares its own emulation keeps
 * it, and one that does not yet (the set's JSON file is on its way) gets the
 * behaviour docs/vendor-example.md describes for it, by alias.
 */
import type {
  EmulationBehaviour,
  VendorCommandDef,
  VendorSet,
} from '../../../shared/vendor-sets/model';
import { findVendorSet } from '../../../shared/vendor-sets/registry';

const EXAMPLE_BEHAVIOURS: Readonly<Record<string, EmulationBehaviour>> = {
  'example.read-log': 'event-log',
  'example.get-led': 'led-get',
  'example.set-led': 'led-set',
  'example.firmware-version': 'firmware-revision',
  'example.firmware-download': 'microcode-download',
};

/** The built-in set `name` as data, or undefined when no built-in set has that name. */
export function builtInVendorSet(name: string): VendorSet | undefined {
  const set = findVendorSet(name);
  if (!set) return undefined;
  return {
    name: set.name,
    vendor: set.vendor,
    description: set.description,
    sequences: [],
    commands: set.commands.map((c): VendorCommandDef => {
      const declared: VendorCommandDef = c;
      if (declared.emulation) return declared;
      const behaviour = EXAMPLE_BEHAVIOURS[c.spec.aliases[0] ?? ''];
      return {
        spec: c.spec,
        ...(declared.response ? { response: declared.response } : {}),
        ...(behaviour ? { emulation: { behaviour } } : {}),
      };
    }),
  };
}
