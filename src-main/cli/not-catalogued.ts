/**
 * Why a name `catalog` or `build` was given resolves to nothing, in one
 * sentence that says what to do: a mistyped name gets the nearest the
 * catalog and the given vendor sets know; an operation code gets what SPC-5
 * says of its group (vendor specific, with the shipped sets that declare it;
 * a standard opcode usbcdb has no row for; or no opcode at all past FFh).
 */
import { asOpcode } from '../../shared/scsi/brand';
import { opcodeGroup } from '../../shared/scsi/catalog';
import { searchAll } from '../../shared/scsi/catalog/resolve';
import { t10Hex } from '../../shared/scsi/hex';
import type { VendorSet } from '../../shared/vendor-sets/model';
import { nearest } from './args';
import { shippedSetsWithOpcode } from './vendor-set-options';

/** Names and aliases a person may type: every command the lookup knows, catalog first (searchAll). */
function knownNames(vendorSets: readonly VendorSet[]): string[] {
  return searchAll('', vendorSets).flatMap((r) => [r.spec.name.toLowerCase(), ...r.spec.aliases]);
}

/** What an opcode-looking name (12h, 0x12, c5) is, when no row answers it. */
function opcodeHint(value: number): string {
  if (value > 0xff) return `an operation code is one byte, 00h–FFh, and ${t10Hex(value)} is not`;
  const op = asOpcode(value);
  const group = opcodeGroup(op);
  if (!group.vendorSpecific)
    return `${t10Hex(op)} is in ${group.description}, but usbcdb has no row for it: send it as hex with usbcdb raw`;
  const shipped = shippedSetsWithOpcode(op);
  const sets =
    shipped.length === 0
      ? ''
      : `; the shipped ${shipped.length === 1 ? 'set' : 'sets'} ${shipped.join(', ')} ${shipped.length === 1 ? 'declares' : 'declare'} ${t10Hex(op)}: --vendor-set ${shipped[0]}`;
  return `C0h–FFh are vendor specific: only the vendor documents them (declare them with --vendor-set FILE${sets})`;
}

/** The refusal for `name`, led by the command's name ("catalog: …", "build: …"). */
export function notCatalogued(
  command: string,
  name: string,
  vendorSets: readonly VendorSet[],
): string {
  const sets = vendorSets.map((v) => v.name);
  const where = `"${name}" is not in the catalog${sets.length > 0 ? ` or vendor set${sets.length > 1 ? 's' : ''} ${sets.join(', ')}` : ''}`;
  const opcode = /^(?:0x)?([0-9a-f]+)h?$/i.exec(name.trim())?.[1];
  if (opcode !== undefined && /[0-9]|h$|^0x/i.test(name.trim()))
    return `${command}: ${where} — ${opcodeHint(parseInt(opcode, 16))}`;
  const guess = nearest(name.trim().toLowerCase(), knownNames(vendorSets));
  return `${command}: ${where}${guess !== undefined ? `; did you mean ${guess}?` : ''} (usbcdb catalog lists the commands)`;
}
