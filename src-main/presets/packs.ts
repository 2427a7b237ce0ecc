/** Preset packs generated from the vendor command sets' declarations: one preset per command, fields at their defaults. */
import { dataPhaseOf } from '../../shared/scsi/catalog';
import { buildCdb } from '../../shared/scsi/cdb/build';
import { formatHex } from '../../shared/scsi/hex';
import { VENDOR_SETS } from '../../shared/vendor-sets/registry';
import type { PresetData } from '../../shared/presets-file';

export function vendorPresetPacks(): {
  name: string;
  description: string;
  presets: PresetData[];
}[] {
  return VENDOR_SETS.map((set) => ({
    name: `${set.name} vendor set`,
    description: set.description,
    presets: set.commands.flatMap((c): PresetData[] => {
      const built = buildCdb(c.spec, {});
      if (!built.ok) return [];
      const phase = dataPhaseOf(built.value, c.spec.fields, c.spec.length);
      return [
        {
          id: `pack:${c.spec.aliases[0] ?? c.spec.name}`,
          name: c.spec.name,
          folder: `${set.name} vendor set`,
          cdb: formatHex(built.value),
          direction: phase.direction,
          transferLength: phase.direction === 'none' ? 0 : (phase.units ?? 0),
          lun: 0,
          notes: c.spec.summary,
        },
      ];
    }),
  }));
}
