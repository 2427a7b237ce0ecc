import { describe, expect, it } from 'vitest';
import { encodeCbw } from '../../shared/bot/cbw';
import { decodeCsw } from '../../shared/bot/csw';
import { bomsReset, getMaxLun } from '../../shared/bot/requests';
import { asByteCount, asLun } from '../../shared/scsi/brand';
import { formatHex } from '../../shared/scsi/hex';
import type { Result } from '../../shared/scsi/result';
import {
  logParameterText,
  parseInquiry,
  parseLogSense,
  parseReadCapacity10,
  parseReadCapacity16,
  parseSupportedOpcodes,
  parseVpd,
} from '../../shared/scsi/parsers';
import { decodeSense } from '../../shared/scsi/sense';
import { BotDevice } from '../../src-main/emulator/bot-device';
import { DiskLu } from '../../src-main/emulator/disk';
import { MemoryStore } from '../../src-main/emulator/store';
import { EmulatedTransport } from '../../src-main/engine/emu';
import { openDevice } from '../../src-main/engine/device-string';
import { hex, profile, readyEmu, send, senseCodes, senseSpecific } from './helpers';

describe('the emulated disk through Bulk-Only Transport', () => {
  it('reports the power-on unit attention once, then is ready', async () => {
    const t = new EmulatedTransport(profile('flash-stick'));
    const first = await send(t, '00 00 00 00 00 00');
    expect(first.status).toBe(2);
    expect(senseCodes(first)).toBe('6/29/00');
    expect((await send(t, '00 00 00 00 00 00')).status).toBe(0);
  });

  it('answers INQUIRY without the unit attention, with the profile identity', async () => {
    const t = new EmulatedTransport(profile('flash-stick'));
    const o = await send(t, '12 00 00 00 24 00', { transferLength: 36 });
    expect(o).toMatchObject({ status: 0, residue: 0 });
    const inq = parseInquiry(o.dataIn);
    expect(inq.ok && inq.value).toMatchObject({
      vendor: 'USBCDB',
      product: 'Flash Stick',
      version: 5,
      removable: true,
    });
  });

  it("answers the report's CDB on the default profile: its 96 bytes, padded to 512 with residue 416", async () => {
    const t = new EmulatedTransport(profile('flash-stick'));
    const o = await send(t, '12 00 00 24 00 00', { transferLength: 512 });
    expect(o).toMatchObject({ status: 0, residue: 416 });
    expect(o.dataIn).toHaveLength(96);
    // An SPC-3 drive: SPC-3, SBC-3 and USB Bulk-Only Transport 1.0 in its version descriptors.
    const inq = parseInquiry(o.dataIn);
    expect(inq.ok && inq.value.versionDescriptors.map((v) => v.value)).toEqual([
      0x0300, 0x04c0, 0x1730,
    ]);
  });

  it("rejects the report's CDB on the strict SPC-2 bridge with 05/24/00 pointing at byte 3", async () => {
    const t = new EmulatedTransport(profile('spc2-bridge'));
    const o = await send(t, '12 00 00 24 00 00', { transferLength: 512 });
    expect(o.status).toBe(2);
    expect(senseCodes(o)).toBe('5/24/00');
    const s = o.sense ? decodeSense(o.sense) : undefined;
    expect(s?.ok && s.value.senseKeySpecific).toEqual({
      kind: 'field-pointer',
      inCdb: true,
      bitPointerValid: true,
      bitPointer: 5,
      fieldPointer: 3,
    });
    // …and reads the one-byte SPC-2 allocation length in byte 4.
    const good = await send(t, '12 00 00 00 24 00', { transferLength: 36 });
    expect(good).toMatchObject({ status: 0, residue: 0 });
  });

  it('refuses what SPC-2 INQUIRY refuses on the SPC-2 bridge: CMDDT (no command support data), EVPD with CMDDT, a PAGE CODE with neither', async () => {
    const t = new EmulatedTransport(profile('spc2-bridge'));
    const pointer = (fieldPointer: number, bitPointer?: number) => ({
      kind: 'field-pointer',
      inCdb: true,
      fieldPointer,
      bitPointerValid: bitPointer !== undefined,
      bitPointer: bitPointer ?? 0,
    });
    for (const [cdb, at] of [
      ['12 02 12 00 24 00', pointer(1, 1)],
      ['12 03 00 00 24 00', pointer(1, 1)],
      ['12 00 80 00 24 00', pointer(2)],
    ] as const) {
      const o = await send(t, cdb, { transferLength: 36 });
      expect(senseCodes(o), cdb).toBe('5/24/00');
      expect(senseSpecific(o), cdb).toEqual(at);
    }
    expect((await send(t, '12 01 80 00 24 00', { transferLength: 36 })).status).toBe(0);
  });

  it('answers unknown and vendor opcodes with 05/20/00', async () => {
    const t = new EmulatedTransport(profile('flash-stick'));
    await send(t, '00 00 00 00 00 00');
    expect(senseCodes(await send(t, 'c0 00 00 00 00 00 00 00 00 00'))).toBe('5/20/00');
    expect(
      senseCodes(await send(t, '4d 00 00 00 00 00 00 02 00 00', { transferLength: 512 })),
    ).toBe('5/20/00');
  });

  it('reads back what it wrote, and refuses LBAs past the end with 05/21/00', async () => {
    const t = new EmulatedTransport(profile('flash-stick'));
    await send(t, '00 00 00 00 00 00');
    const block = new Uint8Array(1024).map((_, i) => (i * 7) & 0xff);
    expect((await send(t, '2a 00 00 00 00 10 00 00 02 00', { dataOut: block })).status).toBe(0);
    const back = await send(t, '28 00 00 00 00 10 00 00 02 00', { transferLength: 1024 });
    expect(formatHex(back.dataIn)).toBe(formatHex(block));
    const cap = parseReadCapacity10(
      (await send(t, '25 00 00 00 00 00 00 00 00 00', { transferLength: 8 })).dataIn,
    );
    expect(cap.ok && cap.value).toMatchObject({ lastLba: 262143n, blockLength: 512 });
    expect(
      senseCodes(await send(t, '28 00 00 03 ff ff 00 00 02 00', { transferLength: 1024 })),
    ).toBe('5/21/00');
    // READ(6) with TRANSFER LENGTH 0 reads 256 blocks.
    expect((await send(t, '08 00 00 00 00 00', { transferLength: 256 * 512 })).dataIn).toHaveLength(
      256 * 512,
    );
  });

  it("reads into the caller's buffer when given one, as SG_IO does: the data-in is a view of it", async () => {
    const t = new EmulatedTransport(profile('flash-stick'));
    await send(t, '00 00 00 00 00 00');
    const block = new Uint8Array(1024).map((_, i) => (i * 11 + 5) & 0xff);
    await send(t, '2a 00 00 00 00 20 00 00 02 00', { dataOut: block });
    const into = new Uint8Array(4096);
    const read = {
      cdb: Uint8Array.from([0x28, 0, 0, 0, 0, 0x20, 0, 0, 2, 0]),
      lun: 0,
      direction: 'in' as const,
      transferLength: 1024,
      timeoutMs: 1000,
    };
    const back = await t.execute(read, into);
    expect(back.status).toBe(0);
    expect(back.dataIn.buffer === into.buffer).toBe(true);
    expect(formatHex(back.dataIn)).toBe(formatHex(block));
    // A failed READ leaves its sense as before; the buffer only ever holds data-in.
    const past = await t.execute(
      { ...read, cdb: Uint8Array.from([0x28, 0, 0, 3, 0xff, 0xff, 0, 0, 2, 0]) },
      into,
    );
    expect(senseCodes(past)).toBe('5/21/00');
  });

  it('keeps sense for REQUEST SENSE, in fixed or descriptor format', async () => {
    const t = new EmulatedTransport(profile('flash-stick'));
    const lu = t.lu;
    await lu.execute(hex('c0 00 00 00 00 00 00 00 00 00'));
    const fixed = await lu.execute(hex('03 00 00 00 12 00'));
    expect(formatHex(fixed.dataIn)).toBe('70 00 06 00 00 00 00 0a 00 00 00 00 29 00 00 00 00 00');
    await lu.execute(hex('c0 00 00 00 00 00 00 00 00 00'));
    const desc = await lu.execute(hex('03 01 00 00 12 00'));
    expect(formatHex(desc.dataIn)).toBe('72 05 20 00 00 00 00 00');
  });

  it('reports a medium removed by START STOP UNIT as 02/3A/00, unless removal is prevented', async () => {
    const t = new EmulatedTransport(profile('flash-stick'));
    await send(t, '00 00 00 00 00 00');
    expect((await send(t, '1e 00 00 00 01 00')).status).toBe(0);
    expect(senseCodes(await send(t, '1b 00 00 00 02 00'))).toBe('5/53/02');
    await send(t, '1e 00 00 00 00 00');
    expect((await send(t, '1b 00 00 00 02 00')).status).toBe(0);
    expect(senseCodes(await send(t, '00 00 00 00 00 00'))).toBe('2/3a/00');
  });

  it('refuses every command that reaches the medium with 02/3A/00 while it is out, and changes no block', async () => {
    const t = new EmulatedTransport(profile('flash-stick'));
    await send(t, '00 00 00 00 00 00');
    await send(t, '2a 00 00 00 00 08 00 00 01 00', { dataOut: new Uint8Array(512).fill(5) });
    expect((await send(t, '1b 00 00 00 02 00')).status).toBe(0);
    const block = new Uint8Array(512).fill(0xee);
    // One UNMAP block descriptor: LBA 8, 1 block (SBC-4, UNMAP parameter list).
    const unmapList = hex(
      '00 16 00 10 00 00 00 00  00 00 00 00 00 00 00 08  00 00 00 01 00 00 00 00',
    );
    const refused: [string, string, Partial<Parameters<typeof send>[2]>][] = [
      ['WRITE AND VERIFY(10)', '2e 00 00 00 00 08 00 00 01 00', { dataOut: block }],
      ['WRITE AND VERIFY(12)', 'ae 00 00 00 00 08 00 00 00 01 00 00', { dataOut: block }],
      [
        'WRITE AND VERIFY(16)',
        '8e 00 00 00 00 00 00 00 00 08 00 00 00 01 00 00',
        { dataOut: block },
      ],
      ['WRITE SAME(10)', '41 00 00 00 00 08 00 00 01 00', { dataOut: block }],
      ['WRITE SAME(16)', '93 00 00 00 00 00 00 00 00 08 00 00 00 01 00 00', { dataOut: block }],
      ['UNMAP', '42 00 00 00 00 00 00 00 18 00', { dataOut: unmapList }],
      [
        'GET LBA STATUS(16)',
        '9e 12 00 00 00 00 00 00 00 08 00 00 00 20 00 00',
        { transferLength: 32 },
      ],
      ['VERIFY(12)', 'af 00 00 00 00 08 00 00 00 01 00 00', {}],
    ];
    for (const [name, cdb, extra] of refused)
      expect(senseCodes(await send(t, cdb, extra)), name).toBe('2/3a/00');
    expect((await send(t, '1b 00 00 00 03 00')).status).toBe(0);
    const back = await send(t, '28 00 00 00 00 08 00 00 01 00', { transferLength: 512 });
    expect([...back.dataIn]).toEqual([...new Uint8Array(512).fill(5)]);
  });

  it('returns mode pages, VPD pages and the supported opcodes it implements', async () => {
    const t = new EmulatedTransport(profile('flash-stick'));
    await send(t, '00 00 00 00 00 00');
    const mode = await send(t, '1a 00 3f 00 ff 00', { transferLength: 255 });
    expect(mode.status).toBe(0);
    expect(mode.dataIn[0]).toBe(mode.dataIn.length - 1);
    expect(senseCodes(await send(t, '1a 00 05 00 ff 00', { transferLength: 255 }))).toBe('5/24/00');
    const vpd80 = await send(t, '12 01 80 00 ff 00', { transferLength: 255 });
    expect(new TextDecoder().decode(vpd80.dataIn.subarray(4))).toBe('0123456789AB');
    expect(senseCodes(await send(t, '12 00 80 00 ff 00', { transferLength: 255 }))).toBe('5/24/00');
    const rsoc = await send(t, 'a3 0c 00 00 00 00 00 00 10 00 00 00', { transferLength: 4096 });
    expect(rsoc.status).toBe(0);
    const one = await send(t, 'a3 0c 01 12 00 00 00 00 00 20 00 00', { transferLength: 32 });
    expect(formatHex(one.dataIn)).toBe('00 03 00 06 12 01 ff ff ff 05');
  });
});

