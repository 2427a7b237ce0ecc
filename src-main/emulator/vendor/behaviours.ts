/**
 * The stateful answers vendor sets name by `emulation.behaviour`
 * (shared/vendor-sets/model.ts, EMULATION_BEHAVIOURS, documents what each
 * does). Registration is this explicit table (style.md lesson 9), typed by
 * the model's list of names so a behaviour the format accepts cannot be
 * missing here. State lives in small objects each drive creates for itself
 * (`keeps`), never in the logical unit.
 */
import type { EmulationBehaviour } from '../../../shared/vendor-sets/model';
import { invalidFieldOf } from '../field-pointer';
import { good, type HandlerResult } from '../responses';
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
};
