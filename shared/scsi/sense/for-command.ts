/**
 * Sense decoded knowing the command it answers. An ATA PASS-THROUGH (85h, A1h as the catalog
 * reads them, not a vendor set's command reusing the opcode) puts the drive's ATA outputs in the
 * bytes fixed-format sense otherwise gives to INFORMATION and COMMAND-SPECIFIC INFORMATION
 * (SAT-4, fixed format sense data for ATA PASS-THROUGH), so those are read as registers.
 */
import { ok, type Result } from '../result';
import type { VendorSet } from '../../vendor-sets/model';
import { isPassThroughOpcode } from '../ata-commands';
import { resolveCommand } from '../catalog/resolve';
import { decodeSense } from './decode';
import { explainSense, type SenseContext, type SenseExplanation } from './explain';
import type { SenseData } from './types';

export function decodeSenseFor(
  bytes: Uint8Array,
  cdb: Uint8Array | undefined,
  vendorSets: readonly VendorSet[] = [],
): Result<SenseData> {
  const command = cdb ? resolveCommand(cdb, vendorSets) : undefined;
  return decodeSense(bytes, {
    ataPassThrough: command?.source === 'standard' && isPassThroughOpcode(command.spec.opcode),
  });
}

/** Sense decoded and explained for one command. */
export interface SenseRead {
  readonly sense: SenseData;
  readonly explanation: SenseExplanation;
}

/**
 * Decodes and explains sense against one context, so both read the command the same way: a
 * vendor CDB's field pointer names the vendor field, not that of a standard command sharing the
 * opcode.
 */
export function explainSenseFor(bytes: Uint8Array, context: SenseContext = {}): Result<SenseRead> {
  const d = decodeSenseFor(bytes, context.cdb, context.vendorSets);
  return d.ok ? ok({ sense: d.value, explanation: explainSense(d.value, context) }) : d;
}
