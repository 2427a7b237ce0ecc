import { describe, expect, it } from 'vitest';
import { buildCdb } from '../../shared/scsi/cdb/build';
import { decodeSense } from '../../shared/scsi/sense';
import { BUILT_IN_SETS } from '../../shared/vendor-sets/registry';
import { resolveByName } from '../../shared/scsi/catalog/resolve';
import { COMMANDS, opcodeGroup } from '../../shared/scsi/catalog';
import { fieldFits } from '../../shared/scsi/catalog/fields';
import { buildFirmwareImage, checkFirmwareImage } from '../../src-main/emulator/microcode';
import type { EmulatedTransport } from '../../src-main/engine/emu';
import { emu, send, senseCodes as codes } from './helpers';

function vendorCdb(alias: string, values: Record<string, number> = {}): Uint8Array {
  const v = resolveByName(alias, BUILT_IN_SETS);
  if (v?.source !== 'vendor') throw new Error(alias);
  const b = buildCdb(v.spec, values);
  if (!b.ok) throw new Error(b.error.message);
  return b.value;
}

const TUR = new Uint8Array(6);
const INQUIRY = Uint8Array.from([0x12, 0, 0, 0, 36, 0]);

async function ready(name: string): Promise<EmulatedTransport> {
  const t = emu(name);
  await send(t, TUR);
  return t;
}

describe('vendor set declarations', () => {
  it('are catalog-shaped rows in C0h–FFh (or a declared reuse of a standard opcode, told apart by a selector) with fields inside their CDBs and no clash with the catalog', () => {
    for (const { spec } of BUILT_IN_SETS.flatMap((set) => set.commands)) {
      if (spec.standardRangeOpcode === undefined)
        expect(opcodeGroup(spec.opcode).vendorSpecific, spec.name).toBe(true);
      else {
        expect(opcodeGroup(spec.opcode).vendorSpecific, spec.name).toBe(false);
        expect(spec.serviceActionField, spec.name).toBeDefined();
        expect(spec.serviceAction, spec.name).toBeDefined();
      }
      for (const f of spec.fields)
        expect(fieldFits(f, spec.cdbLength), `${spec.name} ${f.key}`).toBe(true);
      expect(COMMANDS.some((c) => c.aliases.some((a) => spec.aliases.includes(a)))).toBe(false);
    }
    expect(BUILT_IN_SETS.map((s) => s.name)).toContain('example');
  });
});

describe('the example vendor set on the firmware-updatable drive', () => {
  it('reads the log, sets and gets the LED, reports the firmware version', async () => {
    const t = await ready('fw-updatable');
    const log = await send(t, vendorCdb('example.read-log', { allocationLength: 512 }), {
      transferLength: 512,
    });
    expect(new TextDecoder().decode(log.dataIn)).toMatch(/^power on\n/);
    expect((await send(t, vendorCdb('example.set-led', { state: 2 }))).status).toBe(0);
    expect(
      Array.from((await send(t, vendorCdb('example.get-led'), { transferLength: 1 })).dataIn),
    ).toEqual([2]);
    expect(codes(await send(t, vendorCdb('example.set-led', { state: 7 })))).toBe('5/24/00');
    expect(
      new TextDecoder().decode(
        (await send(t, vendorCdb('example.firmware-version'), { transferLength: 16 })).dataIn,
      ),
    ).toBe('1.00');
  });

  it('downloads firmware in chunks and activates it; INQUIRY then shows the new revision after a unit attention', async () => {
    const t = await ready('fw-updatable');
    const image = buildFirmwareImage('2.00', new Uint8Array(3000).fill(0x5a));
    for (let off = 0; off < image.length; off += 1024) {
      const chunk = image.subarray(off, off + 1024);
      const last = off + 1024 >= image.length;
      const o = await send(
        t,
        vendorCdb('example.firmware-download', {
          offset: off,
          parameterListLength: chunk.length,
          activate: last ? 1 : 0,
        }),
        { dataOut: chunk },
      );
      expect(o.status, `chunk at ${off}`).toBe(0);
    }
    expect(codes(await send(t, TUR))).toBe('6/3f/01');
    const inq = await send(t, INQUIRY, { transferLength: 36 });
    expect(new TextDecoder().decode(inq.dataIn.subarray(32, 36))).toBe('2.00');
  });

  it('rejects a corrupt image with 05/26/00 pointing into the data, and a misaligned offset with 05/24/00', async () => {
    const t = await ready('fw-updatable');
    const image = buildFirmwareImage('9.99', new Uint8Array(100));
    image[50] = 0xff; // the payload was zeros: the checksum no longer matches
    const bad = await send(
      t,
      vendorCdb('example.firmware-download', { parameterListLength: image.length, activate: 1 }),
      { dataOut: image },
    );
    expect(codes(bad)).toBe('5/26/00');
    const s = bad.sense ? decodeSense(bad.sense) : undefined;
    expect(s?.ok && s.value.senseKeySpecific).toMatchObject({
      kind: 'field-pointer',
      inCdb: false,
      fieldPointer: image.length - 4,
    });
    const mis = await send(
      t,
      vendorCdb('example.firmware-download', { offset: 100, parameterListLength: 16 }),
      { dataOut: new Uint8Array(16) },
    );
    expect(codes(mis)).toBe('5/24/00');
  });

  it('is refused with 05/20/00 where the profile has no vendor set, or a bridge filters it', async () => {
    expect(
      codes(
        await send(await ready('flash-stick'), vendorCdb('example.get-led'), { transferLength: 1 }),
      ),
    ).toBe('5/20/00');
    expect(
      codes(
        await send(await ready('sata-bridge'), vendorCdb('example.get-led'), { transferLength: 1 }),
      ),
    ).toBe('5/20/00');
  });
});

