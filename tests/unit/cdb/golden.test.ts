/**
 * Golden CDBs: one or more per catalog row, built from named fields and
 * decoded back. Each vector is written out byte by byte with the T10 field
 * names; vectors sg3_utils can print are also checked against it in
 * tests/differential/sg3-cdb.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { COMMANDS, findByName } from '../../../shared/scsi/catalog';
import { buildCdb, standardCdb, type FieldValues } from '../../../shared/scsi/cdb/build';
import { decodeCdb, formatDecodedCdb } from '../../../shared/scsi/cdb/decode';
import { formatHex, parseHex } from '../../../shared/scsi/hex';

const GOLDEN: readonly [string, FieldValues, string][] = [
  // TEST UNIT READY: opcode, reserved ×4, CONTROL
  ['tur', {}, '00 00 00 00 00 00'],
  // REQUEST SENSE: DESC=1 (byte 1 bit 0), ALLOCATION LENGTH 252 (byte 4)
  ['request-sense', { desc: 1, allocationLength: 252 }, '03 01 00 00 fc 00'],
  // FORMAT UNIT: FMTDATA=1 (byte 1 bit 4), DEFECT LIST FORMAT 0
  ['format-unit', { fmtData: 1 }, '04 10 00 00 00 00'],
  // FORMAT UNIT: FFMT 01b fast format (byte 4 bits 1:0, SBC-4), as sg_format --ffmt=1 sets it
  ['format-unit', { ffmt: 1 }, '04 00 00 00 01 00'],
  // READ(6): LBA 0x012345 (byte 1 bits 4:0, bytes 2–3), TRANSFER LENGTH 8 (byte 4)
  ['read6', { lba: 0x012345, transferLength: 8 }, '08 01 23 45 08 00'],
  // WRITE(6): LBA 0x1fffff (the largest), TRANSFER LENGTH 0 = 256 blocks
  ['write6', { lba: 0x1fffff }, '0a 1f ff ff 00 00'],
  // INQUIRY: EVPD=0, PAGE CODE 0, ALLOCATION LENGTH 36 (bytes 3–4, default)
  ['inquiry', {}, '12 00 00 00 24 00'],
  // INQUIRY VPD B0h (Block Limits): EVPD=1, PAGE CODE B0h, ALLOCATION LENGTH 0x40
  ['inquiry', { evpd: 1, pageCode: 0xb0, allocationLength: 0x40 }, '12 01 b0 00 40 00'],
  // MODE SELECT(6): PF=1 (default), SP=1, PARAMETER LIST LENGTH 24
  ['mode-select6', { sp: 1, parameterListLength: 24 }, '15 11 00 00 18 00'],
  // START STOP UNIT: IMMED=1, POWER CONDITION 0, LOEJ=1, START=0 (eject)
  ['start-stop-unit', { immed: 1, loej: 1 }, '1b 01 00 00 02 00'],
  // MODE SENSE(6): DBD=1, PC=0, PAGE CODE 08h caching, ALLOCATION LENGTH 192 (default)
  ['mode-sense6', { dbd: 1, pageCode: 0x08 }, '1a 08 08 00 c0 00'],
  // MODE SENSE(6), nothing given: PAGE CODE 3Fh, all pages (page 00h is vendor specific)
  ['mode-sense6', {}, '1a 00 3f 00 c0 00'],
  // RECEIVE DIAGNOSTIC RESULTS: PCV=1, PAGE CODE 00h, ALLOCATION LENGTH 0x100 (bytes 3–4)
  ['receive-diagnostic', { pcv: 1, allocationLength: 0x100 }, '1c 01 00 01 00 00'],
  // SEND DIAGNOSTIC: SELF-TEST CODE 001b background short (byte 1 bits 7:5)
  ['send-diagnostic', { selfTestCode: 1 }, '1d 20 00 00 00 00'],
  // PREVENT ALLOW MEDIUM REMOVAL: PREVENT=01b (byte 4 bits 1:0)
  ['prevent-allow', { prevent: 1 }, '1e 00 00 00 01 00'],
  // READ FORMAT CAPACITIES: ALLOCATION LENGTH 0xfc (bytes 7–8, default)
  ['read-format-capacities', {}, '23 00 00 00 00 00 00 00 fc 00'],
  // READ CAPACITY(10): all zero (LBA and PMI obsolete)
  ['readcap', {}, '25 00 00 00 00 00 00 00 00 00'],
  // READ(10): FUA=1, LBA 0x00001000, GROUP 0, TRANSFER LENGTH 8
  ['read10', { fua: 1, lba: 0x1000, transferLength: 8 }, '28 08 00 00 10 00 00 00 08 00'],
  // WRITE(10): DPO=1, LBA 0x12345678, TRANSFER LENGTH 0x0100
  ['write10', { dpo: 1, lba: 0x12345678, transferLength: 0x100 }, '2a 10 12 34 56 78 00 01 00 00'],
  // VERIFY(10): BYTCHK=01b (byte 1 bits 2:1), LBA 16, VERIFICATION LENGTH 4
  ['verify10', { bytChk: 1, lba: 16, verificationLength: 4 }, '2f 02 00 00 00 10 00 00 04 00'],
  // SYNCHRONIZE CACHE(10): IMMED=1, everything
  ['sync', { immed: 1 }, '35 02 00 00 00 00 00 00 00 00'],
  // WRITE BUFFER: MODE 07h (with offsets, save, activate), BUFFER OFFSET 0x200, PARAMETER LIST LENGTH 0x400
  [
    'write-buffer',
    { mode: 7, bufferOffset: 0x200, parameterListLength: 0x400 },
    '3b 07 00 00 02 00 00 04 00 00',
  ],
  // FORMAT WITH PRESET: IMMED=1 (byte 1 bit 7), FMTMAXLBA=1 (bit 6), PRESET IDENTIFIER 7 (bytes 2–5)
  // — the CDB `sg_format --preset=7 --fmtmaxlba --early` sends
  [
    'format-with-preset',
    { immed: 1, fmtMaxLba: 1, presetIdentifier: 7 },
    '38 c0 00 00 00 07 00 00 00 00',
  ],
  // READ BUFFER(10): MODE 03h descriptor, ALLOCATION LENGTH 4 (bytes 6–8)
  ['read-buffer', { mode: 3, allocationLength: 4 }, '3c 03 00 00 00 00 00 00 04 00'],
  // WRITE SAME(10): UNMAP=1 (byte 1 bit 3), LBA 0x100, NUMBER OF LOGICAL BLOCKS 8
  ['write-same10', { unmap: 1, lba: 0x100, numberOfBlocks: 8 }, '41 08 00 00 01 00 00 00 08 00'],
  // UNMAP: PARAMETER LIST LENGTH 24 (bytes 7–8): 8-byte header + one 16-byte descriptor
  ['unmap', { parameterListLength: 24 }, '42 00 00 00 00 00 00 00 18 00'],
  // SANITIZE: IMMED=1, SERVICE ACTION 03h CRYPTOGRAPHIC ERASE
  ['sanitize', { immed: 1, serviceAction: 3 }, '48 83 00 00 00 00 00 00 00 00'],
  // SANITIZE: IMMED=1, ZNR=1 (byte 1 bit 6, SBC-4), BLOCK ERASE — sg_sanitize --block --znr --early
  ['sanitize', { immed: 1, znr: 1, serviceAction: 2 }, '48 c2 00 00 00 00 00 00 00 00'],
  // LOG SELECT: PCR=1 (reset), PC=01b
  ['log-select', { pcr: 1, pc: 1 }, '4c 02 40 00 00 00 00 00 00 00'],
  // LOG SENSE: PC=01b cumulative, PAGE CODE 0Dh temperature, ALLOCATION LENGTH 0x200
  [
    'log-sense',
    { pc: 1, pageCode: 0x0d, allocationLength: 0x200 },
    '4d 00 4d 00 00 00 00 02 00 00',
  ],
  // MODE SELECT(10): PF=1 (default), PARAMETER LIST LENGTH 0x1c
  ['mode-select10', { parameterListLength: 0x1c }, '55 10 00 00 00 00 00 00 1c 00'],
  // MODE SENSE(10): LLBAA=1, PC=10b default values, PAGE CODE 3Fh, ALLOCATION LENGTH 0xfc (default)
  ['mode-sense10', { llbaa: 1, pc: 2, pageCode: 0x3f }, '5a 10 bf 00 00 00 00 00 fc 00'],
  // MODE SENSE(10), nothing given: PAGE CODE 3Fh, all pages; page 0 when asked for
  ['mode-sense10', {}, '5a 00 3f 00 00 00 00 00 fc 00'],
  ['mode-sense10', { pageCode: 0 }, '5a 00 00 00 00 00 00 00 fc 00'],
  // ATA PASS-THROUGH(16): SMART RETURN STATUS — PROTOCOL 3 non-data, CK_COND=1, FEATURES DAh, LBA mid 4Fh, high C2h, COMMAND B0h
  [
    'ata16',
    { protocol: 3, ckCond: 1, features: 0xda, lba1: 0x4f, lba2: 0xc2, command: 0xb0 },
    '85 06 20 00 da 00 00 00 00 00 4f 00 c2 00 b0 00',
  ],
  // READ(16): LBA 0x1_0000_0000 (needs 64 bits), TRANSFER LENGTH 1
  [
    'read16',
    { lba: 0x100000000n, transferLength: 1 },
    '88 00 00 00 00 01 00 00 00 00 00 00 00 01 00 00',
  ],
  // WRITE(16): FUA=1, LBA 7, TRANSFER LENGTH 2
  [
    'write16',
    { fua: 1, lba: 7, transferLength: 2 },
    '8a 08 00 00 00 00 00 00 00 07 00 00 00 02 00 00',
  ],
  // VERIFY(16): BYTCHK=00b, LBA 0, VERIFICATION LENGTH 0x10000
  ['verify16', { verificationLength: 0x10000 }, '8f 00 00 00 00 00 00 00 00 00 00 01 00 00 00 00'],
  // SYNCHRONIZE CACHE(16): LBA 16, NUMBER OF LOGICAL BLOCKS 8
  ['sync16', { lba: 16, numberOfBlocks: 8 }, '91 00 00 00 00 00 00 00 00 10 00 00 00 08 00 00'],
  // WRITE SAME(16): NDOB=1 (byte 1 bit 0), NUMBER OF LOGICAL BLOCKS 0x800
  [
    'write-same16',
    { ndob: 1, numberOfBlocks: 0x800 },
    '93 01 00 00 00 00 00 00 00 00 00 00 08 00 00 00',
  ],
  // READ CAPACITY(16): SERVICE ACTION 10h (automatic), ALLOCATION LENGTH 32 (default)
  ['readcap16', {}, '9e 10 00 00 00 00 00 00 00 00 00 00 00 20 00 00'],
  // GET LBA STATUS(16): SERVICE ACTION 12h, STARTING LOGICAL BLOCK ADDRESS 0x20 (bytes 2–9),
  // ALLOCATION LENGTH 24 (bytes 10–13), REPORT TYPE 2 mapped (byte 14) — the CDB
  // `sg_get_lba_status --lba=0x20 --maxlen=24 --report-type=2` sends
  [
    'get-lba-status',
    { lba: 0x20, allocationLength: 24, reportType: 2 },
    '9e 12 00 00 00 00 00 00 00 20 00 00 00 18 02 00',
  ],
  // CLOSE ZONE: ZONE OUT 94h, SERVICE ACTION 01h, ZONE ID 0x80000 (bytes 2–9)
  ['close-zone', { zoneId: 0x80000 }, '94 01 00 00 00 00 00 08 00 00 00 00 00 00 00 00'],
  // FINISH ZONE: SERVICE ACTION 02h, ZONE ID 0x2000 — the CDB `sg_zone --finish --zone=0x2000` sends
  ['finish-zone', { zoneId: 0x2000 }, '94 02 00 00 00 00 00 00 20 00 00 00 00 00 00 00'],
  // OPEN ZONE: SERVICE ACTION 03h, ALL=1 (byte 14 bit 0)
  ['open-zone', { all: 1 }, '94 03 00 00 00 00 00 00 00 00 00 00 00 00 01 00'],
  // RESET WRITE POINTER: SERVICE ACTION 04h, ZONE ID 0x1000, ZONE COUNT 2 (bytes 12–13)
  // — the CDB `sg_reset_wp --zone=0x1000 --count=2` sends
  [
    'reset-write-pointer',
    { zoneId: 0x1000, zoneCount: 2 },
    '94 04 00 00 00 00 00 00 10 00 00 00 00 02 00 00',
  ],
  // SEQUENTIALIZE ZONE: SERVICE ACTION 10h, ZONE ID 5
  ['sequentialize-zone', { zoneId: 5 }, '94 10 00 00 00 00 00 00 00 05 00 00 00 00 00 00'],
  // REMOVE ELEMENT AND TRUNCATE: SERVICE ACTION IN(16) 18h, REQUESTED CAPACITY 0x100000
  // (bytes 2–9), ELEMENT IDENTIFIER 3 (bytes 10–13)
  [
    'remove-element-and-truncate',
    { requestedCapacity: 0x100000, elementIdentifier: 3 },
    '9e 18 00 00 00 00 00 10 00 00 00 00 00 03 00 00',
  ],
  // RESTORE ELEMENTS AND REBUILD: SERVICE ACTION IN(16) 19h and nothing else
  ['restore-elements-and-rebuild', {}, '9e 19 00 00 00 00 00 00 00 00 00 00 00 00 00 00'],
  // REMOVE ELEMENT AND MODIFY ZONES: SERVICE ACTION IN(16) 1Ah, ELEMENT IDENTIFIER 2 (bytes 10–13)
  [
    'remove-element-and-modify-zones',
    { elementIdentifier: 2 },
    '9e 1a 00 00 00 00 00 00 00 00 00 00 00 02 00 00',
  ],
  // REPORT LUNS: SELECT REPORT 02h all, ALLOCATION LENGTH 0x1000 (bytes 6–9)
  [
    'report-luns',
    { selectReport: 2, allocationLength: 0x1000 },
    'a0 00 02 00 00 00 00 00 10 00 00 00',
  ],
  // ATA PASS-THROUGH(12): IDENTIFY DEVICE — PROTOCOL 4, T_DIR=1, BYT_BLOK=1, T_LENGTH=2, COUNT 1, COMMAND ECh
  [
    'ata12',
    { protocol: 4, tDir: 1, bytBlok: 1, tLength: 2, count: 1, command: 0xec },
    'a1 08 0e 00 01 00 00 00 00 ec 00 00',
  ],
  // SECURITY PROTOCOL IN: protocol 01h TCG, SPECIFIC 0001h (Level 0 Discovery), ALLOCATION LENGTH 0x1000
  [
    'security-in',
    { securityProtocol: 1, securityProtocolSpecific: 1, allocationLength: 0x1000 },
    'a2 01 00 01 00 00 00 00 10 00 00 00',
  ],
  // REPORT SUPPORTED OPERATION CODES: SA 0Ch (automatic), RCTD=1, options 0 (all), ALLOCATION LENGTH 0x2000
  ['rsoc', { rctd: 1, allocationLength: 0x2000 }, 'a3 0c 80 00 00 00 00 00 20 00 00 00'],
  // READ(12): LBA 0x10, TRANSFER LENGTH 0x10000 (bytes 6–9)
  ['read12', { lba: 0x10, transferLength: 0x10000 }, 'a8 00 00 00 00 10 00 01 00 00 00 00'],
  // WRITE(12): LBA 0, TRANSFER LENGTH 1
  ['write12', { transferLength: 1 }, 'aa 00 00 00 00 00 00 00 00 01 00 00'],
  // WRITE AND VERIFY(10): BYTCHK 01b (byte 1 bits 2:1), LBA 0x1000, TRANSFER LENGTH 8 (bytes 7–8)
  [
    'write-and-verify10',
    { bytChk: 1, lba: 0x1000, transferLength: 8 },
    '2e 02 00 00 10 00 00 00 08 00',
  ],
  // WRITE AND VERIFY(12): LBA 0x20, TRANSFER LENGTH 0x10000 (bytes 6–9)
  [
    'write-and-verify12',
    { lba: 0x20, transferLength: 0x10000 },
    'ae 00 00 00 00 20 00 01 00 00 00 00',
  ],
  // VERIFY(12): BYTCHK 01b (byte 1 bits 2:1), LBA 0x30 (bytes 2–5), VERIFICATION LENGTH 0x10000 (bytes 6–9),
  // as libiscsi's scsi_cdb_verify12 builds it
  [
    'verify12',
    { bytChk: 1, lba: 0x30, verificationLength: 0x10000 },
    'af 02 00 00 00 30 00 01 00 00 00 00',
  ],
  // WRITE AND VERIFY(16): DPO=1 (byte 1 bit 4), LBA 1_0000_0000h (bytes 2–9), TRANSFER LENGTH 1 (bytes 10–13)
  [
    'write-and-verify16',
    { dpo: 1, lba: 0x100000000n, transferLength: 1 },
    '8e 10 00 00 00 01 00 00 00 00 00 00 00 01 00 00',
  ],
  // COMPARE AND WRITE: LBA 0x10 (bytes 2–9), NUMBER OF LOGICAL BLOCKS 1 (byte 13)
  [
    'compare-and-write',
    { lba: 0x10, numberOfBlocks: 1 },
    '89 00 00 00 00 00 00 00 00 10 00 00 00 01 00 00',
  ],
  // WRITE LONG(10): WR_UNCOR=1 (byte 1 bit 6), LBA 0x1234 (bytes 2–5), BYTE TRANSFER LENGTH 0
  ['write-long10', { wrUncor: 1, lba: 0x1234 }, '3f 40 00 00 12 34 00 00 00 00'],
  // WRITE LONG(16): SERVICE ACTION 11h, LBA 0x20 (bytes 2–9), BYTE TRANSFER LENGTH 520 (bytes 12–13)
  [
    'write-long16',
    { lba: 0x20, byteTransferLength: 520 },
    '9f 11 00 00 00 00 00 00 00 20 00 00 02 08 00 00',
  ],
  // SECURITY PROTOCOL OUT: protocol 01h, INC_512=1, TRANSFER LENGTH 1 (one 512-byte unit)
  [
    'security-out',
    { securityProtocol: 1, inc512: 1, transferLength: 1 },
    'b5 01 00 00 80 00 00 00 00 01 00 00',
  ],
];

describe('golden CDBs', () => {
  it('covers every catalog row', () => {
    const covered = new Set(GOLDEN.map(([n]) => findByName(n)?.name));
    for (const c of COMMANDS) expect(covered.has(c.name), c.name).toBe(true);
  });

  for (const [name, fields, expected] of GOLDEN) {
    it(`${name} ${JSON.stringify(fields, (_k, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v))} = ${expected}`, () => {
      const spec = findByName(name);
      if (!spec) throw new Error(`${name} is not in the catalog`);
      const built = buildCdb(spec, fields);
      expect(built.ok && formatHex(built.value)).toBe(expected);
      const decoded = decodeCdb(built.ok ? built.value : new Uint8Array());
      expect(decoded.ok && decoded.value.spec).toBe(spec);
      if (decoded.ok)
        for (const [k, v] of Object.entries(fields))
          expect(decoded.value.fields.find((f) => f.field.key === k)?.value, k).toBe(BigInt(v));
    });
  }
});

describe('buildCdb errors', () => {
  const inquiry = findByName('inquiry');
  if (!inquiry) throw new Error('INQUIRY missing');

  it('names the valid keys for an unknown field', () => {
    const r = buildCdb(inquiry, { alloc: 36 });
    expect(!r.ok && r.error.message).toMatch(/no field "alloc"; its fields are .*allocationLength/);
  });

  it('names the field, position and range for a value that does not fit', () => {
    const r = buildCdb(inquiry, { allocationLength: 0x10000 });
    expect(!r.ok && r.error.message).toBe(
      'ALLOCATION LENGTH (bytes 3–4) is 16 bits wide, so it holds 0–65535; 65536 does not fit',
    );
    expect(!r.ok && r.error.offset).toBe(3);
    // A one-bit field's bound reads as English too.
    const evpd = buildCdb(inquiry, { evpd: 2 });
    expect(!evpd.ok && evpd.error.message).toBe(
      'EVPD (byte 1 bit 0) is 1 bit wide, so it holds 0–1; 2 does not fit',
    );
  });

  it('builds the SPC-2 layout on request', () => {
    const r = buildCdb(inquiry, { allocationLength: 36 }, { standard: 'SPC-2' });
    expect(r.ok && formatHex(r.value)).toBe('12 00 00 00 24 00');
    const big = buildCdb(inquiry, { allocationLength: 256 }, { standard: 'SPC-2' });
    expect(big.ok).toBe(false);
  });

  it('refuses a conflicting opcode', () => {
    expect(buildCdb(inquiry, { opcode: 0x13 }).ok).toBe(false);
  });
});

describe('standardCdb', () => {
  it('builds the commands usbcdb sends itself from their catalog rows', () => {
    // REQUEST SENSE after a CHECK CONDITION: ALLOCATION LENGTH 252 in byte 4.
    expect(formatHex(standardCdb('request-sense', { allocationLength: 252 }))).toBe(
      '03 00 00 00 fc 00',
    );
    // READ(16): LBA in bytes 2–9, TRANSFER LENGTH in bytes 10–13.
    expect(formatHex(standardCdb('read16', { lba: 0x1_0000_0000n, transferLength: 8 }))).toBe(
      '88 00 00 00 00 01 00 00 00 00 00 00 00 08 00 00',
    );
  });

  it('throws for a name the catalog lacks or a value its field cannot hold: the program is wrong', () => {
    expect(() => standardCdb('no-such-command')).toThrow(
      'the catalog has no command no-such-command',
    );
    expect(() => standardCdb('inquiry', { allocationLength: 0x10000 })).toThrow(
      /ALLOCATION LENGTH/,
    );
  });
});

describe('decodeCdb', () => {
  const hex = (t: string): Uint8Array => {
    const r = parseHex(t);
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };

  it('reports reserved bits, trailing bytes and the data phase', () => {
    const r = decodeCdb(hex('28 00 00 00 00 00 80 00 01 00 00'));
    expect(r.ok && r.value.reserved).toEqual([{ byte: 6, mask: 0x80, value: 0x80 }]);
    expect(r.ok && r.value.trailing).toBe(1);
    expect(r.ok && r.value.dataPhase).toMatchObject({ direction: 'in', units: 1 });
    expect(r.ok && formatDecodedCdb(r.value)).toMatch(/byte 6: reserved bits 0x80 set/);
  });

  it('names one missing byte as "byte N" and counts its data phase in words', () => {
    const r = decodeCdb(hex('12 00 00 00 24'));
    expect(!r.ok && r.error.message).toBe('INQUIRY is 6 bytes; byte 5 is missing');
    const ata = decodeCdb(hex('85 08 0e 00 00 00 01 00 00 00 00 00 00 00 ec 00'));
    expect(ata.ok && formatDecodedCdb(ata.value)).toMatch(/data phase: in, 1 512-byte block$/);
    const two = decodeCdb(hex('28 00 00 00 00 00 00 00 02 00'));
    expect(two.ok && formatDecodedCdb(two.value)).toMatch(/data phase: in, 2 logical blocks$/);
  });

  it('names a short CDB as an error with the missing bytes', () => {
    const r = decodeCdb(hex('28 00 00'));
    expect(!r.ok && r.error.message).toBe('READ(10) is 10 bytes; bytes 3–9 are missing');
  });

  it('decodes vendor and unknown opcodes to their group', () => {
    const r = decodeCdb(hex('c1 00 00 00 00 00 00 00 00 00'));
    expect(r.ok && r.value.spec).toBeUndefined();
    expect(r.ok && formatDecodedCdb(r.value)).toMatch(/vendor specific — group 6/);
    expect(decodeCdb(new Uint8Array()).ok).toBe(false);
  });

  it("names ATA PASS-THROUGH's OFF_LINE wait as SAT-4 counts it: 2^(OFF_LINE+1) − 2 seconds", () => {
    const waits = [0x0e, 0x4e, 0x8e, 0xce].map((byte2) => {
      const r = decodeCdb(
        hex(`85 08 ${byte2.toString(16)} 00 00 00 01 00 00 00 00 00 00 00 ec 00`),
      );
      return r.ok ? r.value.fields.find((f) => f.field.key === 'offLine')?.valueName : undefined;
    });
    expect(waits).toEqual(['0 seconds', '2 seconds', '6 seconds', '14 seconds']);
  });

  it('names enumerated values and marks nonzero obsolete fields', () => {
    const r = decodeCdb(hex('3b 05 00 00 00 00 00 04 00 00'));
    expect(r.ok && r.value.fields.find((f) => f.field.key === 'mode')?.valueName).toBe(
      'download microcode, save, and activate',
    );
    const o = decodeCdb(hex('25 01 00 00 00 00 00 00 00 00'));
    expect(o.ok && formatDecodedCdb(o.value)).toMatch(/RELADR = 1 {2}\[obsolete\]/);
  });

  it('builds a command with its own service action, and refuses a value that selects another', () => {
    const readcap16 = findByName('readcap16');
    if (!readcap16) throw new Error('no READ CAPACITY(16) row');
    const sa = readcap16.fields.find((f) => f.role === 'serviceAction')?.key ?? '';
    expect(sa).not.toBe('');
    const same = buildCdb(readcap16, { [sa]: 0x10 });
    expect(same.ok && formatHex(same.value).slice(0, 5)).toBe('9e 10');
    const other = buildCdb(readcap16, { [sa]: 0x11 });
    expect(!other.ok && other.error).toMatchObject({ code: 'service-action', offset: 1 });
    expect(!other.ok && other.error.message).toMatch(
      /^READ CAPACITY\(16\) is service action 10h; SERVICE ACTION \(byte 1 bits 4:0\) cannot be 11h: that selects another command$/,
    );
  });

  it('names a value only where its field means something: INQUIRY PAGE CODE only with EVPD=1', () => {
    const pageName = (text: string): string | undefined => {
      const r = decodeCdb(hex(text));
      return r.ok ? r.value.fields.find((f) => f.field.key === 'pageCode')?.valueName : undefined;
    };
    // EVPD=0: standard INQUIRY data, no VPD page (SPC-5 6.7.1).
    expect(pageName('12 00 00 00 24 00')).toBeUndefined();
    expect(pageName('12 01 00 00 24 00')).toBe('Supported VPD pages');
  });
});
