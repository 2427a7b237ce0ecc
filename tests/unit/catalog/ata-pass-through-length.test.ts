/**
 * The data phase of ATA PASS-THROUGH(16) and (12) (SAT-4): T_LENGTH picks
 * FEATURES or COUNT, EXTEND=1 makes their 15:8 byte part of the length in
 * PT(16), BYT_BLOK and T_TYPE give the unit, T_DIR the direction. One table,
 * read through dataTransferOf like every consumer reads it.
 */
import { describe, expect, it } from 'vitest';
import {
  dataTransferOf,
  findByName,
  type CommandSpec,
  type Direction,
} from '../../../shared/scsi/catalog';
import { describePosition } from '../../../shared/scsi/catalog/fields';

const ata16 = findByName('ata16') as CommandSpec;
const ata12 = findByName('ata12') as CommandSpec;

interface PtFields {
  readonly protocol?: number;
  readonly extend?: 0 | 1;
  readonly tType?: 0 | 1;
  readonly tDir: 0 | 1;
  readonly bytBlok: 0 | 1;
  readonly tLength: 0 | 1 | 2 | 3;
  readonly featuresHigh?: number;
  readonly features?: number;
  readonly countHigh?: number;
  readonly count?: number;
  readonly command?: number;
}

/** Byte 2 of both CDBs: T_TYPE (4), T_DIR (3), BYT_BLOK (2), T_LENGTH (1:0). */
const flags = (p: PtFields): number =>
  ((p.tType ?? 0) << 4) | (p.tDir << 3) | (p.bytBlok << 2) | p.tLength;

/** PT(16): 85h, PROTOCOL<<1|EXTEND, flags, FEATURES 15:8, 7:0, COUNT 15:8, 7:0, LBA…, DEVICE, COMMAND, CONTROL. */
function pt16(p: PtFields): Uint8Array {
  const cdb = new Uint8Array(16);
  cdb[0] = 0x85;
  cdb[1] = ((p.protocol ?? 6) << 1) | (p.extend ?? 0);
  cdb[2] = flags(p);
  cdb[3] = p.featuresHigh ?? 0;
  cdb[4] = p.features ?? 0;
  cdb[5] = p.countHigh ?? 0;
  cdb[6] = p.count ?? 0;
  cdb[13] = 0x40;
  cdb[14] = p.command ?? 0x35;
  return cdb;
}

/** PT(12): A1h, PROTOCOL<<1, flags, FEATURES, COUNT, LBA low/mid/high, DEVICE, COMMAND, reserved, CONTROL. */
function pt12(p: PtFields): Uint8Array {
  const cdb = new Uint8Array(12);
  cdb[0] = 0xa1;
  cdb[1] = (p.protocol ?? 6) << 1;
  cdb[2] = flags(p);
  cdb[3] = p.features ?? 0;
  cdb[4] = p.count ?? 0;
  cdb[8] = 0x40;
  cdb[9] = p.command ?? 0xca;
  return cdb;
}

interface Row {
  readonly what: string;
  readonly spec: CommandSpec;
  readonly cdb: Uint8Array;
  readonly blockSize?: number;
  readonly direction: Direction;
  readonly bytes: number | undefined;
}

