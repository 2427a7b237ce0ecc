/**
 * Lint's view of a host buffer against the data phase a CDB asks for: which
 * Bulk-Only case the pair makes (shared/bot/cases.ts) and what that means.
 */
import { classifyBotCase, isAgreement, type BotDirection } from '../bot/cases';
import type { Severity } from './types';

export interface HostDevicePairing {
  readonly severity: Severity;
  readonly directionMismatch: boolean;
  /** "expects 512 bytes data-in" */
  readonly hostText: string;
  readonly hostBytes: number;
  /** "BOT case 7 (Hi < Di)…" */
  readonly caseText: string;
  readonly why: string;
  /** Which side to change: the host's transfer, or the CDB's length field. */
  readonly fix: 'host' | 'cdb' | undefined;
}

/** Why each disagreeing case matters and which side to change, by BOT case number. */
const CONSEQUENCES: Readonly<Record<number, { why: string; fix: 'host' | 'cdb' | undefined }>> = {
  2: {
    why: 'The device has data to send but the host set up no data phase: a phase error at best; some devices (QEMU usb-storage) never send the CSW and the command times out until a reset.',
    fix: 'host',
  },
  3: {
    why: 'The device expects data the host will not send: a phase error, then reset recovery.',
    fix: 'host',
  },
  4: {
    why: 'The command has no data phase, so the device stalls Bulk-In or pads; the whole buffer comes back as residue.',
    fix: 'host',
  },
  5: {
    why: 'The device sends at most the length its CDB asks for, then pads or stalls; the residue says how much was real. Harmless, but a transfer length equal to the length the CDB asks for avoids stalls that some hosts and bridges handle badly.',
    fix: 'host',
  },
  7: {
    why: 'The device may want to send more than the buffer holds: a phase error (bCSWStatus 02h) and reset recovery on a strict device, silent truncation on a lenient one, and a hang on some (QEMU usb-uas).',
    fix: 'cdb',
  },
  8: {
    why: 'The host reads while the command sends data to the device: a phase error, then reset recovery.',
    fix: 'host',
  },
  9: {
    why: 'The command has no data phase; the device discards the data or stalls Bulk-Out.',
    fix: 'host',
  },
  10: {
    why: 'The host writes while the command returns data: a phase error, then reset recovery.',
    fix: 'host',
  },
  11: {
    why: 'The device processes only what the CDB says and reports the rest as residue; the extra data is ignored.',
    fix: 'host',
  },
  13: {
    why: 'The device expects more data than the host sends: a phase error, then reset recovery.',
    fix: 'cdb',
  },
};

export function describeHostDevicePair(
  host: { readonly dataIn: number | undefined; readonly dataOut: number | undefined },
  device: { readonly direction: BotDirection; readonly bytes: number },
): HostDevicePairing | undefined {
  const dir: BotDirection =
    (host.dataIn ?? 0) > 0 ? 'in' : (host.dataOut ?? 0) > 0 ? 'out' : 'none';
  const hostBytes = dir === 'in' ? (host.dataIn ?? 0) : dir === 'out' ? (host.dataOut ?? 0) : 0;
  const c = classifyBotCase(
    { direction: dir, length: hostBytes },
    { direction: device.direction, length: device.bytes },
  );
  if (isAgreement(c)) return undefined;
  const consequence = CONSEQUENCES[c.number];
  if (!consequence) return undefined;
  const mismatch = c.host !== 'none' && c.device !== 'none' && c.host !== c.device;
  return {
    severity: c.status === 'phase-error' ? 'error' : 'warning',
    directionMismatch: mismatch,
    hostText: dir === 'none' ? 'sets up no data phase' : `expects ${hostBytes} bytes data-${dir}`,
    hostBytes,
    caseText:
      `Bulk-Only case ${c.number} (${c.notation}) — ${c.status === 'phase-error' ? 'a phase error' : `status passed/failed with residue ${c.residue}`}; the device ${c.deviceBehaviour}`.replace(
        /\bN\b/g,
        `${hostBytes}`,
      ),
    why: consequence.why,
    fix: consequence.fix,
  };
}

/**
 * Why a host cannot have set up both a data-in and a data-out length, or
 * undefined: a CBW carries one direction (bmCBWFlags bit 7, BOT 1.0 §5.1).
 * `inName` and `outName` are how the front end calls the two.
 */
export function bothDirectionsProblem(
  dataIn: number | undefined,
  dataOut: number | undefined,
  inName: string,
  outName: string,
): string | undefined {
  return (dataIn ?? 0) > 0 && (dataOut ?? 0) > 0
    ? `give ${inName} or ${outName}, not both: a Bulk-Only command moves data one way (bmCBWFlags bit 7, BOT 1.0 §5.1)`
    : undefined;
}
