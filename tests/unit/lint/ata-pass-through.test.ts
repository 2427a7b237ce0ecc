import { describe, expect, it } from 'vitest';
import { lintCdb } from '../../../shared/lint/lint';
import { formatHex, parseHex } from '../../../shared/scsi/hex';

function hex(text: string): Uint8Array {
  const r = parseHex(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const pt = (text: string, extra: Partial<Parameters<typeof lintCdb>[0]> = {}) =>
  lintCdb({ cdb: hex(text), ...extra }).findings.filter((f) => f.id === 'ata-pass-through');

describe('lint: ATA PASS-THROUGH against the ATA command it carries', () => {
  it('is quiet for a correct IDENTIFY DEVICE and SMART RETURN STATUS', () => {
    expect(pt('85 08 0e 00 00 00 01 00 00 00 00 00 00 00 ec 00', { dataIn: 512 })).toEqual([]);
    expect(pt('85 06 20 00 da 00 00 00 00 00 4f 00 c2 00 b0 00')).toEqual([]);
  });

  it('flags T_LENGTH 0 on a data command and fixes it to COUNT in blocks, from the device', () => {
    const [f] = pt('85 08 00 00 00 00 01 00 00 00 00 00 00 00 ec 00');
    expect(f?.severity).toBe('error');
    expect(f?.message).toMatch(
      /T_LENGTH is 0 \(no data\), but IDENTIFY DEVICE \(ECh\) moves 1 × 512 bytes from/,
    );
    expect(f?.fix && formatHex(f.fix.cdb)).toBe('85 08 0e 00 00 00 01 00 00 00 00 00 00 00 ec 00');
  });

  it('warns of T_LENGTH 3 on a data command (no TPSIU over Bulk-Only) and fixes it to COUNT', () => {
    const [f] = pt('85 08 0f 00 00 00 01 00 00 00 00 00 00 00 ec 00', { dataIn: 512 });
    expect(f?.severity).toBe('warning');
    expect(f?.message).toMatch(/T_LENGTH is 3 .*USB Bulk-Only has no TPSIU/);
    expect(f?.fix && formatHex(f.fix.cdb)).toBe('85 08 0e 00 00 00 01 00 00 00 00 00 00 00 ec 00');
  });

  it('flags T_DIR 0 on a data-in command', () => {
    const [f] = pt('85 08 06 00 00 00 01 00 00 00 00 00 00 00 ec 00');
    expect(f?.message).toMatch(/T_DIR is 0/);
    expect(f?.fix && formatHex(f.fix.cdb)).toBe('85 08 0e 00 00 00 01 00 00 00 00 00 00 00 ec 00');
  });

  it('gives the host-buffer finding the ATA fix, never a transfer the ATA command does not make', () => {
    // IDENTIFY DEVICE is PIO data-in (ACS-4): with T_DIR 0, T_LENGTH 0 or BYT_BLOK 0 the CDB is
    // wrong, not the 512-byte data-in buffer.
    for (const cdb of [
      '85 08 06 00 00 00 01 00 00 00 00 00 00 00 ec 00',
      '85 08 00 00 00 00 01 00 00 00 00 00 00 00 ec 00',
      '85 08 0a 00 00 00 01 00 00 00 00 00 00 00 ec 00',
    ]) {
      const r = lintCdb({ cdb: hex(cdb), dataIn: 512 });
      const ata = r.findings.find((f) => f.id === 'ata-pass-through');
      const host = r.findings.find(
        (f) => f.id === 'direction-mismatch' || f.id === 'length-vs-buffer',
      );
      expect(host?.fix?.description).toBe(ata?.fix?.description);
      expect(host?.fix?.transferLength).toBeUndefined();
      expect(r.corrected && formatHex(r.corrected.cdb)).toBe(
        '85 08 0e 00 00 00 01 00 00 00 00 00 00 00 ec 00',
      );
    }
  });

  it('flags BYT_BLOK 0 with the length in COUNT: one byte instead of one block', () => {
    const [f] = pt('85 08 0a 00 00 00 01 00 00 00 00 00 00 00 ec 00');
    expect(f?.severity).toBe('warning');
    expect(f?.message).toMatch(/BYT_BLOK is 0, so COUNT \(1\) is read as 1 bytes/);
  });

  it('flags a wrong PROTOCOL for the command', () => {
    const [f] = pt('85 06 0e 00 00 00 01 00 00 00 00 00 00 00 ec 00');
    expect(f?.message).toMatch(/PROTOCOL is 3, but IDENTIFY DEVICE \(ECh\) is a pio-in command/);
  });

  it('flags a transfer on a non-data command, and a missing CK_COND where the answer is in the registers', () => {
    const found = pt('85 06 0e 00 da 00 01 00 00 00 4f 00 c2 00 b0 00').map((f) => f.message);
    expect(found.some((m) => /T_LENGTH is 2, but SMART RETURN STATUS/.test(m))).toBe(true);
    expect(found.some((m) => /CK_COND is 0/.test(m))).toBe(true);
  });

  it('flags a 48-bit command in ATA PASS-THROUGH(12)', () => {
    const [f] = pt('a1 08 0e 00 01 00 00 00 00 2f 00 00');
    expect(f?.message).toMatch(/READ LOG EXT \(2Fh\) is a 48-bit command/);
  });

  it('corrects the CDB fully: lint’s corrected command carries every fix', () => {
    const r = lintCdb({ cdb: hex('85 06 00 00 00 00 00 00 00 00 00 00 00 00 ec 00') });
    expect(r.corrected && formatHex(r.corrected.cdb)).toBe(
      '85 08 0e 00 00 00 01 00 00 00 00 00 00 00 ec 00',
    );
  });
});