describe('the example set’s behaviours keep their state per drive', () => {
  const readLog = async (t: EmulatedTransport): Promise<string> =>
    new TextDecoder().decode(
      (
        await send(t, vendorCdb('example.read-log', { allocationLength: 512 }), {
          transferLength: 512,
        })
      ).dataIn,
    );

  it('logs the drive’s own events: a refused image, then an activated one', async () => {
    const t = await ready('fw-updatable');
    const bad = buildFirmwareImage('9.99', new Uint8Array(16));
    bad[20] = 1;
    await send(
      t,
      vendorCdb('example.firmware-download', { parameterListLength: bad.length, activate: 1 }),
      { dataOut: bad },
    );
    const good = buildFirmwareImage('3.10', new Uint8Array(16));
    await send(
      t,
      vendorCdb('example.firmware-download', { parameterListLength: good.length, activate: 1 }),
      { dataOut: good },
    );
    await send(t, TUR); // the 06/3F/01 unit attention
    expect(await readLog(t)).toBe(
      'power on\nmicrocode rejected: the checksum does not match\nmicrocode 3.10 activated\n',
    );
    expect(
      new TextDecoder().decode(
        (await send(t, vendorCdb('example.firmware-version'), { transferLength: 16 })).dataIn,
      ),
    ).toBe('3.10');
  });

  it('cuts the log to the allocation length and refuses LOG PAGE 1 at byte 2', async () => {
    const t = await ready('fw-updatable');
    const o = await send(t, vendorCdb('example.read-log', { allocationLength: 5 }), {
      transferLength: 5,
    });
    expect(new TextDecoder().decode(o.dataIn)).toBe('power');
    const cdb = vendorCdb('example.read-log', { allocationLength: 16 });
    cdb[2] = 1;
    const bad = await send(t, cdb, { transferLength: 16 });
    expect(codes(bad)).toBe('5/24/00');
    const s = bad.sense ? decodeSense(bad.sense) : undefined;
    expect(s?.ok && s.value.senseKeySpecific).toMatchObject({
      inCdb: true,
      bitPointerValid: false,
      fieldPointer: 2,
    });
  });

  it('keeps one LED per drive', async () => {
    const a = await ready('fw-updatable');
    const b = await ready('fw-updatable');
    await send(a, vendorCdb('example.set-led', { state: 1 }));
    const led = async (t: EmulatedTransport): Promise<number[]> =>
      Array.from((await send(t, vendorCdb('example.get-led'), { transferLength: 1 })).dataIn);
    expect(await led(a)).toEqual([1]);
    expect(await led(b)).toEqual([0]);
  });
});