const ROWS: readonly Row[] = [
  // PT(16), T_LENGTH=2 (COUNT), BYT_BLOK=1, T_TYPE=0 (512-byte blocks).
  {
    what: 'PT(16) EXTEND=1 data-out, COUNT 0100h: 256 blocks (WRITE DMA EXT)',
    spec: ata16,
    cdb: pt16({ extend: 1, tDir: 0, bytBlok: 1, tLength: 2, countHigh: 0x01, count: 0x00 }),
    direction: 'out',
    bytes: 256 * 512,
  },
  {
    what: 'PT(16) EXTEND=1 data-in, COUNT 0200h: 512 blocks (READ DMA EXT)',
    spec: ata16,
    cdb: pt16({
      extend: 1,
      tDir: 1,
      bytBlok: 1,
      tLength: 2,
      countHigh: 0x02,
      count: 0x00,
      command: 0x25,
    }),
    direction: 'in',
    bytes: 512 * 512,
  },
  {
    what: 'PT(16) EXTEND=1 data-out, COUNT 0108h: both bytes count',
    spec: ata16,
    cdb: pt16({ extend: 1, tDir: 0, bytBlok: 1, tLength: 2, countHigh: 0x01, count: 0x08 }),
    direction: 'out',
    bytes: 0x108 * 512,
  },
  {
    what: 'PT(16) EXTEND=0 data-out: COUNT (15:8) is ignored, COUNT 08h is 8 blocks',
    spec: ata16,
    cdb: pt16({ extend: 0, tDir: 0, bytBlok: 1, tLength: 2, countHigh: 0x01, count: 0x08 }),
    direction: 'out',
    bytes: 8 * 512,
  },
  {
    what: 'PT(16) EXTEND=0 data-in: COUNT (15:8) is ignored, COUNT 01h is 1 block',
    spec: ata16,
    cdb: pt16({ extend: 0, tDir: 1, bytBlok: 1, tLength: 2, countHigh: 0xff, count: 0x01 }),
    direction: 'in',
    bytes: 512,
  },
  {
    what: 'PT(16) EXTEND=0 data-out, COUNT 7:0 = 0 and 15:8 = 01h: no data phase',
    spec: ata16,
    cdb: pt16({ extend: 0, tDir: 0, bytBlok: 1, tLength: 2, countHigh: 0x01, count: 0x00 }),
    direction: 'none',
    bytes: 0,
  },
  {
    what: 'PT(16) EXTEND=1, COUNT 0000h: a zero length moves no data (not 65536 sectors)',
    spec: ata16,
    cdb: pt16({ extend: 1, tDir: 1, bytBlok: 1, tLength: 2 }),
    direction: 'none',
    bytes: 0,
  },
  // PT(16), T_LENGTH=1 (FEATURES).
  {
    what: 'PT(16) EXTEND=1 data-in, T_LENGTH=1, BYT_BLOK=0: FEATURES 0200h is 512 bytes',
    spec: ata16,
    cdb: pt16({ extend: 1, tDir: 1, bytBlok: 0, tLength: 1, featuresHigh: 0x02, features: 0x00 }),
    direction: 'in',
    bytes: 512,
  },
  {
    what: 'PT(16) EXTEND=1 data-out, T_LENGTH=1, BYT_BLOK=1: FEATURES 0100h is 256 blocks',
    spec: ata16,
    cdb: pt16({ extend: 1, tDir: 0, bytBlok: 1, tLength: 1, featuresHigh: 0x01, count: 0x05 }),
    direction: 'out',
    bytes: 256 * 512,
  },
  {
    what: 'PT(16) EXTEND=0 data-out, T_LENGTH=1, BYT_BLOK=0: only FEATURES (7:0), 10h bytes',
    spec: ata16,
    cdb: pt16({ extend: 0, tDir: 0, bytBlok: 0, tLength: 1, featuresHigh: 0xff, features: 0x10 }),
    direction: 'out',
    bytes: 16,
  },
  {
    what: 'PT(16) EXTEND=0 data-in, T_LENGTH=1, BYT_BLOK=1: FEATURES 02h is 2 blocks',
    spec: ata16,
    cdb: pt16({ extend: 0, tDir: 1, bytBlok: 1, tLength: 1, featuresHigh: 0x07, features: 0x02 }),
    direction: 'in',
    bytes: 1024,
  },
  // Units: T_TYPE.
  {
    what: 'PT(16) T_TYPE=1 with BYT_BLOK=1: COUNT 0100h logical sectors of 4096 bytes',
    spec: ata16,
    cdb: pt16({ extend: 1, tType: 1, tDir: 0, bytBlok: 1, tLength: 2, countHigh: 0x01 }),
    blockSize: 4096,
    direction: 'out',
    bytes: 256 * 4096,
  },
  {
    what: 'PT(16) T_TYPE=0 with BYT_BLOK=1: 512-byte blocks even on a 4096-byte drive',
    spec: ata16,
    cdb: pt16({ extend: 1, tType: 0, tDir: 1, bytBlok: 1, tLength: 2, count: 0x02 }),
    blockSize: 4096,
    direction: 'in',
    bytes: 1024,
  },
  {
    what: 'PT(16) T_TYPE=1 with BYT_BLOK=0: bytes, T_TYPE does not matter',
    spec: ata16,
    cdb: pt16({ extend: 1, tType: 1, tDir: 1, bytBlok: 0, tLength: 2, countHigh: 0x01 }),
    blockSize: 4096,
    direction: 'in',
    bytes: 256,
  },
  // T_LENGTH 0 and 3.
  {
    what: 'PT(16) T_LENGTH=0: no data phase whatever COUNT holds',
    spec: ata16,
    cdb: pt16({ extend: 1, tDir: 1, bytBlok: 1, tLength: 0, countHigh: 0x01, count: 0x01 }),
    direction: 'none',
    bytes: 0,
  },
  {
    what: 'PT(16) T_LENGTH=3: T_DIR gives the direction, only the transport the length',
    spec: ata16,
    cdb: pt16({ extend: 1, tDir: 0, bytBlok: 1, tLength: 3, count: 0x01 }),
    direction: 'out',
    bytes: undefined,
  },
  // PT(12): no EXTEND, 8-bit FEATURES and COUNT.
  {
    what: 'PT(12) data-out, T_LENGTH=2, BYT_BLOK=1: COUNT 08h is 8 blocks',
    spec: ata12,
    cdb: pt12({ tDir: 0, bytBlok: 1, tLength: 2, count: 0x08 }),
    direction: 'out',
    bytes: 8 * 512,
  },
  {
    what: 'PT(12) data-in, T_LENGTH=2, BYT_BLOK=1: COUNT FFh is 255 blocks',
    spec: ata12,
    cdb: pt12({ tDir: 1, bytBlok: 1, tLength: 2, count: 0xff, command: 0xc8 }),
    direction: 'in',
    bytes: 255 * 512,
  },
  {
    what: 'PT(12) data-in, COUNT 00h: no data (SAT, unlike ATA, gives 0 no 256-sector meaning)',
    spec: ata12,
    cdb: pt12({ tDir: 1, bytBlok: 1, tLength: 2, count: 0x00, command: 0xc8 }),
    direction: 'none',
    bytes: 0,
  },
  {
    what: 'PT(12) data-in, T_LENGTH=1, BYT_BLOK=0: FEATURES 20h is 32 bytes',
    spec: ata12,
    cdb: pt12({ tDir: 1, bytBlok: 0, tLength: 1, features: 0x20, count: 0x01 }),
    direction: 'in',
    bytes: 32,
  },
  {
    what: 'PT(12) data-out, T_LENGTH=1, BYT_BLOK=1: FEATURES 03h is 3 blocks',
    spec: ata12,
    cdb: pt12({ tDir: 0, bytBlok: 1, tLength: 1, features: 0x03, count: 0x09 }),
    direction: 'out',
    bytes: 3 * 512,
  },
  {
    what: 'PT(12) T_TYPE=1: COUNT 02h logical sectors of 4096 bytes',
    spec: ata12,
    cdb: pt12({ tType: 1, tDir: 1, bytBlok: 1, tLength: 2, count: 0x02 }),
    blockSize: 4096,
    direction: 'in',
    bytes: 2 * 4096,
  },
  {
    what: 'PT(12) byte 1 bit 0 (reserved, no EXTEND): COUNT stays 8 bits',
    spec: ata12,
    cdb: ((c) => ((c[1] = (c[1] ?? 0) | 1), c))(
      pt12({ tDir: 0, bytBlok: 1, tLength: 2, count: 0x04 }),
    ),
    direction: 'out',
    bytes: 4 * 512,
  },
];

