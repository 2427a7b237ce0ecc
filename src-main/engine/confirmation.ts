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
import type { CommandRequest, DeviceDescription } from './transport';

/**
 * Whether sending `cdb` to `device` needs the user's confirmation. Only
 * `usb:` devices are real: an emulated drive is a file or memory the user
 * can recreate, and `replay:` plays a recorded trace back without a device.
 */
export function confirmationFor(
  device: DeviceDescription,
  cdb: Uint8Array,
  input: ConfirmationInput,
): Confirmation {
  return device.kind === 'usb' ? confirmationNeeded(cdb, input) : { needed: false };
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
