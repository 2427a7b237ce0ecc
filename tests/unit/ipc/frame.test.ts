/** The web bridge's framing (shared/ipc/frame.ts): byte fields beside the JSON, both ways. */
import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame, MAX_MESSAGE_DEPTH } from '../../../shared/ipc/frame';

describe('encodeFrame / decodeFrame', () => {
  it('carries nested byte fields, a Buffer among them, as bytes and gives them back in place', () => {
    const message = {
      id: 3,
      ok: true,
      value: {
        dataIn: Buffer.from([1, 2, 3]),
        sense: null,
        steps: [{ cdb: Uint8Array.from([0x12, 0, 0, 0, 36, 0]) }, { cdb: new Uint8Array() }],
      },
    };
    const f = encodeFrame(message, 1 << 20);
    if (!f.ok) throw new Error(f.error.message);
    // The JSON holds references, not the bytes: a Buffer's toJSON never ran.
    expect(new TextDecoder().decode(f.value)).not.toContain('"type":"Buffer"');
    const back = decodeFrame(f.value, 1 << 20);
    if (!back.ok) throw new Error(back.error.message);
    const v = back.value as typeof message;
    expect([...v.value.dataIn]).toEqual([1, 2, 3]);
    expect([...(v.value.steps[0]?.cdb ?? [])]).toEqual([0x12, 0, 0, 0, 36, 0]);
    expect(v.value.steps[1]?.cdb).toBeInstanceOf(Uint8Array);
    expect(v.value.sense).toBeNull();
  });

  it('refuses to build a frame over the limit, saying how large it is', () => {
    const r = encodeFrame({ data: new Uint8Array(2 << 20) }, 1 << 20);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/2\.0 MiB, over the 1\.0 MiB/);
  });

  it('refuses a frame longer than the limit before reading it', () => {
    const r = decodeFrame(new Uint8Array(2048), 1024);
    expect(r.ok).toBe(false);
  });

  /** A frame of `json` and no attachments, built by hand: JSON.stringify itself recurses. */
  const textFrame = (json: string): Uint8Array => {
    const text = new TextEncoder().encode(json);
    const f = new Uint8Array(8 + text.length);
    new DataView(f.buffer).setUint32(0, text.length);
    f.set(text, 8);
    return f;
  };
  const nested = (levels: number): string =>
    `{"id":1,"payload":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`;

  it('says a message nested past the limit is nested too deeply, not that it is not JSON', () => {
    for (const levels of [MAX_MESSAGE_DEPTH + 1, 200_000]) {
      const r = decodeFrame(textFrame(nested(levels)), 16 << 20);
      expect(!r.ok && r.error.message, String(levels)).toBe(
        `a message frame holds JSON nested deeper than ${MAX_MESSAGE_DEPTH} levels`,
      );
    }
    expect(decodeFrame(textFrame(nested(MAX_MESSAGE_DEPTH)), 16 << 20).ok).toBe(true);
  });

  it('does not count brackets inside strings, escaped quotes among them, as nesting', () => {
    const value = `\\"${'['.repeat(5000)}\\\\"{`;
    const f = encodeFrame({ id: 1, value }, 1 << 20);
    if (!f.ok) throw new Error(f.error.message);
    const back = decodeFrame(f.value, 1 << 20);
    expect(back.ok && (back.value as { value: string }).value).toBe(value);
  });
});
