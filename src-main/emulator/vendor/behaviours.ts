/**
 * The stateful answers vendor sets name by `emulation.behaviour`
 * (shared/vendor-sets/model.ts, EMULATION_BEHAVIOURS, documents what each
 * does). Registration is this explicit table (docs/style.md lesson 9), typed by
 * the model's list of names so a behaviour the format accepts cannot be
 * missing here. State lives in small objects each drive creates for itself
 * (`keeps`), never in the logical unit.
 */
import type { EmulationBehaviour } from '../../../shared/vendor-sets/model';
import { invalidFieldOf } from '../field-pointer';
import { ADMIN_GET_LOG_PAGE, NvmeDevice, type AdminCommand } from '../nvme/device';
import { good, INVALID_OPCODE, type HandlerResult } from '../responses';
import { downloadResult } from '../write-buffer';
import type { VendorCall, VendorDevice } from './device';

/** The drive's event log as the example set reads it: "power on", then every event the drive notes. */
export class EventLog {
  readonly lines: string[] = ['power on'];
  constructor(device: VendorDevice) {
    device.onEvent((line) => this.lines.push(line));
  }
}

/** The activity LED: 0 off, 1 on, 2 blinking (docs/vendor-example.md). */
export class Led {
  state = 0;
}

/** A state class: one instance per drive, created from the drive. */
export type StateClass<S extends object = object> = new (device: VendorDevice) => S;

/** The behaviour states of one drive, one instance per class. */
export interface DriveStates {
  get<S extends object>(cls: StateClass<S>): S;
}

/** One behaviour: the state it keeps (created when the drive is built), and how it answers. */
export interface Behaviour {
  readonly keeps?: StateClass;
  answer(call: VendorCall, device: VendorDevice, states: DriveStates): HandlerResult;
}

/** Text as ASCII bytes, cut to `max`. */
function text(s: string, max: number): Uint8Array {
  return new TextEncoder().encode(s).subarray(0, max);
}

/** The key of the command's data-out length field (where a too-large download points). */
function dataOutLengthKey(call: VendorCall): string | undefined {
  return call.spec.length.find((r) => r.direction === 'out' && r.field !== undefined)?.field;
}

/** The NVMe SSD behind a USB–NVMe bridge, from the profile's `nvme` section (none without one). */
export class NvmeDrive {
  readonly ssd: NvmeDevice | undefined;
  constructor(device: VendorDevice) {
    const p = device.profile;
    this.ssd = p.nvme
      ? new NvmeDevice(p.nvme, { blocks: p.blocks, blockSize: p.blockSize })
      : undefined;
  }
}

/** Realtek bridges return at most 512 bytes of a log, whatever the transfer length asks (docs/bridges.md). */
const REALTEK_LOG_LIMIT = 512;

/**
 * Runs an admin command on the drive's NVMe SSD and answers with its data
 * cut to the data-in length. A drive without one refuses the opcode (05/20/00);
 * a command the SSD does not implement points at the CDB's `command` field.
 */
function nvmeAnswer(
  call: VendorCall,
  states: DriveStates,
  command: AdminCommand,
  limit = Infinity,
): HandlerResult {
  const ssd = states.get(NvmeDrive).ssd;
  if (!ssd) return INVALID_OPCODE;
  const data = ssd.answer(command);
  if (!data) return invalidFieldOf(call.spec, 'command');
  return good(data.subarray(0, Math.min(call.dataInLength, limit)));
}

export const BEHAVIOURS: { readonly [B in EmulationBehaviour]: Behaviour } = {
  'event-log': {
    keeps: EventLog,
    answer: (call, _device, states) =>
      good(text(states.get(EventLog).lines.join('\n') + '\n', call.dataInLength)),
  },
  'led-get': {
    keeps: Led,
    answer: (call, _device, states) =>
      good(Uint8Array.from([states.get(Led).state]).subarray(0, call.dataInLength)),
  },
  'led-set': {
    keeps: Led,
    answer: (call, _device, states) => {
      states.get(Led).state = call.field('state');
      return good();
    },
  },
  'firmware-revision': {
    answer: (call, device) => good(text(device.microcode.revision, call.dataInLength)),
  },
  /** The same machinery as WRITE BUFFER mode 07h (SPC-5): chunks at offsets, checked on the last. */
  'microcode-download': {
    answer: (call, device) => {
      const lengthKey = dataOutLengthKey(call) ?? 'offset';
      const at = {
        offset: invalidFieldOf(call.spec, 'offset'),
        length: invalidFieldOf(call.spec, lengthKey),
      };
      const stored = device.microcode.store(call.field('offset'), call.dataOut);
      return stored.kind !== 'stored' || call.field('activate') !== 1
        ? downloadResult(device, stored, at)
        : downloadResult(device, device.microcode.finish('activate'), at);
    },
  },
  /** ASMedia E6h: byte 1 admin opcode, 3 CDW10 7:0, 6–7 CDW10 31:16, 8–11 CDW13, 12–15 CDW12. */
  'nvme-asmedia': {
    keeps: NvmeDrive,
    answer: (call, _device, states) => {
      const command = call.field('command');
      return nvmeAnswer(call, states, {
        opcode: command >>> 16,
        cdw10: ((call.field('numdl') << 16) | (command & 0xff)) >>> 0,
        logOffset: call.field('cdw13') * 2 ** 32 + call.field('cdw12'),
      });
    },
  },
  /**
   * Realtek E4h: bytes 1–2 transfer length (little-endian), 3 admin opcode,
   * 4 CDW10 7:0. The bridge asks the SSD for as many dwords as it moves,
   * and moves at most 512 bytes of a log.
   */
  'nvme-realtek': {
    keeps: NvmeDrive,
    answer: (call, _device, states) => {
      const command = call.field('command');
      const opcode = command >>> 8;
      const isLog = opcode === ADMIN_GET_LOG_PAGE;
      const asked = call.field('transferLengthLsb') | (call.field('transferLengthMsb') << 8);
      const moved = isLog ? Math.min(asked, REALTEK_LOG_LIMIT) : asked;
      const numdl = isLog ? Math.max(Math.ceil(moved / 4), 1) - 1 : 0;
      return nvmeAnswer(
        call,
        states,
        { opcode, cdw10: ((numdl << 16) | (command & 0xff)) >>> 0 },
        moved,
      );
    },
  },
};
