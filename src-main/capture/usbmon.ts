/**
 * USB traffic as a pcap file of Linux usbmon records (LINKTYPE_USB_LINUX_MMAPPED,
 * 220): the 64-byte `struct usbmon_packet` of Documentation/usb/usbmon.rst
 * ("Raw binary format and API") followed by the captured data, one record
 * when a transfer is submitted ('S') and one when it completes ('C'), as
 * `tshark -i usbmon0` would save it. Wireshark's usbms and scsi dissectors
 * decode BOT and SCSI from these.
 */
import { constants, fstatSync } from 'node:fs';
import { putLe16, putLe32 } from '../../shared/scsi/bytes';
import { notRegularFile } from '../files/regular-file';
import { err, ok, problem, type Problem, type Result } from '../../shared/scsi/result';
import { attempt, NODE_FILE_IO, writeAllSync, type FileIo } from '../files/file-io';

/** pcap file header (libpcap format, microsecond timestamps, little-endian). */
const PCAP_MAGIC = 0xa1b2c3d4;
const LINKTYPE_USB_LINUX_MMAPPED = 220;
/** Room for the largest transfer the engine or the exporters move (16 MiB) and its header. */
const SNAPLEN = 32 * 1024 * 1024;
const USBMON_HEADER = 64;

export type TransferType = 'control' | 'bulk';
const XFER_TYPE: Readonly<Record<TransferType, number>> = { control: 2, bulk: 3 };

/** URB transfer_flags bit for IN (include/linux/usb.h URB_DIR_IN). */
const URB_DIR_IN = 0x200;
/**
 * How a transfer ended: a pipe's result, cancelled (unlinked) before it completed, or overflow:
 * the device sent more than the transfer's buffer holds ("babble").
 */
export type UrbOutcome = 'ok' | 'stall' | 'timeout' | 'error' | 'cancelled' | 'overflow';

/**
 * The Linux URB status (a negative errno) for each outcome: what usbmon
 * records and what USB/IP's RET_SUBMIT carries (Documentation/usb/usbmon.rst,
 * usbip_protocol.rst).
 */
export const URB_STATUS: Readonly<Record<UrbOutcome, number>> = {
  ok: 0,
  stall: -32, // EPIPE
  timeout: -110, // ETIMEDOUT
  error: -71, // EPROTO
  cancelled: -104, // ECONNRESET
  overflow: -75, // EOVERFLOW (Documentation/driver-api/usb/error-codes.rst: babble)
};

/** The status of a submission that has not completed yet (-EINPROGRESS). */
const URB_IN_PROGRESS = -115;

export interface Urb {
  readonly id: bigint;
  readonly type: TransferType;
  /** Endpoint address: bit 7 set for IN (for control, the direction of the data stage). */
  readonly endpoint: number;
  /** Requested transfer length. */
  readonly length: number;
  /** The 8 SETUP bytes of a control transfer. */
  readonly setup?: Uint8Array;
}

function putLe64(buf: Uint8Array, offset: number, v: bigint): void {
  putLe32(buf, offset, Number(v & 0xffffffffn));
  putLe32(buf, offset + 4, Number((v >> 32n) & 0xffffffffn));
}

/** One usbmon record: the 64-byte header and the data. */
export function usbmonRecord(
  urb: Urb,
  event: {
    kind: 'S' | 'C';
    status: number;
    data: Uint8Array;
    time: { sec: number; usec: number };
    /** An OUT completion's actual length, when it is not the requested one. */
    sent?: number;
  },
  where: { bus: number; device: number },
): Uint8Array {
  const b = new Uint8Array(USBMON_HEADER + event.data.length);
  const isIn = (urb.endpoint & 0x80) !== 0;
  putLe64(b, 0, urb.id);
  b[8] = event.kind.charCodeAt(0);
  b[9] = XFER_TYPE[urb.type];
  b[10] = urb.endpoint;
  b[11] = where.device;
  putLe16(b, 12, where.bus);
  // flag_setup: 0 when the setup bytes are present (control submissions), '-' otherwise.
  b[14] = event.kind === 'S' && urb.setup ? 0 : 0x2d;
  // flag_data as Linux's mon_bin_event sets it (drivers/usb/mon/mon_bin.c): '<' for an IN
  // submission (its data comes later), '>' for an OUT completion (its data went with the
  // submission), and 0 — data follows — for every other record, however few bytes: a stalled IN's
  // completion and a control OUT without a data stage (CLEAR_FEATURE) have 0 bytes, flagged 0.
  b[15] = event.kind === 'S' && isIn ? 0x3c : event.kind === 'C' && !isIn ? 0x3e : 0;
  putLe64(b, 16, BigInt(event.time.sec));
  putLe32(b, 24, event.time.usec);
  putLe32(b, 28, event.status);
  // length: the requested length on submission, the actual length on completion (mon_bin.c:
  // transfer_buffer_length, then actual_length), for OUT as for IN.
  putLe32(
    b,
    32,
    event.kind === 'S' ? urb.length : isIn ? event.data.length : (event.sent ?? urb.length),
  );
  putLe32(b, 36, event.data.length);
  if (event.kind === 'S' && urb.setup) b.set(urb.setup.subarray(0, 8), 40);
  putLe32(b, 56, isIn ? URB_DIR_IN : 0);
  b.set(event.data, USBMON_HEADER);
  return b;
}

export function pcapFileHeader(): Uint8Array {
  const h = new Uint8Array(24);
  putLe32(h, 0, PCAP_MAGIC);
  putLe16(h, 4, 2);
  putLe16(h, 6, 4);
  putLe32(h, 16, SNAPLEN);
  putLe32(h, 20, LINKTYPE_USB_LINUX_MMAPPED);
  return h;
}