describe('Bulk-Only cases from both sides', () => {
  it('case 4 (Hi > Dn): TEST UNIT READY with a 512-byte buffer — padded by default, stalled by the SPC-2 bridge', async () => {
    for (const name of ['flash-stick', 'spc2-bridge']) {
      const t = new EmulatedTransport(profile(name));
      await send(t, '00 00 00 00 00 00');
      const o = await send(t, '00 00 00 00 00 00', { transferLength: 512 });
      expect(o, name).toMatchObject({ status: 0, residue: 512 });
      expect(o.dataIn).toHaveLength(0);
    }
  });

  it('case 7 (Hi < Di): truncated silently by the QEMU-like stick, a phase error on the strict bridge', async () => {
    const lenient = new EmulatedTransport(profile('flash-stick'));
    expect(await send(lenient, '12 00 00 00 24 00', { transferLength: 8 })).toMatchObject({
      status: 0,
      residue: 0,
    });
    const strict = new EmulatedTransport(profile('spc2-bridge'));
    const o = await send(strict, '12 00 00 00 24 00', { transferLength: 8 });
    expect(o.transportError?.kind).toBe('phase-error');
    // Reset recovery happened: the next command works.
    expect((await send(strict, '12 00 00 00 24 00', { transferLength: 36 })).status).toBe(0);
  });

  it('case 4 (Hi > Di) for an allocation length past what the drive can buffer: REPORT LUNS with FFFFFFFFh answers its LUN list', async () => {
    // An ALLOCATION LENGTH is the most the host takes (SPC-5 4.2.5.6), not a demand: the drive
    // answers the 16 bytes it has. It used to take 4 GiB for the data it must move, and refused.
    const t = await readyEmu('flash-stick');
    const o = await send(t, 'a0 00 00 00 00 00 ff ff ff ff 00 00', { transferLength: 4096 });
    expect(o).toMatchObject({ status: 0, residue: 4096 - 16 });
    expect(formatHex(o.dataIn)).toBe('00 00 00 08 00 00 00 00 00 00 00 00 00 00 00 00');
    // A TRANSFER LENGTH past it still is refused before anything runs (BOT 1.0 §6.6.2).
    const read = await send(t, 'a8 00 00 00 00 00 ff ff ff ff 00 00', { transferLength: 4096 });
    expect(read.transportError?.kind).toBe('phase-error');
  });

  it('case 2 (Hn < Di) and case 8 (Hi <> Do) are phase errors', async () => {
    const t = new EmulatedTransport(profile('flash-stick'));
    await send(t, '00 00 00 00 00 00');
    expect((await send(t, '12 00 00 00 24 00')).transportError?.kind).toBe('phase-error');
    expect(
      (await send(t, '2a 00 00 00 00 00 00 00 01 00', { transferLength: 512 })).transportError
        ?.kind,
    ).toBe('phase-error');
  });

  it('cases 9–13 on the data-out side', async () => {
    const t = new EmulatedTransport(profile('flash-stick'));
    await send(t, '00 00 00 00 00 00');
    // 9 (Ho > Dn): data discarded, residue N.
    expect(await send(t, '00 00 00 00 00 00', { dataOut: new Uint8Array(64) })).toMatchObject({
      status: 0,
      residue: 64,
    });
    // 10 (Ho <> Di): phase error.
    expect(
      (await send(t, '12 00 00 00 24 00', { dataOut: new Uint8Array(36) })).transportError?.kind,
    ).toBe('phase-error');
    // 11 (Ho > Do): one block written, residue 512.
    expect(
      await send(t, '2a 00 00 00 00 00 00 00 01 00', { dataOut: new Uint8Array(1024) }),
    ).toMatchObject({ status: 0, residue: 512 });
    // 12 (Ho = Do).
    expect(
      await send(t, '2a 00 00 00 00 00 00 00 01 00', { dataOut: new Uint8Array(512) }),
    ).toMatchObject({ status: 0, residue: 0 });
    // 13 (Ho < Do): phase error.
    expect(
      (await send(t, '2a 00 00 00 00 00 00 00 02 00', { dataOut: new Uint8Array(512) }))
        .transportError?.kind,
    ).toBe('phase-error');
  });
});

