import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../shared/doctor/doctor';
import { parseHex } from '../../../shared/scsi/hex';

function hex(text: string): Uint8Array {
  const r = parseHex(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const SMART_STATUS = hex('85 06 20 00 da 00 00 00 00 00 4f 00 c2 00 b0 00');
const IDENTIFY = hex('85 08 0e 00 00 00 01 00 00 00 00 00 00 00 ec 00');
const INVALID_OPCODE = hex('70 00 05 00 00 00 00 0a 00 00 00 00 20 00 00 00 00 00');

/** Descriptor sense: key/ASC/ASCQ, then the ATA Status Return descriptor (SAT-4, 09h). */
function ataSense(
  key: number,
  asc: number,
  ascq: number,
  r: { error?: number; mid?: number; high?: number; count?: number; status: number },
): Uint8Array {
  return Uint8Array.from([
    0x72,
    key,
    asc,
    ascq,
    0,
    0,
    0,
    0x0e,
    0x09,
    0x0c,
    0x00,
    r.error ?? 0,
    0,
    r.count ?? 0,
    0,
    0,
    0,
    r.mid ?? 0,
    0,
    r.high ?? 0,
    0x00,
    r.status,
  ]);
}

const byId = (input: Parameters<typeof diagnose>[0], id: string) =>
  diagnose(input).diagnoses.find((d) => d.id === id);

describe('diagnose: ATA PASS-THROUGH', () => {
  it('names the ATA command inside the CDB from COMMAND and FEATURES', () => {
    expect(byId({ cdb: SMART_STATUS }, 'ata-pass-through-command')?.title).toMatch(
      /SMART RETURN STATUS \(B0h\/DAh\)/,
    );
    expect(byId({ cdb: IDENTIFY }, 'ata-pass-through-command')?.title).toMatch(
      /IDENTIFY DEVICE \(ECh\)/,
    );
    expect(
      byId({ cdb: hex('a1 0c 0e 00 01 00 00 00 00 e5 00 00') }, 'ata-pass-through-command')?.title,
    ).toMatch(/CHECK POWER MODE \(E5h\)/);
    expect(
      byId(
        { cdb: hex('85 08 0e 00 00 00 01 00 00 00 00 00 00 00 2f 00') },
        'ata-pass-through-command',
      )?.title,
    ).toMatch(/READ LOG EXT \(2Fh\)/);
  });

  it('reads 01/00/1D as success with the registers CK_COND asked for, and the SMART answer in them', () => {
    const d = byId(
      {
        cdb: SMART_STATUS,
        status: 2,
        sense: ataSense(0x1, 0x00, 0x1d, { mid: 0x4f, high: 0xc2, status: 0x50 }),
      },
      'ata-registers-returned',
    );
    expect(d?.title).toMatch(/SMART RETURN STATUS \(B0h\/DAh\) worked/);
    expect(d?.detail.join(' ')).toMatch(/STATUS 50h \(DRDY\)/);
    expect(d?.detail.join(' ')).toMatch(/SMART health is good/);
  });

  it('reads F4h/2Ch as a drive predicting its own failure', () => {
    const d = byId(
      {
        cdb: SMART_STATUS,
        status: 2,
        sense: ataSense(0x1, 0x00, 0x1d, { mid: 0xf4, high: 0x2c, status: 0x50 }),
      },
      'ata-registers-returned',
    );
    expect(d?.detail.join(' ')).toMatch(/THRESHOLD EXCEEDED/);
  });

  it('leaves 01/00/1D to the registers: no second finding calling it failed and nothing to do', () => {
    const ids = diagnose({
      cdb: SMART_STATUS,
      status: 2,
      sense: ataSense(0x1, 0x00, 0x1d, { mid: 0xf4, high: 0x2c, status: 0x50 }),
    }).diagnoses.map((d) => d.id);
    expect(ids).toContain('ata-registers-returned');
    expect(ids).not.toContain('check-condition');
  });

  it('says a RECOVERED ERROR completed, not failed', () => {
    const d = diagnose({
      cdb: hex('28 00 00 00 00 00 00 00 01 00'),
      status: 2,
      sense: hex('70 00 01 00 00 00 00 0a 00 00 00 00 17 01 00 00 00 00'),
    }).diagnoses.find((x) => x.id === 'check-condition');
    expect(d?.title).toBe(
      'READ(10) completed; the device reports RECOVERED ERROR (1h), 17h/01h RECOVERED DATA WITH RETRIES.',
    );
    expect(d?.severity).toBe('info');
  });

  it('reads CHECK POWER MODE’s COUNT', () => {
    const d = byId(
      {
        cdb: hex('85 06 20 00 00 00 00 00 00 00 00 00 00 00 e5 00'),
        status: 2,
        sense: ataSense(0x1, 0x00, 0x1d, { count: 0xff, status: 0x50 }),
      },
      'ata-registers-returned',
    );
    expect(d?.detail.join(' ')).toMatch(/active or idle/);
  });

  it('flags a bridge whose error sense contradicts a STATUS of success (bogus sense)', () => {
    const d = byId(
      {
        cdb: SMART_STATUS,
        status: 2,
        sense: ataSense(0xb, 0x00, 0x00, { mid: 0x4f, high: 0xc2, status: 0x50 }),
      },
      'ata-bogus-sense',
    );
    expect(d?.severity).toBe('warning');
    expect(d?.title).toMatch(/DRDY set, BSY and ERR clear/);
  });

  it('reports an ATA error with the ERROR bits named', () => {
    const d = byId(
      {
        cdb: IDENTIFY,
        dataIn: 512,
        status: 2,
        sense: ataSense(0xb, 0x00, 0x00, { error: 0x04, status: 0x51 }),
      },
      'ata-error',
    );
    expect(d?.title).toMatch(/ERROR is 04h \(ABRT\)/);
    expect(
      byId(
        {
          cdb: IDENTIFY,
          dataIn: 512,
          status: 2,
          sense: ataSense(0xb, 0x00, 0x00, { error: 0x04, status: 0x51 }),
        },
        'ata-bogus-sense',
      ),
    ).toBeUndefined();
  });

  it('reads the registers from fixed-format sense with 00h/1Dh', () => {
    // Fixed: ERROR 3, STATUS 4, DEVICE 5, COUNT 6, LBA low/mid/high 9–11 (SAT-4).
    const sense = hex('70 00 01 00 50 00 00 0a 00 00 4f c2 00 1d 00 00 00 00');
    const d = byId({ cdb: SMART_STATUS, status: 2, sense }, 'ata-registers-returned');
    expect(d?.detail.join(' ')).toMatch(/fixed-format sense.*SMART health is good/);
  });

  it('explains 05/20/00 to pass-through as not SAT and names the family for the vendor ID', () => {
    const d = byId(
      { cdb: IDENTIFY, dataIn: 512, status: 2, sense: INVALID_OPCODE, usbVendorId: 0x152d },
      'not-sat',
    );
    expect(d?.title).toMatch(/does not speak SAT/);
    expect(d?.detail.join(' ')).toMatch(
      /For USB vendor ID 152d try JMicron ATA \(DFh\) \(smartctl -d usbjmicron\)/,
    );
    expect(d?.fix.join(' ')).toMatch(/usbcdb probe/);
  });

  it('without a vendor ID lists the families by vendor ID; with an unknown one says none fits', () => {
    const none = byId({ cdb: IDENTIFY, status: 2, sense: INVALID_OPCODE }, 'not-sat');
    expect(none?.detail.join(' ')).toMatch(/174c ASMedia NVMe/);
    const other = byId(
      { cdb: IDENTIFY, status: 2, sense: INVALID_OPCODE, usbVendorId: 0x1d6b },
      'not-sat',
    );
    expect(other?.detail.join(' ')).toMatch(
      /No vendor pass-through family is known for USB vendor ID 1d6b/,
    );
  });

  it('notes that A1h is also MMC BLANK when PT(12) is refused', () => {
    const d = byId(
      { cdb: hex('a1 08 0e 00 01 00 00 00 00 ec 00 00'), status: 2, sense: INVALID_OPCODE },
      'not-sat',
    );
    expect(d?.detail.join(' ')).toMatch(/BLANK/);
  });

  it('does not call a refusal of another command not SAT', () => {
    expect(
      byId({ cdb: hex('c1 00 00 00 00 00'), status: 2, sense: INVALID_OPCODE }, 'not-sat'),
    ).toBeUndefined();
  });

  it('carries lint’s pass-through findings: T_LENGTH 0 on IDENTIFY', () => {
    const r = diagnose({
      cdb: hex('85 08 00 00 00 00 01 00 00 00 00 00 00 00 ec 00'),
      dataIn: 512,
    });
    const d = r.diagnoses.find((x) => x.id === 'lint:ata-pass-through');
    expect(d?.title).toMatch(/T_LENGTH is 0/);
  });
});
