/**
 * The IPC contract between the renderer and the process that owns devices:
 * every channel's name, request and response, declared once with a runtime
 * schema. Both adapters (Electron IPC and the WebSocket bridge) carry exactly
 * these messages, and both validate them on arrival, so a malformed message
 * is an error value naming the field, never a crash.
 *
 * Bytes cross the boundary as bytes (docs/style.md lesson 17): a byte field is a
 * Uint8Array, checked by its length against the field's bound, never text
 * checked by a pattern. Electron IPC carries a Uint8Array by structured
 * clone; the web bridge carries each one beside the JSON (frame.ts).
 *
 * Presets keep their bytes as hex text: a preset is a record of the presets
 * file, where hex is the stored form a person reads and edits, and a preset
 * is mostly a few dozen bytes (its data-out at most MAX_PRESET_DATA_BYTES),
 * so nothing is gained by a second representation.
 */
import { z } from 'zod';
import { canonicalHexLength, firstNonCanonicalHex } from '../scsi/hex';
import { checkDataName, checkDeviceId } from './names';
import { TRANSPORT_ERROR_KINDS } from './outcome';
import { TIMEOUT_MS_RANGE } from '../exchange';
import { isUint8Array } from './frame';
import {
  MAX_CAPTURE_BYTES,
  MAX_CDB_BYTES,
  MAX_DATA_BYTES,
  MAX_PRESET_DATA_BYTES,
  MAX_PRESETS_FILE,
  MAX_SENSE_BYTES,
} from './limits';

export { MAX_CAPTURE_BYTES, MAX_CDB_BYTES, MAX_DATA_BYTES, MAX_SENSE_BYTES };

const MiB = 1024 * 1024;
function sized(n: number): string {
  return n >= MiB ? `${n / MiB} MiB` : `${n} bytes`;
}

function lengthProblem(n: number, max: number, min: number): string | undefined {
  if (n > max) return `${n} bytes, over the ${sized(max)} this field carries`;
  if (n < min) return min === 1 ? 'empty' : `under ${min} bytes`;
  return undefined;
}

/** A byte field: a Uint8Array of `min`…`max` bytes. */
function bytes(max: number, min = 0) {
  return z
    .custom<Uint8Array>(isUint8Array, 'expected bytes (a Uint8Array), not text or numbers')
    .superRefine((b, ctx) => {
      const p = lengthProblem(b.length, max, min);
      if (p !== undefined) ctx.addIssue({ code: 'custom', message: p });
    });
}

const HEX_FORM = 'bytes as lower-case hex pairs separated by spaces, e.g. "12 00 24"';

/**
 * Hex text of `min`…`max` bytes, for presets (see above): bounded by the bytes
 * it holds, as a byte field is, so the presets file (shared/presets-file.ts),
 * which reads each preset through this schema, keeps what a request may save.
 */
function hexBytes(max: number, min = 0) {
  return z.string().superRefine((text, ctx) => {
    const at = firstNonCanonicalHex(text);
    if (at >= 0) {
      ctx.addIssue({ code: 'custom', message: `character ${at} breaks the form: ${HEX_FORM}` });
      return;
    }
    const p = lengthProblem(canonicalHexLength(text), max, min);
    if (p !== undefined) ctx.addIssue({ code: 'custom', message: p });
  });
}
const direction = z.enum(['none', 'in', 'out']);

/** A result of names.ts as a zod check: the message names what is wrong. */
function named(check: (s: string) => { ok: boolean; error?: { message: string } }) {
  return z.string().superRefine((text, ctx) => {
    const r = check(text);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.error?.message ?? 'not allowed' });
  });
}

/** A device a request may name; never a path on the machine that owns the devices. */
const deviceId = named(checkDeviceId);

/** The largest trace the app loads (a trace is JSON lines with hex bytes: 32 MiB is ~10 MiB of data). */
export const MAX_TRACE_TEXT = 32 * 1024 * 1024;

