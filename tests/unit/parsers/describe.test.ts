import { describe, expect, it } from 'vitest';
import {
  describeCapacity,
  describeInquiry,
  describeModeParameters,
  describeReportLuns,
  describeSupportedOpcodes,
  describeVpd,
  humanSize,
  parseAllCommands,
  parseInquiry,
  parseModeSense6,
  parseOneCommand,
  parseReadCapacity10,
  parseReadCapacity16,
  parseReportLuns,
  parseVpd,
  type FieldRow,
} from '../../../shared/scsi/parsers';
import { hex, QEMU_INQUIRY, value } from './helpers';

function find(rows: readonly FieldRow[], label: string): FieldRow | undefined {
  return rows.find((r) => r.label === label);
}

/** The Caching page's row of MODE SENSE(6) data given as hex. */
function cachingRow(data: string): FieldRow | undefined {
  return find(describeModeParameters(value(parseModeSense6(hex(data)))), 'Page 08h Caching');
}

describe('describe* rows', () => {
  it('INQUIRY: one row per field, each with its bytes', () => {
    const rows = describeInquiry(value(parseInquiry(hex(QEMU_INQUIRY))));
    expect(find(rows, 'Vendor')).toEqual({ label: 'Vendor', value: 'QEMU', bytes: [8, 15] });
    expect(find(rows, 'Product')).toEqual({
      label: 'Product',
      value: 'QEMU HARDDISK',
      bytes: [16, 31],
    });
    expect(find(rows, 'Revision')?.bytes).toEqual([32, 35]);
    expect(find(rows, 'Version')?.value).toBe('05h SPC-3 (SPC level 3)');
    expect(find(rows, 'HiSup')).toEqual({ label: 'HiSup', value: '1', bytes: [3, 3] });
    expect(find(rows, 'CmdQue')?.value).toBe('0');
  });

  it('VPD: a truncated serial number row stops at the last byte returned', () => {
    const rows = describeVpd(value(parseVpd(hex('00 80 00 10 41 42'))));
    expect(find(rows, 'Serial number')).toEqual({
      label: 'Serial number',
      value: 'AB',
      bytes: [4, 5],
    });
    expect(find(rows, 'Page length')?.value).toBe('16 (2 returned)');
  });

  it('VPD B1h: the rotation rate row', () => {
    const b = new Uint8Array(64);
    b.set(hex('00 b1 00 3c 00 01 00 03'));
    expect(find(describeVpd(value(parseVpd(b))), 'Medium rotation rate')).toEqual({
      label: 'Medium rotation rate',
      value: 'non-rotating medium (solid state)',
      bytes: [4, 5],
    });
    // Byte 8 = 32h: ZONED 11b, FUAB 1, VBULS 0 (SBC-4, Block Device Characteristics VPD page).
    b[8] = 0x32;
    expect(find(describeVpd(value(parseVpd(b))), 'FUAB / VBULS')).toEqual({
      label: 'FUAB / VBULS',
      value: '1 / 0',
      bytes: [8, 8],
    });
  });

  it('READ CAPACITY: last LBA first, capacity in human units', () => {
    const rows = describeCapacity(value(parseReadCapacity10(hex('00 03 ff ff 00 00 02 00'))));
    expect(rows[0]).toMatchObject({ label: 'Last LBA', bytes: [0, 3] });
    expect(find(rows, 'Capacity')?.value).toBe('128 MiB (134.2 MB)');
    const r16 = describeCapacity(
      value(parseReadCapacity16(hex('00 00 00 00 00 03 ff ff 00 00 02 00 00 03 80 00'))),
    );
    expect(find(r16, 'Logical blocks per physical block')?.value).toBe('8');
    expect(find(r16, 'LBPME')?.value).toBe('1');
  });

  it('humanSize', () => {
    expect(humanSize(512n)).toBe('512 bytes');
    expect(humanSize(134217728n)).toBe('128 MiB (134.2 MB)');
    expect(humanSize(4000787030016n)).toBe('3.6 TiB (4000.8 GB)');
  });

  it('REPORT LUNS: count and one row per LUN', () => {
    const rows = describeReportLuns(
      value(parseReportLuns(hex('00 00 00 08 00 00 00 00 00 01 00 00 00 00 00 00'))),
    );
    expect(rows.map((r) => [r.label, r.bytes])).toEqual([
      ['LUN list length', [0, 3]],
      ['LUN 1', [8, 15]],
    ]);
  });

  it('MODE SENSE: page rows carry the decoded bits', () => {
    expect(cachingRow('0f 00 00 00 08 0a 05 00 00 00 00 00 00 00 00 00')).toEqual({
      label: 'Page 08h Caching',
      value: '10 bytes: IC=0 ABPF=0 CAP=0 DISC=0 SIZE=0 WCE=1 MF=0 RCD=1',
      bytes: [4, 15],
    });
  });

  it('MODE SENSE: a page the data cuts short counts its returned bytes as PAGE LENGTH does, after the header', () => {
    // PAGE LENGTH 0Ah, cut after 6 of those 10 bytes (8 with the 2-byte header).
    expect(cachingRow('0b 00 00 00 08 0a 05 00 00 00 00 00')).toEqual({
      label: 'Page 08h Caching',
      value: '10 bytes (6 returned)',
      bytes: [4, 11],
    });
  });

  it('REPORT SUPPORTED OPERATION CODES: opcode/service action labels and usage data', () => {
    const all = describeSupportedOpcodes(
      value(
        parseAllCommands(
          hex(
            '00 00 00 18 9e 00 00 10 00 01 00 10 c1 00 00 00 00 00 00 0a 7f 00 00 00 00 00 00 10',
          ),
        ),
      ),
    );
    // Named from the catalog; a vendor-specific opcode says so; an unknown one stays a number.
    expect(all[1]).toEqual({
      label: '9Eh/10h READ CAPACITY(16)',
      value: '16-byte CDB',
      bytes: [4, 11],
    });
    expect(all[2]?.label).toBe('C1h vendor specific');
    expect(all[3]?.label).toBe('7Fh');
    const one = describeSupportedOpcodes(value(parseOneCommand(hex('00 03 00 02 12 01'))));
    expect(find(one, 'CDB usage data')).toEqual({
      label: 'CDB usage data',
      value: '12 01',
      bytes: [4, 5],
    });
  });
});

