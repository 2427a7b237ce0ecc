/**
 * The ATA outputs a SAT bridge returns in fixed-format sense (SAT-4, fixed format sense data for
 * ATA PASS-THROUGH): read as registers when the sense answers an ATA PASS-THROUGH or says 00h/1Dh,
 * and never as a failing LBA. Byte values are written out from the SAT-4 layout by hand.
 */
import { describe, expect, it } from 'vitest';
import { ataRegistersOf } from '../../../shared/scsi/ata-registers';
import { parseHex } from '../../../shared/scsi/hex';
import { decodeSense, explainSense } from '../../../shared/scsi/sense';
import { decodeSenseFor, explainSenseFor } from '../../../shared/scsi/sense/for-command';
import { findVendorSet } from '../../../shared/vendor-sets/registry';

const bytes = (hex: string): Uint8Array => {
  const r = parseHex(hex);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

// ABORTED COMMAND 00h/00h; INFORMATION bytes: ERROR 04h (ABRT), STATUS 51h (DRDY ERR), DEVICE 40h,
// COUNT 02h; COMMAND-SPECIFIC: EXTEND 0, LBA low/mid/high 11h/22h/33h.
const ABORTED = bytes('f0 00 0b 04 51 40 02 0a 00 11 22 33 00 00 00 00 00 00');
const IDENTIFY16 = bytes('85 08 0e 00 00 00 01 00 00 00 00 00 00 40 ec 00');
// CK_COND=1 SMART RETURN STATUS: RECOVERED ERROR 00h/1Dh, STATUS 50h, LBA mid/high 4Fh/C2h.
const SMART_OK = bytes('f0 00 01 00 50 00 00 0a 00 00 4f c2 00 1d 00 00 00 00');

describe('fixed-format sense answering an ATA PASS-THROUGH', () => {
  it('reads ERROR, STATUS, DEVICE, COUNT and the LBA bytes, not INFORMATION', () => {
    const d = decodeSense(ABORTED, { ataPassThrough: true });
    if (!d.ok) throw new Error(d.error.message);
    expect(d.value.information).toBeUndefined();
    expect(d.value.commandSpecific).toBeUndefined();
    expect(ataRegistersOf(d.value)).toEqual({
      source: 'fixed',
      error: 0x04,
      status: 0x51,
      device: 0x40,
      count: 0x02,
      lbaLow: 0x11,
      lbaMid: 0x22,
      lbaHigh: 0x33,
    });
    const e = explainSense(d.value);
    expect(e.details.join(' ')).not.toMatch(/failing LBA/);
    expect(e.details.join(' ')).toMatch(/ATA registers \(in the fixed-format INFORMATION/);
    // ERR with ABRT: the drive refused the command, so retrying it unchanged is no advice.
    expect(e.action).toBe('fix-command');
  });

  it('reads the same bytes as INFORMATION for any other command', () => {
    const d = decodeSense(ABORTED);
    if (!d.ok) throw new Error(d.error.message);
    expect(d.value.ata).toBeUndefined();
    expect(d.value.information).toBe(0x04514002n);
    expect(explainSense(d.value).action).toBe('retry');
  });

  it('keeps INFORMATION for a deferred error and for the SATL’s own refusal of the CDB', () => {
    const read = (hex: string) => {
      const d = decodeSense(bytes(hex), { ataPassThrough: true });
      if (!d.ok) throw new Error(d.error.message);
      return d.value;
    };
    // Deferred (71h) WRITE ERROR: INFORMATION is the LBA of an earlier command's failed write.
    const deferred = read('f1 00 03 00 50 00 00 0a 00 00 00 00 0c 02 00 00 00 00');
    expect([deferred.ata, deferred.information]).toEqual([undefined, 0x00500000n]);
    // INVALID FIELD IN CDB, INVALID COMMAND OPERATION CODE, a UNIT ATTENTION: nothing ran.
    for (const refusal of [
      '70 00 05 00 00 00 00 0a 00 00 00 00 24 00 00 c0 00 01',
      '70 00 05 00 00 00 00 0a 00 00 00 00 20 00 00 00 00 00',
      '70 00 06 00 00 00 00 0a 00 00 00 00 29 00 00 00 00 00',
      // The SATL's own NOT READY and ABORTED COMMAND, STATUS 00h: no ATA command completed.
      '70 00 02 00 00 00 00 0a 00 00 00 00 04 02 00 00 00 00',
      '70 00 0b 00 00 00 00 0a 00 00 00 00 47 03 00 00 00 00',
    ])
      expect(read(refusal).ata, refusal).toBeUndefined();
    // IDNF becomes LBA OUT OF RANGE (05/21/00) with the drive's outputs (SAT-4).
    expect(read('f0 00 05 10 51 40 00 0a 00 00 00 00 21 00 00 00 00 00').ata?.error).toBe(0x10);
  });

  it('says COUNT and LBA are only their lower halves when byte 8 says the upper ones are nonzero', () => {
    // 00h/1Dh; byte 8 E0h: EXTEND, COUNT UPPER NONZERO, LBA UPPER NONZERO (SAT-4).
    const d = decodeSense(bytes('70 00 01 04 51 40 01 0a e0 11 22 33 00 1d 00 00 00 00'));
    if (!d.ok) throw new Error(d.error.message);
    expect(d.value.ata).toMatchObject({
      extend: true,
      count: 0x01,
      countUpperNonzero: true,
      lba: 0x332211n,
      lbaUpperNonzero: true,
    });
    const text = explainSense(d.value).details.join(' ');
    expect(text).toMatch(/COUNT\(7:0\) 1 \(COUNT\(15:8\) is nonzero, not carried\)/);
    expect(text).toMatch(/LBA\(23:0\) 0x332211 \(LBA\(47:24\) is nonzero, not carried\)/);
    // Byte 8 80h: EXTEND alone, so COUNT and LBA are whole.
    const whole = decodeSense(bytes('70 00 01 04 51 40 01 0a 80 11 22 33 00 1d 00 00 00 00'));
    if (!whole.ok) throw new Error(whole.error.message);
    expect(explainSense(whole.value).details.join(' ')).toMatch(/COUNT 1, LBA 0x332211,/);
  });

  it('explainSenseFor reads the command once for both: a vendor set’s A1h is neither ATA nor ATA’s field', () => {
    const jmicron = findVendorSet('jmicron-nvme');
    if (!jmicron) throw new Error('no jmicron-nvme set');
    // ILLEGAL REQUEST 24h/00h, C/D and BPV: CDB byte 1 bit 0.
    const refused = bytes('70 00 05 00 00 00 00 0a 00 00 00 00 24 00 00 c8 00 01');
    const cdb = bytes('a1 82 00 00 00 00 00 00 00 00 00 00');
    const vendor = explainSenseFor(refused, { cdb, vendorSets: [jmicron] });
    if (!vendor.ok) throw new Error(vendor.error.message);
    expect(vendor.value.explanation.pointer?.fieldName).toBe('NVME PASS-THROUGH AND PROTOCOL');
    const standard = explainSenseFor(ABORTED, { cdb: IDENTIFY16 });
    expect(standard.ok && standard.value.sense.ata?.error).toBe(0x04);
  });

  it('decodes a sense too short to hold the registers as before', () => {
    const d = decodeSense(bytes('70 00 0b'), { ataPassThrough: true });
    expect(d.ok && [d.value.senseKey, d.value.ata]).toEqual([0x0b, undefined]);
  });

  it('reads the registers of 00h/1Dh whatever the command, as SAT-4 says', () => {
    const d = decodeSense(SMART_OK);
    if (!d.ok) throw new Error(d.error.message);
    expect(ataRegistersOf(d.value)).toMatchObject({ status: 0x50, lbaMid: 0x4f, lbaHigh: 0xc2 });
  });

  it('decodeSenseFor knows an ATA PASS-THROUGH from the CDB, and a vendor set reusing A1h from one', () => {
    const pt = decodeSenseFor(ABORTED, IDENTIFY16);
    expect(pt.ok && pt.value.ata?.error).toBe(0x04);
    const other = decodeSenseFor(ABORTED, bytes('12 00 00 00 24 00'));
    expect(other.ok && other.value.ata).toBeUndefined();
    const jmicron = findVendorSet('jmicron-nvme');
    if (!jmicron) throw new Error('no jmicron-nvme set');
    const phase3 = bytes('a1 8f 00 00 02 00 00 00 00 00 00 00');
    const nvme = decodeSenseFor(ABORTED, phase3, [jmicron]);
    expect(nvme.ok && nvme.value.ata).toBeUndefined();
    const read = decodeSenseFor(ABORTED, phase3);
    expect(read.ok && read.value.ata?.status).toBe(0x51);
  });
});
