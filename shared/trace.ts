/**
 * The JSON-lines trace format shared by the recorder and replay: a header
 * line, then one line per exchange. Byte arrays are hex strings ("12 00 …").
 * Parsing validates every line and names the line and field that is wrong.
 */
import { formatHex, parseHex } from './scsi/hex';
import { err, ok, type Result } from './scsi/result';
import type { CommandOutcome, CommandRequest, DeviceDescription, TransportError } from './exchange';
import { errorText } from './error-text';
import { firstUnprintable } from './scsi/printable';
import { TRANSPORT_ERROR_KINDS } from './ipc/outcome';

export const TRACE_VERSION = 1;

export interface TraceHeader {
  readonly usbcdbTrace: typeof TRACE_VERSION;
  readonly device: DeviceDescription;
}

export interface Exchange {
  readonly request: CommandRequest;
  readonly outcome: CommandOutcome;
}

export function headerLine(device: DeviceDescription): string {
  return JSON.stringify({ usbcdbTrace: TRACE_VERSION, device });
}

export function exchangeLine(at: Date, request: CommandRequest, outcome: CommandOutcome): string {
  return JSON.stringify({
    time: at.toISOString(),
    request: {
      cdb: formatHex(request.cdb),
      lun: request.lun,
      direction: request.direction,
      transferLength: request.transferLength,
      timeoutMs: request.timeoutMs,
      ...(request.dataOut ? { dataOut: formatHex(request.dataOut) } : {}),
    },
    outcome: {
      status: outcome.status ?? null,
      ...(outcome.transportError ? { transportError: outcome.transportError } : {}),
      dataIn: formatHex(outcome.dataIn),
      ...(outcome.sense ? { sense: formatHex(outcome.sense) } : {}),
      residue: outcome.residue,
      ...(outcome.cswStatus !== undefined ? { cswStatus: outcome.cswStatus } : {}),
      durationMs: outcome.durationMs,
    },
  });
}

type Json = Record<string, unknown>;

function field<T>(
  o: Json,
  key: string,
  kind: 'number' | 'string' | 'object',
  where: string,
): Result<T> {
  const v = o[key];
  if (typeof v !== kind || v === null)
    return err({
      code: 'trace',
      message: `${where}: "${key}" must be ${kind === 'object' ? 'an' : 'a'} ${kind}`,
    });
  return ok(v as T);
}

function bytes(o: Json, key: string, where: string): Result<Uint8Array> {
  const s = field<string>(o, key, 'string', where);
  if (!s.ok) return s;
  const b = parseHex(s.value, `${where} ${key}`);
  return b;
}

const DIRECTIONS = new Set(['none', 'in', 'out']);
const TRANSPORT_KINDS: ReadonlySet<string> = new Set(TRANSPORT_ERROR_KINDS);

function parseExchange(line: string, where: string): Result<Exchange> {
  let j: unknown;
  try {
    j = JSON.parse(line);
  } catch (e) {
    return err({
      code: 'trace',
      message: `${where}: not JSON (${errorText(e)})`,
    });
  }
  if (typeof j !== 'object' || j === null)
    return err({ code: 'trace', message: `${where}: expected an object` });
  const req = field<Json>(j as Json, 'request', 'object', where);
  const out = field<Json>(j as Json, 'outcome', 'object', where);
  if (!req.ok) return req;
  if (!out.ok) return out;
  const cdb = bytes(req.value, 'cdb', `${where} request`);
  const lun = field<number>(req.value, 'lun', 'number', `${where} request`);
  const direction = field<string>(req.value, 'direction', 'string', `${where} request`);
  const transferLength = field<number>(req.value, 'transferLength', 'number', `${where} request`);
  const dataIn = bytes(out.value, 'dataIn', `${where} outcome`);
  const residue = field<number>(out.value, 'residue', 'number', `${where} outcome`);
  if (!cdb.ok) return cdb;
  if (!lun.ok) return lun;
  if (!direction.ok) return direction;
  if (!transferLength.ok) return transferLength;
  if (!dataIn.ok) return dataIn;
  if (!residue.ok) return residue;
  if (!DIRECTIONS.has(direction.value))
    return err({ code: 'trace', message: `${where} request: direction must be none, in or out` });
  const dataOut =
    req.value.dataOut !== undefined ? bytes(req.value, 'dataOut', `${where} request`) : undefined;
  if (dataOut && !dataOut.ok) return dataOut;
  const sense =
    out.value.sense !== undefined ? bytes(out.value, 'sense', `${where} outcome`) : undefined;
  if (sense && !sense.ok) return sense;
  const status = out.value.status;
  if (status !== null && typeof status !== 'number')
    return err({ code: 'trace', message: `${where} outcome: "status" must be a number or null` });
  const te = out.value.transportError as Json | null | undefined;
  // null is an object to typeof: without this, "transportError": null threw reading its kind.
  if (te === null)
    return err({ code: 'trace', message: `${where} outcome: "transportError" must be an object` });
  if (te !== undefined && (typeof te !== 'object' || !TRANSPORT_KINDS.has(String(te.kind))))
    return err({
      code: 'trace',
      message: `${where} outcome: "transportError.kind" must be one of ${[...TRANSPORT_KINDS].join(', ')}`,
    });
  if (te !== undefined && typeof te.message !== 'string')
    return err({
      code: 'trace',
      message: `${where} outcome: "transportError.message" must be a string`,
    });
  const badMessage =
    te !== undefined ? unprintable('"transportError.message"', te.message) : undefined;
  if (badMessage !== undefined)
    return err({ code: 'trace', message: `${where} outcome: ${badMessage}` });
  return ok({
    request: {
      cdb: cdb.value,
      lun: lun.value,
      direction: direction.value as CommandRequest['direction'],
      transferLength: transferLength.value,
      timeoutMs: typeof req.value.timeoutMs === 'number' ? req.value.timeoutMs : 0,
      ...(dataOut?.ok ? { dataOut: dataOut.value } : {}),
    },
    outcome: {
      status: status ?? undefined,
      ...(te ? { transportError: te as unknown as TransportError } : {}),
      dataIn: dataIn.value,
      ...(sense?.ok ? { sense: sense.value } : {}),
      residue: residue.value,
      ...(typeof out.value.cswStatus === 'number' ? { cswStatus: out.value.cswStatus } : {}),
      durationMs: typeof out.value.durationMs === 'number' ? out.value.durationMs : 0,
    },
  });
}