export const DeviceSummary = z.object({
  id: z.string(),
  kind: z.enum(['emu', 'usb', 'replay']),
  label: z.string(),
  vidPid: z.string(),
  detail: z.string(),
  maxLun: z.number().int().min(0).max(15),
  /** The logical block size known before any command (an emulated drive's profile); absent for real devices. */
  blockSize: z.number().int().min(1).max(0x7fffffff).optional(),
  serial: z.string().optional(),
  /** Real devices: whether the OS's mass-storage driver holds the interface now. */
  kernelDriverAttached: z.boolean().optional(),
});

/** A command's outcome; `toWireOutcome`/`fromWireOutcome` (outcome.ts) map it to and from the engine's. */
export const Outcome = z.object({
  status: z.number().int().nullable(),
  transportError: z.object({ kind: z.enum(TRANSPORT_ERROR_KINDS), message: z.string() }).nullable(),
  dataIn: bytes(MAX_DATA_BYTES),
  sense: bytes(MAX_SENSE_BYTES).nullable(),
  residue: z.number().int().min(0),
  cswStatus: z.number().int().nullable(),
  durationMs: z.number().min(0),
});

/** A saved command. */
export const Preset = z
  .object({
    id: z.string().min(1).max(100),
    name: z.string().min(1).max(200),
    folder: z.string().max(200).default(''),
    cdb: hexBytes(MAX_CDB_BYTES, 1),
    direction,
    transferLength: z.number().int().min(0).max(0xffffffff),
    dataOut: hexBytes(MAX_PRESET_DATA_BYTES).optional(),
    lun: z.number().int().min(0).max(15).default(0),
    notes: z.string().max(10_000).default(''),
  })
  .strict();

/** Presets shipped for a vendor command set (read-only, generated from its declarations). */
export const PresetPack = z.object({
  name: z.string(),
  description: z.string(),
  presets: z.array(Preset),
});

/** A drive the app exports to a real kernel, and how to attach it. */
export const ExportInfo = z.object({
  id: z.string(),
  profile: z.string(),
  transport: z.enum(['usbredir', 'usbip']),
  host: z.string(),
  port: z.number().int(),
  attach: z.string(),
});

/**
 * The largest vendor-set file the app accepts: a set is declarations (fields,
 * layouts, emulated answers), so 4 MiB is far more than any datasheet's worth.
 */
export const MAX_VENDOR_SET_TEXT = 4 * 1024 * 1024;

/** A vendor set's name: one name in the data folder's vendor-sets/, never a path. */
const vendorSetName = named((n) => checkDataName(n, 'the vendor set name'));

/** A vendor set as the app lists it. */
export const VendorSetSummary = z.object({
  name: z.string(),
  vendor: z.string(),
  description: z.string(),
  /** Built-in sets ship with usbcdb and cannot be overwritten or deleted; user sets live in the data folder. */
  source: z.enum(['built-in', 'user']),
  commands: z.array(
    z.object({ alias: z.string(), name: z.string(), opcode: z.number().int().min(0).max(255) }),
  ),
  sequences: z.array(z.object({ alias: z.string(), name: z.string() })),
  /** A user set's file, as saved (the renderer reads its declarations from it). */
  text: z.string().max(MAX_VENDOR_SET_TEXT).optional(),
  /** Why a file in the data folder's vendor-sets/ is not used (it no longer parses, or its name differs). */
  problem: z.string().optional(),
});

/** One decoded field of a vendor response: where its bytes are, and the fields inside it. */
export interface DecodedRowWire {
  readonly key: string;
  readonly name: string;
  readonly value: string;
  readonly offset: number;
  readonly length: number;
  /** The data ends before this field's bytes: nothing was decoded. */
  readonly absent?: true | undefined;
  readonly children?: readonly DecodedRowWire[] | undefined;
}
export const DecodedRow: z.ZodType<DecodedRowWire> = z.lazy(() =>
  z.object({
    key: z.string(),
    name: z.string(),
    value: z.string(),
    offset: z.number().int().min(0),
    length: z.number().int().min(0),
    absent: z.literal(true).optional(),
    children: z.array(DecodedRow).optional(),
  }),
);