describe('WRITE BUFFER and READ BUFFER', () => {
  const wb = (mode: number, offset: number, length: number): Uint8Array =>
    Uint8Array.from([
      0x3b,
      mode,
      0,
      (offset >> 16) & 0xff,
      (offset >> 8) & 0xff,
      offset & 0xff,
      (length >> 16) & 0xff,
      (length >> 8) & 0xff,
      length & 0xff,
      0,
    ]);
  const rb = (mode: number, offset: number, length: number): Uint8Array =>
    Uint8Array.from([
      0x3c,
      mode,
      0,
      (offset >> 16) & 0xff,
      (offset >> 8) & 0xff,
      offset & 0xff,
      (length >> 16) & 0xff,
      (length >> 8) & 0xff,
      length & 0xff,
      0,
    ]);

  it('mode 02h data round-trips through READ BUFFER, and 03h describes the buffer', async () => {
    const t = await ready('flash-stick');
    const data = new Uint8Array(600).map((_, i) => i & 0xff);
    expect((await send(t, wb(2, 512, 600), { dataOut: data })).status).toBe(0);
    expect(Array.from((await send(t, rb(2, 512, 600), { transferLength: 600 })).dataIn)).toEqual(
      Array.from(data),
    );
    expect(Array.from((await send(t, rb(3, 0, 4), { transferLength: 4 })).dataIn)).toEqual([
      9, 0x01, 0x00, 0x00,
    ]);
  });

  it('mode 05h downloads and activates a whole image; 0Eh defers until 0Fh', async () => {
    const t = await ready('flash-stick');
    const v2 = buildFirmwareImage('2.50', new Uint8Array(200));
    expect((await send(t, wb(5, 0, v2.length), { dataOut: v2 })).status).toBe(0);
    expect(codes(await send(t, TUR))).toBe('6/3f/01');
    const v3 = buildFirmwareImage('3.00', new Uint8Array(1500));
    expect((await send(t, wb(0x0e, 0, 1024), { dataOut: v3.subarray(0, 1024) })).status).toBe(0);
    expect(
      (await send(t, wb(0x0e, 1024, v3.length - 1024), { dataOut: v3.subarray(1024) })).status,
    ).toBe(0);
    expect(
      new TextDecoder().decode(
        (await send(t, INQUIRY, { transferLength: 36 })).dataIn.subarray(32, 36),
      ),
    ).toBe('2.50');
    expect((await send(t, wb(0x0f, 0, 0))).status).toBe(0);
    expect(codes(await send(t, TUR))).toBe('6/3f/01');
    expect(
      new TextDecoder().decode(
        (await send(t, INQUIRY, { transferLength: 36 })).dataIn.subarray(32, 36),
      ),
    ).toBe('3.00');
    expect(codes(await send(t, wb(0x0f, 0, 0)))).toBe('5/2c/00');
  });

  it('names bad modes, offsets and buffer ids', async () => {
    const t = await ready('flash-stick');
    expect(codes(await send(t, wb(0x03, 0, 0)))).toBe('5/24/00');
    expect(codes(await send(t, wb(0x05, 512, 16), { dataOut: new Uint8Array(16) }))).toBe(
      '5/24/00',
    );
    expect(codes(await send(t, rb(0x02, 0x20000, 16), { transferLength: 16 }))).toBe('5/24/00');
  });
});

describe('firmware images', () => {
  it('round-trip and name what is wrong', () => {
    const img = buildFirmwareImage('1.23', Uint8Array.from([1, 2, 3]));
    expect(checkFirmwareImage(img)).toEqual({ ok: true, value: '1.23' });
    expect(checkFirmwareImage(img.subarray(0, 10))).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/is 10 bytes long/) },
    });
    const wrongMagic = img.slice();
    wrongMagic[0] = 0;
    expect(checkFirmwareImage(wrongMagic)).toMatchObject({ ok: false, error: { byte: 0 } });
  });
});
