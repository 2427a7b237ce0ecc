import { describe, expect, it } from 'vitest';
import { runUsbcdb as run } from '../../cli-run';
import { FOUNDING_DOCTOR_ARGS } from '../../founding-report';

describe('usbcdb doctor', () => {
  it("explains the report's case, most important first", async () => {
    const r = await run([...FOUNDING_DOCTOR_ARGS]);
    expect(r.code).toBe(5);
    const order = [
      'so those sense bytes do not describe it',
      'SPC-2 reads byte 3 as reserved',
      'The intended CDB is 12 00 00 00 24 00',
      'kIOMemoryDirection',
      'INQUIRY returns at most 260 bytes',
    ];
    const positions = order.map((s) => r.out.replace(/\s+/g, ' ').indexOf(s));
    for (const p of positions) expect(p).toBeGreaterThanOrEqual(0);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('prints the documented JSON', async () => {
    const r = await run([...FOUNDING_DOCTOR_ARGS, '--json']);
    const j = JSON.parse(r.out) as {
      diagnoses: { id: string; rank: number }[];
      lint: { corrected: { cdb: string; transferLength: number } };
    };
    expect(j.diagnoses[0]?.id).toBe('sense-without-check-condition');
    expect(j.lint.corrected).toMatchObject({ cdb: '12 00 00 00 24 00', transferLength: 36 });
  });

  it('takes DriverKit parameters as key=value and catches the direction trap', async () => {
    const r = await run([
      'doctor',
      '--cdb',
      '12 00 00 00 24 00',
      '--status',
      '0',
      '--service-response',
      '2',
      '--dk',
      'fBufferDirection=2,fDataTransferDirection=2',
      '--driverkit',
      'fRequestedByteCountOfTransfer=512',
    ]);
    expect(r.out).toMatch(/fBufferDirection is 2 \(kIOMemoryDirectionOut\)/);
    // --driverkit adds to the --dk groups (it spells the same option): the 512-byte buffer counts.
    expect(r.out).toMatch(/Host transfer: 512 bytes data-in/);
    expect(r.code).toBe(99);
  });

  it('uses the sense category as exit status for a CHECK CONDITION', async () => {
    const r = await run([
      'doctor',
      '--cdb',
      'c0 00 00 00 00 00 00 00 00 00',
      '--status',
      '2',
      '--sense',
      '70 00 05 00 00 00 00 0a 00 00 00 00 20 00 00 00 00 00',
    ]);
    expect(r.code).toBe(9);
  });

  it('exits with the category of a RECOVERED ERROR or NO SENSE, as raw does for the same exchange', async () => {
    const smart = '85 06 2c 00 da 00 00 00 00 00 4f 00 c2 00 b0 00';
    expect((await run(['raw', smart, '-d', 'emu:sata-bridge'])).code).toBe(21);
    const cases: [cdb: string, sense: string, code: number][] = [
      [smart, 'f0 00 01 00 50 00 00 0a 00 00 4f c2 00 1d 00 00 00 00', 21],
      [
        '28 00 00 00 00 00 00 00 01 00',
        '70 00 01 00 00 00 00 0a 00 00 00 00 17 01 00 00 00 00',
        21,
      ],
      ['00 00 00 00 00 00', '70 00 00 00 00 00 00 0a 00 00 00 00 00 00 00 00 00 00', 20],
      // Cut before the ASC: the sense key's category, as sg3_utils gives.
      ['28 00 00 00 00 00 00 00 01 00', '70 00 01 00 00 00 00 00', 21],
      // Not sense data at all (response code 00h): another sense, as raw exits for it.
      ['00 00 00 00 00 00', '00 00 00 00', 98],
    ];
    for (const [cdb, sense, code] of cases)
      expect((await run(['doctor', '--cdb', cdb, '--status', '2', '--sense', sense])).code).toBe(
        code,
      );
  });

  it('rejects bad input with a message naming it', async () => {
    expect((await run(['doctor'])).code).toBe(1);
    const bad = await run(['doctor', '--cdb', '12 0g']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/"0g" is not hexadecimal/);
    expect((await run(['doctor', '--cdb', '12', '--dk', 'fNope=1'])).err).toMatch(
      /not a SCSIType00OutParameters field/,
    );
    expect((await run(['doctor', '--cdb', '12', '--transport', 'bogus'])).err).toMatch(
      /--transport must be one of/,
    );
    expect((await run(['doctor', '--cdb', '12', '--status', 'two'])).err).toMatch(
      /--status must be a number/,
    );
  });
});

describe('usbcdb lint', () => {
  it('exits 5 when a finding is an error and 0 otherwise', async () => {
    expect((await run(['lint', '12 00 00 24 00 00', '--data-in', '512'])).code).toBe(5);
    const clean = await run(['lint', '12 00 00 00 24 00', '--data-in', '36']);
    expect(clean.code).toBe(0);
    expect(clean.out).toMatch(/no problems found/);
  });

  it('accepts every hex spelling', async () => {
    for (const h of ['12 00 00 00 24 00', '120000002400', '0x12,0x00,0x00,0x00,0x24,0x00']) {
      const r = await run(['lint', h, '--json']);
      expect((JSON.parse(r.out) as { cdb: string }[])[0]?.cdb).toBe('12 00 00 00 24 00');
    }
  });

  it('reads bytes given as separate words as one CDB, as raw and sg_raw do, and quoted CDBs each as one', async () => {
    // The founding case typed unquoted: one INQUIRY, not six one-byte CDBs.
    const words = await run([
      'lint',
      '12',
      '00',
      '00',
      '24',
      '00',
      '00',
      '--data-in',
      '512',
      '--json',
    ]);
    expect(words.code).toBe(5);
    const one = JSON.parse(words.out) as { cdb: string; command: string }[];
    expect(one.map((c) => [c.cdb, c.command])).toEqual([['12 00 00 24 00 00', 'INQUIRY']]);
    // A C array pasted unquoted, then a quoted CDB: two CDBs.
    const mixed = await run([
      'lint',
      '0x12,',
      '0x00,',
      '0x00,',
      '0x00,',
      '0x24,',
      '0x00',
      '28 00 00 00 00 00 00 00 01 00',
      '--json',
    ]);
    const two = JSON.parse(mixed.out) as { cdb: string }[];
    expect(two.map((c) => c.cdb)).toEqual(['12 00 00 00 24 00', '28 00 00 00 00 00 00 00 01 00']);
  });

  it('lists its rules', async () => {
    const r = await run(['lint', '--rules']);
    expect(r.out).toMatch(/layout-ambiguity/);
  });

  it('judges with the SPC-2 layout on request', async () => {
    const r = await run(['lint', '12 00 00 24 00 00', '--spc2', '--json']);
    const j = JSON.parse(r.out) as { findings: { id: string; severity: string }[] }[];
    expect(j[0]?.findings.find((f) => f.id === 'layout-ambiguity')?.severity).toBe('error');
  });
});

describe('usbcdb decode-sense', () => {
  it('decodes arguments and standard input, naming the field a pointer points at', async () => {
    const r = await run([
      'decode-sense',
      '70 00 05 00 00 00 00 0a 00 00 00 00 24 00 00 c8 00 04',
      '--cdb',
      '12 00 00 01 24 00',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/INVALID FIELD IN CDB/);
    expect(r.out.replace(/\s+/g, ' ')).toMatch(/ALLOCATION LENGTH \(bytes 3–4\) of INQUIRY/);
    const s = await run(['decode-sense', '-'], '72 06 29 00 00 00 00 00\n');
    expect(s.out).toMatch(/POWER ON, RESET, OR BUS DEVICE RESET OCCURRED/);
  });

  it('calls 7Fh sense vendor specific, neither current nor deferred', async () => {
    const r = await run(['decode-sense', '7f 01 02 03']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ {2}vendor format, response code 7Fh$/m);
  });

  it('exits 97 for bytes that are not sense data and 1 for no bytes', async () => {
    const r = await run(['decode-sense', '00 00 00']);
    expect(r.code).toBe(97);
    expect(r.err).toMatch(/not sense data/);
    expect((await run(['decode-sense'])).code).toBe(1);
  });

  it('prints JSON', async () => {
    const r = await run([
      'decode-sense',
      '70 00 06 00 00 00 00 0a 00 00 00 00 29 00 00 00 00 00',
      '--json',
    ]);
    expect((JSON.parse(r.out) as { sense: { senseKey: number } }).sense.senseKey).toBe(6);
  });
});

describe('usbcdb build and catalog', () => {
  it('builds INQUIRY with --alloc 36', async () => {
    const r = await run(['build', 'inquiry', '--alloc', '36']);
    expect(r.out.split('\n')[0]).toMatch(/^12 00 00 00 24 00 {2}INQUIRY/);
    expect((await run(['build', 'inquiry', '--alloc', '36', '--quiet'])).out.trim()).toBe(
      '12 00 00 00 24 00',
    );
  });

  it('lints the built CDB with its own data phase as the transfer', async () => {
    // --alloc 9216 means 9216: the portable fix is SPC-2's most, 255, not the 36 that 24h in
    // byte 3 suggests when nothing says how big the buffer is.
    const r = await run(['build', 'inquiry', '--alloc', '9216', '--json']);
    const j = JSON.parse(r.out) as { lint: { corrected?: { cdb: string } } };
    expect(j.lint.corrected?.cdb).toBe('12 00 00 00 ff 00');
    const k = await run(['build', 'inquiry', '--alloc', '512']);
    expect(k.out.replace(/\s+/g, ' ')).toMatch(
      /fix: put the ALLOCATION LENGTH 0xff = 255 in byte 4/,
    );
  });

  it('takes kebab-case keys, role names and hex values', async () => {
    const r = await run(['build', 'read10', '--lba', '0x1000', '--len', '8', '--fua', '1', '-q']);
    expect(r.out.trim()).toBe('28 08 00 00 10 00 00 00 08 00');
    const s = await run(['build', 'read-capacity16', '--allocation-length', '20h', '-q']);
    expect(s.out.trim()).toBe('9e 10 00 00 00 00 00 00 00 00 00 00 00 20 00 00');
  });

  it('builds the SPC-2 INQUIRY and explains unknown fields and commands', async () => {
    expect((await run(['build', 'inquiry', '--spc2', '--alloc', '36', '-q'])).out.trim()).toBe(
      '12 00 00 00 24 00',
    );
    const bad = await run(['build', 'inquiry', '--bogus', '1']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/no field "--bogus"; its fields are .*--allocation-length/);
    expect((await run(['build', 'nonsense'])).err).toMatch(/not in the catalog/);
    expect((await run(['build', 'inquiry', '--alloc', '70000'])).err).toMatch(/holds 0–65535/);
  });

  it('lists the catalog and shows one command', async () => {
    const all = await run(['catalog']);
    expect(all.out).toMatch(/12h {6}INQUIRY/);
    expect(all.out).toMatch(/C0h–FFh {2}vendor specific/);
    const one = await run(['catalog', 'inquiry']);
    expect(one.out).toMatch(/SPC-2 layout/);
    expect(one.out).toMatch(/bytes 3–4 +ALLOCATION LENGTH/);
    // Consecutive values of one name read as one range: REPORT LUNS' vendor-specific SELECT REPORT.
    const luns = (await run(['catalog', 'report-luns'])).out;
    expect(luns.match(/vendor specific/g)).toHaveLength(1);
    expect(luns).toMatch(/F0h–FFh vendor specific/);
    // An opcode that is several commands lists them all, not the first: 94h's ZONE OUT actions.
    const zoneOut = await run(['catalog', '94h']);
    expect(zoneOut.code).toBe(0);
    expect(zoneOut.out.split('\n').slice(0, 6)).toEqual([
      '94h is 5 commands, told apart by their SERVICE ACTION:',
      '  94h/01h  CLOSE ZONE                         16 bytes  data none',
      '  94h/02h  FINISH ZONE                        16 bytes  data none',
      '  94h/03h  OPEN ZONE                          16 bytes  data none',
      '  94h/04h  RESET WRITE POINTER                16 bytes  data none   DESTRUCTIVE',
      '  94h/10h  SEQUENTIALIZE ZONE                 16 bytes  data none',
    ]);
    expect(zoneOut.out).toMatch(
      /usbcdb catalog 94h\/SA \(e\.g\. 94h\/01h\) or a name shows one in full/,
    );
    const json = await run(['catalog', '0x9e/0x10', '--json']);
    expect((JSON.parse(json.out) as { name: string }).name).toBe('READ CAPACITY(16)');
    const vendor = await run(['catalog', 'c5h']);
    expect(vendor.code).toBe(1);
    expect(vendor.err).toMatch(/vendor specific/);
    expect(vendor.err).toMatch(/the shipped set example declares C5h: --vendor-set example/);
  });

  it('states length rules in T10 field names, with no empty label or internal keys', async () => {
    const inquiry = (await run(['catalog', 'inquiry'])).out;
    expect(inquiry).toMatch(
      /data phase \(the first rule that holds\):\n {4}in, at most ALLOCATION LENGTH \(bytes 3–4\) bytes, when EVPD = 0\n/,
    );
    expect(inquiry).not.toMatch(/data: *\n|allocationLength in|evpd=0/);
    const wb = (await run(['catalog', '3b'])).out;
    expect(wb).toMatch(/data phase:\n {4}out, exactly PARAMETER LIST LENGTH \(bytes 6–8\) bytes\n/);
    expect(wb).not.toMatch(/parameterList length|parameterListLength in/);
    expect((await run(['catalog', 'tur'])).out).toMatch(/ {2}data phase: none\n/);
    // COMPARE AND WRITE sends the verify data, then the write data (SBC-4).
    expect((await run(['catalog', 'caw'])).out).toMatch(
      /data phase:\n {4}out, exactly 2 × NUMBER OF LOGICAL BLOCKS \(byte 13\) logical blocks — /,
    );
  });
});

describe('usbcdb', () => {
  it('prints help and refuses unknown commands', async () => {
    const none = await run([]);
    expect(none.code).toBe(1);
    expect(none.out).toBe('');
    expect(none.err).toMatch(/^usbcdb: give a command\n\n[^]*usage: usbcdb COMMAND/);
    const asked = await run(['help']);
    expect(asked.code).toBe(0);
    expect(asked.out).toMatch(/usage: usbcdb COMMAND/);
    expect((await run(['help', 'lint'])).out).toMatch(/--data-in N/);
    expect((await run(['lint', '--help'])).out).toMatch(/--data-in N/);
    const r = await run(['frobnicate']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/unknown command "frobnicate"/);
  });
});

describe('usbcdb parse', () => {
  it("decodes QEMU's INQUIRY with byte positions", async () => {
    const r = await run([
      'parse',
      'inquiry',
      '00 00 05 12 1f 00 00 10 51 45 4d 55 20 20 20 20 51 45 4d 55 20 48 41 52 44 44 49 53 4b 20 20 20 32 2e 35 2b',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Product +QEMU HARDDISK +\[bytes 16–31\]/);
    expect(r.out).toMatch(/05h SPC-3/);
  });

  it('prints JSON rows and names missing bytes', async () => {
    const r = await run(['parse', 'readcap10', '00 03 ff ff 00 00 02 00', '--json']);
    expect((JSON.parse(r.out) as { rows: { label: string }[] }).rows[0]?.label).toBe('Last LBA');
    const short = await run(['parse', 'readcap16', '00 00']);
    expect(short.code).toBe(97);
    expect(short.err).toMatch(/RETURNED LOGICAL BLOCK ADDRESS at bytes 0–7 is missing/);
    expect((await run(['parse', 'bogus', '00'])).code).toBe(1);
  });

  it('reads a log page, by KIND and as the answer to LOG SENSE', async () => {
    const ie = '2f 00 00 08 00 00 03 04 5d 10 25 00';
    const r = await run(['parse', 'log', ie]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Page +2Fh Informational Exceptions +\[byte 0\]/);
    expect(r.out).toMatch(
      /Informational exception +5Dh\/10h HARDWARE IMPENDING FAILURE .*; most recent temperature 37 °C +\[bytes 4–11\]/,
    );
    const asAnswer = await run(['parse', '--cdb', '4d 00 6f 00 00 00 00 00 fc 00', ie]);
    expect(asAnswer.code).toBe(0);
    expect(asAnswer.out).toMatch(/Informational exception/);
    expect((await run(['parse', 'log', '2f 00'])).code).toBe(97);
  });

  it('reads GET LBA STATUS data by KIND', async () => {
    const r = await run([
      'parse',
      'lba-status',
      '00 00 00 14 00 00 00 01 00 00 00 00 00 00 00 08 00 00 00 10 01 00 00 00',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/LBA 8 +16 blocks deallocated +\[bytes 8–23\]/);
  });

  it('calls no bytes at all bad input (1), as parse --cdb does, not malformed data (97)', async () => {
    const none = await run(['parse', 'inquiry']);
    expect(none.code).toBe(1);
    expect(none.err).toBe(
      'parse: give the inquiry bytes as hex, or - to read them from standard input\n',
    );
    expect((await run(['parse', 'vpd', '-'], '\n')).code).toBe(1);
    expect((await run(['parse', '--cdb', '12 00 00 00 24 00'])).code).toBe(1);
  });

  it('says standard input was empty when - read nothing, rather than asking for the - given', async () => {
    for (const [argv, what] of [
      [['parse', 'vpd', '-'], 'parse: standard input was empty: no vpd bytes to read'],
      [
        ['parse', '--cdb', '12 00 00 00 24 00', '-'],
        'parse: standard input was empty: no data bytes to read',
      ],
      [['decode-sense', '-'], 'decode-sense: standard input was empty: no sense bytes to read'],
    ] as const) {
      const r = await run([...argv], ' \n');
      expect({ code: r.code, out: r.out, err: r.err }).toEqual({
        code: 1,
        out: '',
        err: `${what}\n`,
      });
    }
  });
});

describe('usbcdb parse KIND --vendor-set', () => {
  it('is refused: a KIND is a standard page, so the set would be read for nothing', async () => {
    for (const set of ['cypress', 'no-such-file.json']) {
      const r = await run(['parse', 'readcap10', '00 00 00 ff 00 00 02 00', '--vendor-set', set]);
      expect([r.code, r.out]).toEqual([1, '']);
      expect(r.err).toMatch(/^parse: --vendor-set applies to --cdb .*a KIND \(readcap10\)/);
    }
  });
});

describe('usbcdb parse --cdb', () => {
  it('parse --cdb refuses a CDB shorter than its command, as an unquoted one arrives, rather than reading another answer', async () => {
    // Unquoted, --cdb takes "12" and the rest of the VPD 80h INQUIRY would be read as data.
    const r = await run([
      'parse',
      '--cdb',
      '12',
      '01',
      '80',
      '00',
      'fc',
      '00',
      '00',
      '80',
      '00',
      '04',
    ]);
    expect({ code: r.code, out: r.out }).toEqual({ code: 1, out: '' });
    expect(r.err).toBe(
      'parse: --cdb "12" is 1 byte, but INQUIRY is a 6-byte CDB: give the whole CDB as one argument (quote it)\n',
    );
  });

  it('parse --cdb says when the answer is another VPD page than the one asked for', async () => {
    const r = await run(['parse', '--cdb', '12 01 80 00 fc 00', '00 83 00 00']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(
      /^INQUIRY\nnote: The device returned VPD page 83h \(Device Identification\), but the CDB asked for page 80h/,
    );
    const json = await run(['parse', '--cdb', '12 01 80 00 fc 00', '00 83 00 00', '--json']);
    expect(JSON.parse(json.out).notes).toHaveLength(1);
  });

  it('refuses a KIND beside --cdb by name (31, contradicting options), not as bytes that are not hex', async () => {
    const r = await run(['parse', 'vpd', '--cdb', '12 01 80 00 fc 00', '00 80 00 01 41']);
    expect({ code: r.code, out: r.out }).toEqual({ code: 31, out: '' });
    expect(r.err).toBe(
      'parse: give a KIND (vpd) or --cdb, not both: each says how to read the bytes\n',
    );
  });
});

describe('usbcdb lint', () => {
  it('refuses a data-in and a data-out length together with 31, as raw refuses --in with --out (SG_LIB_CONTRADICT)', async () => {
    const r = await run([
      'lint',
      '2a 00 00 00 00 00 00 00 01 00',
      '--data-in',
      '512',
      '--data-out',
      '512',
    ]);
    expect(r.code).toBe(31);
    expect(r.err).toMatch(
      /^lint: give --data-in or --data-out, not both: a Bulk-Only command moves data one way/,
    );
    const doctor = await run([
      'doctor',
      '--cdb',
      '2a 00 00 00 00 00 00 00 01 00',
      '--data-in',
      '512',
      '--data-out',
      '512',
    ]);
    expect({ code: doctor.code, out: doctor.out }).toEqual({ code: 31, out: '' });
    expect(doctor.err).toMatch(/^doctor: give --data-in or --data-out, not both/);
  });

  it('refuses in lint a host transfer no CBW can ask for, as raw refuses it (dCBWDataTransferLength is 32 bits)', async () => {
    const why = "a CBW's dCBWDataTransferLength is 32 bits, at most 4294967295 (BOT 1.0 §5.1)";
    for (const option of ['--data-in', '--data-out']) {
      const r = await run(['lint', '12 00 00 00 24 00', option, '4294967296']);
      expect({ code: r.code, out: r.out }).toEqual({ code: 1, out: '' });
      expect(r.err).toBe(`lint: ${option} 4294967296 cannot be sent: ${why}\n`);
      expect((await run(['lint', '12 00 00 00 24 00', option, '4294967295'])).code).not.toBe(1);
    }
    const raw = await run(['raw', '12 00 00 00 24 00', '--in', '4294967296']);
    expect(raw.err).toBe(`raw: --in 4294967296 cannot be sent: ${why}\n`);
    // The doctor, told what was seen, explains it as an error rather than as Bulk-Only case 5.
    const doctor = await run(['doctor', '12 00 00 00 24 00', '--data-in', '4294967296']);
    expect(doctor.code).toBe(5);
    expect(doctor.out).toMatch(
      /1\. +\[error\] A host transfer of 4294967296 bytes cannot be sent over USB mass storage\./,
    );
  });

  it('refuses a doctor CDB given both with --cdb and as words (31), rather than dropping the words', async () => {
    const r = await run(['doctor', '--cdb', '12 00 00 00 24 00', '28', '00']);
    expect({ code: r.code, out: r.out }).toEqual({ code: 31, out: '' });
    expect(r.err).toBe('doctor: the CDB is given twice, with --cdb and as "28 00"; give it once\n');
    // The CDB typed unquoted after --cdb: the refusal says to quote it.
    const unquoted = await run(['doctor', '--cdb', '12', '00', '00', '24', '00', '00']);
    expect({ code: unquoted.code, out: unquoted.out }).toEqual({ code: 31, out: '' });
    expect(unquoted.err).toBe(
      'doctor: --cdb took only "12", and "00 00 24 00 00" came as separate words: quote the CDB (--cdb "12 00 00 24 00 00"), or give its bytes as words without --cdb\n',
    );
    // As words alone it is the CDB.
    const words = await run(['doctor', '12', '00', '00', '00', '24', '00', '--json']);
    expect(words.code).toBe(0);
  });

  it('refuses sense bytes typed as words after --sense, rather than reading them as the CDB', async () => {
    const sense = ['70', '00', '05', '00', '00', '00', '00', '0a'];
    // Without --cdb the words after "--sense 70" were taken as the CDB ("00 05 00 …", read as
    // TEST UNIT READY), and with a CDB as words they were appended to it (a 23-byte INQUIRY).
    for (const argv of [
      ['doctor', '--status', '2', '--sense', ...sense],
      ['doctor', '12', '00', '00', '00', '24', '00', '--status', '2', '--sense', ...sense],
    ]) {
      const r = await run(argv);
      expect({ code: r.code, out: r.out }).toEqual({ code: 1, out: '' });
      expect(r.err).toBe(
        'doctor: --sense took only "70", and "00 05 00 00 00 00 0a" came as separate words: quote the sense bytes (--sense "70 00 05 00 00 00 00 0a")\n',
      );
    }
    // With --cdb as well, they were called a second CDB.
    const both = await run(['doctor', '--cdb', '12 00 00 00 24 00', '--sense', ...sense]);
    expect(both.err).toMatch(/^doctor: --sense took only "70"/);
    // Words after a value that is not one byte are still the CDB, as before.
    const words = await run([
      'doctor',
      '--sense',
      '70 00 05 00',
      '00',
      '00',
      '00',
      '00',
      '00',
      '00',
    ]);
    expect(words.out).toMatch(/CDB 00 00 00 00 00 00: TEST UNIT READY/);
  });

  it('exits 1 for a doctor --status no device sends (one byte), rather than 99 for a status of 100h', async () => {
    const r = await run(['doctor', '--cdb', '00 00 00 00 00 00', '--status', '256']);
    expect({ code: r.code, out: r.out }).toEqual({ code: 1, out: '' });
    expect(r.err).toMatch(
      /^doctor: --status is 0–FFh \(a SAM-5 status is one byte; .*; 256 does not fit/,
    );
  });

  it('refuses a block size of 0 in lint and doctor rather than reading a block as no data', async () => {
    // READ(10) of one block: at --block-size 0 it read as "asks for no data", fixed to 65535 blocks.
    const cdb = '28 00 00 00 00 00 00 00 01 00';
    const lint = await run(['lint', cdb, '--data-in', '512', '--block-size', '0']);
    expect(lint.code).toBe(1);
    expect(lint.err).toMatch(
      /^lint: --block-size is a logical block length in bytes, 1–4294967295/,
    );
    expect(lint.out).toBe('');
    const doctor = await run(['doctor', '--cdb', cdb, '--data-in', '512', '--block-size', '0']);
    expect(doctor.code).toBe(1);
    expect(doctor.err).toMatch(/^doctor: --block-size is a logical block length in bytes/);
    expect(doctor.out).toBe('');
  });
});
