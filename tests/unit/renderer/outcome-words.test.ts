/** The words a result's heading and its notes use. */
import { describe, expect, it } from 'vitest';
import { parseHex } from '../../../shared/scsi/hex';
import { decodeSense, encodeDescriptorSense, encodeFixedSense } from '../../../shared/scsi/sense';
import { dataBeforeFailureText, statusWord } from '../../../src-renderer/outcome-words';

const hex = (text: string): Uint8Array => {
  const r = parseHex(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

const sense = (bytes: Uint8Array) => {
  const d = decodeSense(bytes);
  if (!d.ok) throw new Error(d.error.message);
  return d.value;
};

describe('outcome words', () => {
  it('names a status as SAM-5 does, and a transport failure by its kind', () => {
    // statusWord reads only the status and the transport error.
    const o = { status: 0x08, transportError: null };
    expect(statusWord(o as never)).toBe('BUSY');
    expect(
      statusWord({ ...o, status: null, transportError: { kind: 'stall', message: '' } } as never),
    ).toBe('Transport: stall');
  });

  it('says data before a failure is no answer, and for a read’s MEDIUM ERROR which block failed', () => {
    const read10 = hex('28 00 00 00 00 00 00 00 08 00'); // blocks 0–7
    const illegal = sense(encodeFixedSense({ key: 0x5, asc: 0x24, ascq: 0 }));
    expect(dataBeforeFailureText(512, illegal, read10)).toBe(
      'These 512 bytes came in before the command failed. A device may fill the data stage before it reports the failure (BOT 1.0 §6.7.2), so do not take them for its answer.',
    );
    const medium = (block: bigint, deferred = false) =>
      sense(encodeFixedSense({ key: 0x3, asc: 0x11, ascq: 0, information: block, deferred }));
    expect(dataBeforeFailureText(4096, medium(7n), read10)).toMatch(
      /With MEDIUM ERROR, INFORMATION names block 7 as the first the device could not read \(SBC-4\)/,
    );
    // READ(16) at LBA 2^53 + 1, one block: exact past what a double holds.
    const far = 2n ** 53n + 1n;
    const read16 = hex(`88 00 00 20 00 00 00 00 00 01 00 00 00 01 00 00`);
    // Fixed-format INFORMATION holds 32 bits: descriptor format carries the 64-bit block.
    const farSense = sense(
      encodeDescriptorSense({ key: 0x3, asc: 0x11, ascq: 0, information: far }),
    );
    expect(dataBeforeFailureText(512, farSense, read16)).toMatch(
      new RegExp(`names block ${far} as the first`),
    );
    // Not this command's block: outside the read, a deferred error, another command.
    for (const [s, cdb] of [
      [medium(8n), read10],
      [medium(7n, true), read10],
      [medium(7n), hex('12 00 00 00 24 00')],
    ] as const)
      expect(dataBeforeFailureText(4096, s, cdb)).not.toMatch(/MEDIUM ERROR/);
    expect(dataBeforeFailureText(1, undefined, read10)).toMatch(
      /^This byte came in .* do not take it for/,
    );
  });
});
