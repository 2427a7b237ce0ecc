/**
 * How a contract message travels over the web bridge's WebSocket: one binary
 * frame per message, its byte fields carried beside the JSON instead of
 * inside it (style.md lesson 17). Electron IPC needs none of this: a
 * Uint8Array crosses by structured clone.
 *
 * Layout (all integers unsigned 32-bit big-endian):
 *
 *     offset 0        JSON length J
 *     offset 4        attachment count N (at most MAX_ATTACHMENTS)
 *     offset 8        N attachment lengths L0 … L(N-1)
 *     offset 8+4N     J bytes: the envelope as UTF-8 JSON; where a byte field
 *                     was, an object { "$bytes": i } refers to attachment i
 *     then            the attachments, back to back: L0 bytes, L1 bytes, …
 *
 * The header must account for the frame exactly: 8 + 4N + J + ΣL equals the
 * frame's length, every attachment is referred to exactly once, and nothing
 * else in the JSON looks like a reference. A declared length never sizes an
 * allocation: the frame is already in memory (the WebSocket layer bounded
 * it), and each attachment is a view into it.
 */
import { err, ok, type Result } from '../scsi/result';
import { printableText } from '../scsi/printable';

/** Byte fields one message may carry (a probe answers about 30 steps, each a CDB, data and sense). */
export const MAX_ATTACHMENTS = 4096;
const HEADER = 8;
const REF_KEY = '$bytes';

/**
 * Arrays and objects one message may nest: more than any message of the contract has (a decoded
 * answer of a vendor set at its file's 256-level limit stays far below), and far fewer than make
 * JSON.parse's reviver, which recurses once a level, exhaust the stack (about 5,000 in V8).
 */
export const MAX_MESSAGE_DEPTH = 1024;

export function isUint8Array(v: unknown): v is Uint8Array {
  // Realm-independent: a typed array from another frame or from structured clone passes too.
  return ArrayBuffer.isView(v) && Object.prototype.toString.call(v) === '[object Uint8Array]';
}

/**
 * One frame holding `message`, every Uint8Array in it moved beside the JSON.
 * Fails (a programmer error, not hostile input) past MAX_ATTACHMENTS, on a
 * value JSON cannot carry, or when the frame would be over `limit` bytes.
 */
export function encodeFrame(message: unknown, limit: number): Result<Uint8Array<ArrayBuffer>> {
  const attachments: Uint8Array[] = [];
  // A walk before JSON.stringify, not a replacer: stringify calls a Buffer's
  // toJSON (an array of every byte as a number) before a replacer sees it.
  const lift = (value: unknown): unknown => {
    if (isUint8Array(value)) {
      attachments.push(value);
      return { [REF_KEY]: attachments.length - 1 };
    }
    if (Array.isArray(value)) return value.map(lift);
    if (typeof value === 'object' && value !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = lift(v);
      return out;
    }
    return value;
  };
  const json = JSON.stringify(lift(message));
  if (json === undefined) return err({ code: 'frame', message: 'the message is not JSON' });
  if (attachments.length > MAX_ATTACHMENTS)
    return err({
      code: 'frame',
      message: `the message has ${attachments.length} byte fields, over the ${MAX_ATTACHMENTS} a frame carries`,
    });
  const text = new TextEncoder().encode(json);
  const head = HEADER + 4 * attachments.length;
  const total = attachments.reduce((n, a) => n + a.length, head + text.length);
  if (total > limit)
    return err({
      code: 'too-large',
      message: `the message is ${mib(total)} MiB, over the ${mib(limit)} MiB the bridge carries`,
    });
  const frame = new Uint8Array(total);
  const view = new DataView(frame.buffer);
  view.setUint32(0, text.length);
  view.setUint32(4, attachments.length);
  let at = head;
  frame.set(text, at);
  at += text.length;
  for (const [i, a] of attachments.entries()) {
    view.setUint32(HEADER + 4 * i, a.length);
    frame.set(a, at);
    at += a.length;
  }
  return ok(frame);
}

/**
 * The message in `frame`, its references replaced by views of the
 * attachments. Every error names what is wrong, for a reply the peer can read.
 */
