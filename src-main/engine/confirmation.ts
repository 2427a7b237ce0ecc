/**
 * The engine's half of the confirmation gate: WHICH devices need it. The
 * SCSI half — which commands — is shared/scsi/confirm-policy.ts. The app's
 * `device.execute` handler and every CLI command that sends a CDB ask here,
 * so the two front ends cannot drift apart.
 */
import {
  confirmationNeeded,
  type Confirmation,
  type ConfirmationInput,
} from '../../shared/scsi/confirm-policy';
import { resolveCommand } from '../../shared/scsi/catalog/resolve';
import { BUILT_IN_SETS } from '../../shared/vendor-sets/registry';
import type { VendorSet } from '../../shared/vendor-sets/model';
import type { CommandRequest, DeviceDescription } from './transport';

/**
 * One set as a list of its own, the same list each time: the lookup indexes a list of sets once
 * (catalog/resolve.ts), so a new one per command would be indexed again for every CDB.
 */
const ALONE = new WeakMap<VendorSet, readonly VendorSet[]>();
function alone(set: VendorSet): readonly VendorSet[] {
  let list = ALONE.get(set);
  if (!list) ALONE.set(set, (list = [set]));
  return list;
}

/**
 * Whether sending `cdb` to `device` needs the user's confirmation. Only
 * `usb:` devices are real: an emulated drive is a file or memory the user
 * can recreate, and `replay:` plays a recorded trace back without a device.
 * The shipped vendor sets and those given are asked all together and each on
 * its own: which set a real device speaks is not known, so a command any of them declares
 * destructive (a set reusing WRITE(10) as a "read", or one set's harmless
 * C5h that is another's FIRMWARE DOWNLOAD) is gated.
 */
export function confirmationFor(
  device: DeviceDescription,
  cdb: Uint8Array,
  input: ConfirmationInput,
): Confirmation {
  if (device.kind !== 'usb') return { needed: false };
  const given = input.vendorSets ?? [];
  const added = given.filter((s) => !BUILT_IN_SETS.includes(s));
  const sets = added.length === 0 ? BUILT_IN_SETS : [...BUILT_IN_SETS, ...added];
  // The CDB read by every set at once, by the catalog alone when it knows the opcode, and by
  // each set that declares it: a reading that does not know the command says nothing about
  // it (the one-for-all pass judges an opcode nothing declares).
  const readings: (readonly VendorSet[])[] = [sets];
  if (resolveCommand(cdb, [])) readings.push([]);
  for (const s of sets)
    if (resolveCommand(cdb, alone(s))?.source === 'vendor') readings.push(alone(s));
  for (const vendorSets of readings) {
    const gate = confirmationNeeded(cdb, { ...input, vendorSets });
    if (gate.needed) return gate;
  }
  return { needed: false };
}

/**
 * The data-out a request carries, for the policy: the buffer's length, or
 * the transfer length of a data-out phase without a buffer, whichever is
 * larger (the host would still move that many bytes).
 */
export function dataOutLengthOf(
  request: Pick<CommandRequest, 'direction' | 'transferLength' | 'dataOut'>,
): number {
  return Math.max(
    request.dataOut?.length ?? 0,
    request.direction === 'out' ? request.transferLength : 0,
  );
}
