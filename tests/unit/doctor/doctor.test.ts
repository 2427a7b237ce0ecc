import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../shared/doctor/doctor';
import { statusHasSense } from '../../../shared/doctor/driverkit';
import type { DoctorInput } from '../../../shared/doctor/types';
import { parseHex } from '../../../shared/scsi/hex';
import type { VendorSet } from '../../../shared/vendor-sets/model';
import { findVendorSet } from '../../../shared/vendor-sets/registry';
import {
  MACOS_VENDOR_OPCODE_REMEDY,
  MACOS_VENDOR_OPCODE_RULE,
} from '../../../shared/macos-vendor-opcodes';

function hex(text: string): Uint8Array {
  const r = parseHex(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const REPORT_SENSE = hex('70 00 05 00 00 00 00 0a 00 00 00 00 20 00 00 00 00 00');
const REPORT: DoctorInput = {
  cdb: hex('12 00 00 24 00 00'),
  dataIn: 512,
  status: 0x00,
  serviceResponse: 2,
  sense: REPORT_SENSE,
};

describe("diagnose: the DriverKit report's INQUIRY", () => {
  const report = diagnose(REPORT);
  const ids = report.diagnoses.map((d) => d.id);

  it('says first that GOOD/TASK_COMPLETE means the sense bytes do not describe the command', () => {
    const first = report.diagnoses[0];
    expect(first?.id).toBe('sense-without-check-condition');
    expect(first?.title).toMatch(/GOOD/);
    const text = [first?.title, ...(first?.detail ?? []), ...(first?.fix ?? [])].join(' ');
    expect(text).toMatch(/INQUIRY is mandatory/);
    expect(text).toMatch(/INVALID COMMAND OPERATION CODE/);
    expect(text).toMatch(/stale/);
    expect(text).toMatch(/Zero the sense buffer/);
    expect(text).toMatch(/fSenseLengthRequested/);
    expect(text).toMatch(/only when .*CHECK CONDITION/);
  });

  it('names no probe macOS is not known to send, and names ATA PASS-THROUGH where no Apple API was used', () => {
    // What macOS's own SCSI driver sends a disk is not public (docs/driverkit.md).
    const detail = report.diagnoses[0]?.detail.join(' ') ?? '';
    expect(detail).not.toMatch(/ATA PASS-THROUGH/);
    expect(detail).toMatch(/which commands macOS's own driver sends is not public/);
    const { serviceResponse: _apple, ...elsewhere } = REPORT;
    const plain = diagnose(elsewhere).diagnoses[0]?.detail.join(' ') ?? '';
    expect(plain).toMatch(/a probe the OS sent, such as ATA PASS-THROUGH/);
  });

  it('then explains byte 3 under SPC-3+ and SPC-2 and gives the intended CDB', () => {
    const i = ids.indexOf('lint:layout-ambiguity');
    expect(i).toBe(1);
    const d = report.diagnoses[i];
    const text = [d?.title, ...(d?.fix ?? [])].join(' ');
    expect(text).toContain('0x2400 = 9216');
    expect(text).toMatch(/SPC-2 reads byte 3 as reserved/);
    expect(text).toContain(
      'The intended CDB is 12 00 00 00 24 00, sent with a transfer of 36 bytes',
    );
    expect(d?.byte).toBe(3);
  });

  it('then explains the two direction enums where 2 means different things', () => {
    const i = ids.indexOf('driverkit-directions');
    expect(i).toBe(2);
    const d = report.diagnoses[i];
    expect(d?.title).toMatch(/kIOMemoryDirection/);
    expect(d?.title).toMatch(/kSCSIDataTransfer/);
    expect(d?.detail.join(' ')).toMatch(/kIOMemoryDirectionIn \(1\)/);
    // Apple does not document what the kernel does with a wrong fBufferDirection: not "silently".
    expect(d?.detail.join(' ')).toMatch(/asks for the wrong mapping\.$/);
    expect(d?.detail.join(' ')).not.toMatch(/silently/);
  });

  it('last, notes that the 512-byte buffer holds all INQUIRY can send despite the allocation length', () => {
    const i = ids.indexOf('lint:length-vs-buffer');
    expect(i).toBe(3);
    expect(report.diagnoses[i]?.severity).toBe('info');
    expect(report.diagnoses[i]?.title).toMatch(/512-byte buffer, but INQUIRY returns at most 260/);
  });

  it('states what happened before judging', () => {
    expect(report.outcome.join('\n')).toMatch(/TASK_COMPLETE/);
    expect(report.outcome.join('\n')).toMatch(/INQUIRY/);
  });
});

describe("diagnose: DriverKit's 16-byte CDB buffer", () => {
  const cdb16 = hex('12 00 00 00 24 00' + ' 00'.repeat(10));

  it('does not tell a DriverKit caller to send 6 bytes, which the API cannot do', () => {
    const d = diagnose({ cdb: cdb16, dataIn: 36, serviceResponse: 2, status: 0 }).diagnoses.find(
      (x) => x.id === 'lint:cdb-length',
    );
    expect(d?.severity).toBe('info');
    expect(d?.title).toMatch(/zero padding/);
    expect(d?.fix.join(' ')).not.toMatch(/first 6 bytes/);
  });

  it('still says so to a caller who chose 16 bytes (no Apple API named)', () => {
    const d = diagnose({ cdb: cdb16, dataIn: 36, status: 0 }).diagnoses.find(
      (x) => x.id === 'lint:cdb-length',
    );
    expect(d?.fix.join(' ')).toMatch(/send the first 6 bytes only/);
  });
});

describe('diagnose: a vendor command refused as an unknown opcode', () => {
  const refused = hex('70 00 05 00 00 00 00 0a 00 00 00 00 20 00 00 00 00 00');
  const asmedia = findVendorSet('asmedia') as VendorSet;
  const identify = hex('e6 06 00 01' + ' 00'.repeat(12));
  const bridge = (input: DoctorInput) =>
    diagnose(input).diagnoses.find((d) => d.id === 'bridge-refused-vendor-command');

  it("names the bridge and the set's family for a set's command", () => {
    const d = bridge({ cdb: identify, status: 2, sense: refused, vendorSets: [asmedia] });
    expect(d?.title).toMatch(
      /^The USB bridge, not the disk, most likely refused ASMEDIA NVME IDENTIFY CONTROLLER \(vendor set asmedia\)/,
    );
    expect(d?.detail.join(' ')).toContain(
      'Vendor set asmedia is for ASMedia NVMe (E6h), USB vendor ID 174c.',
    );
  });

  it("says which set a device's USB vendor ID speaks when it is another family's", () => {
    const other = bridge({
      cdb: identify,
      status: 2,
      sense: refused,
      vendorSets: [asmedia],
      usbVendorId: 0x152d,
    });
    expect(other?.detail.join(' ')).toContain(
      'USB vendor ID 152d is JMicron ATA (DFh) or JMicron NVMe (A1h, three phases): its commands are in vendor set jmicron-ata or jmicron-nvme.',
    );
    const same = bridge({
      cdb: identify,
      status: 2,
      sense: refused,
      vendorSets: [asmedia],
      usbVendorId: 0x174c,
    });
    expect(same?.detail.join(' ')).toMatch(/bridge's firmware is the likely cause/);
  });

  it('speaks of a bare vendor opcode too, and of nothing else', () => {
    expect(bridge({ cdb: hex('c0 00 00 00 00 00'), status: 2, sense: refused })?.title).toMatch(
      /refused vendor opcode C0h/,
    );
    // A standard opcode, another sense, another status, and SAT's pass-through (its own rule): no.
    expect(bridge({ cdb: hex('12 00 00 00 24 00'), status: 2, sense: refused })).toBeUndefined();
    const invalidField = hex('70 00 05 00 00 00 00 0a 00 00 00 00 24 00 00 00 00 00');
    expect(
      bridge({ cdb: hex('c0 00 00 00 00 00'), status: 2, sense: invalidField }),
    ).toBeUndefined();
    expect(bridge({ cdb: hex('c0 00 00 00 00 00'), status: 0, sense: refused })).toBeUndefined();
    expect(
      bridge({ cdb: hex('85' + ' 00'.repeat(15)), status: 2, sense: refused }),
    ).toBeUndefined();
  });

  it('reads JMicron NVMe’s A1h as the set’s command, not SAT, and names the family for 152d', () => {
    const jmicron = findVendorSet('jmicron-nvme') as VendorSet;
    const block = hex('a1 80 00 00 02 00 00 00 00 00 00 00');
    const input: DoctorInput = {
      cdb: block,
      dataOut: 512,
      status: 2,
      sense: refused,
      vendorSets: [jmicron],
      usbVendorId: 0x152d,
    };
    const ids = diagnose(input).diagnoses.map((d) => d.id);
    expect(ids).not.toContain('not-sat');
    expect(ids).not.toContain('ata-pass-through-command');
    expect(bridge(input)?.detail.join(' ')).toContain(
      'Vendor set jmicron-nvme is for JMicron NVMe (A1h, three phases), USB vendor ID 152d.',
    );
    // Without the set the CDB reads as SAT's ATA PASS-THROUGH(12); 152d names both JMicron families.
    const notSat = diagnose({ ...input, vendorSets: [] }).diagnoses.find((d) => d.id === 'not-sat');
    expect(notSat?.detail.join(' ')).toContain(
      'For USB vendor ID 152d try JMicron ATA (DFh) (smartctl -d usbjmicron) or JMicron NVMe (A1h, three phases) (smartctl -d sntjmicron).',
    );
  });
});

describe('diagnose: the rules are general', () => {
  it('flags DriverKit values that cannot be right: a sense length past uint8_t, two transfer counts, a data-out direction', () => {
    const inquiry = hex('12 00 00 00 24 00');
    const ids = (input: DoctorInput) => diagnose(input).diagnoses;
    const wrapped = ids({ cdb: inquiry, driverKit: { fSenseLengthRequested: 300 } }).find(
      (d) => d.id === 'driverkit-sense-length-range',
    );
    expect(wrapped?.title).toBe('fSenseLengthRequested is 300, but it is a uint8_t: C stores 44.');
    const twice = ids({
      cdb: hex('12 00 00 24 00 00'),
      dataIn: 512,
      driverKit: { fRequestedByteCountOfTransfer: 36 },
    }).find((d) => d.id === 'driverkit-transfer-count');
    expect(twice?.title).toMatch(
      /512 bytes in\) and fRequestedByteCountOfTransfer \(36\) disagree/,
    );
    const out = diagnose({
      cdb: inquiry,
      driverKit: {
        fRequestedByteCountOfTransfer: 36,
        fBufferDirection: 1,
        fDataTransferDirection: 1,
      },
    });
    expect(out.outcome).toContain('Host transfer: 36 bytes data-out.');
    const found = out.diagnoses.map((d) => d.id);
    expect(found).toContain('driverkit-transfer-direction');
    expect(found).not.toContain('driverkit-buffer-direction');
  });

  it('calls a count past the buffer an overrun, not a residue', () => {
    const inquiry = { cdb: hex('12 00 00 00 24 00'), dataIn: 36, status: 0 };
    const over = diagnose({ ...inquiry, realized: 96 }).diagnoses;
    expect(over.map((d) => d.id)).not.toContain('transfer-count');
    const d = over.find((x) => x.id === 'transfer-overrun');
    expect(d?.severity).toBe('error');
    expect(d?.title).toMatch(/^96 bytes were reported transferred, more than the 36/);
    expect(d?.detail.join(' ')).toMatch(/case 7 \(Hi < Di\)/);
    expect(d?.fix.join(' ')).toMatch(/the buffer was overrun/);
    const residue = diagnose({ ...inquiry, residue: 40 }).diagnoses.find(
      (x) => x.id === 'transfer-overrun',
    );
    expect(residue?.title).toMatch(/residue of 40 is more than the 36/);
    // A residue past the buffer moved less than nothing: a CSW that is not meaningful.
    expect(residue?.detail.join(' ')).toMatch(/not meaningful \(BOT 1\.0 §6\.3\)/);
    expect([...(residue?.detail ?? []), ...(residue?.fix ?? [])].join(' ')).not.toMatch(
      /overrun|past the end/,
    );
    // A data-out residue past the length is the same; a count sent past it is case 13, and the
    // device writes no host memory.
    const write = diagnose({
      cdb: hex('2a 00 00 00 00 00 00 00 01 00'),
      dataOut: 512,
      status: 0,
      residue: 600,
    });
    const out = write.diagnoses.find((x) => x.id === 'transfer-overrun');
    expect(out?.detail.join(' ')).toMatch(/not meaningful/);
    const sentMore = diagnose({
      cdb: hex('2a 00 00 00 00 00 00 00 01 00'),
      dataOut: 512,
      status: 0,
      realized: 600,
    }).diagnoses.find((x) => x.id === 'transfer-overrun');
    expect(sentMore?.detail.join(' ')).toMatch(
      /expects more data than the host sends is BOT 1\.0 §6\.7 case 13 \(Ho < Do\)/,
    );
    expect([...(out?.detail ?? []), ...(out?.fix ?? [])].join(' ')).not.toMatch(
      /overrun|past the end/,
    );
    // A short transfer is still the normal residue.
    expect(diagnose({ ...inquiry, realized: 30 }).diagnoses.map((x) => x.id)).toContain(
      'transfer-count',
    );
  });

  it('does not say a mandatory command is unimplemented when it ends in 05/20/00', () => {
    const refused = hex('70 00 05 00 00 00 00 0a 00 00 00 00 20 00 00 00 00 00');
    const failed = (cdb: string) =>
      diagnose({ cdb: hex(cdb), dataIn: 36, status: 2, sense: refused }).diagnoses.find(
        (d) => d.id === 'check-condition',
      );
    const inquiry = failed('12 00 00 00 24 00')?.fix.join(' ') ?? '';
    expect(inquiry).toMatch(/^INQUIRY is mandatory \(SPC-5\), so no conforming device answers it/);
    expect(inquiry).toMatch(/were not this CDB .* or the sense belongs to another command/);
    expect(inquiry).not.toMatch(/does not implement|vendor opcode|Change the command/);
    expect(inquiry).toMatch(/Check how the command reached the device/);
    // SBC-4 makes READ(10) mandatory for its device type only.
    expect(failed('28 00 00 00 00 00 00 00 01 00')?.fix.join(' ')).toMatch(
      /^READ\(10\) is mandatory for a direct-access block device \(SBC-4\), so no conforming device of that type answers it/,
    );
    // An optional command may really be unimplemented, and the advice says so of it.
    expect(failed('5a 00 3f 00 00 00 00 00 24 00')?.fix.join(' ')).toMatch(
      /^MODE SENSE\(10\) is optional \(SPC-5\): a device need not implement it, and this one does not\. .*REPORT SUPPORTED OPERATION CODES/,
    );
    // A vendor's command gets the vendor advice, whatever its set says of its support: a
    // vendor opcode, and a set's command on a standard opcode (Cypress ATACB's 24h).
    for (const [cdb, set] of [
      ['c5 00 00 00 00 00 00 00 00 00', 'example'],
      ['24 24 80 be 01 00 00 01 00 00 00 00 ec 00 00 00', 'cypress'],
    ] as const) {
      const vendorSets = [findVendorSet(set) ?? expect.fail(set)];
      const fix = diagnose({ cdb: hex(cdb), dataIn: 36, status: 2, sense: refused, vendorSets })
        .diagnoses.find((d) => d.id === 'check-condition')
        ?.fix.join(' ');
      expect(fix, cdb).toMatch(/does not implement this operation code\. For a vendor opcode/);
    }
  });

  it('fires the stale-sense rule for another mandatory command and another status', () => {
    const r = diagnose({ cdb: hex('00 00 00 00 00 00'), status: 0x00, sense: REPORT_SENSE });
    expect(r.diagnoses[0]?.id).toBe('sense-without-check-condition');
    expect(r.diagnoses[0]?.detail.join(' ')).toMatch(/TEST UNIT READY is mandatory/);
    // Without an Apple API in play, the advice is generic.
    expect(r.diagnoses[0]?.fix.join(' ')).not.toMatch(/UserSendCDB/);
  });

  it('asks for fSenseLengthRequested only when it was not given', () => {
    const input = {
      cdb: hex('12 00 00 00 24 00'),
      status: 0x00,
      serviceResponse: 2,
      sense: REPORT_SENSE,
    };
    const advice = (r: ReturnType<typeof diagnose>) => r.diagnoses[0]?.fix.join(' ') ?? '';
    expect(advice(diagnose({ ...input, driverKit: {} }))).toMatch(/Set fSenseLengthRequested/);
    expect(advice(diagnose({ ...input, driverKit: { fSenseLengthRequested: 18 } }))).not.toMatch(
      /Set fSenseLengthRequested/,
    );
  });

  it('does not call sense stale when the command really failed', () => {
    const r = diagnose({
      cdb: hex('c0 00 00 00 00 00 00 00 00 00'),
      status: 0x02,
      sense: REPORT_SENSE,
    });
    expect(r.diagnoses.map((d) => d.id)).not.toContain('sense-without-check-condition');
    expect(r.diagnoses[0]?.id).toBe('check-condition');
    expect(r.diagnoses[0]?.title).toMatch(/INVALID COMMAND OPERATION CODE/);
  });

  it('reads the sense of COMMAND TERMINATED (22h, SAM-2) as it reads CHECK CONDITION', () => {
    const r = diagnose({
      cdb: hex('c0 00 00 00 00 00 00 00 00 00'),
      status: 0x22,
      sense: REPORT_SENSE,
    });
    expect(r.diagnoses.map((d) => d.id)).not.toContain('sense-without-check-condition');
    expect(r.diagnoses.find((d) => d.id === 'check-condition')?.title).toMatch(
      /INVALID COMMAND OPERATION CODE/,
    );
    expect([0x00, 0x02, 0x04, 0x08, 0x22, 0x28, undefined].map(statusHasSense)).toEqual([
      false,
      true,
      false,
      false,
      true,
      false,
      false,
    ]);
    const none = diagnose({ cdb: hex('00 00 00 00 00 00'), status: 0x22 });
    expect(none.diagnoses.find((d) => d.id === 'check-condition-no-sense')?.title).toBe(
      'TEST UNIT READY failed with COMMAND TERMINATED (22h), but no sense data was given.',
    );
  });

  it('quotes sense bytes that do not decode as one sentence, not ending in two periods', () => {
    const r = diagnose({ cdb: hex('00 00 00 00 00 00'), status: 0x02, sense: hex('70') });
    const why =
      'Fixed-format sense needs at least 3 bytes for the sense key (byte 2); only 1 given';
    expect(r.diagnoses.find((d) => d.id === 'check-condition-no-sense')?.title).toBe(
      `TEST UNIT READY failed with CHECK CONDITION (02h), but no sense data was given (${why}).`,
    );
    expect(r.outcome).toContain(`Sense bytes: 70 — not decodable: ${why}.`);
  });

  it('catches fBufferDirection set to the SCSI constant', () => {
    const r = diagnose({
      cdb: hex('12 00 00 00 24 00'),
      status: 0,
      serviceResponse: 2,
      driverKit: {
        fBufferDirection: 2,
        fDataTransferDirection: 2,
        fRequestedByteCountOfTransfer: 36,
        fSenseLengthRequested: 18,
      },
    });
    const d = r.diagnoses.find((x) => x.id === 'driverkit-buffer-direction');
    expect(d?.severity).toBe('error');
    expect(d?.detail.join(' ')).toMatch(/other\* enum|kIOMemoryDirection it means Out/);
    expect(r.diagnoses.map((x) => x.id)).not.toContain('driverkit-transfer-direction');
  });

  it('warns when no sense length was requested and when the timeout is tiny', () => {
    const r = diagnose({
      cdb: hex('12 00 00 00 24 00'),
      driverKit: { fSenseLengthRequested: 0, fTimeoutDuration: 10 },
    });
    const ids = r.diagnoses.map((d) => d.id);
    expect(ids).toContain('driverkit-sense-length');
    expect(ids).toContain('driverkit-timeout');
  });

  it('explains kIOReturnNotPrivileged for a vendor opcode', () => {
    const r = diagnose({ cdb: hex('c0 00 00 00 00 00 00 00 00 00'), kernReturn: 0xe00002c1 });
    expect(r.diagnoses[0]?.id).toBe('kern-return');
    expect(r.diagnoses[0]?.title).toMatch(/kIOReturnNotPrivileged/);
    // IOReturn.h: kIOReturnNotPrivileged iokit_common_err(0x2c1), "privilege violation".
    expect(r.diagnoses[0]?.title).toMatch(
      /0xE00002C1 \(kIOReturnNotPrivileged\): a privilege violation \(IOReturn\.h\)/,
    );
    expect(r.diagnoses[0]?.fix.join(' ')).toMatch(/UserSuspendServices/);
  });

  it('explains kIOReturnUnsupported with what IOReturn.h says, and the IOClass cure as reported, not documented', () => {
    const r = diagnose({ cdb: hex('12 00 00 00 24 00'), dataIn: 36, kernReturn: 0xe00002c7 });
    const d = r.diagnoses[0];
    expect(d?.id).toBe('kern-return');
    // IOReturn.h: kIOReturnUnsupported iokit_common_err(0x2c7), "unsupported function".
    expect(d?.title).toMatch(
      /^UserSendCDB returned 0xE00002C7 \(kIOReturnUnsupported\): an unsupported function \(IOReturn\.h\)/,
    );
    expect(d?.title).toMatch(/reported, not documented by Apple/);
    const fix = d?.fix.join(' ') ?? '';
    expect(fix).toMatch(/IOClass to IOUserSCSIPeripheralDeviceType00/);
    expect(fix).toMatch(/reported to cure it, not documented by Apple/);
    // Apple documents family.scsicontroller for SCSI controllers only: the doctor does not say
    // Apple requires it of a peripheral dext.
    expect(fix).toMatch(/Apple documents that entitlement for drivers of SCSI controllers/);
    // Apple's UserSendCDB reference documents the response of a successful call only.
    expect(d?.detail.join(' ')).toMatch(/documents the response for a successful call only/);
    expect(d?.detail.join(' ')).not.toMatch(/were not filled/);
  });

  it('claims of kIOReturnError and of a code it does not know only what IOReturn.h and Apple say', () => {
    const error = diagnose({ cdb: hex('3b 05 00 00 00 00 00 04 00 00'), kernReturn: 0xe00002bc });
    // IOReturn.h: kIOReturnError iokit_common_err(0x2bc), "general error".
    expect(error.diagnoses[0]?.title).toMatch(
      /^UserSendCDB returned 0xE00002BC \(kIOReturnError\): a general error \(IOReturn\.h\); it has been reported for WRITE BUFFER/,
    );
    expect(error.diagnoses[0]?.title).not.toMatch(/before or during delivery/);
    // kIOReturnTimeout (iokit_common_err(0x2d6)) may come after the command left: not "not sent".
    const other = diagnose({ cdb: hex('00 00 00 00 00 00'), kernReturn: 0xe00002d6 });
    expect(other.diagnoses[0]?.title).toBe(
      'UserSendCDB returned 0xE00002D6: the call failed, so status and sense need not describe the command (Apple documents the response of a successful call only).',
    );
  });

  it('gives the exclusive-access remedy once, and as inferred, not as fact', () => {
    const r = diagnose({ cdb: hex('c5' + ' 00'.repeat(15)), kernReturn: 0xe00002c1 });
    const text = r.diagnoses.flatMap((d) => [d.title, ...d.detail, ...d.fix]).join(' ');
    expect(text.match(/UserResumeServices/g)).toHaveLength(1);
    expect(text).toMatch(/Likely remedy \(inferred, not confirmed by Apple\)/);
    expect(text).toMatch(/Developers report \(Apple does not document it\)/);
    expect(text).not.toMatch(/are refused unless|macOS sends C0h–FFh only while/);
    // Apple's UserSuspendServices reference expects the volumes unmounted first, with Disk
    // Arbitration, which DriverKit does not have (DADiskUnmount: macOS and Mac Catalyst only).
    expect(text).toMatch(/the exclusive window Apple documents for UserSuspendServices\(\)/);
    expect(text).toMatch(
      /From the app, unmount every volume .*Disk Arbitration is not available in DriverKit.*then in the dext call UserSuspendServices\(\)/,
    );
    expect(text).not.toMatch(/the dext has unmounted/);
  });

  it('says the macOS vendor-opcode rule once, and its remedy at most once, whatever reports it', () => {
    const count = (input: DoctorInput) => {
      const r = diagnose(input);
      const text = [...r.diagnoses.flatMap((d) => [d.title, ...d.detail, ...d.fix])].join('\n');
      return [
        text.split(MACOS_VENDOR_OPCODE_RULE).length - 1,
        text.split(MACOS_VENDOR_OPCODE_REMEDY).length - 1,
      ];
    };
    const c5 = hex('c5 00 00 00 00 00 00 00 00 00');
    expect(count({ cdb: c5, kernReturn: 0xe00002c1 })).toEqual([1, 1]);
    expect(
      count({ cdb: c5, transport: 'not-privileged', driverKit: { fTimeoutDuration: 1000 } }),
    ).toEqual([1, 1]);
    expect(count({ cdb: c5, status: 0, serviceResponse: 2 })).toEqual([1, 1]);
    // Without Apple parameters lint says the rule, for a reader who may be writing a dext.
    expect(count({ cdb: c5, status: 0 })).toEqual([1, 0]);
    // A standard opcode refused so gets neither: the rule is reported for C0h–FFh only.
    const inquiry = diagnose({ cdb: hex('12 00 00 00 24 00'), dataIn: 36, kernReturn: 0xe00002c1 });
    expect(count({ cdb: hex('12 00 00 00 24 00'), dataIn: 36, kernReturn: 0xe00002c1 })).toEqual([
      0, 0,
    ]);
    expect(inquiry.diagnoses[0]?.detail.join(' ')).toMatch(/Opcode 12h is not vendor specific/);
  });

  it('explains a command the transport could not send as such, not as a USB failure to retry', () => {
    const cdb = new Uint8Array(20);
    cdb[0] = 0x7f;
    const { diagnoses } = diagnose({ cdb, transport: 'not-sent' });
    const sent = diagnoses.find((d) => d.id === 'transport:not-sent');
    expect(sent?.title).toMatch(/Nothing was sent/);
    expect(sent?.fix.join(' ')).toMatch(/at most 16 bytes/);
    expect(diagnoses.map((d) => d.id)).not.toContain('transport:io-error');
    expect(diagnoses.flatMap((d) => d.fix).join(' ')).not.toMatch(/Retry/);
  });

  it('names a transport timeout and a phase error', () => {
    expect(diagnose({ cdb: hex('12 00 00 00 24 00'), transport: 'timeout' }).diagnoses[0]?.id).toBe(
      'transport:timeout',
    );
    expect(diagnose({ cdb: hex('12 00 00 00 24 00'), cswStatus: 2 }).diagnoses[0]?.id).toBe(
      'transport:phase-error',
    );
  });

  it('names a LUN past Get Max LUN once: in the phase error or stall it caused, else as lint', () => {
    const ids = (input: Partial<DoctorInput>) =>
      diagnose({ cdb: hex('00 00 00 00 00 00'), lun: 2, maxLun: 0, ...input }).diagnoses.map(
        (d) => d.id,
      );
    for (const failed of [{ cswStatus: 2 }, { transport: 'stall' as const }]) {
      const found = ids(failed);
      expect(found[0]).toMatch(/^transport:/);
      expect(found).not.toContain('lint:lun-range');
    }
    // A failure the LUN does not explain (a timeout), or none at all, keeps lint's finding.
    expect(ids({ transport: 'timeout' })).toContain('lint:lun-range');
    expect(ids({ status: 0 })).toContain('lint:lun-range');
  });

  it('names a service delivery failure and its transport status', () => {
    const r = diagnose({ cdb: hex('00 00 00 00 00 00'), serviceResponse: 1, status: 0x01 });
    expect(r.diagnoses[0]?.title).toMatch(/TaskTimeoutOccurred/);
  });

  it('says nothing is wrong with a clean successful command', () => {
    const r = diagnose({ cdb: hex('12 00 00 00 24 00'), dataIn: 36, status: 0 });
    expect(r.diagnoses.filter((d) => d.severity !== 'info')).toEqual([]);
  });
});
