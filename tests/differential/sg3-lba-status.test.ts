/**
 * Differential test: usbcdb's reading of GET LBA STATUS data
 * (shared/scsi/parsers/lba-status.ts and its rows) against sg3_utils'
 * `sg_get_lba_status --inhex=FILE`, which decodes the data without a device.
 * Answers built from a fixed seed: every completion condition, RTP, 1 to 12
 * descriptors with 64-bit LBAs, 32-bit block counts, every provisioning
 * status (reserved ones included) and the additional status. Each must agree
 * in the completion condition, RTP, and every descriptor's LBA, block count,
 * provisioning status and whether it may return unrecovered errors.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatHex } from '../../shared/scsi/hex';
import { describeLbaStatus, parseLbaStatus } from '../../shared/scsi/parsers';
import { testTempDir } from '../temp-dir';
import { runSg3 } from './peers';
import { seeded } from './seeded';

const next = seeded(0x61ba);

function answer(): Uint8Array {
  const count = 1 + next(12);
  const data = new Uint8Array(8 + count * 16);
  const view = new DataView(data.buffer);
  view.setUint32(0, data.length - 4);
  data[7] = (next(5) << 1) | next(2); // COMPLETION CONDITION 0–4 (4 reserved), RTP
  for (let i = 0; i < count; i++) {
    const at = 8 + i * 16;
    view.setUint32(at, next(2) === 0 ? 0 : next(0x10000));
    view.setUint32(at + 4, next(0x100000000));
    view.setUint32(at + 8, next(0x100000000));
    data[at + 12] = next(3) === 0 ? next(16) : next(5); // PROVISIONING STATUS (5h–Fh reserved)
    data[at + 13] = [0, 0, 1, 2][next(4)] ?? 0;
  }
  return data;
}

/** sg_get_lba_status's words for the completion conditions (sg_get_lba_status.c), by value. */
const SG_COMPLETION: readonly RegExp[] = [
  /^No indication of the completion condition/,
  /^Command completed due to meeting allocation length/,
  /^Command completed due to meeting scan length/,
  /^Command completed due to meeting capacity of medium/,
];

/** sg_get_lba_status's provisioning status words, by value; others print the number. */
const SG_PROVISIONING = ['mapped (or unknown)', 'deallocated', 'anchored', 'mapped', 'unknown'];

function theirs(data: Uint8Array, file: string): string[] {
  writeFileSync(file, `${formatHex(data)}\n`);
  const out = runSg3('sg_get_lba_status', [`--inhex=${file}`, `--maxlen=${data.length}`]);
  return out.split('\n').flatMap((line): string[] => {
    const completion = SG_COMPLETION.findIndex((re) => re.test(line));
    if (completion >= 0) return [`completion ${completion}`];
    const reserved = /^Command completion is reserved \[(\d+)\]/.exec(line);
    if (reserved) return [`completion ${reserved[1]}`];
    const rtp = /^RTP=(\d)/.exec(line);
    if (rtp) return [`rtp ${rtp[1]}`];
    const d =
      /^\[\d+\] LBA: 0x([0-9a-f]{16}) +blocks: +(\d+) +(.*?)( \[may return unrecovered errors\]| \[add_status: 0x[0-9a-f]+\])?$/.exec(
        line,
      );
    if (!d) return [];
    const named = SG_PROVISIONING.indexOf(d[3] ?? '');
    const status = named >= 0 ? named : Number(/Provisioning status: (\d+)/.exec(d[3] ?? '')?.[1]);
    const unrecovered = d[4] === ' [may return unrecovered errors]';
    return [`${BigInt(`0x${d[1]}`)} ${d[2]} ${status}${unrecovered ? ' unrecovered' : ''}`];
  });
}

/** The same from usbcdb: the parsed fields, and the rows' words for the additional status. */
function ours(data: Uint8Array): string[] {
  const parsed = parseLbaStatus(data);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const s = parsed.value;
  const rows = describeLbaStatus(s);
  return [
    `completion ${s.completion}`,
    `rtp ${s.rtp ? 1 : 0}`,
    ...s.descriptors.map((d) => {
      const text = rows.find((r) => r.bytes[0] === d.offset)?.value ?? '';
      const unrecovered = text.endsWith(', may return unrecovered errors');
      return `${d.lba} ${d.blocks} ${d.provisioning}${unrecovered ? ' unrecovered' : ''}`;
    }),
  ];
}

describe('GET LBA STATUS data against sg_get_lba_status --inhex', () => {
  const answers = Array.from({ length: 60 }, answer);

  it(`reads ${answers.length} answers as sg_get_lba_status does`, () => {
    const dir = testTempDir('sg-lba-status');
    const differences = answers.flatMap((data, i) => {
      const mine = ours(data);
      const sg = theirs(data, join(dir, `lba-${i}.hex`));
      return JSON.stringify(mine) === JSON.stringify(sg)
        ? []
        : [`${formatHex(data)}: usbcdb ${JSON.stringify(mine)}, sg ${JSON.stringify(sg)}`];
    });
    expect(differences).toEqual([]);
  });
});
