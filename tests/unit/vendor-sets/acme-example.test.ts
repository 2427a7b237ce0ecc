import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatHex } from '../../../shared/scsi/hex';
import { parseVendorSet } from '../../../shared/vendor-sets/format';
import { decodeLayout, encodeLayout, findRow } from '../../../shared/vendor-sets/layout';
import type { Layout, VendorSet } from '../../../shared/vendor-sets/model';
import { stepCdb } from '../../../shared/vendor-sets/sequence';

const file = join(__dirname, '..', '..', '..', 'docs', 'examples', 'acme-vendor-set.json');

function acme(): VendorSet {
  const r = parseVendorSet(readFileSync(file, 'utf8'), 'acme-vendor-set.json');
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** The emulated answer of ACME GET DRIVE INFORMATION, encoded from the file's values. */
function driveInfoAnswer(set: VendorSet): { layout: Layout; bytes: Uint8Array } {
  const info = set.commands[0];
  const data = info?.emulation?.data;
  if (!info?.response || !data || !('values' in data)) throw new Error('no emulated values');
  const bytes = encodeLayout(info.response, data.values, data.length);
  if (!bytes.ok) throw new Error(bytes.error.message);
  return { layout: info.response, bytes: bytes.value };
}

describe('docs/examples/acme-vendor-set.json', () => {
  it('parses, with three commands of their declared effects and one sequence', () => {
    const set = acme();
    expect(set.commands.map((c) => [c.spec.aliases[0], c.spec.opcode, c.spec.effect])).toEqual([
      ['acme.drive-info', 0xd0, 'reads'],
      ['acme.write-secure-area', 0xd1, 'changes-data'],
      ['acme.acknowledge-event', 0xd2, 'changes-state'],
    ]);
    expect(set.sequences.map((s) => s.alias)).toEqual(['acme.acknowledge-first-event']);
  });

  it('encodes the emulated drive-information page byte for byte', () => {
    const { bytes } = driveInfoAnswer(acme());
    expect(formatHex(bytes.subarray(0, 18))).toBe(
      // INFORMATION LENGTH 62 | 2.5 inch, WCE | warning | 12345 h little-endian | -4.5 °C | "AC1.02  "
      '00 3e 22 01 39 30 00 00 ff d3 41 43 31 2e 30 32 20 20',
    );
    // "WD-WX12A3456789" as IDENTIFY DEVICE words: each pair of characters swapped.
    expect(new TextDecoder().decode(bytes.subarray(18, 38))).toBe('DWW-1XA2436587 9    ');
    // EVENT COUNT 2 (filled in from the array), then two 8-byte EVENT records from byte 40.
    expect(formatHex(bytes.subarray(38, 56))).toBe(
      '02 00 00 00 03 e8 01 01 07 00 00 00 13 88 02 00 55 01',
    );
    expect(bytes.length).toBe(64);
  });

  it('decodes the emulated answer field by field', () => {
    const { layout, bytes } = driveInfoAnswer(acme());
    const rows = decodeLayout(layout, bytes);
    const value = (key: string): string | undefined => findRow(rows, key)?.value;
    expect(value('infoLength')).toBe('62 (0x003e)');
    expect(value('formFactor')).toBe('2.5 inch (2)');
    expect(value('cacheEnabled')).toBe('yes');
    expect(value('writeProtected')).toBe('no');
    expect(value('health')).toBe('warning (1)');
    expect(value('powerOnHours')).toBe('12345 (0x00003039)');
    expect(value('temperature')).toBe('-45 (0xffd3)');
    expect(value('bridgeFirmware')).toBe('AC1.02');
    expect(value('driveSerial')).toBe('WD-WX12A3456789');
    expect(value('eventCount')).toBe('2 (0x02)');
    expect(value('events')).toBe('2 records');
    expect(value('events.0.timestamp')).toBe('1000 (0x000003e8)');
    expect(value('events.0.code')).toBe('power-on (1)');
    expect(value('events.0.acknowledged')).toBe('yes');
    expect(value('events.0.detail')).toBe('7 (0x0007)');
    expect(value('events.1.code')).toBe('over-temperature (2)');
    expect(value('events.1.detail')).toBe('341 (0x0155)');
    expect(findRow(rows, 'events.1.detail')).toMatchObject({ offset: 54, length: 2 });
  });

  it('declares a sense rule naming the PAGE field', () => {
    const rule = acme().commands[0]?.emulation?.senseWhen?.[0];
    expect(rule).toEqual({
      when: [{ field: 'page', equals: 1 }],
      sense: { key: 5, asc: 0x24, ascq: 0, field: 'page' },
    });
  });

  it('builds the sequence’s second CDB from the first answer’s event timestamp', () => {
    const set = acme();
    const { layout, bytes } = driveInfoAnswer(set);
    const sequence = set.sequences[0];
    if (!sequence) throw new Error('no sequence');
    const first = stepCdb(set, sequence, 0, []);
    expect(first.ok && formatHex(first.value.cdb)).toBe('d0 00 00 00 00 00 00 00 40 00');
    const second = stepCdb(set, sequence, 1, [
      { dataIn: bytes, decoded: decodeLayout(layout, bytes) },
    ]);
    // TIMESTAMP 1000 = 000003E8h in bytes 2–5.
    expect(second.ok && formatHex(second.value.cdb)).toBe('d2 00 00 00 03 e8 00 00 00 00');
  });
});