export function decodeFrame(frame: Uint8Array, limit: number): Result<unknown> {
  const bad = (message: string): Result<unknown> =>
    err({ code: 'bad-frame', message: `a message frame ${message}` });
  if (frame.length > limit)
    return bad(`is ${mib(frame.length)} MiB, over the ${mib(limit)} MiB allowed`);
  if (frame.length < HEADER)
    return bad(
      `is ${frame.length} bytes, shorter than its 8-byte header (JSON length, attachment count)`,
    );
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const jsonLength = view.getUint32(0);
  const count = view.getUint32(4);
  if (count > MAX_ATTACHMENTS)
    return bad(`declares ${count} attachments, over the ${MAX_ATTACHMENTS} allowed`);
  const head = HEADER + 4 * count;
  if (head > frame.length)
    return bad(`ends inside its table of ${count} attachment lengths (${frame.length} bytes)`);
  // Sums of at most 4097 values under 2^32 stay exact in a double.
  let total = head + jsonLength;
  const lengths: number[] = [];
  for (let i = 0; i < count; i++) {
    const n = view.getUint32(HEADER + 4 * i);
    lengths.push(n);
    total += n;
  }
  if (total !== frame.length)
    return bad(
      `declares ${total} bytes (header, ${jsonLength} bytes of JSON, ${count} attachments) but holds ${frame.length}`,
    );
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(
      frame.subarray(head, head + jsonLength),
    );
  } catch {
    return bad('holds JSON that is not UTF-8');
  }
  if (nestsDeeperThan(text, MAX_MESSAGE_DEPTH))
    return bad(`holds JSON nested deeper than ${MAX_MESSAGE_DEPTH} levels`);
  const parts: Uint8Array[] = [];
  let at = head + jsonLength;
  for (const n of lengths) {
    parts.push(frame.subarray(at, at + n));
    at += n;
  }
  const used = new Array<boolean>(count).fill(false);
  let refError: string | undefined;
  let message: unknown;
  try {
    message = JSON.parse(text, function (this: unknown, _key, value: unknown) {
      if (typeof value !== 'object' || value === null || !Object.hasOwn(value, REF_KEY))
        return value;
      const keys = Object.keys(value);
      const i = (value as Record<string, unknown>)[REF_KEY];
      if (keys.length !== 1 || typeof i !== 'number' || !Number.isInteger(i)) {
        // Quoted from the peer into a reply and the bridge's log: JSON escapes the C0 controls but
        // not C1 or bidirectional overrides, which printableText shows as '.'.
        refError ??= `holds a malformed reference ${printableText(JSON.stringify(value).slice(0, 80))}; a reference is exactly {"$bytes": index}`;
        return null;
      }
      if (i < 0 || i >= count) {
        refError ??= `refers to attachment ${i}, but holds ${count}`;
        return null;
      }
      if (used[i]) {
        refError ??= `refers to attachment ${i} twice`;
        return null;
      }
      used[i] = true;
      return parts[i];
    });
  } catch {
    return bad('holds text that is not JSON');
  }
  if (refError !== undefined) return bad(refError);
  const unused = used.indexOf(false);
  if (unused >= 0) return bad(`carries attachment ${unused}, which nothing refers to`);
  return ok(message);
}

/**
 * Whether `json` opens more than `limit` arrays and objects inside one another: one pass, no
 * recursion, brackets inside strings not counted. Only a bound: the syntax is JSON.parse's to check.
 */
function nestsDeeperThan(json: string, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x22) i = stringEnd(json, i);
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/**
 * Where the string opened by the quote at `open` ends (the text's length when it does not): the
 * next quote not escaped, that is after an even run of backslashes (RFC 8259 §7). The backslashes
 * counted before a quote all lie after the quote before it: time linear in the string's length.
 */
function stringEnd(json: string, open: number): number {
  for (let quote = json.indexOf('"', open + 1); quote >= 0; quote = json.indexOf('"', quote + 1)) {
    let backslashes = 0;
    while (json.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return quote;
  }
  return json.length;
}

/** A byte count in MiB, for messages: "65.0", or "0.004" under 1 MiB. */
export function mib(n: number): string {
  return (n / 1048576).toFixed(n < 1048576 ? 3 : 1);
}