describe('describe*: values the standard leaves reserved or to the vendor', () => {
  it('calls PERIPHERAL QUALIFIER 1xxb vendor specific and 010b reserved (SPC-5)', () => {
    const withQualifier = (q: number) => {
      const bytes = hex(QEMU_INQUIRY);
      bytes[0] = (q << 5) | ((bytes[0] as number) & 0x1f);
      return find(describeInquiry(value(parseInquiry(bytes))), 'Peripheral qualifier')?.value;
    };
    expect(withQualifier(5)).toBe('vendor specific (5)');
    expect(withQualifier(2)).toBe('reserved (2)');
    expect(withQualifier(0)).toBe('connected');
  });

  it('shows a designator protocol only for a port or target device with PIV set (SPC-5)', () => {
    const labels = describeVpd(
      value(
        parseVpd(
          hex(
            '00 83 00 18' + //                   PAGE CODE 83h; PAGE LENGTH 24
              ' 91 83 00 08 50 00 00 00 00 00 00 01' + // protocol 9, PIV 1, logical unit: reserved
              ' 91 93 00 08 50 00 00 00 00 00 00 02', //  protocol 9, PIV 1, target port
          ),
        ),
      ),
    )
      .slice(3)
      .map((r) => r.label);
    expect(labels).toEqual([
      'NAA (logical unit, binary)',
      'NAA (target port, binary, protocol 09h)',
    ]);
  });

  it('calls P_TYPE past 010b reserved, not protection type 4 and up (SBC-4)', () => {
    const protection = (byte12: number) => {
      const bytes = hex('00 00 00 01 d1 c0 be af 00 00 02 00 00 33 c0 07');
      bytes[12] = byte12;
      return find(describeCapacity(value(parseReadCapacity16(bytes))), 'Protection')?.value;
    };
    expect(protection(0x0b)).toBe('reserved P_TYPE 5');
    expect(protection(0x03)).toBe('type 2');
    expect(protection(0x00)).toBe('none');
  });
});