describe('the BOT device itself', () => {
  const device = (): BotDevice =>
    new BotDevice([new DiskLu(profile('flash-stick'), new MemoryStore(512, 1024))]);

  it('stalls both pipes after an invalid CBW until Reset Recovery, not just CLEAR_FEATURE', async () => {
    const d = device();
    expect((await d.bulkOut(new Uint8Array(30))).kind).toBe('stall');
    expect((await d.bulkIn(13)).kind).toBe('stall');
    await d.clearHalt('in');
    expect((await d.bulkIn(13)).kind).toBe('stall');
    await d.control(bomsReset(0));
    await d.clearHalt('in');
    await d.clearHalt('out');
    const cbw = encodeCbw({
      tag: 9,
      dataTransferLength: asByteCount(0),
      direction: 'out',
      lun: asLun(0),
      cdb: hex('00 00 00 00 00 00'),
    });
    expect(cbw.ok && (await d.bulkOut(cbw.value)).kind).toBe('ok');
    const csw = await d.bulkIn(13);
    const decoded = csw.kind === 'ok' ? decodeCsw(csw.data) : undefined;
    expect(decoded?.ok && decoded.value).toMatchObject({ tag: 9, status: 'failed' });
  });

  it('answers Get Max LUN and stalls malformed class requests', async () => {
    const d = device();
    const r = await d.control(getMaxLun(0));
    expect(r.kind === 'ok' && Array.from(r.data)).toEqual([0]);
    expect((await d.control({ ...getMaxLun(0), wLength: 2 })).kind).toBe('stall');
    expect(
      (await d.control({ bmRequestType: 0x80, bRequest: 0xfe, wValue: 0, wIndex: 0, wLength: 1 }))
        .kind,
    ).toBe('stall');
  });

  /** Sends a CBW for LUN `lun`; `csw` reads the CSW that follows. */
  const forLun = async (
    d: ReturnType<typeof device>,
    tag: number,
    lun: number,
    cdb: string,
    direction: 'in' | 'out',
    length: number,
  ) => {
    const cbw = encodeCbw({
      tag,
      dataTransferLength: asByteCount(length),
      direction,
      lun: asLun(lun),
      cdb: hex(cdb),
    });
    if (cbw.ok) await d.bulkOut(cbw.value);
  };
  const csw = async (d: ReturnType<typeof device>) => {
    const r = await d.bulkIn(13);
    const decoded = r.kind === 'ok' ? decodeCsw(r.data) : undefined;
    return decoded?.ok ? decoded.value : undefined;
  };

  it('answers a CBW for an unsupported LUN with a phase error', async () => {
    const d = device();
    await forLun(d, 1, 3, '00 00 00 00 00 00', 'out', 0);
    expect((await csw(d))?.status).toBe('phase-error');
  });

  it('stalls the data stage a host set up for an unsupported LUN before the phase error, either way', async () => {
    // BOT 1.0 §6.7.2/§6.7.3: without the stall the host read the CSW as its data-in.
    const d = device();
    await forLun(d, 2, 1, '12 00 00 00 24 00', 'in', 36);
    expect((await d.bulkIn(36)).kind).toBe('stall');
    await d.clearHalt('in');
    expect(await csw(d)).toMatchObject({ tag: 2, status: 'phase-error' });
    await forLun(d, 3, 1, '2a 00 00 00 00 00 00 00 01 00', 'out', 512);
    expect((await d.bulkOut(new Uint8Array(512))).kind).toBe('stall');
    await d.clearHalt('out');
    expect(await csw(d)).toMatchObject({ tag: 3, status: 'phase-error' });
  });

  it('answers a LUN past the drive’s last one with a phase error the CLI reports as such', async () => {
    const { runUsbcdb } = await import('../cli-run');
    const r = await runUsbcdb(['inquiry', '--lun', '1', '--json']);
    expect(JSON.parse(r.out).outcome.transportError.kind).toBe('phase-error');
    // A LUN no CBW can carry is bad input, refused before anything is sent.
    const wide = await runUsbcdb(['raw', '12 00 00 00 24 00', '--in', '36', '--lun', '16']);
    expect({ code: wide.code, out: wide.out }).toEqual({ code: 1, out: '' });
    expect(wide.err).toMatch(/^raw: --lun 16 cannot be sent: a CBW's bCBWLUN holds 0–15/);
  });
});

describe('device strings', () => {
  it('opens emu: and emu:PROFILE and names what is wrong otherwise', async () => {
    const d = await openDevice('emu:');
    expect(d.ok && d.value.describe().id).toBe('emu:flash-stick');
    expect((await openDevice('emu:spc2-bridge')).ok).toBe(true);
    const bad = await openDevice('emu:nope');
    expect(!bad.ok && bad.error.message).toMatch(
      /no emulated profile "nope"; the profiles are flash-stick, spc2-bridge, sata-bridge, card-reader/,
    );
    const usb = await openDevice('usb:1234:5678');
    expect(!usb.ok && usb.error.message).toMatch(
      /no USB mass-storage \(Bulk-Only\) device 1234:5678 is attached \(0 found\)/,
    );
    const malformed = await openDevice('usb:12:34');
    expect(!malformed.ok && malformed.error.message).toMatch(/is not usb:VID:PID\[#N\]/);
  });
});

describe('the CONTROL byte', () => {
  // NACA=1: the drive reports NormACA=0 (SAM-5). LINK=1: it implements no linked commands (SAM-3).
  it.each([
    ['NACA', 0x04, 2],
    ['LINK', 0x01, 0],
  ] as const)(
    'refuses %s=1 with 05/24/00 pointing at its bit of the CONTROL byte, on every command',
    async (_name, control, bit) => {
      const c = control.toString(16).padStart(2, '0');
      for (const name of ['flash-stick', 'spc2-bridge']) {
        const t = await readyEmu(name);
        const inq = await send(t, '12 00 00 00 24 00', { transferLength: 36 });
        expect((inq.dataIn[3] ?? 0) & 0x20, `${name} NormACA`).toBe(0);
        expect((inq.dataIn[7] ?? 0) & 0x08, `${name} LINKED`).toBe(0);
        for (const [cdb, extra] of [
          [`00 00 00 00 00 ${c}`, {}],
          [`12 00 00 00 24 ${c}`, { transferLength: 36 }],
          [`28 00 00 00 00 00 00 00 01 ${c}`, { transferLength: 512 }],
        ] as const) {
          const o = await send(t, cdb, extra);
          expect(senseCodes(o), `${name}: ${cdb}`).toBe('5/24/00');
          expect(senseSpecific(o)).toEqual({
            kind: 'field-pointer',
            inCdb: true,
            bitPointerValid: true,
            bitPointer: bit,
            fieldPointer: cdb.split(' ').length - 1,
          });
        }
      }
    },
  );

  it('ignores FLAG and the vendor-specific bits, and its CDB USAGE DATA says so: only NACA and LINK examined', async () => {
    const t = await readyEmu('flash-stick');
    expect((await send(t, '00 00 00 00 00 c2')).status).toBe(0);
    for (const cdb of [
      'a3 0c 01 00 00 00 00 00 00 20 00 00',
      'a3 0c 01 28 00 00 00 00 00 20 00 00',
      'a3 0c 02 9e 00 10 00 00 00 20 00 00',
    ]) {
      const one = await send(t, cdb, { transferLength: 32 });
      // SPC-5 CDB USAGE DATA: the CONTROL byte is the last of the CDB; NACA (bit 2) and LINK (bit 0).
      expect(one.dataIn[one.dataIn.length - 1], cdb).toBe(0x05);
    }
  });
});

describe('more commands of the emulated disk', () => {
  it('MODE SELECT changes WCE and D_SENSE, and refuses anything else naming the byte', async () => {
    const t = new EmulatedTransport(profile('flash-stick'));
    await send(t, '00 00 00 00 00 00');
    // MODE SELECT(6), PF=1: 4-byte header, no block descriptors, caching page with WCE=0.
    const caching = hex('00 00 00 00  08 12 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00');
    expect((await send(t, '15 10 00 00 18 00', { dataOut: caching })).status).toBe(0);
    expect(t.lu.writeCacheEnabled).toBe(false);
    const control = hex('00 00 00 00  0a 0a 04 00 00 00 00 00 00 00 00 00');
    expect((await send(t, '15 10 00 00 10 00', { dataOut: control })).status).toBe(0);
    expect(t.lu.descriptorSense).toBe(true);
    // MODE SENSE(10) of the caching page, DBD: current (PC=00b) has WCE clear now; default (PC=10b)
    // still has the power-on WCE=1, and the control page's default D_SENSE is 0 (SPC-5, MODE SENSE).
    const byte2 = async (pcAndPage: string): Promise<number | undefined> =>
      (await send(t, `5a 08 ${pcAndPage} 00 00 00 00 00 ff 00`, { transferLength: 255 }))
        .dataIn[10];
    expect(await byte2('08')).toBe(0x00);
    expect(await byte2('88')).toBe(0x04);
    expect(await byte2('0a')).toBe(0x04);
    expect(await byte2('8a')).toBe(0x00);
    const bad = hex('00 00 00 00  08 12 05 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00');
    const o = await send(t, '15 10 00 00 18 00', { dataOut: bad });
    const s = o.sense ? decodeSense(o.sense) : undefined;
    expect(s?.ok && s.value.senseKeySpecific).toMatchObject({
      kind: 'field-pointer',
      inCdb: false,
      fieldPointer: 6,
    });
    expect(senseCodes(await send(t, '15 11 00 00 18 00', { dataOut: caching }))).toBe('5/24/00');
  });

  it('MODE SELECT refuses a list that ends inside a page or block descriptor with 05/1A/00, and applies no page unless all are valid', async () => {
    const t = await readyEmu('flash-stick');
    // The caching page cut to 4 of its 20 bytes, then a block descriptor cut to 2 of its 8.
    const page = hex('00 00 00 00  08 12 00 00');
    expect(senseCodes(await send(t, '15 10 00 00 08 00', { dataOut: page }))).toBe('5/1a/00');
    const descriptor = hex('00 00 00 08  00 00');
    expect(senseCodes(await send(t, '15 10 00 00 06 00', { dataOut: descriptor }))).toBe('5/1a/00');
    // A valid caching page (WCE=0), then an Informational Exceptions page changing DEXCPT.
    const twoPages = hex(
      '00 00 00 00  08 12 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  1c 0a 00 00 00 00 00 00 00 00 00 00',
    );
    const o = await send(t, '15 10 00 00 24 00', { dataOut: twoPages });
    expect(senseCodes(o)).toBe('5/26/00');
    expect(senseSpecific(o)).toMatchObject({ inCdb: false, fieldPointer: 26 });
    expect(t.lu.writeCacheEnabled).toBe(true);
  });

  it('VERIFY with BYTCHK 11b compares its one block of data-out with every block VERIFICATION LENGTH names', async () => {
    const t = await readyEmu('flash-stick');
    const nines = new Uint8Array(512).fill(9);
    await send(t, '2a 00 00 00 00 20 00 00 02 00', { dataOut: new Uint8Array(1024).fill(9) });
    // SBC-4 VERIFY(10): BYTCHK 11b (byte 1 bits 2:1), LBA 20h, VERIFICATION LENGTH 2.
    expect((await send(t, '2f 06 00 00 00 20 00 00 02 00', { dataOut: nines })).status).toBe(0);
    await send(t, '2a 00 00 00 00 21 00 00 01 00', { dataOut: new Uint8Array(512).fill(8) });
    const differs = await send(t, '2f 06 00 00 00 20 00 00 02 00', { dataOut: nines });
    expect(senseCodes(differs)).toBe('e/1d/00');
    // INFORMATION: the offset of the first byte that differs, in the second block.
    const sense = differs.sense ? decodeSense(differs.sense) : undefined;
    expect(sense?.ok && sense.value.information).toBe(512n);
  });

  it('answers VERIFY(12) as VERIFY(10): LBA in bytes 2–5, VERIFICATION LENGTH in bytes 6–9 (SBC-4)', async () => {
    const t = await readyEmu('flash-stick');
    await send(t, '2a 00 00 00 00 40 00 00 02 00', { dataOut: new Uint8Array(1024).fill(7) });
    const sevens = new Uint8Array(1024).fill(7);
    // BYTCHK 01b: the two blocks at 40h compared with two blocks of data-out.
    expect((await send(t, 'af 02 00 00 00 40 00 00 00 02 00 00', { dataOut: sevens })).status).toBe(
      0,
    );
    const other = new Uint8Array(1024).fill(7);
    other[700] = 6;
    const differs = await send(t, 'af 02 00 00 00 40 00 00 00 02 00 00', { dataOut: other });
    expect(senseCodes(differs)).toBe('e/1d/00');
    const sense = differs.sense ? decodeSense(differs.sense) : undefined;
    expect(sense?.ok && sense.value.information).toBe(700n);
    // Past the last block: LBA OUT OF RANGE, as for the other VERIFYs.
    const last = t.lu.profile.blocks;
    const cdb = hex('af 00 00 00 00 00 00 00 00 01 00 00');
    cdb[2] = (last >>> 24) & 0xff;
    cdb[3] = (last >>> 16) & 0xff;
    cdb[4] = (last >>> 8) & 0xff;
    cdb[5] = last & 0xff;
    expect(senseCodes(await send(t, cdb))).toBe('5/21/00');
    // VRPROTECT is refused on a drive without protection information, pointing at byte 1 bit 7.
    const vr = await send(t, 'af 20 00 00 00 00 00 00 00 01 00 00');
    expect(senseCodes(vr)).toBe('5/24/00');
    expect(senseSpecific(vr)).toMatchObject({ inCdb: true, fieldPointer: 1, bitPointer: 7 });
  });

  it('refuses reserved codes in defined fields with 05/24/00 at the field: VERIFY BYTCHK 10b, POWER CONDITION Fh', async () => {
    const t = await readyEmu('flash-stick');
    const bytChk = await send(t, '2f 04 00 00 00 00 00 00 01 00', {
      dataOut: new Uint8Array(512),
    });
    expect(senseCodes(bytChk)).toBe('5/24/00');
    expect(senseSpecific(bytChk)).toMatchObject({
      fieldPointer: 1,
      bitPointerValid: true,
      bitPointer: 2,
    });
    const power = await send(t, '1b 00 00 00 f0 00');
    expect(senseCodes(power)).toBe('5/24/00');
    expect(senseSpecific(power)).toMatchObject({
      fieldPointer: 4,
      bitPointerValid: true,
      bitPointer: 7,
    });
  });

  it('START STOP UNIT with a POWER CONDITION ignores LOEJ and START: STANDBY with LOEJ=1 leaves the card in', async () => {
    const t = await readyEmu('card-reader');
    expect((await send(t, '1b 00 00 00 03 00')).status).toBe(0);
    await send(t, '00 00 00 00 00 00');
    expect((await send(t, '1b 00 00 00 32 00')).status).toBe(0);
    expect((await send(t, '00 00 00 00 00 00')).status).toBe(0);
    expect(t.lu.mediumPresent).toBe(true);
  });

  it('UNMAP zeroes the listed blocks', async () => {
    const t = new EmulatedTransport(profile('flash-stick'));
    await send(t, '00 00 00 00 00 00');
    await send(t, '2a 00 00 00 00 20 00 00 01 00', { dataOut: new Uint8Array(512).fill(9) });
    // Header: data length 22, descriptor length 16; descriptor: LBA 0x20, 1 block.
    const list = hex('00 16 00 10 00 00 00 00  00 00 00 00 00 00 00 20 00 00 00 01 00 00 00 00');
    expect((await send(t, '42 00 00 00 00 00 00 00 18 00', { dataOut: list })).status).toBe(0);
    expect(
      (await send(t, '28 00 00 00 00 20 00 00 01 00', { transferLength: 512 })).dataIn.every(
        (b) => b === 0,
      ),
    ).toBe(true);
  });

  it('UNMAP refuses more descriptors than Block Limits allows, and a list with one bad range changes nothing', async () => {
    const t = await readyEmu('flash-stick');
    const limits = await send(t, '12 01 b0 00 40 00', { transferLength: 64 });
    // MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT: bytes 24–27 of the Block Limits page (SBC-4).
    const maxDescriptors = new DataView(limits.dataIn.buffer, limits.dataIn.byteOffset).getUint32(
      24,
    );
    expect(maxDescriptors).toBeGreaterThan(1);
    await send(t, '2a 00 00 00 00 20 00 00 01 00', { dataOut: new Uint8Array(512).fill(9) });
    /** An UNMAP parameter list (SBC-4): header, then one descriptor per [LBA, blocks]. */
    const list = (ranges: [number, number][]): Uint8Array => {
      const d = new Uint8Array(8 + 16 * ranges.length);
      const v = new DataView(d.buffer);
      v.setUint16(0, d.length - 2);
      v.setUint16(2, 16 * ranges.length);
      ranges.forEach(([lba, n], i) => {
        v.setBigUint64(8 + 16 * i, BigInt(lba));
        v.setUint32(16 + 16 * i, n);
      });
      return d;
    };
    const unmap = (d: Uint8Array) =>
      send(
        t,
        `42 00 00 00 00 00 00 ${(d.length >> 8).toString(16)} ${(d.length & 0xff).toString(16)} 00`,
        {
          dataOut: d,
        },
      );
    const tooMany = await unmap(list(Array.from({ length: maxDescriptors + 1 }, () => [0x20, 1])));
    expect(senseCodes(tooMany)).toBe('5/26/00');
    expect(senseSpecific(tooMany)).toMatchObject({ inCdb: false, fieldPointer: 2 });
    // The first range is good, the second past the end: LBA OUT OF RANGE, block 20h untouched.
    expect(
      senseCodes(
        await unmap(
          list([
            [0x20, 1],
            [0xffffffff, 1],
          ]),
        ),
      ),
    ).toBe('5/21/00');
    const kept = await send(t, '28 00 00 00 00 20 00 00 01 00', { transferLength: 512 });
    expect(kept.dataIn.every((b) => b === 9)).toBe(true);
    expect(
      (await unmap(list(Array.from({ length: maxDescriptors }, () => [0x20, 1])))).status,
    ).toBe(0);
  });

  it('SEND DIAGNOSTIC runs the default self-test and refuses reserved self-test codes', async () => {
    const t = new EmulatedTransport(profile('flash-stick'));
    await send(t, '00 00 00 00 00 00');
    expect((await send(t, '1d 04 00 00 00 00')).status).toBe(0);
    expect(senseCodes(await send(t, '1d 60 00 00 00 00'))).toBe('5/24/00');
  });

  it('LOG SENSE: the pages it has, temperature, the self-tests SEND DIAGNOSTIC ran, and no informational exception', async () => {
    const fw = profile('fw-updatable');
    const t = new EmulatedTransport(fw);
    const parsed = <T>(r: Result<T>): T => (r.ok ? r.value : expect.fail(r.error.message));
    await send(t, '00 00 00 00 00 00');
    const log = async (pageByte: number, subpage = 0, pointer = 0, length = 0x1000) =>
      send(
        t,
        Uint8Array.from([
          0x4d,
          0,
          pageByte,
          subpage,
          0,
          pointer >> 8,
          pointer & 0xff,
          length >> 8,
          length & 0xff,
          0,
        ]),
        { transferLength: length },
      );
    // PC = 01b (current cumulative values), as sg_logs and smartctl ask.
    const supported = await log(0x40);
    expect(formatHex(supported.dataIn)).toBe('80 00 00 04 00 0d 10 2f');
    expect(formatHex((await log(0x40, 0xff)).dataIn)).toBe(
      'c0 ff 00 10 00 00 00 ff 0d 00 0d ff 10 00 10 ff 2f 00 2f ff',
    );
    const temperature = parsed(parseLogSense((await log(0x4d)).dataIn));
    expect(temperature.parameters?.map((p) => logParameterText(0x0d, 0, p))).toEqual([
      { name: 'Temperature', value: `${fw.logPages?.temperature} °C` },
      { name: 'Reference temperature', value: `${fw.logPages?.referenceTemperature} °C` },
    ]);
    const ie = parsed(parseLogSense((await log(0x6f)).dataIn));
    expect(ie.parameters?.map((p) => logParameterText(0x2f, 0, p).value)).toEqual([
      `none reported (00h/00h); most recent temperature ${fw.logPages?.temperature} °C`,
    ]);
    // No self-test yet: 20 unused entries. Then a background short self-test and the default one.
    const before = parsed(parseLogSense((await log(0x50)).dataIn));
    expect(before.parameters?.map((p) => [p.code, p.value.every((b) => b === 0)])).toEqual(
      Array.from({ length: 20 }, (_, i) => [i + 1, true]),
    );
    expect((await send(t, '1d 20 00 00 00 00')).status).toBe(0);
    expect((await send(t, '1d 04 00 00 00 00')).status).toBe(0);
    expect((await send(t, '1d 80 00 00 00 00')).status).toBe(0); // abort: nothing logged
    const after = parsed(parseLogSense((await log(0x50)).dataIn));
    expect(after.parameters?.slice(0, 3).map((p) => logParameterText(0x10, 0, p).value)).toEqual([
      'default self-test: completed without error, number 0, at 0 power-on hours',
      'background short self-test: completed without error, number 0, at 0 power-on hours',
      'unused',
    ]);
    // PARAMETER POINTER: parameters from that code on; past the last, an invalid field.
    const fromTwo = parsed(parseLogSense((await log(0x4d, 0, 1)).dataIn));
    expect(fromTwo.parameters?.map((p) => p.code)).toEqual([1]);
    expect(senseCodes(await log(0x4d, 0, 2))).toBe('5/24/00');
    // SP (saving) is not supported; pages and subpages it lacks are invalid fields.
    expect(
      senseCodes(await send(t, '4d 01 4d 00 00 00 00 00 ff 00', { transferLength: 255 })),
    ).toBe('5/24/00');
    expect(senseCodes(await log(0x42))).toBe('5/24/00');
    expect(senseCodes(await log(0x4d, 1))).toBe('5/24/00');
    // The allocation length cuts the page.
    expect((await log(0x50, 0, 0, 24)).dataIn.length).toBe(24);
    // A drive without log pages does not know the command.
    const stick = new EmulatedTransport(profile('flash-stick'));
    await send(stick, '00 00 00 00 00 00');
    expect(
      senseCodes(await send(stick, '4d 00 40 00 00 00 00 00 ff 00', { transferLength: 255 })),
    ).toBe('5/20/00');
  });

  it('reports informational exceptions on request where it has log pages (mode page 1Ch), and not elsewhere', async () => {
    const iePage = async (name: string): Promise<number[]> => {
      const t = new EmulatedTransport(profile(name));
      await send(t, '00 00 00 00 00 00');
      // MODE SENSE(6) of page 1Ch, no block descriptors: 4-byte header, then the page.
      const r = await send(t, '1a 08 1c 00 ff 00', { transferLength: 255 });
      return Array.from(r.dataIn.subarray(4, 8));
    };
    // PAGE CODE, PAGE LENGTH, then DEXCPT (byte 2 bit 3) and MRIE (byte 3 bits 3:0).
    expect(await iePage('fw-updatable')).toEqual([0x1c, 0x0a, 0x00, 0x06]);
    expect(await iePage('flash-stick')).toEqual([0x1c, 0x0a, 0x08, 0x00]);
    // The page is not changeable: sending it back as it is is taken, a new MRIE refused.
    const t = new EmulatedTransport(profile('fw-updatable'));
    await send(t, '00 00 00 00 00 00');
    const select = (mrie: number) =>
      send(t, '15 10 00 00 10 00', {
        dataOut: Uint8Array.from([0, 0, 0, 0, 0x1c, 0x0a, 0, mrie, 0, 0, 0, 0, 0, 0, 0, 0]),
        transferLength: 16,
      });
    expect((await select(6)).status).toBe(0);
    expect(senseCodes(await select(4))).toBe('5/26/00');
  });

  it('lists VPD 86h among its pages and returns it', async () => {
    const t = new EmulatedTransport(profile('flash-stick'));
    const pages = await send(t, '12 01 00 00 ff 00', { transferLength: 255 });
    expect(Array.from(pages.dataIn.subarray(4))).toEqual([
      0x00, 0x80, 0x83, 0x86, 0xb0, 0xb1, 0xb2,
    ]);
    const ext = await send(t, '12 01 86 00 ff 00', { transferLength: 255 });
    expect(ext.dataIn[1]).toBe(0x86);
  });
});

describe('two hosts on one drive (two I_T nexuses)', () => {
  it('keeps sense per connection and tells the other host when mode parameters change (06/2A/01)', async () => {
    const lu = new DiskLu(profile('flash-stick'), new MemoryStore(512, 1024));
    const a = 'host-a';
    const b = 'host-b';
    // Both see the power-on unit attention once.
    expect((await lu.execute(hex('00 00 00 00 00 00'), undefined, a)).status).toBe(
      'check-condition',
    );
    expect((await lu.execute(hex('00 00 00 00 00 00'), undefined, b)).status).toBe(
      'check-condition',
    );
    // Host A fails a command; host B's REQUEST SENSE does not see A's sense.
    await lu.execute(hex('c0 00 00 00 00 00 00 00 00 00'), undefined, a);
    const bSense = await lu.execute(hex('03 00 00 00 12 00'), undefined, b);
    // B reads its own last sense (the 06/29 its first command got), not A's 05/20.
    expect([bSense.dataIn[2], bSense.dataIn[12]]).toEqual([0x06, 0x29]);
    const aSense = await lu.execute(hex('03 00 00 00 12 00'), undefined, a);
    expect([aSense.dataIn[2], aSense.dataIn[12]]).toEqual([0x05, 0x20]);
    // Host A changes WCE with MODE SELECT: B gets 06/2A/01, A does not.
    const caching = hex('00 00 00 00  08 12 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00');
    expect((await lu.execute(hex('15 10 00 00 18 00'), caching, a)).status).toBe('good');
    expect((await lu.execute(hex('00 00 00 00 00 00'), undefined, a)).status).toBe('good');
    expect((await lu.execute(hex('00 00 00 00 00 00'), undefined, b)).status).toBe(
      'check-condition',
    );
    const ua = await lu.execute(hex('03 00 00 00 12 00'), undefined, b);
    expect([ua.dataIn[2], ua.dataIn[12], ua.dataIn[13]]).toEqual([0x06, 0x2a, 0x01]);
  });
});

/** What libiscsi's iscsi-test-cu (LINUX family) found wrong, run in the QEMU guest, and fixed. */
describe('conformance found by iscsi-test-cu', () => {
  async function ready(): Promise<EmulatedTransport> {
    const t = new EmulatedTransport(profile('flash-stick'));
    await send(t, '00 00 00 00 00 00'); // the power-on unit attention
    return t;
  }

  it('reports as MAXIMUM TRANSFER LENGTH the most one command moves, and refuses a VERIFY past it at the length', async () => {
    const t = await ready();
    const limits = parseVpd((await send(t, '12 01 b0 00 ff 00', { transferLength: 255 })).dataIn);
    const max = limits.ok && limits.value.page === 0xb0 ? limits.value.data.maxTransferLength : 0;
    // The app's own drive moves up to 64 MiB a command (the IPC contract's largest data phase).
    expect(max).toBe((64 * 1024 * 1024) / 512);
    const verify16 = (blocks: number): Uint8Array => {
      const cdb = new Uint8Array(16);
      cdb[0] = 0x8f;
      new DataView(cdb.buffer).setUint32(10, blocks);
      return cdb;
    };
    // VERIFY(16) with BYTCHK 0 moves no data: only the drive's own check can refuse it (SBC-4).
    const over = await send(t, verify16(max + 1));
    expect(senseCodes(over)).toBe('5/24/00');
    expect(senseSpecific(over)).toMatchObject({
      inCdb: true,
      fieldPointer: 10,
      bitPointerValid: false,
    });
    expect((await send(t, verify16(max))).status).toBe(0);
  });

  it('refuses RDPROTECT/WRPROTECT/VRPROTECT on a drive without protection information, pointing at byte 1 bit 7', async () => {
    const t = await ready();
    for (const [cdb, extra] of [
      ['28 20 00 00 00 00 00 00 01 00', { transferLength: 512 }],
      ['88 60 00 00 00 00 00 00 00 00 00 00 00 01 00 00', { transferLength: 512 }],
      ['2a 20 00 00 00 00 00 00 01 00', { dataOut: new Uint8Array(512), transferLength: 512 }],
      ['2f 20 00 00 00 00 00 00 01 00', {}],
    ] as const) {
      const o = await send(t, cdb, extra);
      expect(senseCodes(o), cdb).toBe('5/24/00');
      const sense = o.sense ? decodeSense(o.sense) : undefined;
      expect(sense?.ok && sense.value.senseKeySpecific).toMatchObject({
        kind: 'field-pointer',
        inCdb: true,
        fieldPointer: 1,
        bitPointer: 7,
      });
    }
    // Zero is fine.
    expect((await send(t, '28 00 00 00 00 00 00 00 01 00', { transferLength: 512 })).status).toBe(
      0,
    );
  });

  it('REPORT SUPPORTED OPERATION CODES: option 1 for a command with service actions and option 2 for one without are invalid', async () => {
    const t = await ready();
    // 9Eh (SERVICE ACTION IN(16)) has service actions; 12h (INQUIRY) has none.
    expect(
      senseCodes(await send(t, 'a3 0c 01 9e 00 00 00 00 01 00 00 00', { transferLength: 256 })),
    ).toBe('5/24/00');
    expect(
      senseCodes(await send(t, 'a3 0c 02 12 00 00 00 00 01 00 00 00', { transferLength: 256 })),
    ).toBe('5/24/00');
    const ok = await send(t, 'a3 0c 02 9e 00 10 00 00 01 00 00 00', { transferLength: 256 });
    expect(ok.status).toBe(0);
    expect((ok.dataIn[1] ?? 0) & 0x07).toBe(3);
  });

  it('REPORT SUPPORTED OPERATION CODES option 3 reports a command without service actions, asked with service action 0, as supported', async () => {
    const t = await ready();
    const one = await send(t, 'a3 0c 03 12 00 00 00 00 00 20 00 00', { transferLength: 32 });
    expect(formatHex(one.dataIn)).toBe('00 03 00 06 12 01 ff ff ff 05');
    const sa = await send(t, 'a3 0c 03 9e 00 10 00 00 00 20 00 00', { transferLength: 32 });
    expect((sa.dataIn[1] ?? 0) & 0x07).toBe(3);
  });

  it('RCTD=1 adds a command timeouts descriptor to every command (CTDP set)', async () => {
    const t = await ready();
    const all = await send(t, 'a3 0c 80 00 00 00 00 00 10 00 00 00', { transferLength: 4096 });
    const body = all.dataIn.subarray(4);
    expect(body.length % 20).toBe(0);
    for (let off = 0; off < body.length; off += 20) {
      expect((body[off + 5] ?? 0) & 0x02, `descriptor at ${off}`).toBe(2);
      expect([body[off + 8], body[off + 9]]).toEqual([0x00, 0x0a]);
    }
    const parsed = parseSupportedOpcodes(all.dataIn, 'all');
    expect(
      parsed.ok &&
        parsed.value.format === 'all' &&
        parsed.value.commands.every((c) => c.timeouts !== undefined),
    ).toBe(true);
    const one = await send(t, 'a3 0c 81 12 00 00 00 00 01 00 00 00', { transferLength: 256 });
    expect((one.dataIn[1] ?? 0) & 0x80).toBe(0x80);
  });

  it('says logical block provisioning is on, since UNMAP works: LBPME/LBPRZ and VPD B2h LBPU', async () => {
    const t = await ready();
    const cap = parseReadCapacity16(
      (await send(t, '9e 10 00 00 00 00 00 00 00 00 00 00 00 20 00 00', { transferLength: 32 }))
        .dataIn,
    );
    expect(cap.ok && [cap.value.lbpme, cap.value.lbprz]).toEqual([true, true]);
    const lbp = parseVpd((await send(t, '12 01 b2 00 ff 00', { transferLength: 255 })).dataIn);
    expect(
      lbp.ok && lbp.value.page === 0xb2 && [lbp.value.data.lbpu, lbp.value.data.lbprz],
    ).toEqual([true, 1]);
  });
});