/** One step of a sequence as it ran: the CDB built for it, what the device answered, the answer decoded. */
export const SequenceStepResult = z.object({
  command: z.string(),
  cdb: bytes(MAX_CDB_BYTES, 1),
  outcome: Outcome,
  rows: z.array(DecodedRow),
});

/** Every channel: its request and response schemas. */
export const CHANNELS = {
  'devices.list': {
    request: z.object({}).strict(),
    response: z.array(DeviceSummary),
  },
  /**
   * Long poll for plug and unplug: answers as soon as the device generation
   * differs from `generation` (or after `waitMs`, unchanged), so both adapters
   * carry live updates with plain request/response.
   */
  'devices.watch': {
    request: z
      .object({
        generation: z.number().int().min(0),
        waitMs: z.number().int().min(0).max(60_000).default(25_000),
      })
      .strict(),
    response: z.object({ generation: z.number().int().min(0) }),
  },
  'device.execute': {
    request: z
      .object({
        device: deviceId,
        cdb: bytes(MAX_CDB_BYTES, 1),
        lun: z.number().int().min(0).max(15),
        direction,
        transferLength: z.number().int().min(0).max(0xffffffff),
        dataOut: bytes(MAX_DATA_BYTES).optional(),
        timeoutMs: z.number().int().min(TIMEOUT_MS_RANGE.min).max(TIMEOUT_MS_RANGE.max),
        /** The user confirmed a destructive command for a real device. */
        confirmed: z.boolean().default(false),
      })
      .strict(),
    response: Outcome,
  },
  /**
   * Probes a device with read-only commands (shared/probe/plan.ts): SAT or
   * not, ATA or NVMe, model, serial, capacity, SMART health. On a `usb:`
   * device a request without `confirmed` sends nothing and answers the plan
   * (`ran` false) with what needs the user's yes; with it, every step runs,
   * vendor-specific ones included. Emulated and replayed devices run at once.
   */
  'device.probe': {
    request: z
      .object({
        device: deviceId,
        allFamilies: z.boolean().default(false),
        confirmed: z.boolean().default(false),
      })
      .strict(),
    response: z.object({
      device: z.string(),
      vendorId: z.number().int().min(0).max(0xffff).nullable(),
      ran: z.boolean(),
      /** Why the plan waits for a yes (real devices, first request). */
      confirmation: z.string().optional(),
      steps: z.array(
        z.object({
          id: z.string(),
          purpose: z.string(),
          cdb: bytes(MAX_CDB_BYTES, 1),
          direction: direction,
          transferLength: z.number().int().min(0),
          nonStandard: z.boolean(),
          result: z.enum(['planned', 'answered', 'refused', 'failed', 'skipped', 'declined']),
          note: z.string(),
          outcome: Outcome.nullable(),
        }),
      ),
      leftOut: z.array(z.string()),
      findings: z.array(z.string()),
    }),
  },
  'device.reset': {
    request: z.object({ device: deviceId }).strict(),
    response: z.object({ done: z.literal(true) }),
  },
  /**
   * The USB traffic of a device opened in this session, as a usbmon pcap
   * file's bytes (at most MAX_CAPTURE_BYTES: the capture keeps its newest
   * packets within that, capture.ts).
   */
  'device.capture': {
    request: z.object({ device: deviceId }).strict(),
    response: z.object({ pcap: bytes(MAX_CAPTURE_BYTES) }),
  },
  /**
   * A trace the user picked, uploaded as its text (never opened by path on
   * the machine that owns the devices); it becomes `replay:NAME` for this
   * connection. Errors name the line of the trace that is wrong.
   */
  'traces.load': {
    request: z
      .object({
        name: named((n) => checkDataName(n, 'the trace name')),
        text: z.string().max(MAX_TRACE_TEXT, `a trace is at most ${MAX_TRACE_TEXT / 1048576} MiB`),
      })
      .strict(),
    response: z.object({ device: z.string() }),
  },
  /**
   * The drive images in the data folder's images/ (emu:PROFILE?image=NAME
   * opens or creates one there by name).
   */
  'images.list': {
    request: z.object({}).strict(),
    response: z.array(z.object({ name: z.string(), bytes: z.number().int().min(0) })),
  },
  /** Emulated drives the app serves to real kernels (usbredir for QEMU, USB/IP), on loopback. */
  'exports.list': {
    request: z.object({}).strict(),
    response: z.array(ExportInfo),
  },
  'exports.start': {
    request: z
      .object({
        profile: z.string().min(1),
        transport: z.enum(['usbredir', 'usbip']),
        port: z.number().int().min(0).max(65535).default(0),
      })
      .strict(),
    response: ExportInfo,
  },
  'exports.stop': {
    request: z.object({ id: z.string().min(1) }).strict(),
    response: z.array(ExportInfo),
  },
  'presets.list': {
    request: z.object({}).strict(),
    response: z.array(Preset),
  },
  'presets.save': {
    request: Preset,
    response: z.array(Preset),
  },
  'presets.delete': {
    request: z.object({ id: z.string().min(1) }).strict(),
    response: z.array(Preset),
  },
  /**
   * The presets file's bytes (UTF-8 JSON), to save wherever the user likes. Bytes, not a string:
   * a JSON string inside the reply's JSON would escape every quote of the file a second time.
   */
  'presets.export': {
    request: z.object({}).strict(),
    response: z.object({ file: bytes(MAX_PRESETS_FILE) }),
  },
  /** Adds (or replaces, by id) the presets of an exported file's bytes; errors name the preset and field. */
  'presets.import': {
    request: z.object({ file: bytes(MAX_PRESETS_FILE) }).strict(),
    response: z.array(Preset),
  },
  'presets.packs': {
    request: z.object({}).strict(),
    response: z.array(PresetPack),
  },
  /** The built-in vendor sets, then the user's (the data folder's vendor-sets/NAME.json). */
  'vendorSets.list': {
    request: z.object({}).strict(),
    response: z.array(VendorSetSummary),
  },
  /**
   * Imports or replaces a user set from its JSON text, saved as its declared
   * name. A text that does not parse is refused with the line and field that
   * are wrong; a built-in set's name is refused. Answers the new list.
   */
  'vendorSets.save': {
    request: z
      .object({
        text: z
          .string()
          .max(
            MAX_VENDOR_SET_TEXT,
            `a vendor set is at most ${MAX_VENDOR_SET_TEXT / 1048576} MiB of JSON`,
          ),
      })
      .strict(),
    response: z.array(VendorSetSummary),
  },
  /** Deletes a user set (built-in sets cannot be deleted); answers the new list. */
  'vendorSets.delete': {
    request: z.object({ name: vendorSetName }).strict(),
    response: z.array(VendorSetSummary),
  },
  /** A set's JSON text (a built-in one too), to save wherever the user likes. */
  'vendorSets.export': {
    request: z.object({ name: vendorSetName }).strict(),
    response: z.object({ text: z.string() }),
  },
  /**
   * Runs a set's sequence on a device as one action: the steps in order,
   * stopping at the first that fails. Steps that can change data or firmware
   * need `confirmed` on a real device, like device.execute: without it the
   * reply is `needs-confirmation`, before anything is sent when the steps can
   * be judged ahead, else at the step whose CDB (built from earlier answers) needs it.
   */
  'sequence.run': {
    request: z
      .object({
        device: deviceId,
        set: vendorSetName,
        sequence: z.string().min(1).max(200),
        lun: z.number().int().min(0).max(15),
        /** Per step. */
        timeoutMs: z.number().int().min(TIMEOUT_MS_RANGE.min).max(TIMEOUT_MS_RANGE.max),
        confirmed: z.boolean().default(false),
      })
      .strict(),
    response: z.object({
      steps: z.array(SequenceStepResult),
      /** Every step ran and completed GOOD. */
      completed: z.boolean(),
      /** Why the step after the last one could not be built (nothing was sent for it). */
      problem: z.string().optional(),
    }),
  },
} as const;

