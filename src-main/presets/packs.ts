/** Preset packs generated from vendor sets' declarations: one preset per command, fields at their defaults. */
import { dataTransferOf } from '../../shared/scsi/catalog';
import { buildCdb } from '../../shared/scsi/cdb/build';
import { formatHex } from '../../shared/scsi/hex';
import { BUILT_IN_SETS } from '../../shared/vendor-sets/registry';
import type { VendorSet } from '../../shared/vendor-sets/model';
import type { PresetData } from '../../shared/presets-file';

/** One pack per set (the built-in ones unless told otherwise), its transfer sized by the catalog's rule. */
export function vendorPresetPacks(sets: readonly VendorSet[] = BUILT_IN_SETS): {
  name: string;
  description: string;
  presets: PresetData[];
}[] {
  return sets.map((set) => ({
    name: `${set.name} vendor set`,
    description: set.description,
    presets: set.commands.flatMap((c): PresetData[] => {
      const built = buildCdb(c.spec, {});
      if (!built.ok) return [];
      const transfer = dataTransferOf(built.value, c.spec);
      return [
        {
          id: `pack:${c.spec.aliases[0] ?? c.spec.name}`,
          name: c.spec.name,
          folder: `${set.name} vendor set`,
          cdb: formatHex(built.value),
          direction: transfer.direction,
          transferLength: transfer.direction === 'none' ? 0 : (transfer.bytes ?? 0),
          lun: 0,
          notes: c.spec.summary,
        },
      ];
    }),
  }));
}
