/**
 * The data a device exchange consists of — request, outcome, device
 * description — as plain values, so the renderer (history, traces) and the
 * engine share one definition. The Transport interface lives in
 * src-main/engine/transport.ts.
 */
import type { Direction } from './scsi/catalog';
import { nameOf, SCSI_STATUSES, statusHasSense } from './doctor/driverkit';
import { t10Hex } from './scsi/hex';
import { decodeSense } from './scsi/sense';

export interface CommandRequest {
  readonly cdb: Uint8Array;
  readonly lun: number;
  /** Data phase the host sets up: direction and length (for data-out, `dataOut.length`). */
  readonly direction: Direction;
  /** Bytes the host will accept (data-in) — dCBWDataTransferLength. */
  readonly transferLength: number;
  readonly dataOut?: Uint8Array;
  readonly timeoutMs: number;
}

/**
 * The timeouts a command may have, in milliseconds: at least 1, since libusb takes 0 as "wait
 * for ever"; at most an hour, which the longest command a person waits on at once (a FORMAT
 * UNIT without IMMED) fits, and which stays inside a 32-bit millisecond count.
 */
export const TIMEOUT_MS_RANGE = { min: 1, max: 3_600_000 } as const;

/**
 * The timeout a command has unless one is given: twenty seconds, longer than a disk spinning up
 * from standby takes and what sg3_utils' utilities wait by default (sg_raw's DEFAULT_TIMEOUT).
 */
export const DEFAULT_TIMEOUT_MS = 20_000;

/** How the transport itself ended, separate from the SCSI status (sg3_utils' categories, docs/style.md lesson 10). */
export type TransportError =
  | { readonly kind: 'phase-error'; readonly message: string }
  | { readonly kind: 'timeout'; readonly message: string }
  | { readonly kind: 'bad-csw'; readonly message: string }
  | { readonly kind: 'io-error'; readonly message: string }
  | { readonly kind: 'disconnected'; readonly message: string }
  /**
   * The request cannot be put on the wire as it stands (a CDB over the 16 bytes a CBW
   * carries, a LUN over 15): nothing was sent, and sending it again gets the same answer.
   */
  | { readonly kind: 'not-sent'; readonly message: string }
  /**
   * `replay:` only: the request is not the next one the trace recorded, or the trace has ended.
   * Nothing was sent anywhere; the message says which command the trace expects.
   */
  | { readonly kind: 'replay-mismatch'; readonly message: string };

export interface CommandOutcome {
  /** SCSI status (00h GOOD, 02h CHECK CONDITION); undefined when the transport failed first. */
  readonly status: number | undefined;
  readonly transportError?: TransportError;
  /** Data-in actually received (length = transferLength − residue for data-in). */
  readonly dataIn: Uint8Array;
  /** Sense bytes fetched with REQUEST SENSE after CHECK CONDITION (USB has no autosense). */
  readonly sense?: Uint8Array;
  /** dCSWDataResidue. */
  readonly residue: number;
  /** bCSWStatus. */
  readonly cswStatus?: number;
  readonly durationMs: number;
}

export interface DeviceDescription {
  readonly id: string;
  readonly kind: 'emu' | 'usb' | 'replay';
  readonly vendor: string;
  readonly product: string;
  readonly serial?: string;
  readonly maxLun: number;
}

/** "GOOD", "CHECK CONDITION", "BUSY"… as SAM-5 names a status, "status 99h" otherwise, "no status" when the transport failed first. */
export function statusText(status: number | undefined): string {
  if (status === undefined) return 'no status';
  return nameOf(SCSI_STATUSES, status)?.name ?? `status ${t10Hex(status)}`;
}

/** The data stage the way it went: "512 bytes out" for data-out, "1 byte in" for data-in, "no data" for none. */
export function dataStageText(
  direction: Direction,
  dataOutLength: number,
  dataInLength: number,
): string {
  if (direction === 'none' && dataInLength === 0) return 'no data';
  const [bytes, way] = direction === 'out' ? [dataOutLength, 'out'] : [dataInLength, 'in'];
  return `${bytes} byte${bytes === 1 ? '' : 's'} ${way}`;
}

/** ILLEGAL REQUEST: the device server did nothing with the command (SPC-5, sense key descriptions). */
const ILLEGAL_REQUEST = 0x5;

/**
 * Data-in that crossed the bus with a command the device refused: it did nothing, so the bytes
 * are padding sent to fill the data phase, whatever the residue says (BOT 1.0 §5.2 makes
 * dCSWDataResidue the bytes not processed; some bridges report 0 whatever they moved). Undefined
 * when there is no such data.
 */
export function refusedDataInNote(
  status: number | undefined,
  sense: Uint8Array | undefined,
  dataInLength: number,
): string | undefined {
  if (!statusHasSense(status) || !sense || dataInLength === 0) return undefined;
  const s = decodeSense(sense);
  if (!s.ok || s.value.senseKey !== ILLEGAL_REQUEST) return undefined;
  return `The device refused the command (ILLEGAL REQUEST: nothing was done), so the ${dataInLength} bytes in are padding it sent for the data phase, not data, whatever the residue says.`;
}