export type Channel = keyof typeof CHANNELS;
/** What a caller sends (defaults may be left out). */
export type RequestOf<C extends Channel> = z.input<(typeof CHANNELS)[C]['request']>;
/** What a handler receives, after validation filled the defaults in. */
export type ParsedRequestOf<C extends Channel> = z.infer<(typeof CHANNELS)[C]['request']>;
export type ResponseOf<C extends Channel> = z.infer<(typeof CHANNELS)[C]['response']>;

/** What crosses the wire, whichever adapter carries it. */
export interface Envelope {
  readonly id: number;
  readonly channel: string;
  readonly payload: unknown;
}

export type Reply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | {
      readonly id: number | null;
      readonly ok: false;
      readonly error: { readonly code: string; readonly message: string };
    };

const ReplySchema = z.union([
  z.object({ id: z.number().int(), ok: z.literal(true), value: z.unknown() }),
  z.object({
    id: z.number().int().nullable(),
    ok: z.literal(false),
    error: z.object({ code: z.string(), message: z.string() }),
  }),
]);

/** Checks a reply's envelope on the renderer's side (the value is checked per channel by parseResponse). */
export function parseReply(
  raw: unknown,
): { ok: true; value: Reply } | { ok: false; message: string } {
  const r = ReplySchema.safeParse(raw);
  return r.success
    ? { ok: true, value: r.data as Reply }
    : { ok: false, message: `a reply from the main process is malformed: ${issues(r.error)}` };
}