describe('ATA PASS-THROUGH data phase (SAT-4 T_LENGTH, BYT_BLOK, T_TYPE, EXTEND)', () => {
  it.each(ROWS.map((r) => [r.what, r] as const))('%s', (_what, r) => {
    const t = dataTransferOf(r.cdb, r.spec, r.blockSize);
    expect({ direction: t.direction, bytes: t.bytes }).toEqual({
      direction: r.direction,
      bytes: r.bytes,
    });
  });

  it('with EXTEND=1 the length field is COUNT (15:8) and (7:0) joined: bytes 5–6, 16 bits', () => {
    const t = dataTransferOf(
      pt16({ extend: 1, tDir: 0, bytBlok: 1, tLength: 2, countHigh: 0x01, count: 0x00 }),
      ata16,
    );
    const f = t.phase.field;
    expect(f).toMatchObject({ key: 'count', name: 'COUNT (15:8) + COUNT (7:0)', width: 16 });
    expect(f && describePosition(f)).toBe('bytes 5–6');
    expect(t.phase.units).toBe(256);
    expect(t.phase.rule?.highField).toBe('countHigh');
  });

  it('with EXTEND=0 the length field is COUNT (7:0) alone, byte 6', () => {
    const t = dataTransferOf(
      pt16({ extend: 0, tDir: 0, bytBlok: 1, tLength: 2, countHigh: 0x01, count: 0x02 }),
      ata16,
    );
    expect(t.phase.field).toMatchObject({ key: 'count', byte: 6, width: 8 });
    expect(t.phase.rule?.highField).toBeUndefined();
  });

  it('PT(12) declares no rule with a high field, since it has no 15:8 bytes', () => {
    expect(ata12.length.some((r) => r.highField !== undefined)).toBe(false);
    expect(ata16.length.filter((r) => r.highField !== undefined)).toHaveLength(12);
  });
});
