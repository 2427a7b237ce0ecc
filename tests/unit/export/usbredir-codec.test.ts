/** usbredir messages: ids as exact numbers, a header apart from its data, and a reader that reuses one buffer. */
import { describe, expect, it } from 'vitest';
import {
  bulkHeader,
  CAP,
  encodeHead,
  encodeMessage,
  MessageReader,
  MSG,
  type Message,
  type Negotiated,
  parseHello,
  capsWords,
} from '../../../src-main/export/usbredir-codec';

const N: Negotiated = { caps: new Set([CAP.ids64, CAP.bulkLength32]) };

/** A reader past the hello, with 64-bit ids and 32-bit bulk lengths. */
function reader(options: { reuseBuffer?: boolean } = {}): MessageReader {
  const r = new MessageReader(options);
  r.push(encodeMessage(MSG.hello, 0, new Uint8Array(64), new Uint8Array(4), false));
  const hello = r.next();
  if (!hello.ok || !hello.value) throw new Error('no hello');
  // Done with the hello, as the exporter is when it asks for the next message.
  if (!r.next().ok) throw new Error('not done with the hello');
  r.wideIds = true;
  r.negotiated = N;
  return r;
}

const bulk = (id: number, data: Uint8Array): Uint8Array =>
  encodeMessage(
    MSG.bulkPacket,
    id,
    bulkHeader({ endpoint: 0x02, status: 0, length: data.length, streamId: 0 }, N),
    data,
    true,
  );

function take(r: MessageReader): Message {
  const m = r.next();
  if (!m.ok || !m.value) throw new Error(m.ok ? 'no message' : m.error.message);
  return m.value;
}

describe('usbredir messages', () => {
  it('carry ids up to 2^53 − 1 exactly, in both 32-bit halves', () => {
    const id = 2 ** 53 - 1;
    const r = reader();
    r.push(bulk(id, Uint8Array.from([1, 2, 3])));
    expect(take(r).id).toBe(id);
    const head = encodeHead(MSG.bulkPacket, 0x1_2345_6789, new Uint8Array(10), 0, true);
    expect(Array.from(head.subarray(8, 16))).toEqual([0x89, 0x67, 0x45, 0x23, 1, 0, 0, 0]);
  });

  it('encode the header apart from the data, counting the data in its length', () => {
    const data = Uint8Array.from({ length: 40 }, (_, i) => i);
    const header = bulkHeader({ endpoint: 0x81, status: 0, length: 40, streamId: 0 }, N);
    const head = encodeHead(MSG.bulkPacket, 7, header, data.length, true);
    const whole = encodeMessage(MSG.bulkPacket, 7, header, data, true);
    expect(Array.from(whole)).toEqual([...head, ...data]);
    expect(head[4]).toBe(10 + 40);
  });
});

