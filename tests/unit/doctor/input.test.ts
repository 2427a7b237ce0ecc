/**
 * shared/doctor/input.ts: what a person typed, read the same way for
 * `usbcdb doctor` and the app's Diagnose panel.
 */
import { describe, expect, it } from 'vitest';
import {
  constantName,
  parseDoctorText,
  parseDriverKitText,
  type DoctorTextField,
} from '../../../shared/doctor/input';
import {
  numberTextValue,
  parseBigNumberText,
  parseNumberText,
} from '../../../shared/scsi/number-text';

const label = (f: DoctorTextField): string => `<${f}>`;

describe('parseNumberText', () => {
  it('reads decimal, 0x.. and ..h', () => {
    expect(parseNumberText('36', 'x')).toEqual({ ok: true, value: 36 });
    expect(parseNumberText(' 0x24 ', 'x')).toEqual({ ok: true, value: 36 });
    expect(parseNumberText('24h', 'x')).toEqual({ ok: true, value: 36 });
  });

  it('names the field and the text it refuses', () => {
    const r = parseNumberText('two', 'Status');
    expect(r.ok || r.error).toEqual({
      code: 'bad-number',
      message: 'Status must be a number (decimal, 0x.. or ..h), got "two"',
    });
    const big = parseNumberText('0xffffffffffffffff', 'n');
    expect(big.ok || big.error.message).toBe('n is too large: "0xffffffffffffffff"');
    // The largest a number holds exactly is taken; one more is not.
    expect(parseNumberText('9007199254740991', 'n')).toEqual({ ok: true, value: 2 ** 53 - 1 });
    expect(parseNumberText('9007199254740992', 'n').ok).toBe(false);
  });

  it('reads the same text as a bigint of any size, for 64-bit LBAs', () => {
    expect(parseBigNumberText('0xffffffffffffffff', 'x')).toEqual({
      ok: true,
      value: 0xffff_ffff_ffff_ffffn,
    });
    expect(parseBigNumberText('FFFFFFFFFFFFFFFFh', 'x')).toEqual({
      ok: true,
      value: 0xffff_ffff_ffff_ffffn,
    });
    expect(parseBigNumberText('18446744073709551616', 'x')).toEqual({ ok: true, value: 2n ** 64n });
    const bad = parseBigNumberText('1e3', '--lba');
    expect(bad.ok || bad.error.message).toBe(
      '--lba must be a number (decimal, 0x.. or ..h), got "1e3"',
    );
    expect(numberTextValue(' 24h ')).toBe(36n);
    expect(numberTextValue('0x')).toBeUndefined();
    expect(numberTextValue('-1')).toBeUndefined();
  });
});

