import { describe, expect, it } from 'vitest';
import { driverKitSnippet, jsonPreset, sgRawCommand } from '../../shared/export/formats';
import { parsePresetsJson } from '../../shared/presets-file';

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
          id: 'cdb-120000002400',
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