function pcapRecordHeader(time: { sec: number; usec: number }, length: number): Uint8Array {
  const h = new Uint8Array(16);
  putLe32(h, 0, time.sec);
  putLe32(h, 4, time.usec);
  putLe32(h, 8, Math.min(length, SNAPLEN));
  putLe32(h, 12, length);
  return h;
}

/** What a device opener is asked to capture, and whom to tell if the capture stops. */
export interface CaptureRequest {
  /** Write the USB traffic to this usbmon pcap file (LINKTYPE 220), enumeration included. */
  readonly capture?: string;
  /** Called once if a record cannot be written and the capture stops (a full disk, say). */
  readonly onCaptureFailure?: (problem: Problem) => void;
}

export interface CaptureOptions {
  /** Stand-in for `node:fs` (tests simulate short writes and full disks). */
  readonly io?: FileIo;
  /** Called once, when the capture stops because a record could not be written. */
  readonly onFailure?: (problem: Problem) => void;
}

/**
 * A capture file being written: every record goes to disk as it happens, so
 * a crash keeps what came before. A record is written whole or not at all:
 * if one cannot be (full disk, file size limit), the partial record is cut
 * off, the capture stops, and `failure` (and `close`, and `onFailure`) says
 * so — the file then holds every record before it and is still readable.
 */
export class UsbCapture {
  private readonly fd: number;
  private readonly io: FileIo;
  private nextId = 1n;
  private closed = false;
  /** Bytes of whole records (and the file header) in the file: where the next record goes. */
  private size = 0;
  private records = 0;
  private problem: Problem | undefined;

  /**
   * Throws if the file cannot be opened (the caller names it to the user).
   * @param where the bus and device address the records name
   * @param clock microseconds since the epoch (injectable so tests are repeatable)
   */
  constructor(
    readonly file: string,
    private readonly where: { bus: number; device: number } = { bus: 1, device: 1 },
    private readonly clock: () => number = () =>
      Math.round(performance.timeOrigin * 1000 + performance.now() * 1000),
    private readonly options: CaptureOptions = {},
  ) {
    this.io = options.io ?? NODE_FILE_IO;
    // Non-blocking, so a FIFO named as the capture fails at once instead of waiting for a
    // reader; then only a regular file is kept (not a device, not /proc/self/mem).
    this.fd = this.io.openSync(
      file,
      constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (constants.O_NONBLOCK ?? 0),
      0o644,
    );
    const refused = notRegularFile(file, fstatSync(this.fd));
    if (refused) {
      this.io.closeSync(this.fd);
      throw new Error(refused.message);
    }
    this.append(pcapFileHeader(), 'the pcap file header');
  }

  /** Why the capture stopped early, or undefined while every record has been written. */
  get failure(): Problem | undefined {
    return this.problem;
  }

  /** Writes `bytes` whole at the end of the whole records, or cuts them off again and stops the capture. */
  private append(bytes: Uint8Array, what: string): void {
    if (this.problem) return;
    const written = writeAllSync(this.io, this.fd, bytes, this.size);
    if (written.ok) {
      this.size += bytes.length;
      return;
    }
    const cut = attempt(() => this.io.ftruncateSync(this.fd, this.size));
    this.problem = problem(
      'capture-write',
      `capture ${this.file} stopped: writing ${what} failed (${written.error.message}); ` +
        (cut.ok
          ? `the file holds the ${this.records} whole records before it`
          : `and the partial record could not be cut off (${cut.error.message})`),
    );
    this.options.onFailure?.(this.problem);
  }

  private write(urb: Urb, kind: 'S' | 'C', status: number, data: Uint8Array, sent?: number): void {
    if (this.closed || this.problem) return;
    const us = this.clock();
    const time = { sec: Math.floor(us / 1e6), usec: us % 1e6 };
    const rec = usbmonRecord(
      urb,
      { kind, status, data, time, ...(sent !== undefined ? { sent } : {}) },
      this.where,
    );
    // The file holds at most SNAPLEN bytes of a record; the header says how many are there.
    const kept = rec.subarray(0, SNAPLEN);
    const whole = new Uint8Array(16 + kept.length);
    whole.set(pcapRecordHeader(time, rec.length), 0);
    whole.set(kept, 16);
    this.append(whole, `record ${this.records + 1}`);
    if (!this.problem) this.records++;
  }

  /** Records a submission and returns the URB to complete. OUT data (and control OUT data) goes with it. */
  submit(u: Omit<Urb, 'id'>, outData: Uint8Array = new Uint8Array()): Urb {
    const urb = { ...u, id: this.nextId++ };
    this.write(urb, 'S', URB_IN_PROGRESS, outData);
    return urb;
  }

  /** Records a completion; IN data goes with it, and for OUT how many bytes went when not all. */
  complete(urb: Urb, status: number, inData: Uint8Array = new Uint8Array(), sent?: number): void {
    this.write(urb, 'C', status, inData, sent);
  }

  /** Closes the file (once); the result says whether every record made it. */
  close(): Result<void> {
    if (!this.closed) {
      this.closed = true;
      const closed = attempt(() => this.io.closeSync(this.fd));
      if (!closed.ok && !this.problem) {
        this.problem = problem(
          'capture-write',
          `capture ${this.file}: closing it failed (${closed.error.message})`,
        );
        this.options.onFailure?.(this.problem);
      }
    }
    return this.problem ? err(this.problem) : ok(undefined);
  }
}