function issues(e: z.ZodError): string {
  return e.issues
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(message)'}: ${i.message}`)
    .join('; ');
}

/** Checks a request for a channel; the error names every wrong field. */
export function parseRequest<C extends Channel>(
  channel: C,
  payload: unknown,
): { ok: true; value: z.infer<(typeof CHANNELS)[C]['request']> } | { ok: false; message: string } {
  const r = CHANNELS[channel].request.safeParse(payload);
  return r.success
    ? { ok: true, value: r.data as z.infer<(typeof CHANNELS)[C]['request']> }
    : { ok: false, message: `${channel}: ${issues(r.error)}` };
}

/** Checks a response before it is handed to the renderer. */
export function parseResponse<C extends Channel>(
  channel: C,
  value: unknown,
): { ok: true; value: ResponseOf<C> } | { ok: false; message: string } {
  const r = CHANNELS[channel].response.safeParse(value);
  return r.success
    ? { ok: true, value: r.data as ResponseOf<C> }
    : { ok: false, message: `${channel} reply: ${issues(r.error)}` };
}

function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(CHANNELS, name);
}

/** Checks the envelope itself (id, channel); payloads are checked per channel by parseRequest. */
export function parseEnvelope(
  raw: unknown,
):
  | { ok: true; value: Envelope & { channel: Channel } }
  | { ok: false; id: number | null; message: string } {
  if (typeof raw !== 'object' || raw === null)
    return {
      ok: false,
      id: null,
      message: 'a message must be a JSON object {id, channel, payload}',
    };
  const m = raw as Record<string, unknown>;
  const id = typeof m.id === 'number' && Number.isInteger(m.id) ? m.id : null;
  if (id === null) return { ok: false, id: null, message: '"id" must be an integer' };
  if (!isChannel(m.channel))
    return {
      ok: false,
      id,
      message: `"channel" must be one of ${Object.keys(CHANNELS).join(', ')}`,
    };
  return { ok: true, value: { id, channel: m.channel, payload: m.payload } };
}