describe('parseDriverKitText', () => {
  it('reads KEY=VALUE pairs split by commas, semicolons or spaces, keys in any case', () => {
    expect(
      parseDriverKitText(
        ['fBufferDirection=1, fdatatransferdirection=2', 'fRequestedByteCountOfTransfer=0x200'],
        'dk',
      ),
    ).toEqual({
      ok: true,
      value: { fBufferDirection: 1, fDataTransferDirection: 2, fRequestedByteCountOfTransfer: 512 },
    });
  });

  it('refuses a pair without "=", an unknown field, and a value that is not a number', () => {
    const noEq = parseDriverKitText(['fBufferDirection'], 'dk');
    expect(noEq.ok || noEq.error.message).toBe('dk takes KEY=VALUE, got "fBufferDirection"');
    const unknown = parseDriverKitText(['fNope=1'], 'dk');
    expect(unknown.ok || unknown.error.message).toMatch(
      /^dk: "fNope" is not a SCSIType00OutParameters field \(fLogicalUnitNumber, /,
    );
    const bad = parseDriverKitText(['fTimeoutDuration=soon'], 'dk');
    expect(bad.ok || bad.error.message).toMatch(/^fTimeoutDuration must be a number/);
  });
});

describe('constants by name', () => {
  it('takes the names the doctor prints for the directions, in any case, and the OutIn spelling', () => {
    expect(
      parseDriverKitText(
        [
          'fBufferDirection=kIOMemoryDirectionIn, fDataTransferDirection=kscsidatatransfer_fromtargettoinitiator',
        ],
        'dk',
      ),
    ).toEqual({ ok: true, value: { fBufferDirection: 1, fDataTransferDirection: 2 } });
    expect(parseDriverKitText(['fBufferDirection=kIOMemoryDirectionOutIn'], 'dk')).toEqual({
      ok: true,
      value: { fBufferDirection: 3 },
    });
  });

  it('takes a status, a service response and a kern_return_t by name', () => {
    const r = parseDoctorText(
      {
        cdb: '12 00 00 00 24 00',
        status: 'kSCSITaskStatus_CHECK_CONDITION',
        serviceResponse: 'kSCSIServiceResponse_TASK_COMPLETE',
        kernReturn: 'kIOReturnNotPrivileged',
      },
      label,
    );
    expect(r.ok && r.value).toMatchObject({
      status: 2,
      serviceResponse: 2,
      kernReturn: 0xe00002c1,
    });
    const plain = parseDoctorText({ cdb: '00', status: 'reservation conflict' }, label);
    expect(plain.ok && plain.value.status).toBe(0x18);
  });

  it('takes TASK ABORTED and COMMAND TERMINATED by their SAM names only: SCSITaskStatus has no constant for them', () => {
    // SCSIControllerDriverKit SCSIDefinitions.h (DriverKit's SCSITaskStatus) defines kSCSITaskStatus_
    // names for GOOD through ACA_ACTIVE (30h) only among the SAM statuses.
    for (const [sam, value] of [
      ['TASK ABORTED', 0x40],
      ['COMMAND TERMINATED', 0x22],
    ] as const) {
      const byName = parseDoctorText({ cdb: '00', status: sam }, label);
      expect(byName.ok && byName.value.status).toBe(value);
      const apple = parseDoctorText(
        { cdb: '00', status: `kSCSITaskStatus_${sam.replace(' ', '_')}` },
        label,
      );
      expect(apple.ok || apple.error).toMatchObject({ field: 'status', code: 'bad-number' });
    }
    const aca = parseDoctorText({ cdb: '00', status: 'kSCSITaskStatus_ACA_ACTIVE' }, label);
    expect(aca.ok && aca.value.status).toBe(0x30);
  });

  it('refuses an unknown name and lists the ones it takes; a field without names stays numeric', () => {
    const r = parseDriverKitText(['fBufferDirection=In'], 'dk');
    expect(r.ok || r.error.message).toBe(
      'fBufferDirection must be a number (decimal, 0x.. or ..h) or one of kIOMemoryDirectionNone, kIOMemoryDirectionIn, kIOMemoryDirectionOut, kIOMemoryDirectionInOut; got "In"',
    );
    const t = parseDriverKitText(['fTimeoutDuration=kIOMemoryDirectionIn'], 'dk');
    expect(t.ok || t.error.message).toBe(
      'fTimeoutDuration must be a number (decimal, 0x.. or ..h), got "kIOMemoryDirectionIn"',
    );
  });
});

describe('one data phase', () => {
  it('refuses a data-in and a data-out length together, naming the fields as the front end calls them', () => {
    const r = parseDoctorText(
      { cdb: '2a 00 00 00 00 00 00 00 01 00', dataIn: '512', dataOut: '512' },
      label,
    );
    expect(r.ok || r.error).toMatchObject({
      field: 'dataOut',
      message:
        'give <dataIn> or <dataOut>, not both: a Bulk-Only command moves data one way (bmCBWFlags bit 7, BOT 1.0 §5.1)',
    });
    expect(parseDoctorText({ cdb: '00', dataIn: '0', dataOut: '512' }, label).ok).toBe(true);
    // DriverKit's count, by its direction, is one of the two.
    const dk = parseDoctorText(
      {
        cdb: '12 00 00 00 24 00',
        dataOut: '512',
        driverKit: ['fDataTransferDirection=2, fRequestedByteCountOfTransfer=36'],
      },
      label,
    );
    expect(dk.ok || dk.error.message).toMatch(
      /^give a data-in fRequestedByteCountOfTransfer or <dataOut>, not both/,
    );
  });
});

describe('names that need their context', () => {
  it('refuses a transport code by name unless the service response is 1, where it means one', () => {
    const r = parseDoctorText(
      { cdb: '00 00 00 00 00 00', status: 'kSCSITaskStatus_DeviceNotPresent' },
      label,
    );
    expect(r.ok || r.error).toMatchObject({ field: 'status', code: 'transport-status' });
    const ok = parseDoctorText(
      {
        cdb: '00 00 00 00 00 00',
        status: 'kSCSITaskStatus_DeviceNotPresent',
        serviceResponse: '1',
      },
      label,
    );
    expect(ok.ok && ok.value.status).toBe(4);
  });

  it('takes kIOReturnSuccess, the name the doctor advises, and bounds the USB vendor ID to 16 bits', () => {
    const r = parseDoctorText({ cdb: '00', kernReturn: 'kIOReturnSuccess' }, label);
    expect(r.ok && r.value.kernReturn).toBe(0);
    const vid = parseDoctorText({ cdb: '00', usbVendorId: '0x1174c' }, label);
    expect(vid.ok || vid.error).toMatchObject({ field: 'usbVendorId' });
  });
});

describe('values as wide as what they were read from', () => {
  it('refuses a status, bCSWStatus, residue or fSenseDataValid wider than its field, naming it', () => {
    const cases: [DoctorTextField, string, string][] = [
      [
        'status',
        '0x100',
        '<status> is 0–FFh (a SAM-5 status is one byte; fCompletionStatus, a SCSITaskStatus, has no value past FFh); 256 does not fit',
      ],
      [
        'cswStatus',
        '256',
        '<cswStatus> is one byte, 0–FFh (bCSWStatus, BOT 1.0 §5.2); 256 does not fit',
      ],
      [
        'residue',
        '4294967296',
        '<residue> is 32 bits, 0–4294967295 (dCSWDataResidue, BOT 1.0 §5.2); 4294967296 does not fit',
      ],
      ['senseValid', '2', '<senseValid> is a bool, 0 or 1 (fSenseDataValid); 2 does not fit'],
    ];
    for (const [field, value, message] of cases) {
      const r = parseDoctorText({ cdb: '00 00 00 00 00 00', [field]: value }, label);
      expect(r.ok || r.error).toMatchObject({ field, code: 'bad-number', message });
    }
    // The widest value each holds is taken.
    const widest = parseDoctorText(
      {
        cdb: '00 00 00 00 00 00',
        status: '0xff',
        cswStatus: '0xff',
        residue: '0xffffffff',
        senseValid: '1',
      },
      label,
    );
    expect(
      widest.ok && [
        widest.value.status,
        widest.value.cswStatus,
        widest.value.residue,
        widest.value.senseValid,
      ],
    ).toEqual([0xff, 0xff, 0xffff_ffff, true]);
  });
});

describe('constantName', () => {
  it('names a value of a field with constants, and nothing else', () => {
    expect(constantName('fBufferDirection', 1)).toBe('kIOMemoryDirectionIn');
    expect(constantName('kernReturn', -0x1ffffd3f)).toBe('kIOReturnNotPrivileged');
    expect(constantName('status', 0x02)).toBe('CHECK CONDITION');
    expect(constantName('serviceResponse', 9)).toBeUndefined();
  });
});

describe('parseDoctorText', () => {
  it("reads the founding report's values", () => {
    const r = parseDoctorText(
      {
        cdb: '12 00 00 24 00 00',
        dataIn: '512',
        status: '0x00',
        serviceResponse: '2',
        sense: '70 00 05 00 00 00 00 0a 00 00 00 00 20 00 00 00 00 00',
        senseValid: '1',
        driverKit: ['fBufferDirection=1'],
      },
      label,
    );
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value).toEqual({
      cdb: Uint8Array.of(0x12, 0, 0, 0x24, 0, 0),
      dataIn: 512,
      status: 0,
      serviceResponse: 2,
      sense: Uint8Array.from([0x70, 0, 5, 0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0x20, 0, 0, 0, 0, 0]),
      senseValid: true,
      driverKit: { fBufferDirection: 1 },
    });
  });

  it('takes blank fields as not seen', () => {
    const r = parseDoctorText(
      { cdb: '00 00 00 00 00 00', status: '  ', sense: '', transport: '', driverKit: [' '] },
      label,
    );
    expect(r.ok && r.value).toEqual({ cdb: new Uint8Array(6) });
  });

  it('names the field it cannot read, with the front end’s label', () => {
    const cases: [Parameters<typeof parseDoctorText>[0], DoctorTextField, RegExp][] = [
      [{}, 'cdb', /^give the CDB you sent with <cdb>/],
      [{ cdb: '12 0g' }, 'cdb', /"0g" is not hexadecimal/],
      [{ cdb: '12', residue: '-1' }, 'residue', /^<residue> must be a number/],
      [{ cdb: '12', sense: '70 zz' }, 'sense', /^sense: "zz" is not hexadecimal/],
      [{ cdb: '12', transport: 'lost' }, 'transport', /^<transport> must be one of ok, timeout/],
      [{ cdb: '12', driverKit: ['x'] }, 'driverKit', /^<driverKit> takes KEY=VALUE/],
    ];
    for (const [text, field, message] of cases) {
      const r = parseDoctorText(text, label);
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.error.field).toBe(field);
      expect(r.error.message).toMatch(message);
    }
  });
});

describe('the block size', () => {
  it('refuses 0, which would read every length counted in blocks as no data', () => {
    const r = parseDoctorText({ cdb: '28 00 00 00 00 00 00 00 01 00', blockSize: '0' }, label);
    expect(r.ok || r.error).toMatchObject({ field: 'blockSize' });
    expect(r.ok || r.error.message).toMatch(/^<blockSize> is a logical block length in bytes, 1–/);
    const fine = parseDoctorText(
      { cdb: '28 00 00 00 00 00 00 00 01 00', blockSize: '4096' },
      label,
    );
    expect(fine.ok && fine.value.blockSize).toBe(4096);
  });
});