describe('MessageReader', () => {
  it('is not ready until the message at its head is whole, and joins its pieces once', () => {
    const r = reader({ reuseBuffer: true });
    const a = bulk(
      1,
      Uint8Array.from({ length: 4096 }, (_, i) => i & 0xff),
    );
    // Each piece in memory of its own, as socket reads come ('data' events).
    r.push(a.slice(0, 100));
    expect(r.next()).toEqual({ ok: true, value: undefined });
    expect(r.ready).toBe(false);
    r.push(a.slice(100, 3000));
    expect(r.ready).toBe(false);
    r.push(a.slice(3000));
    expect(r.ready).toBe(true);
    const first = take(r);
    expect(first.data.length).toBe(4096);
    expect(first.data[4095]).toBe(4095 & 0xff);
    // The next message spanning pieces is joined in the same buffer: the first one's data is gone.
    const b = bulk(2, new Uint8Array(4096).fill(0xee));
    r.push(b.slice(0, 50));
    r.push(b.slice(50));
    const second = take(r);
    expect(second.data.buffer === first.data.buffer).toBe(true);
    expect(first.data[0]).toBe(0xee);
  });

  it('gives each joined message a buffer of its own unless told to reuse one', () => {
    const r = reader();
    const joined: Message[] = [];
    for (const id of [1, 2]) {
      const m = bulk(id, new Uint8Array(1024).fill(id));
      r.push(m.slice(0, 10));
      r.push(m.slice(10));
      joined.push(take(r));
    }
    expect(joined[0]?.data.buffer === joined[1]?.data.buffer).toBe(false);
    expect([joined[0]?.data[0], joined[1]?.data[0]]).toEqual([1, 2]);
  });

  it('lets the rest of a message being joined be read straight into its buffer', () => {
    const r = reader({ reuseBuffer: true });
    expect(r.landing()).toBeUndefined();
    const data = Uint8Array.from({ length: 256 * 1024 }, (_, i) => (i * 7) & 0xff);
    const m = bulk(5, data);
    const after = bulk(6, Uint8Array.from([9, 8, 7]));
    // The header and a first part arrive in a scratch buffer the caller reuses at once.
    const scratch = Uint8Array.from(m.subarray(0, 5000));
    r.push(scratch, false);
    scratch.fill(0);
    expect(r.next()).toEqual({ ok: true, value: undefined });
    // The rest lands in two reads; nothing is offered past the message's end.
    let rest = m.subarray(5000);
    for (const n of [100_000, rest.length - 100_000]) {
      const place = r.landing();
      expect(place?.length).toBe(rest.length);
      expect(r.ready).toBe(false);
      place?.set(rest.subarray(0, n));
      r.landed(n);
      rest = rest.subarray(n);
    }
    expect(r.landing()).toBeUndefined();
    expect(r.ready).toBe(true);
    expect(() => r.landed(1)).toThrow(/no room/);
    // What follows goes through the queue as before.
    r.push(after, false);
    const got = take(r);
    expect(got.id).toBe(5);
    expect(Buffer.compare(got.data, data)).toBe(0);
    expect(Array.from(take(r).data)).toEqual([9, 8, 7]);
  });

  it('starts joining at the read that opens a long message, before `next` is asked', () => {
    const r = reader({ reuseBuffer: true });
    const data = Uint8Array.from({ length: 64 * 1024 }, (_, i) => (i * 5 + 3) & 0xff);
    const m = bulk(7, data);
    const scratch = Uint8Array.from(m.subarray(0, 4096));
    r.push(scratch, false);
    scratch.fill(0);
    // The header was in that read: the rest of the body may land at once.
    expect(r.landing()?.length).toBe(m.length - 4096);
    const place = r.landing();
    place?.set(m.subarray(4096));
    r.landed(m.length - 4096);
    expect(r.ready).toBe(true);
    const got = take(r);
    expect(got.id).toBe(7);
    expect(Buffer.compare(got.data, data)).toBe(0);
  });

  it('never joins over the message it handed out last before `next` is called again', () => {
    const r = reader({ reuseBuffer: true });
    const first = new Uint8Array(8192).fill(0xa1);
    const second = Uint8Array.from({ length: 8192 }, (_, i) => i & 0xff);
    const m1 = bulk(1, first);
    r.push(m1.subarray(0, 100), false);
    r.push(m1.subarray(100), false);
    const got1 = take(r);
    // While the first message is still being handled, a read opens the next long one.
    const m2 = bulk(2, second);
    r.push(m2.subarray(0, 3000), false);
    expect(r.landing()).toBeUndefined();
    expect(got1.data.every((b) => b === 0xa1)).toBe(true);
    // Asked for the next message, the reader joins the second one then.
    expect(r.next()).toEqual({ ok: true, value: undefined });
    r.push(m2.subarray(3000), false);
    const got2 = take(r);
    expect(got2.id).toBe(2);
    expect(Buffer.compare(got2.data, second)).toBe(0);
  });

  it('leaves a read with a header it refuses, or less than a header, to `next`', () => {
    const split = reader({ reuseBuffer: true });
    const m = bulk(3, new Uint8Array(5000).fill(0x33));
    split.push(m.subarray(0, 10), false);
    expect(split.landing()).toBeUndefined();
    split.push(m.subarray(10), false);
    expect(take(split).data.every((b) => b === 0x33)).toBe(true);
    // Type 9999 is no usbredir message: refused when asked, whatever followed it.
    const bad = reader({ reuseBuffer: true });
    const unknown = Uint8Array.from(m);
    unknown.set([0x0f, 0x27, 0, 0], 0);
    bad.push(unknown.subarray(0, 2000), false);
    expect(bad.landing()).toBeUndefined();
    const refused = bad.next();
    expect(refused.ok ? 'accepted' : refused.error.message).toMatch(
      /unknown usbredir message type 9999/,
    );
  });

  it('fills a message being joined first when pieces are pushed, queueing what follows it', () => {
    const r = reader({ reuseBuffer: true });
    const m = bulk(1, new Uint8Array(3000).fill(0x11));
    const next = bulk(2, new Uint8Array(20).fill(0x22));
    r.push(m.subarray(0, 40));
    expect(r.next()).toEqual({ ok: true, value: undefined });
    const tail = new Uint8Array([...m.subarray(40), ...next]);
    r.push(tail, false);
    tail.fill(0);
    expect(r.ready).toBe(true);
    expect(take(r).data.every((b) => b === 0x11)).toBe(true);
    expect(take(r).data.every((b) => b === 0x22)).toBe(true);
  });
});

describe('parseHello', () => {
  it("reads the peer's version as printable ASCII: an escape sequence in it is logged as '.'", () => {
    const header = new Uint8Array(64);
    header.set([0x1b, 0x5b, 0x32, 0x4a, 0x71, 0x9b, 0x6d], 0); // ESC [ 2 J q, CSI m; then NULs
    const hello = parseHello({ type: 0, id: 0, header, data: capsWords([1, 3]) });
    expect(hello.version).toBe('.[2Jq.m');
    expect([...hello.caps]).toEqual([1, 3]);
  });
});