/**
 * Why a text field of a trace is not one line of printable text, or undefined when it is. A trace
 * is a file someone may hand over: the replayed device's name and a transport error's message are
 * printed (a terminal reads ESC as an escape sequence, ECMA-48; U+202E reorders what follows).
 */
function unprintable(key: string, value: unknown): string | undefined {
  const at = typeof value === 'string' ? firstUnprintable(value) : undefined;
  return at === undefined ? undefined : `${key} holds a control character (${at})`;
}

/**
 * The longest vendor, product or serial a trace may name its device with: a USB string
 * descriptor's (bLength is one byte: at most 126 UTF-16 code units, USB 2.0 §9.6.7), as long as
 * any name usbcdb records (a profile's manufacturer and product have that bound too). A trace may
 * come from anyone, and its names become the replayed device's label in the device list.
 */
const MAX_DEVICE_TEXT = 126;

function deviceText(v: unknown): boolean {
  return typeof v === 'string' && v.length <= MAX_DEVICE_TEXT;
}

/** Which field of a trace header's device is missing or of the wrong type, in words; undefined when all are right. */
function wrongDeviceField(d: unknown): string | undefined {
  const o = (d ?? {}) as Record<string, unknown>;
  const text = ['id', 'vendor', 'product', 'serial']
    .map((k) => unprintable(k, o[k]))
    .find((why) => why !== undefined);
  if (text !== undefined) return text;
  const checks: [string, boolean][] = [
    ['id must be a string', typeof o['id'] === 'string'],
    [
      'kind must be "emu", "usb" or "replay"',
      ['emu', 'usb', 'replay'].includes(o['kind'] as string),
    ],
    [`vendor must be a string of at most ${MAX_DEVICE_TEXT} characters`, deviceText(o['vendor'])],
    [`product must be a string of at most ${MAX_DEVICE_TEXT} characters`, deviceText(o['product'])],
    [
      'maxLun must be a whole number from 0 to 15',
      Number.isInteger(o['maxLun']) &&
        (o['maxLun'] as number) >= 0 &&
        (o['maxLun'] as number) <= 15,
    ],
    [
      `serial must be a string of at most ${MAX_DEVICE_TEXT} characters when given`,
      o['serial'] === undefined || deviceText(o['serial']),
    ],
  ];
  return checks.find(([, good]) => !good)?.[0];
}

/** A header line, checked; `where` names the line. */
function parseHeader(line: string, where: string): Result<TraceHeader> {
  let header: unknown;
  try {
    header = JSON.parse(line);
  } catch {
    return err({ code: 'trace', message: `${where}: not a usbcdb trace header` });
  }
  const h = header as Partial<TraceHeader> | null;
  if (!h || h.usbcdbTrace !== TRACE_VERSION || typeof h.device !== 'object')
    return err({
      code: 'trace',
      message: `${where}: expected {"usbcdbTrace":${TRACE_VERSION},"device":{…}}`,
    });
  const wrong = wrongDeviceField(h.device);
  if (wrong !== undefined) return err({ code: 'trace', message: `${where}: device.${wrong}` });
  return ok(h as TraceHeader);
}

/** Whether a line is a header (it names the format) rather than an exchange. */
const isHeaderLine = (line: string): boolean => /^\{\s*"usbcdbTrace"\s*:/.test(line);

/** The same device: what a header says of it, field by field. */
const sameDevice = (a: DeviceDescription, b: DeviceDescription): boolean =>
  (['id', 'kind', 'vendor', 'product', 'serial', 'maxLun'] as const).every((k) => a[k] === b[k]);

/**
 * Parses a whole trace; the first bad line is the error, naming its number. `--record` appends,
 * so a file may hold several sessions, each led by its header: those of the device line 1 names
 * are one run of exchanges, in the order recorded; a session of another device is refused.
 */
export function parseTrace(
  text: string,
  name = 'trace',
): Result<{ readonly header: TraceHeader; readonly exchanges: readonly Exchange[] }> {
  const lines = text
    .split('\n')
    .map((l, i) => ({ l: l.trim(), n: i + 1 }))
    .filter((x) => x.l.length > 0);
  const first = lines[0];
  if (!first) return err({ code: 'trace', message: `${name} is empty` });
  const header = parseHeader(first.l, `${name} line ${first.n}`);
  if (!header.ok) return header;
  const exchanges: Exchange[] = [];
  for (const { l, n } of lines.slice(1)) {
    const where = `${name} line ${n}`;
    if (isHeaderLine(l)) {
      const next = parseHeader(l, where);
      if (!next.ok) return next;
      const [was, is] = [header.value.device, next.value.device];
      if (!sameDevice(was, is))
        return err({
          code: 'trace',
          message: `${where}: a session recorded from ${is.id} (${is.vendor} ${is.product}) follows line 1's, from ${was.id} (${was.vendor} ${was.product}); a replay is one device: keep one device's sessions in a file`,
        });
      continue;
    }
    const e = parseExchange(l, where);
    if (!e.ok) return e;
    exchanges.push(e.value);
  }
  return ok({ header: header.value, exchanges });
}
